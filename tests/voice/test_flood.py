"""No Qt object of the voice is touched from another thread, and sounds ending all the time do not
make Qt flood stderr with socket-notifier warnings (seen as 1.3 GB of "QSocketNotifier: Socket
notifiers cannot be enabled or disabled from another thread", and as a hang)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QObject
from pytestqt.qtbot import QtBot

from neck_guide.paths import PROJECT_DIR
from neck_guide.voice.playback.player import MAX_EFFECTS, VoicePlayer

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


def test_every_qt_object_of_the_player_lives_on_the_gui_thread(qtbot: QtBot, player: VoicePlayer) -> None:
    texts = [f"phrase {n}" for n in range(MAX_EFFECTS + 4)]  # answered on the synthesiser's thread
    player.prepare(texts)
    qtbot.waitUntil(lambda: all(t in player._ready for t in texts), timeout=20_000)
    player.say("phrase 0")
    player.chime_at(0.0)
    gui = QCoreApplication.instance().thread()  # type: ignore[union-attr]
    objects = player.findChildren(QObject)
    effects = list(player._effects.values())
    assert len(effects) >= MAX_EFFECTS // 2  # the first half of what is prepared is preloaded
    assert all(any(e is o for o in objects) for e in effects), "an effect was made on another thread"
    elsewhere = [type(o).__name__ for o in objects if o.thread() != gui]
    assert elsewhere == []
