"""Real sound: espeak-ng phrases, the chime and the release tick played by VoicePlayer into a
private null sink, recorded, and found in the recording by their waveforms (sink_recording.py):
every sound there, once, whole (sample for sample what the cache holds), in order."""

from __future__ import annotations

import time

import pytest
from PySide6.QtMultimedia import QAudioDevice
from pytestqt.qtbot import QtBot
from sink_recording import (
    RATE,
    Placed,
    Recorder,
    damaged_blocks,
    find_all,
    find_whole,
    load_wav,
    subtract,
    trimmed,
)

from neck_guide.voice.planner import Line
from neck_guide.voice.playback.player import VoicePlayer
from neck_guide.voice.synth import Synthesiser

pytestmark = pytest.mark.audio


def test_lines_sound_whole_in_order_at_the_distances_of_their_schedule(
    qtbot: QtBot, private_sink: str, output: QAudioDevice, real_synth: Synthesiser
) -> None:
    player = VoicePlayer(real_synth, output=output, volume=1.0)
    words = ["Three", "Two", "One", "Release."]
    player.prepare(words)
    qtbot.waitUntil(lambda: all(player.seconds(w) is not None for w in words), timeout=20_000)
    spoken: list[str] = []
    player.spoken.connect(lambda text, _at: spoken.append(text))
    recorder = Recorder(private_sink)
    try:
        qtbot.waitUntil(recorder.started, timeout=5000)
        start = time.monotonic() + 0.5
        lines = [
            Line(start + n, player.seconds(w) or 0, w, "countdown", start + n) for n, w in enumerate(words)
        ]
        end = start + len(words) - 1
        lines += [
            Line(end, 0.6, "chime", "chime", end),
            Line(end + 1.5, 0.12, "released", "released", end + 1.5),
        ]
        player.play(lines)
        qtbot.waitUntil(lambda: len(spoken) == len(lines), timeout=10_000)
        qtbot.waitUntil(lambda: recorder.seconds_after(end + 2.0), timeout=10_000)
    finally:
        recorder.stop()
        player.close()
    sounds = {w: trimmed(load_wav(real_synth.render(w))) for w in words}
    sounds["released"] = trimmed(load_wav(player.sound_path("released")))
    chime = trimmed(load_wav(player.sound_path("chime")))
    signal = recorder.samples.copy()
    rung = find_whole(signal, 0, chime)  # first, and taken out: it rings over "Release."
    assert rung is not None, "no chime"
    placed = {"chime": Placed(chime, rung.index)}
    subtract(signal, placed["chime"])
    for name, sound in sounds.items():
        hits = find_all(signal, 0, sound, min_gap_s=len(sound) / RATE)
        assert len(hits) == 1, f"{name} heard {len(hits)} times"
        placed[name] = Placed(sound, hits[0].index)
    for name, where in placed.items():
        others = [p for n, p in placed.items() if n != name]
        assert damaged_blocks(recorder.samples, where, others) == [], f"{name} came out damaged"
    onsets = [placed[w].index / RATE for w in [*words, "released"]]
    assert onsets == sorted(onsets)
    # How far from their instants: bench_voice.py measures that; here, only that the chime rings
    # with "Release." (not after it) and the tick comes after both.
    assert abs(placed["chime"].index - placed["Release."].index) / RATE < 0.2
    assert placed["released"].index > placed["chime"].index + len(chime)
