"""The committed chime is exactly what its generator makes, and sounds like a chime."""

from __future__ import annotations

import array
import math
import wave
from pathlib import Path

from neck_guide.paths import RESOURCES_DIR
from neck_guide.voice import chime

COMMITTED = RESOURCES_DIR / "sounds" / "chime.wav"


def samples(path: Path) -> tuple[array.array[int], wave._wave_params]:
    with wave.open(str(path), "rb") as w:
        return array.array("h", w.readframes(w.getnframes())), w.getparams()


def test_the_committed_chime_is_the_generators_output(tmp_path: Path) -> None:
    made = tmp_path / "chime.wav"
    assert chime.main([str(made)]) == 0
    ours, params = samples(made)
    theirs, committed_params = samples(COMMITTED)
    assert committed_params == params
    assert len(theirs) == len(ours)
    assert max(abs(a - b) for a, b in zip(ours, theirs, strict=True)) <= 1  # libm may round differently


def test_the_chime_is_short_soft_and_fades_out() -> None:
    audio, params = samples(COMMITTED)
    assert (params.nchannels, params.sampwidth, params.framerate) == (1, 2, 44100)
    assert 0.5 <= params.nframes / params.framerate <= 0.7
    peak = max(abs(x) for x in audio)
    assert 8000 < peak < 20000, "audible but not harsh"
    assert abs(audio[0]) < 200 and abs(audio[-1]) < 200, "no click at either end"
    tenth = len(audio) // 10

    def level(part: array.array[int]) -> float:
        return math.sqrt(sum(x * x for x in part) / len(part))

    assert level(audio[:tenth]) > 4 * level(audio[-2 * tenth : -tenth])
