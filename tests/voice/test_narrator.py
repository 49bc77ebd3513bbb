"""What a session says, and when: a real SessionRunner on a FakeClock, told to a FakeSpeaker."""

from __future__ import annotations

import pytest
from narration import Session, plan_of

from neck_guide.settings import Settings
from neck_guide.voice.speaker import Request

PRESS = {"id": "press", "title": "Press", "technique": "Thumb press", "duration_s": 6}
HOLD = {
    "id": "hold",
    "title": "Hold",
    "technique": "Slow compression",
    "hold": {"min_s": 4, "max_s": 9},
    "rating": {"ask": ["pressure"], "ease_off_above": 7},
}


def test_a_fixed_press_then_a_hold_is_said_in_full_on_time() -> None:
    session = Session(plan_of(PRESS, HOLD))
    session.start()
    session.run_until(20)
    assert session.heard() == [
        (0.0, "Press. Thumb press."),
        (3.0, "Three"),
        (4.0, "Two"),
        (5.0, "One"),
        (6.0, "Release."),
        (6.0, "chime"),
        (6.58, "Hold. Slow compression."),
        (10.0, "Minimum reached."),  # the whole sentence would run into "Three"
        (12.0, "Three"),
        (13.0, "Two"),
        (14.0, "One"),
        (15.0, "Release now."),
        (15.0, "chime"),
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
    assert [text for _, text in session.heard()] == expected


def test_mute_silences_at_once_and_unmute_speaks_from_the_next_cue() -> None:
    session = Session(plan_of(PRESS))
    session.start()
    session.run_until(3.1)
    session.narrator.apply(Settings(voice_muted=True))
    assert session.speaker.requests[-1] == Request("cancel", session.now)
    session.run_until(4.5)
    session.narrator.apply(Settings(voice_muted=False))
    session.run_until(7)
    heard = session.heard()
    assert [text for _, text in heard] == ["Press. Thumb press.", "Three", "One", "Release.", "chime"]
    three = next(h for h in session.speaker.heard(session.now) if h.text == "Three")
    assert round(three.end - three.start, 3) == 0.1  # cut by the mute


@pytest.mark.parametrize("action", ["pause", "next", "back", "skip", "finish"])
def test_what_changes_the_schedule_silences_what_was_pending(action: str) -> None:
    session = Session(plan_of(PRESS, HOLD))
    session.start()
    session.run_until(1)
    before = len(session.speaker.requests)
    getattr(session.runner, action)(session.now)
    assert Request("cancel", session.now) in session.speaker.requests[before:]
    assert "Three" not in [text for _, text in session.heard() if _ <= 3.0]


def test_an_extension_moves_the_countdown() -> None:
    session = Session(plan_of(PRESS))
    session.start()
    session.run_until(1)
    session.runner.extend(session.now, 4)  # now ends at 10
    session.run_until(12)
    assert [(t, x) for t, x in session.heard() if x in ("Three", "Two", "One", "Release.")] == [
        (7.0, "Three"),
        (8.0, "Two"),
        (9.0, "One"),
        (10.0, "Release."),
    ]


def test_resuming_hands_over_what_is_left_and_cancels_nothing() -> None:
    session = Session(plan_of(PRESS))
    session.start()
    session.run_until(1)
    session.runner.pause(session.now)
    before = len(session.speaker.requests)
    session.clock.advance(5)
    session.runner.resume(session.now)
    (play,) = session.speaker.requests[before:]
    assert play.how == "play" and [x.text for x in play.lines][:3] == ["Three", "Two", "One"]


def test_too_much_pressure_is_answered_with_ease_off_at_once() -> None:
    session = Session(plan_of(HOLD), voice_verbosity="timing")
    session.start()
    session.run_until(2)
    session.runner.rate(session.now, "pressure", 9)
    session.runner.rate(session.now, "pressure", 5)
    assert [r for r in session.speaker.requests if r.how == "say_now"] == [
        Request("say_now", session.now, text="Ease off.")
    ]


def test_a_session_without_a_working_voice_is_recorded_as_such_once() -> None:
    session = Session(plan_of(PRESS), available=False)
    session.runner.begin(session.now)
    session.start()
    session.run_until(7)
    assert session.voice_reports == [False]


def test_voice_switched_off_counts_as_without_voice_and_says_nothing() -> None:
    session = Session(plan_of(PRESS), voice_enabled=False, chime=False)
    session.start()
    session.run_until(7)
    assert session.voice_reports == [False]
    assert session.heard() == []


def test_a_working_voice_is_not_reported() -> None:
    session = Session(plan_of(PRESS))
    session.start()
    session.run_until(7)
    assert session.voice_reports == []


def test_prepare_renders_the_timed_words_first_and_the_shortened_forms_too() -> None:
    session = Session(plan_of(PRESS, HOLD), voice_verbosity="everything")
    session.narrator.prepare(session.runner.plan)
    prepared = session.speaker.prepared
    assert prepared.index("Three") < prepared.index("Press. Thumb press.")
    assert {"Ease off.", "Release.", "Release now.", "Hold. Slow compression.", "Hold."} <= set(prepared)
    assert "Minimum reached." in prepared
    assert len(prepared) == len(set(prepared))
