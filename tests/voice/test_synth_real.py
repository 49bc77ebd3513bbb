"""The real engine: espeak-ng through pyttsx3 in the child process, to WAV files we read back."""

from __future__ import annotations

import array
import math
import sys
import wave
from pathlib import Path

import pytest

from neck_guide.voice.cache import SILENT_TAIL_S, Phrase, PhraseCache
from neck_guide.voice.synth import PhraseRejectedError, Synthesiser


def read(path: Path) -> tuple[array.array[int], int]:
    with wave.open(str(path), "rb") as w:
        assert (w.getnchannels(), w.getsampwidth()) == (1, 2)
        samples, rate = array.array("h", w.readframes(w.getnframes())), w.getframerate()
    tail = int(SILENT_TAIL_S * rate)
    assert max(map(abs, samples[-tail:])) == 0, "a phrase ends in silence (see cache.py)"
    return samples[:-tail], rate  # the words


def rms(samples: array.array[int]) -> float:
    return math.sqrt(sum(x * x for x in samples) / max(1, len(samples)))


@pytest.mark.parametrize("text", ["Three", "Upper trapezius, left."])
def test_a_phrase_becomes_audible_speech_of_plausible_length(
    real_synth: Synthesiser, text: str, capfd: pytest.CaptureFixture[str]
) -> None:
    path = real_synth.render(text, rate=165)
    samples, rate = read(path)
    seconds = len(samples) / rate
    assert 0.3 <= seconds <= 3.0, f"{text!r} lasted {seconds:.2f} s"
    assert rms(samples) > 1000, "the file is (nearly) silent"
    leading = next(i for i, x in enumerate(samples) if abs(x) > 100) / rate
    assert leading < 0.02, "silence before the words delays every cue"
    out, _ = capfd.readouterr()
    assert out == "", "pyttsx3's 'Audio saved to ...' must not reach our stdout"
    assert "pyttsx3" not in sys.modules, "pyttsx3 runs in the child process only"


def test_longer_phrases_last_longer_and_the_rate_matters(real_synth: Synthesiser) -> None:
    def seconds(text: str, rate: int) -> float:
        samples, hz = read(real_synth.render(text, rate=rate))
        return len(samples) / hz

    assert seconds("Upper trapezius, left. Slow compression.", 165) > seconds("Three", 165) * 2
    assert seconds("Minimum reached. Release when it softens.", 120) > seconds(
        "Minimum reached. Release when it softens.", 250
    )


def test_a_rendered_phrase_is_served_from_the_cache_without_the_engine(cache: PhraseCache) -> None:
    first = Synthesiser(cache)
    path = first.render("Two")
    first.close()
    second = Synthesiser(cache)
    assert second.render("Two") == path
    assert second.starts == 0, "a cached phrase must not start an engine"
    assert cache.get("pyttsx3", Phrase("Two")) == path
    second.close()


def test_voices_are_listed_and_an_unknown_voice_is_refused(real_synth: Synthesiser) -> None:
    voices = real_synth.voices()
    assert any("en" in v.languages or v.id.endswith("/en") for v in voices)
    english = next(v for v in voices if v.id.endswith("/en-us") or v.id.endswith("/en"))
    assert read(real_synth.render("Hold", voice=english.id))[0]
    with pytest.raises(PhraseRejectedError, match="not installed"):
        real_synth.render("Hold", voice="no-such-voice")
    assert real_synth.available and real_synth.render("Hold")  # the engine carried on
