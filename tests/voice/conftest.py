"""Voice test set-up: a real audio output (PulseAudio null sink), caches and synthesisers in tmp_path.

Qt Multimedia is imported here, at collection: it logs warnings while it loads (no PipeWire
library on this machine), which pytest-qt would count against the first test that loaded it.
"""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtMultimedia import QAudioDevice, QMediaDevices
from pytestqt.qtbot import QtBot

from neck_guide.voice.cache import PhraseCache
from neck_guide.voice.fake_synth import FakeSynthesiser
from neck_guide.voice.playback.player import VoicePlayer
from neck_guide.voice.synth import Synthesiser

SINK = "nullsink"
PULSE_START = [
    "pulseaudio",
    "--daemonize=yes",
    "--exit-idle-time=-1",
    "-n",
    f"--load=module-null-sink sink_name={SINK}",
    "--load=module-native-protocol-unix",
]


def _pactl(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["pactl", *args], capture_output=True, text=True, timeout=10, check=False)


@pytest.fixture(scope="session")
def pulse() -> Iterator[str]:
    """A PulseAudio server whose default sink is a null sink (its monitor can be recorded)."""
    if shutil.which("pulseaudio") is None or shutil.which("pactl") is None:
        pytest.skip("PulseAudio is not installed (Debian: pulseaudio pulseaudio-utils): no audio output")
    started = False
    if _pactl("info").returncode != 0:
        subprocess.run(PULSE_START, capture_output=True, timeout=20, check=False)
        started = True
        deadline = time.monotonic() + 10
        while _pactl("info").returncode != 0:
            if time.monotonic() > deadline:
                pytest.fail("PulseAudio did not start: " + " ".join(PULSE_START))
            time.sleep(0.1)
    if SINK not in _pactl("list", "short", "sinks").stdout:
        _pactl("load-module", "module-null-sink", f"sink_name={SINK}")
    _pactl("set-default-sink", SINK)
    yield SINK
    if started:
        subprocess.run(["pulseaudio", "--kill"], capture_output=True, timeout=20, check=False)


_sinks = itertools.count(1)


@pytest.fixture
def private_sink(pulse: str) -> Iterator[str]:
    """A null sink of this test's own: other programs playing on the shared server (another
    test run, the app itself) are not heard in its recording, and this test is not heard in theirs.
    It does not rewind: a sink that does rewrites what it rendered ahead when a sound starts, and
    its monitor keeps the first version, so the start of a sound would be missing from a recording."""
    name = f"neckguide_test_{os.getpid()}_{next(_sinks)}"
    module = _pactl("load-module", "module-null-sink", f"sink_name={name}", "norewinds=1").stdout.strip()
    assert module, f"could not load a null sink {name}"
    yield name
    _pactl("unload-module", module)


@pytest.fixture
def output(qtbot: QtBot, private_sink: str) -> QAudioDevice:
    """The private sink as Qt sees it."""

    def find() -> QAudioDevice | None:
        return next((d for d in QMediaDevices.audioOutputs() if d.id().data() == private_sink.encode()), None)

    qtbot.waitUntil(lambda: find() is not None, timeout=5000)
    device = find()
    assert device is not None
    return device


@pytest.fixture
def cache(tmp_path: Path) -> PhraseCache:
    return PhraseCache(tmp_path / "speech")


@pytest.fixture
def fake_synth(cache: PhraseCache) -> Iterator[FakeSynthesiser]:
    synth = FakeSynthesiser(cache, timeout_s=0.5)
    yield synth
    synth.close()


@pytest.fixture
def real_synth(cache: PhraseCache) -> Iterator[Synthesiser]:
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed (Debian: espeak-ng)")
    synth = Synthesiser(cache)
    yield synth
    synth.close()


@pytest.fixture
def player(qtbot: QtBot, output: QAudioDevice, fake_synth: FakeSynthesiser) -> Iterator[VoicePlayer]:
    """The voice player on the private sink, fed by the misbehaving-on-command fake engine."""
    voice = VoicePlayer(fake_synth, output=output)
    yield voice
    voice.close()
    voice.deleteLater()
