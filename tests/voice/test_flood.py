"""No Qt object of the voice is touched from another thread, and sounds ending all the time do not
make Qt flood stderr with socket-notifier warnings (seen as 1.3 GB of "QSocketNotifier: Socket
notifiers cannot be enabled or disabled from another thread", and as a hang)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtMultimedia import QAudioDevice, QSoundEffect
from pytestqt.qtbot import QtBot

from neck_guide.paths import PROJECT_DIR
from neck_guide.voice.fake_synth import FakeSynthesiser
from neck_guide.voice.planner import Line
from neck_guide.voice.playback.loudspeaker import MAX_EFFECTS
from neck_guide.voice.playback.player import PRELOADED, VoicePlayer

BUSY_SCRIPT = Path(__file__).with_name("busy_player.py")


def test_a_busy_voice_leaves_qt_quiet_and_the_event_loop_free(pulse: str, tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(PROJECT_DIR)}
    command = [sys.executable, str(BUSY_SCRIPT), str(tmp_path / "speech"), "8"]
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=30, check=False)
    except subprocess.TimeoutExpired as hung:
        stderr = hung.stderr.decode(errors="replace") if isinstance(hung.stderr, bytes) else hung.stderr or ""
        notifier = [line for line in stderr.splitlines() if "QSocketNotifier" in line]
        pytest.fail(f"the event loop hung; {len(notifier)} lines like {notifier[:2]}")
    notifier = [line for line in result.stderr.splitlines() if "QSocketNotifier" in line]
    assert notifier == [], f"{len(notifier)} lines like {notifier[:2]}"
    assert result.returncode == 0 and "done" in result.stdout, result.stderr[-2000:]


def test_every_qt_object_of_the_qt_output_lives_on_the_gui_thread(
    qtbot: QtBot, output: QAudioDevice, fake_synth: FakeSynthesiser
) -> None:
    player = VoicePlayer(fake_synth, output=output, backend="qt")
    texts = [f"phrase {n}" for n in range(MAX_EFFECTS + 4)]  # answered on the synthesiser's thread
    try:
        player.prepare(texts)
        qtbot.waitUntil(lambda: all(player.seconds(t) is not None for t in texts), timeout=20_000)
        now = time.monotonic()
        player.play([Line(now, 0.3, "phrase 0", "announce", now), Line(now, 0.6, "chime", "chime", now)])
        gui = QCoreApplication.instance().thread()  # type: ignore[union-attr]
        objects = player.findChildren(QObject)
        effects = [o for o in objects if isinstance(o, QSoundEffect)]
        assert len(effects) >= PRELOADED  # what is prepared first is loaded ahead
        elsewhere = [type(o).__name__ for o in objects if o.thread() != gui]
        assert elsewhere == []
    finally:
        player.close()
