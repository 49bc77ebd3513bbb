"""The cue planner: previews that fit, announcements never lost, collisions settled by rank, every
line handed over ahead. A real runner on a FakeClock narrates into a FakeSpeaker (narration.py);
the defects named in issue 15 are items 1, 2, 3 and 5."""

from __future__ import annotations

from narration import T0, Session, overlaps, plan_of

from neck_guide.engine.events import Cue as EngineCue
from neck_guide.engine.events import CueKind, TimedCue
from neck_guide.voice.planner import GAP_S, Line, plan_cues, shortened

TRAPEZIUS = {
    "id": "trapezius",
    "title": "Upper trapezius",
    "technique": "Slow compression",
    "duration_s": 20,
    "sides": ["left", "right"],
}
LEVATOR = {"id": "levator", "title": "Levator scapulae", "technique": "Pin and stretch", "duration_s": 20}
BREATHING = {
    "id": "breathing",
    "title": "Slow breathing",
    "technique": "Belly breaths",
    "breathing": {"inhale_s": 4, "exhale_s": 5, "cycles": 2},
}
PRESS = {"id": "press", "title": "Press", "technique": "Thumb press", "duration_s": 6}


def at(heard: list[tuple[float, str]], text: str) -> list[float]:
    return [t for t, x in heard if x == text]


def test_a_long_preview_ends_before_the_countdown_and_never_delays_the_next_step() -> None:
    """Item 1: "Next: ..." was due 2 s before "Three", so it ran into the next step and pushed
    its announcement 4.4-4.8 s late."""
    session = Session(plan_of(LEVATOR, TRAPEZIUS), chime=False)
    session.start()
    session.run_until(25)
    preview = next(h for h in session.speech() if h.text.startswith("Next:"))
    three = next(h for h in session.speech() if h.text == "Three")
    assert preview.text == "Next: Upper trapezius, left. Slow compression."
    assert preview.end + GAP_S <= three.start + 1e-9 and three.start == T0 + 17
    heard = session.heard()
    assert at(heard, "Upper trapezius, left. Slow compression.") == [20.58]  # after "Release." (0.43 s)
    assert overlaps(session.speech()) == []


def test_a_preview_with_no_room_for_all_of_it_is_shortened() -> None:
    talk = "Keep the pressure steady and let the muscle soften under you."
    crowded = {**LEVATOR, "cues": [{"at_s": 4, "text": talk}, {"at_s": 12.5, "text": "Slow down now."}]}
    session = Session(plan_of(crowded, TRAPEZIUS), chime=False)
    session.start()
    session.run_until(21)
    texts = [h.text for h in session.speech()]
    assert "Next: Upper trapezius, left." in texts
    assert overlaps(session.speech()) == []


def test_a_breathing_step_that_starts_in_silence_is_announced() -> None:
    """Item 2: "Breathe in" at the same instant silenced the announcement for good."""
    session = Session(plan_of(BREATHING))
    session.start()
    session.run_until(19)
    heard = session.heard()
    assert heard[0] == (0.0, "Slow breathing. Belly breaths.")
    assert at(heard, "Breathe out") == [4.0, 13.0]
    assert at(heard, "Breathe in") == [9.0]  # the one at 0 gave way to the announcement
    assert overlaps(session.speech()) == []


def test_release_is_said_when_a_breathing_step_follows() -> None:
    """Item 3: "Breathe in", due at the same moment, cut "Release." and only the chime was heard."""
    session = Session(plan_of(PRESS, BREATHING))
    session.start()
    session.run_until(12)
    heard = session.heard()
    assert (6.0, "Release.") in heard and (6.0, "chime") in heard
    assert (6.58, "Slow breathing. Belly breaths.") in heard
    assert at(heard, "Breathe in") == []  # due at 6: no room beside the release and the announcement
    assert at(heard, "Breathe out") == [10.0]
    assert overlaps(session.speech()) == []


def test_the_next_steps_lines_are_handed_over_before_it_starts() -> None:
    """Item 5: cues at a step's start were only handed over when due, and sounded 27-57 ms late."""
    session = Session(plan_of(PRESS, {**PRESS, "id": "press-again"}))
    session.start()
    session.run_until(13)
    handed: dict[tuple[str, float], float] = {}
    for request in session.speaker.requests:
        for line in request.lines:
            handed.setdefault((line.text, round(line.start - T0, 3)), request.at - T0)
    second_step = {k: v for k, v in handed.items() if k[1] >= 6}
    assert ("Press. Thumb press.", 6.58) in second_step
    assert all(given < start for (_, start), given in second_step.items())


def test_after_a_resume_every_line_is_handed_over_before_its_instant() -> None:
    session = Session(plan_of(PRESS))
    session.start()
    session.run_until(2.5)
    session.runner.pause(session.now)
    session.clock.advance(10)
    session.runner.resume(session.now)
    resumed_at = session.now
    play = session.speaker.requests[-1]
    assert play.how == "play" and play.at == resumed_at
    assert [(round(x.start - resumed_at, 3), x.text) for x in play.lines if not x.sound] == [
        (0.5, "Three"),
        (1.5, "Two"),
        (2.5, "One"),
        (3.5, "Release."),
    ]


def test_a_pause_or_skip_loses_no_announcement() -> None:
    session = Session(plan_of(LEVATOR, PRESS), chime=False)
    session.start()
    session.run_until(16)  # the preview of the next step has been said
    session.runner.skip(session.now)
    session.run_until(22)
    assert at(session.heard(), "Press. Thumb press.") == [16.0]


def test_an_early_release_sounds_a_tick_and_the_next_step_follows_it() -> None:
    hold = {"id": "hold", "title": "Hold", "technique": "Slow compression", "hold": {"min_s": 4, "max_s": 30}}
    session = Session(plan_of(hold, PRESS))
    session.start()
    session.run_until(6)
    session.runner.release(session.now)
    session.run_until(8)
    heard = session.heard()
    assert (6.0, "released") in heard
    assert (6.27, "Press. Thumb press.") in heard  # after the 0.12 s tick and the gap


def timed(kind: CueKind, text: str, due: float, index: int = 0) -> TimedCue:
    return TimedCue(EngineCue(0.0, text, kind), due, index)


def seconds(text: str) -> float:
    return {"Three": 0.3, "Two": 0.3}.get(text, 0.1 * len(text))


def test_a_safety_note_takes_the_countdowns_room_in_a_short_step() -> None:
    cues = [
        timed("announce", "Short. Press.", 0),
        timed("safety", "Stay off the pulse.", 0),
        timed("countdown", "Three", 2),
        timed("countdown", "Two", 3),
        timed("countdown", "One", 4),
    ]
    plan = plan_cues(cues, now=0, ends=5, seconds=seconds)
    assert [(round(x.start, 2), x.text) for x in plan.lines] == [
        (0, "Short. Press."),
        (1.45, "Stay off the pulse."),
        (4, "One"),
    ]
    assert [(d.cue.cue.text, d.why) for d in plan.dropped] == [("Three", "no room"), ("Two", "no room")]


def test_the_countdown_outranks_the_announcement_which_is_said_in_the_room_left() -> None:
    cues = [
        timed("announce", "A very long announcement. Second sentence.", 0),
        timed("countdown", "Three", 1),
    ]
    plan = plan_cues(cues, now=0, ends=10, seconds=seconds)
    assert [(round(x.start, 2), x.text) for x in plan.lines] == [
        (1, "Three"),
        (1.45, "A very long announcement. Second sentence."),
    ]


def test_a_timed_word_whose_moment_passed_is_not_said_late() -> None:
    plan = plan_cues([timed("countdown", "Three", 0)], now=0.5, ends=3, seconds=seconds)
    assert plan.lines == [] and plan.dropped[0].why == "late"


def test_a_line_already_sounding_keeps_its_place() -> None:
    sounding = Line(0.0, 1.0, "Release.", "release", 0.0)
    plan = plan_cues(
        [timed("announce", "Next step. Press.", 0.2)], now=0.2, ends=None, seconds=seconds, kept=[sounding]
    )
    assert [(x.start, x.text) for x in plan.lines] == [(1.0 + GAP_S, "Next step. Press.")]


def test_shortened_keeps_the_first_sentence() -> None:
    assert shortened("Upper trapezius, left. Slow compression.") == "Upper trapezius, left."
    assert shortened("Next: Levator scapulae. Pin and stretch.") == "Next: Levator scapulae."
    assert shortened("Release.") is None
