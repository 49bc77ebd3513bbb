"""The child's tidying of a rendered file: silence trimmed, rate doubled, silence refused."""

from __future__ import annotations

import array
import math
import wave
from pathlib import Path

import pytest

from neck_guide.voice.cache import SILENT_TAIL_S
from neck_guide.voice.child import (
    KEEP_AFTER_S,
    KEEP_BEFORE_S,
    SilentRenderingError,
    doubled,
    start_failure,
    tidy,
)


def write(path: Path, samples: list[int], rate: int = 22050) -> None:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(array.array("h", samples).tobytes())


def read(path: Path) -> tuple[array.array[int], int]:
    with wave.open(str(path), "rb") as w:
        return array.array("h", w.readframes(w.getnframes())), w.getframerate()


def tone(seconds: float, rate: int = 22050, hz: float = 440.0) -> list[int]:
    return [round(8000 * math.sin(2 * math.pi * hz * i / rate)) for i in range(int(seconds * rate))]


def test_silence_around_the_words_is_cut_and_the_rate_doubled(tmp_path: Path) -> None:
    path = tmp_path / "phrase.wav"
    write(path, [0] * 11025 + tone(0.5) + [0] * 7000)
    seconds = tidy(path)
    samples, rate = read(path)
    assert rate == 44100
    tail = int(SILENT_TAIL_S * rate)
    assert seconds == pytest.approx((len(samples) - tail) / rate)
    assert max(map(abs, samples[-tail:])) == 0, "the file ends in silence, so it can be stopped in time"
    assert seconds == pytest.approx(0.5 + KEEP_BEFORE_S + KEEP_AFTER_S, abs=0.003)
    first_loud = next(i for i, x in enumerate(samples) if abs(x) > 100) / rate
    assert first_loud <= KEEP_BEFORE_S + 0.001


def test_doubling_the_rate_keeps_the_waveform() -> None:
    original = tone(0.1, hz=1000)
    twice = doubled(array.array("h", original))
    expected = tone(0.1, rate=44100, hz=1000)
    assert len(twice) == 2 * len(original)
    middle = range(20, len(twice) - 20)  # away from the zero padding at the ends
    assert max(abs(twice[i] - expected[i]) for i in middle) < 8000 * 0.02


def test_a_silent_rendering_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "silent.wav"
    write(path, [0, 3, -5] * 5000)
    with pytest.raises(SilentRenderingError):
        tidy(path)


def test_a_file_that_is_not_a_wav_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "broken.wav"
    path.write_bytes(b"RIFF nonsense")
    with pytest.raises(ValueError, match="not a WAV"):
        tidy(path)


def test_why_the_engine_cannot_start_is_said_in_words_a_user_can_act_on() -> None:
    missing = RuntimeError("This means you probably do not have eSpeak or eSpeak-ng installed!")
    assert start_failure(missing) == "espeak-ng not found (install the espeak-ng package)"
    assert start_failure(ModuleNotFoundError("No module named 'pyttsx3'")) == (
        "the pyttsx3 package is not installed"
    )
    assert "OSError: no sound" in start_failure(OSError("no sound"))
