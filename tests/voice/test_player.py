"""The Qt voice: lines on their instants, replacement, cancellation, dropping, failures, and a
window that never waits. Runs against a private PulseAudio null sink (a real audio output) with
the fake synthesiser, whose child renders tones and misbehaves on command.

Nothing here asserts on wall-clock time: each test waits for the events it expects (a line
spoken or dropped), and shows that something did not happen by waiting for a later event that
can only come after it would have.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtMultimedia import QAudioDevice
from pytestqt.qtbot import QtBot

from neck_guide.engine.clock import FakeClock
from neck_guide.engine.runner import SessionRunner
from neck_guide.paths import PROJECT_DIR
from neck_guide.protocol.model import Protocol
from neck_guide.protocol.plan import expand
from neck_guide.settings import Settings
from neck_guide.voice.cache import PhraseCache
from neck_guide.voice.fake_synth import FakeSynthesiser, tone_seconds
from neck_guide.voice.planner import Line, LineKind
from neck_guide.voice.playback.controller import VoiceController
from neck_guide.voice.playback.player import VoicePlayer

LONG = "a long phrase that lasts two full seconds here"  # tone_seconds: 2.0
PRESS = {"id": "press", "title": "Press", "technique": "Thumb press", "duration_s": 6}


class Heard:
    """What the player reports: lines started (with their instants) and lines dropped."""

    def __init__(self, player: VoicePlayer) -> None:
        self.spoken: list[tuple[str, float]] = []
        self.dropped: list[tuple[str, str]] = []
        player.spoken.connect(lambda text, at: self.spoken.append((text, at)))
        player.dropped.connect(lambda text, why: self.dropped.append((text, why)))

    @property
    def texts(self) -> list[str]:
        return [text for text, _ in self.spoken]


def ready(qtbot: QtBot, player: VoicePlayer, *texts: str) -> None:
    player.prepare(texts)
    qtbot.waitUntil(lambda: all(player.seconds(t) is not None for t in texts), timeout=10_000)


def line(text: str, start: float, kind: LineKind = "countdown") -> Line:
    return Line(start, tone_seconds(text), text, kind, start)


def test_lines_sound_on_their_instants_in_order(qtbot: QtBot, player: VoicePlayer) -> None:
    heard = Heard(player)
    ready(qtbot, player, "Three", "Two", "One")
    start = time.monotonic() + 0.5
    player.play([line("Three", start), line("Two", start + 0.5), line("One", start + 1.0)])
    qtbot.waitUntil(lambda: len(heard.spoken) == 3, timeout=5000)
    assert heard.texts == ["Three", "Two", "One"]
    assert [at for _, at in heard.spoken] == pytest.approx([start, start + 0.5, start + 1.0], abs=1e-4)


def test_a_line_handed_over_again_is_said_once(qtbot: QtBot, player: VoicePlayer) -> None:
    heard = Heard(player)
    ready(qtbot, player, "Two", "after")
    due = time.monotonic() + 0.4
    player.play([line("Two", due)])
    player.play([line("Two", due), line("after", due + 0.6)])
    qtbot.waitUntil(lambda: "after" in heard.texts, timeout=5000)
    assert heard.texts == ["Two", "after"]


def test_a_new_plan_replaces_what_was_not_said_yet(qtbot: QtBot, player: VoicePlayer) -> None:
    heard = Heard(player)
    ready(qtbot, player, "Three", "Two", "other")
    now = time.monotonic()
    player.play([line("Three", now + 0.5), line("Two", now + 0.9)])
    player.play([line("other", now + 1.2)])
    qtbot.waitUntil(lambda: heard.texts == ["other"], timeout=5000)


def test_cancel_forgets_everything_scheduled(qtbot: QtBot, player: VoicePlayer) -> None:
    heard = Heard(player)
    ready(qtbot, player, "Three", "Two", "later")
    now = time.monotonic()
    player.play([line("Three", now + 0.5), line("Two", now + 0.9)])
    player.cancel()
    player.play([line("later", now + 1.2)])
    qtbot.waitUntil(lambda: bool(heard.spoken), timeout=5000)
    assert heard.texts == ["later"]


def test_say_now_takes_over_at_once(qtbot: QtBot, player: VoicePlayer) -> None:
    heard = Heard(player)
    ready(qtbot, player, LONG, "Ease off.", "queued")
    now = time.monotonic()
    player.play([line(LONG, now + 0.3, "announce"), line("queued", now + 1.0, "announce")])
    qtbot.waitUntil(lambda: heard.texts == [LONG], timeout=5000)
    player.say_now("Ease off.")
    qtbot.waitUntil(lambda: len(heard.spoken) == 2, timeout=5000)
    (_, long_at), (text, ease_at) = heard.spoken
    assert text == "Ease off." and ease_at < long_at + tone_seconds(LONG)  # it did not wait


def test_a_timed_word_that_cannot_begin_on_time_is_dropped(qtbot: QtBot, player: VoicePlayer) -> None:
    heard = Heard(player)
    ready(qtbot, player, "Three")
    player.play([line("Three", time.monotonic() - 1.0)])
    qtbot.waitUntil(lambda: bool(heard.dropped), timeout=5000)
    assert heard.dropped == [("Three", "late")] and heard.spoken == []


def test_a_phrase_the_engine_fails_on_is_skipped_and_speech_goes_on(
    qtbot: QtBot, player: VoicePlayer
) -> None:
    heard = Heard(player)
    now = time.monotonic()
    texts = ["[reject] refused", "[die] crashed", "after"]
    player.play([line(t, now + 1.0 + n, "announce") for n, t in enumerate(texts)])
    qtbot.waitUntil(lambda: "after" in heard.texts and len(heard.dropped) == 2, timeout=15_000)
    assert heard.texts == ["after"]
    assert sorted(heard.dropped) == [("[die] crashed", "failed"), ("[reject] refused", "failed")]
    assert player.available


def test_an_engine_that_cannot_start_turns_the_voice_into_a_notice(
    qtbot: QtBot, output: QAudioDevice, cache: PhraseCache
) -> None:
    synth = FakeSynthesiser(cache, fail_start="espeak-ng not found (install the espeak-ng package)")
    player = VoicePlayer(synth, output=output)
    try:
        with qtbot.waitSignal(player.notice_changed, timeout=5000) as notice:
            player.prepare(["Three"])
        assert notice.args == [
            "Voice unavailable: espeak-ng not found (install the espeak-ng package) — "
            "cues are shown on screen only"
        ]
        assert not player.available
        player.play([line("Two", time.monotonic())])
        player.say_now("Ease off.")
        player.cancel()
    finally:
        player.close()


@pytest.mark.parametrize("hang_start", [False, True])
def test_the_window_never_waits_for_a_hung_engine(
    qtbot: QtBot, output: QAudioDevice, cache: PhraseCache, hang_start: bool
) -> None:
    synth = FakeSynthesiser(cache, hang_start=hang_start, timeout_s=60, start_timeout_s=60)
    player = VoicePlayer(synth, output=output)
    turns: list[int] = []
    timer = QTimer()
    timer.timeout.connect(lambda: turns.append(1))
    timer.start(0)
    try:
        for n in range(5):
            before = len(turns)
            player.prepare([f"[hang] ahead {n}"])
            player.play([line(f"[hang] cue {n}", time.monotonic() + 0.05)])
            qtbot.waitUntil(lambda: len(turns) > before + 10, timeout=10_000)  # noqa: B023
        assert synth.starts == 1  # the engine is still hung on the first phrase: nothing timed out
    finally:
        timer.stop()
        player.close()


NO_AUDIO_SCRIPT = textwrap.dedent(
    """
    import sys, tempfile, time
    from pathlib import Path
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QGuiApplication
    from neck_guide.voice.planner import Line
    from neck_guide.voice.playback.player import VoicePlayer
    from neck_guide.voice.cache import PhraseCache
    from neck_guide.voice.fake_synth import FakeSynthesiser

    app = QGuiApplication(sys.argv)
    player = VoicePlayer(FakeSynthesiser(PhraseCache(Path(tempfile.mkdtemp()))))
    player.notice_changed.connect(lambda text: print("notice:", text, flush=True))
    player.prepare(["Three"])
    now = time.monotonic()
    three = Line(now + 0.1, 0.3, "Three", "countdown", now + 0.1)
    player.play([three, Line(now, 0.6, "chime", "chime", now)])
    QTimer.singleShot(500, app.quit)
    app.exec()
    print("available:", player.available, flush=True)
    player.close()
    """
)


def test_with_no_audio_output_cues_are_shown_only_and_nothing_breaks(tmp_path: object) -> None:
    env = {**os.environ, "PULSE_SERVER": "unix:/nonexistent/pulse", "QT_QPA_PLATFORM": "offscreen"}
    env["PYTHONPATH"] = str(PROJECT_DIR)
    result = subprocess.run(
        [sys.executable, "-c", NO_AUDIO_SCRIPT],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=PROJECT_DIR,
    )
    assert result.returncode == 0, result.stderr
    assert "notice: Voice unavailable: no audio output found — cues are shown on screen only" in result.stdout
    assert "available: False" in result.stdout


def test_a_session_whose_voice_failed_is_recorded_without_voice(
    qtbot: QtBot, output: QAudioDevice, cache: PhraseCache
) -> None:
    plan = expand(
        Protocol.model_validate(
            {
                "schema_version": 1,
                "id": "voice-record",
                "title": "Voice record",
                "version": "1.0",
                "summary": "One press.",
                "phases": [{"id": "p", "title": "P", "steps": [PRESS]}],
            }
        )
    )
    synth = FakeSynthesiser(cache, fail_start="espeak-ng not found (install the espeak-ng package)")
    clock = FakeClock()
    voice = VoiceController(VoicePlayer(synth, output=output), Settings(), clock)
    runner = SessionRunner(plan, clock)

    def set_voice(available: bool) -> None:
        runner.set_voice(clock.monotonic(), available)

    voice.report_to(set_voice)
    runner.subscribe(voice.on_event)
    try:
        runner.begin(clock.monotonic())
        assert runner.record.voice
        with qtbot.waitSignal(voice.notice_changed, timeout=5000):
            voice.prepare(plan)
        runner.start(clock.monotonic())
        assert not runner.record.voice
    finally:
        voice.close()
