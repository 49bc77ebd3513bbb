"""Real sound: espeak-ng phrases and the chime played by VoicePlayer, recorded from the null sink.

The recording is analysed for the onsets of the sounds: they must all be there, in order, with
the gaps of the schedule.
"""

from __future__ import annotations

import array
import itertools
import shutil
import signal
import subprocess
import time
import wave
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from PySide6.QtMultimedia import QAudioDevice
from pytestqt.qtbot import QtBot

from neck_guide.voice.playback.player import VoicePlayer
from neck_guide.voice.synth import Synthesiser

pytestmark = pytest.mark.audio

WINDOW_S = 0.002
LOUD = 1000  # a window whose peak passes this has sound in it
QUIET_GAP_S = 0.3  # silence this long separates two sounds


@contextmanager
def recording(sink: str, path: Path) -> Iterator[None]:
    """Record the sink's monitor into ``path`` (a WAV) while the block runs."""
    if shutil.which("parec") is None:
        pytest.skip("parec is not installed (Debian: pulseaudio-utils)")
    command = ["parec", "-d", f"{sink}.monitor", "--latency-msec=20", "--file-format=wav", str(path)]
    proc = subprocess.Popen(command)
    try:
        deadline = time.monotonic() + 5
        while not path.exists() or path.stat().st_size < 20_000:  # the recording is flowing
            assert time.monotonic() < deadline, "parec did not start recording"
            time.sleep(0.02)
        yield
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=10)


def onsets(path: Path) -> list[float]:
    """Seconds into the recording at which each separate sound begins."""
    with wave.open(str(path), "rb") as w:
        channels, rate = w.getnchannels(), w.getframerate()
        samples = array.array("h", w.readframes(w.getnframes()))[::channels]
    step = int(WINDOW_S * rate)
    found: list[float] = []
    last_loud = -1.0
    for start in range(0, len(samples), step):
        if max(map(abs, samples[start : start + step]), default=0) > LOUD:
            t = start / rate
            if t - last_loud > QUIET_GAP_S:
                found.append(t)
            last_loud = t
    return found


def test_cues_sound_in_order_with_the_gaps_of_their_schedule(
    qtbot: QtBot, private_sink: str, output: QAudioDevice, real_synth: Synthesiser, tmp_path: Path
) -> None:
    player = VoicePlayer(real_synth, output=output)
    words = ["Three", "Two", "One", "Release."]
    player.prepare(words)
    qtbot.waitUntil(lambda: all(w in player._ready for w in words), timeout=10_000)
    spoken: list[str] = []
    player.spoken.connect(lambda text, _at: spoken.append(text))
    audio = tmp_path / "monitor.wav"
    try:
        with recording(private_sink, audio):
            start = time.monotonic() + 0.5
            for n, word in enumerate(words):
                player.say_at(word, start + n)
            player.chime_at(start + len(words))
            qtbot.waitUntil(lambda: len(spoken) == len(words), timeout=10_000)
            qtbot.wait(1500)  # the chime, then some silence
    finally:
        player.close()
    heard = onsets(audio)
    assert spoken == words
    assert len(heard) == len(words) + 1, f"sounds began at {heard}"
    gaps = [b - a for a, b in itertools.pairwise(heard)]
    assert all(abs(gap - 1.0) < 0.05 for gap in gaps), f"gaps between sounds: {gaps}"
