"""The Qt voice: order, pre-emption, cancellation, dropping, failures, and a window that never waits.

Runs against the PulseAudio null sink (a real audio output) with the fake synthesiser, whose
child renders tones and misbehaves on command.
"""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import textwrap
import time

import pytest
from PySide6.QtCore import Qt, QTimer
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
from neck_guide.voice.playback.controller import VoiceController
from neck_guide.voice.playback.player import LATE_S, VoicePlayer

LONG = "a long phrase that lasts two full seconds here"  # tone_seconds: 2.0
PRESS = {"id": "press", "title": "Press", "technique": "Thumb press", "duration_s": 6}


class Heard:
    """What the player reports: phrases started (with their instants) and cues dropped."""

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
    qtbot.waitUntil(lambda: all(t in player._ready for t in texts), timeout=5000)


def test_queued_phrases_are_said_in_order_one_after_another(qtbot: QtBot, player: VoicePlayer) -> None:
    heard = Heard(player)
    for text in ("Upper trapezius, left.", "Slow compression.", "Next."):
        player.say(text)
    qtbot.waitUntil(lambda: len(heard.spoken) == 3, timeout=8000)
    assert heard.texts == ["Upper trapezius, left.", "Slow compression.", "Next."]
    (_, first), (_, second), (_, third) = heard.spoken
    assert second - first >= tone_seconds("Upper trapezius, left.") - 0.01
    assert third - second >= tone_seconds("Slow compression.") - 0.01


def test_say_now_stops_the_current_phrase_and_clears_the_queue(qtbot: QtBot, player: VoicePlayer) -> None:
    heard = Heard(player)
    ready(qtbot, player, LONG, "queued", "Ease off.")
    player.say(LONG)
    player.say("queued")
    qtbot.waitUntil(lambda: heard.texts == [LONG], timeout=3000)
    player.say_now("Ease off.")
    qtbot.waitUntil(lambda: len(heard.spoken) == 2, timeout=3000)
    qtbot.wait(2500)
    assert heard.texts == [LONG, "Ease off."]
    assert heard.spoken[1][1] - heard.spoken[0][1] < 1.0, "Ease off. waited for the long phrase"


def test_cancel_silences_and_forgets_queued_and_scheduled_cues(qtbot: QtBot, player: VoicePlayer) -> None:
    heard = Heard(player)
    ready(qtbot, player, LONG, "queued", "Three")
    player.say(LONG)
    player.say("queued")
    player.say_at("Three", time.monotonic() + 0.6)
    qtbot.waitUntil(lambda: heard.texts == [LONG], timeout=3000)
    player.cancel()
    qtbot.wait(2500)
    assert heard.texts == [LONG]
    assert not player._playing


def test_timed_cues_begin_at_their_moment_and_never_early(qtbot: QtBot, player: VoicePlayer) -> None:
    heard = Heard(player)
    ready(qtbot, player, "Three", "Two", "One")
    start = time.monotonic() + 0.3
    dues = {"Three": start, "Two": start + 0.5, "One": start + 1.0}
    for text, due in dues.items():
        player.say_at(text, due)
    qtbot.waitUntil(lambda: len(heard.spoken) == 3, timeout=5000)
    assert heard.texts == ["Three", "Two", "One"]
    for text, at in heard.spoken:
        assert dues[text] - 0.002 <= at < dues[text] + LATE_S, text


def test_a_timed_cue_pre_empts_queued_speech(qtbot: QtBot, player: VoicePlayer) -> None:
    heard = Heard(player)
    ready(qtbot, player, LONG, "Three", "after")
    player.say(LONG)
    player.say("after")
    qtbot.waitUntil(lambda: heard.texts == [LONG], timeout=3000)
    player.say_at("Three", time.monotonic() + 0.3)
    qtbot.waitUntil(lambda: len(heard.spoken) == 3, timeout=3000)
    assert heard.texts == [LONG, "Three", "after"]


def test_a_word_longer_than_its_second_is_dropped_not_let_push_the_next_late(
    qtbot: QtBot, player: VoicePlayer
) -> None:
    heard = Heard(player)
    ready(qtbot, player, LONG, "Two")
    now = time.monotonic()
    player.say_at("Two", now + 1.0)  # the next cue is known (handed over ahead)
    player.say_at(LONG, now + 0.3)  # 2 s long: it would still sound at "Two"
    qtbot.waitUntil(lambda: len(heard.spoken) == 1, timeout=3000)
    assert heard.texts == ["Two"]
    assert heard.dropped == [(LONG, "overlap")]


def test_a_cue_that_cannot_begin_on_time_is_dropped(qtbot: QtBot, player: VoicePlayer) -> None:
    heard = Heard(player)
    ready(qtbot, player, "Three")
    player.say_at("Three", time.monotonic() - 1.0)
    player.say_at("[slow=0.45] Two", time.monotonic() + 0.05)  # not rendered in time
    qtbot.waitUntil(lambda: len(heard.dropped) == 2, timeout=5000)
    assert heard.dropped == [("Three", "late"), ("[slow=0.45] Two", "late")]
    assert heard.spoken == []


def test_the_same_cue_handed_over_twice_is_said_once(qtbot: QtBot, player: VoicePlayer) -> None:
    heard = Heard(player)
    ready(qtbot, player, "Two")
    due = time.monotonic() + 0.3
    player.say_at("Two", due)
    player.say_at("Two", due + 0.01)
    qtbot.waitUntil(lambda: len(heard.spoken) == 1, timeout=3000)
    player.say_at("Two", due)  # it comes due after being handed over ahead
    qtbot.wait(300)
    assert heard.texts == ["Two"]


def test_a_phrase_the_engine_fails_on_is_skipped_and_speech_goes_on(
    qtbot: QtBot, player: VoicePlayer
) -> None:
    heard = Heard(player)
    player.say("[reject] refused")
    player.say("[die] crashed")
    player.say("after")
    player.say_at("[hang] Three", time.monotonic() + 0.2)
    qtbot.waitUntil(lambda: "after" in heard.texts and bool(heard.dropped), timeout=8000)
    assert heard.texts == ["after"]
    assert heard.dropped[0][0] == "[hang] Three"
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
        player.say("Three")
        player.say_at("Two", time.monotonic())
        player.say_now("Ease off.")
        player.cancel()
    finally:
        player.close()


@pytest.mark.parametrize("hang_start", [False, True])
def test_the_window_never_waits_for_a_hung_engine(
    qtbot: QtBot, output: QAudioDevice, cache: PhraseCache, hang_start: bool
) -> None:
    synth = FakeSynthesiser(cache, hang_start=hang_start, timeout_s=30, start_timeout_s=30)
    player = VoicePlayer(synth, output=output)
    ticks: list[float] = []
    timer = QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start(10)
    longest_call = 0.0
    try:
        for n in range(20):
            started = time.monotonic()
            player.say(f"[hang] phrase {n}")
            player.prepare([f"[hang] ahead {n}"])
            player.say_at(f"[hang] cue {n}", time.monotonic() + 0.05)
            longest_call = max(longest_call, time.monotonic() - started)
            qtbot.wait(50)
        qtbot.wait(300)
    finally:
        timer.stop()
        player.close()
    gaps = [b - a for a, b in itertools.pairwise(ticks)]
    assert len(ticks) > 50
    assert max(gaps) < 0.2, f"the event loop stalled for {max(gaps) * 1000:.0f} ms"
    assert longest_call < 0.05


NO_AUDIO_SCRIPT = textwrap.dedent(
    """
    import sys, tempfile, time
    from pathlib import Path
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QGuiApplication
    from neck_guide.voice.playback.player import VoicePlayer
    from neck_guide.voice.cache import PhraseCache
    from neck_guide.voice.fake_synth import FakeSynthesiser

    app = QGuiApplication(sys.argv)
    player = VoicePlayer(FakeSynthesiser(PhraseCache(Path(tempfile.mkdtemp()))))
    player.notice_changed.connect(lambda text: print("notice:", text, flush=True))
    player.prepare(["Three"])
    player.say("Upper trapezius, left.")
    player.say_at("Three", time.monotonic() + 0.1)
    player.chime_at(time.monotonic() + 0.1)
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
    voice = VoiceController(VoicePlayer(synth, output=output), Settings())
    clock = FakeClock()
    runner = SessionRunner(plan, clock)

    def set_voice(available: bool) -> None:
        runner.set_voice(clock.monotonic(), available)

    voice.follow(lambda: runner, set_voice)
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
