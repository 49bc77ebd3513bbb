"""What a session says, and when: a real SessionRunner on a FakeClock, told to a FakeSpeaker."""

from __future__ import annotations

from typing import Any

import pytest

from neck_guide.engine.clock import FakeClock
from neck_guide.engine.runner import SessionRunner
from neck_guide.protocol.model import Protocol
from neck_guide.protocol.plan import Plan, expand
from neck_guide.settings import Settings
from neck_guide.voice.narrator import Narrator
from neck_guide.voice.speaker import FakeSpeaker, Said

T0 = 1000.0


def plan_of(*steps: dict[str, Any]) -> Plan:
    return expand(
        Protocol.model_validate(
            {
                "schema_version": 1,
                "id": "voice-drill",
                "title": "Voice drill",
                "version": "1.0",
                "summary": "A protocol built by a voice test.",
                "phases": [{"id": "main", "title": "Main", "steps": list(steps)}],
            }
        )
    )


PRESS = {"id": "press", "title": "Press", "technique": "Thumb press", "duration_s": 6}
HOLD = {
    "id": "hold",
    "title": "Hold",
    "technique": "Slow compression",
    "hold": {"min_s": 4, "max_s": 8},
    "rating": {"ask": ["pressure"], "ease_off_above": 7},
}


class Session:
    """A runner, its clock and a narrator speaking into a FakeSpeaker."""

    def __init__(self, plan: Plan, *, look_ahead: bool = False, available: bool = True, **values: Any):
        self.clock = FakeClock(T0)
        self.runner = SessionRunner(plan, self.clock)
        self.speaker = FakeSpeaker(self.clock, available=available)
        self.settings = Settings(**values)
        self.voice_reports: list[bool] = []
        self.narrator = Narrator(
            self.speaker,
            self.settings,
            cues=(lambda: self.runner) if look_ahead else None,
            set_voice=self.voice_reports.append,
        )
        self.runner.subscribe(self.narrator.on_event)

    def start(self) -> None:
        self.runner.start(self.clock.monotonic())

    def run_until(self, at: float) -> None:
        """Poll at every deadline up to ``T0 + at``, as the Qt timer would."""
        while (deadline := self.runner.next_deadline()) is not None and deadline <= T0 + at:
            self.clock.set(deadline)
            self.runner.poll(deadline)
        self.clock.set(T0 + at)
        self.runner.poll(T0 + at)


def said(how: str, text: str, at: float) -> Said:
    return Said(how, text, T0 + at)  # type: ignore[arg-type]


def test_a_fixed_press_then_a_hold_is_said_in_full_on_time() -> None:
    session = Session(plan_of(PRESS, HOLD))
    session.start()
    session.run_until(20)
    assert session.speaker.said == [
        said("say", "Press. Thumb press.", 0),
        said("say_at", "Three", 3),
        said("say_at", "Two", 4),
        said("say_at", "One", 5),
        said("say_at", "Release.", 6),
        said("chime_at", "", 6),
        said("say", "Hold. Slow compression.", 6),
        said("say_at", "Minimum reached. Release when it softens.", 10),
        said("say_at", "Three", 11),
        said("say_at", "Two", 12),
        said("say_at", "One", 13),
        said("say_at", "Release now.", 14),
        said("chime_at", "", 14),
        said("cancel", "", 14),  # the session ended
    ]


def test_looking_ahead_hands_over_each_timed_cue_one_cue_early_and_only_once() -> None:
    session = Session(plan_of(PRESS), look_ahead=True)
    session.start()
    assert session.speaker.said == [said("say_at", "Three", 3), said("say", "Press. Thumb press.", 0)]
    session.run_until(3)
    assert session.speaker.said[-1] == said("say_at", "Two", 4)
    session.run_until(10)
    timed = [(s.how, s.text, s.at - T0) for s in session.speaker.said if s.how in ("say_at", "chime_at")]
    assert timed == [
        ("say_at", "Three", 3),
        ("say_at", "Two", 4),
        ("say_at", "One", 5),
        ("say_at", "Release.", 6),
        ("chime_at", "", 6),
    ]


@pytest.mark.parametrize(
    ("verbosity", "chime", "expected"),
    [
        ("timing", True, ["Three", "Two", "One", "Release.", "chime"]),
        ("timing", False, ["Three", "Two", "One", "Release."]),
        ("none", True, ["chime"]),
        ("none", False, []),
    ],
)
def test_verbosity_and_the_chime_setting_choose_what_is_heard(
    verbosity: str, chime: bool, expected: list[str]
) -> None:
    session = Session(plan_of(PRESS), voice_verbosity=verbosity, chime=chime)
    session.start()
    session.run_until(7)
    heard = [s.text or "chime" for s in session.speaker.said if s.how != "cancel"]
    assert heard == expected


def test_mute_silences_at_once_and_unmute_speaks_from_the_next_cue() -> None:
    session = Session(plan_of(PRESS))
    session.start()
    session.run_until(3.5)
    session.narrator.apply(Settings(voice_muted=True))
    assert session.speaker.said[-1].how == "cancel"
    session.run_until(4.5)
    session.narrator.apply(Settings(voice_muted=False))
    session.run_until(7)
    assert session.speaker.texts() == ["Press. Thumb press.", "Three", "One", "Release."]


@pytest.mark.parametrize("action", ["pause", "extend", "next", "back", "skip", "release", "finish"])
def test_what_changes_the_schedule_silences_what_was_pending(action: str) -> None:
    # only a range hold has a release
    session = Session(plan_of(HOLD, PRESS) if action == "release" else plan_of(PRESS, HOLD), look_ahead=True)
    session.start()
    session.run_until(1)
    before = len(session.speaker.said)
    now = session.clock.monotonic()
    if action == "extend":
        session.runner.extend(now, 10)
    else:
        getattr(session.runner, action)(now)
    assert Said("cancel", "", now) in session.speaker.said[before:]


def test_resuming_cancels_nothing() -> None:
    session = Session(plan_of(PRESS), look_ahead=True)
    session.start()
    session.run_until(1)
    session.runner.pause(session.clock.monotonic())
    before = len(session.speaker.said)
    session.clock.advance(5)
    session.runner.resume(session.clock.monotonic())
    assert session.speaker.said[before:] == []


def test_after_an_extension_timed_cues_come_when_due_not_ahead() -> None:
    session = Session(plan_of(PRESS), look_ahead=True)
    session.start()
    session.run_until(1)
    session.runner.extend(session.clock.monotonic(), 4)  # now ends at 10
    session.run_until(12)
    timed = [(s.text, s.at - T0) for s in session.speaker.said if s.how == "say_at"]
    assert timed[-4:] == [("Three", 7), ("Two", 8), ("One", 9), ("Release.", 10)]
    assert ("Three", 3) in timed  # handed over ahead before the extension, then cancelled
    cancel_at = next(s.at for s in session.speaker.said if s.how == "cancel")
    assert cancel_at == T0 + 1


def test_too_much_pressure_is_answered_with_ease_off_at_once() -> None:
    session = Session(plan_of(HOLD), voice_verbosity="timing")
    session.start()
    session.run_until(2)
    session.runner.rate(session.clock.monotonic(), "pressure", 9)
    session.runner.rate(session.clock.monotonic(), "pressure", 5)
    assert [s for s in session.speaker.said if s.how == "say_now"] == [said("say_now", "Ease off.", 2)]


def test_a_session_without_a_working_voice_is_recorded_as_such_once() -> None:
    session = Session(plan_of(PRESS), available=False)
    session.runner.begin(T0)
    session.start()
    session.run_until(7)
    assert session.voice_reports == [False]


def test_voice_switched_off_counts_as_without_voice_and_says_nothing() -> None:
    session = Session(plan_of(PRESS), voice_enabled=False)
    session.start()
    session.run_until(7)
    assert session.voice_reports == [False]
    assert session.speaker.texts() == []


def test_a_working_voice_is_not_reported() -> None:
    session = Session(plan_of(PRESS))
    session.start()
    session.run_until(7)
    assert session.voice_reports == []


def test_prepare_renders_the_timed_words_first() -> None:
    session = Session(plan_of(PRESS, HOLD), voice_verbosity="everything")
    session.narrator.prepare(session.runner.plan)
    prepared = session.speaker.prepared
    assert prepared.index("Three") < prepared.index("Press. Thumb press.")
    assert {"Ease off.", "Release.", "Release now.", "Hold. Slow compression."} <= set(prepared)
    assert len(prepared) == len(set(prepared))
