"""SessionRunner against a FakeClock: what a therapist would see and hear, to the millisecond."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from engine_builders import (
    breathing,
    cue_texts,
    ended,
    fixed,
    hold,
    names,
    offset_s,
    plan_of,
    runner_for,
    started,
    untimed,
    without_beats,
)

from neck_guide.engine.clock import FakeClock
from neck_guide.engine.events import (
    CueDue,
    Extended,
    Heartbeat,
    RatingRecorded,
    Resumed,
    SessionEnded,
    SessionStarted,
    StepEnded,
)
from neck_guide.engine.record import ScreeningAnswer, SessionRecord
from neck_guide.engine.runner import HEARTBEAT_S, SessionRunner

PRESSURE = {"ask": ["pressure"], "target": [6, 7], "ease_off_above": 7}


def test_constructor_emits_nothing_and_begin_starts_the_session() -> None:
    runner, clock = runner_for(plan_of(hold("a", 30, 60)), client_code="C-17")
    assert (runner.state, runner.index, runner.visit) == ("ready", 0, None)
    assert runner.record.status == "running" and runner.record.client_code == "C-17"
    assert runner.record.steps == [] and runner.record.last_event_at is None  # nothing happened yet
    clock.advance(5)
    events = runner.begin(clock.monotonic())
    assert names(events) == ["SessionStarted"]
    assert offset_s(runner.record.started_at) == 5.0
    assert runner.begin(clock.monotonic()) == []


def test_start_announces_the_step_and_shows_its_full_time() -> None:
    runner, clock = runner_for(plan_of(hold("a", 30, 60, muscle="scm", safety="Stay off the pulse.")))
    events = runner.start(clock.monotonic())
    assert names(events) == ["SessionStarted", "StepStarted", "CueDue", "CueDue"]
    assert cue_texts(events) == ["Sternocleidomastoid. Slow compression.", "Stay off the pulse."]
    assert runner.state == "running"
    assert runner.remaining(clock.monotonic()) == 60
    assert runner.to_minimum(clock.monotonic()) == 30
    assert runner.next_mark() == 1000 + 30  # the minimum comes first


def test_a_range_hold_reaches_its_minimum_then_ends_on_its_maximum() -> None:
    runner, clock = runner_for(plan_of(hold("a", 30, 60), fixed("b", 10)))
    runner.start(clock.monotonic())
    events = runner.poll(clock.advance(29.999))
    assert names(events) == []
    events = runner.poll(clock.advance(0.001))
    assert names(events) == ["CueDue", "MinimumReached"]
    assert runner.to_minimum(clock.monotonic()) == 0
    assert runner.visit is not None and runner.visit.min_reached
    clock.set(1060.0)
    events = runner.poll(clock.monotonic())
    assert names(events)[-5:] == ["CueDue", "MaximumReached", "StepEnded", "StepStarted", "CueDue"]
    (end,) = ended(events)
    assert (end.visit.end_reason, end.visit.actual_s, end.visit.max_reached) == ("completed", 60.0, True)
    assert (runner.index, runner.remaining(clock.monotonic())) == (1, 10)


def test_a_late_poll_starts_the_next_step_at_the_deadline_so_lateness_never_adds_up() -> None:
    runner, clock = runner_for(plan_of(fixed("a", 10), fixed("b", 10), fixed("c", 10)))
    runner.start(clock.monotonic())
    events = runner.poll(clock.advance(17.25))  # 7.25 s late
    (step_b,) = started(events)
    assert offset_s(step_b.visit.started_at) == 10.0
    assert runner.remaining(clock.monotonic()) == pytest.approx(2.75)
    assert runner.next_mark() == pytest.approx(1000 + 20 - 2)  # "Two" of step b ("Three" was due)
    clock.set(1020.0)
    events = runner.poll(clock.monotonic())
    assert [offset_s(e.visit.started_at) for e in started(events)] == [20.0]


def test_poll_far_in_the_future_crosses_every_step_in_time_order() -> None:
    plan = plan_of(hold("a", 20, 40, sides=["left", "right"], repetitions=2, rest_s=15), fixed("b", 30))
    runner, clock = runner_for(plan, time_scale=4)
    runner.start(clock.monotonic())
    events = runner.poll(clock.advance(10_000))
    times = [offset_s(e.at) for e in events]
    assert times == sorted(times)
    assert [e.visit.key for e in started(events)] == [s.key for s in plan.steps[1:]]
    assert [offset_s(e.visit.ended_at or "") for e in ended(events)] == [
        10,
        13.75,
        23.75,
        33.75,
        37.5,
        47.5,
        55,
    ]
    assert [e.visit.actual_s for e in ended(events)] == [40, 15, 40, 40, 15, 40, 30]
    assert isinstance(events[-1], SessionEnded) and offset_s(events[-1].at) == 55
    assert runner.state == "finished" and runner.next_mark() is None


def test_cue_events_follow_the_schedule_of_each_step() -> None:
    plan = plan_of(
        hold("a", 20, 40, sides=["left", "right"]), breathing("b", inhale_s=4, exhale_s=6, cycles=2)
    )
    runner, clock = runner_for(plan)
    events = runner.start(clock.monotonic()) + runner.poll(clock.advance(1_000))
    for index in range(len(plan.steps)):
        emitted = [e for e in events if isinstance(e, CueDue) and e.visit == index]
        assert [e.cue for e in emitted] == runner.cues_for(index)
        assert [e.due for e in emitted] == [
            pytest.approx(1000 + sum(s.planned_s for s in plan.steps[:index]) + c.at_s)
            for c in runner.cues_for(index)
        ]


def test_pause_freezes_the_step_and_pushes_its_end_back() -> None:
    runner, clock = runner_for(plan_of(fixed("a", 20), fixed("b", 20)), time_scale=2)
    runner.start(clock.monotonic())
    clock.advance(3)  # 6 protocol seconds
    assert names(runner.pause(clock.monotonic())) == ["Paused"]
    assert runner.next_mark() is None
    clock.advance(100)
    assert names(runner.poll(clock.monotonic())) == []
    assert runner.elapsed(clock.monotonic()) == 6
    assert runner.remaining(clock.monotonic()) == 14
    (resumed,) = without_beats(runner.resume(clock.monotonic()))
    assert isinstance(resumed, Resumed) and resumed.paused_s == 200  # protocol seconds
    assert runner.next_mark() == 1103 + (10 - 6) / 2  # "Ten seconds." at protocol second 10, scale 2
    events = runner.poll(clock.advance(9))
    (end,) = ended(events)
    assert end.visit.actual_s == 20 and offset_s(end.visit.ended_at or "") == 110
    assert end.visit.pauses[0].duration_s == 200 and offset_s(end.visit.pauses[0].ended_at or "") == 103


def test_toggle_is_the_space_bar() -> None:
    runner, clock = runner_for(plan_of(fixed("a", 10), fixed("b", 10)), auto_advance=False)
    assert "StepStarted" in names(runner.toggle(clock.monotonic()))
    assert names(runner.toggle(clock.advance(1))) == ["Paused"]
    assert names(runner.toggle(clock.advance(1))) == ["Resumed"]
    runner.poll(clock.advance(9))
    assert runner.state == "overtime"
    assert names(runner.toggle(clock.advance(2))) == ["Paused"]  # Space never ends a step
    assert names(runner.toggle(clock.advance(2))) == ["Resumed"] and runner.state == "overtime"
    events = runner.next(clock.advance(1))
    assert ended(events)[0].visit.end_reason == "completed" and runner.index == 1


def test_without_auto_advance_a_timed_step_waits_in_overtime() -> None:
    runner, clock = runner_for(plan_of(hold("a", 10, 20), fixed("b", 10)), auto_advance=False)
    runner.start(clock.monotonic())
    events = runner.poll(clock.advance(25))
    assert names(events)[-1] == "MaximumReached"
    assert (runner.state, runner.remaining(clock.monotonic()), runner.elapsed(clock.monotonic())) == (
        "overtime",
        0.0,
        25.0,
    )
    assert runner.next_mark() is None
    events = runner.next(clock.advance(5))
    (end,) = ended(events)
    assert (end.visit.end_reason, end.visit.actual_s) == ("completed", 30.0)
    assert runner.index == 1 and runner.state == "running"


def test_a_step_that_asks_to_wait_overrides_auto_advance() -> None:
    runner, clock = runner_for(plan_of(fixed("a", 10, auto_advance=False), fixed("b", 10)))
    runner.start(clock.monotonic())
    runner.poll(clock.advance(12))
    assert runner.state == "overtime" and runner.index == 0


def test_auto_advance_can_be_switched_during_a_step() -> None:
    runner, clock = runner_for(plan_of(fixed("a", 10), fixed("b", 10)))
    runner.start(clock.monotonic())
    runner.auto_advance = False
    runner.poll(clock.advance(10))
    assert runner.state == "overtime"


def test_release_ends_the_hold_and_moves_on_whatever_auto_advance() -> None:
    runner, clock = runner_for(plan_of(hold("a", 30, 60), fixed("b", 10)), auto_advance=False, time_scale=10)
    runner.start(clock.monotonic())
    events = runner.release(clock.advance(4.2))
    (end,) = ended(events)
    assert (end.visit.end_reason, end.visit.actual_s) == ("released", 42.0)
    assert runner.index == 1 and cue_texts(events) == [
        "Minimum reached. Release when it softens.",
        "Fixed b. Press.",
    ]


def test_extend_moves_the_end_and_its_countdown() -> None:
    runner, clock = runner_for(plan_of(hold("a", 10, 30), fixed("b", 10)))
    runner.start(clock.monotonic())
    (extended,) = without_beats(runner.extend(clock.advance(5), 15))
    assert isinstance(extended, Extended) and extended.seconds == 15
    assert runner.remaining(clock.monotonic()) == 40
    events = runner.poll(clock.advance(40))
    cues = [(e.due - 1000, e.cue.text) for e in events if isinstance(e, CueDue) and e.visit == 0]
    assert cues == [
        (10, "Minimum reached. Release when it softens."),
        (35, "Ten seconds."),
        (40, "Next: Fixed b. Press."),
        (42, "Three"),
        (43, "Two"),
        (44, "One"),
        (45, "Release now."),
    ]
    (end,) = ended(events)
    assert (end.visit.actual_s, end.visit.extended_s) == (45, 15)


def test_extend_in_overtime_gives_the_time_from_now() -> None:
    runner, clock = runner_for(plan_of(fixed("a", 10), fixed("b", 10)), auto_advance=False)
    runner.start(clock.monotonic())
    runner.poll(clock.advance(14))
    before = runner.state
    runner.extend(clock.monotonic(), 6)
    assert (before, runner.state) == ("overtime", "running")
    assert runner.remaining(clock.monotonic()) == 6
    runner.auto_advance = True
    events = runner.poll(clock.advance(6))
    (end,) = ended(events)
    assert (end.visit.actual_s, end.visit.extended_s, offset_s(end.at)) == (20, 10, 20)
    assert cue_texts(events)[-3:] == ["One", "Release.", "Fixed b. Press."]


def test_extend_rejects_nonsense_and_ignores_untimed_steps() -> None:
    runner, clock = runner_for(plan_of(untimed("a")))
    runner.start(clock.monotonic())
    with pytest.raises(ValueError, match="positive"):
        runner.extend(clock.monotonic(), 0)
    assert runner.extend(clock.monotonic(), 10) == []


def test_back_skip_and_goto_make_new_visits() -> None:
    plan = plan_of(fixed("a", 10), fixed("b", 10), fixed("c", 10))
    runner, clock = runner_for(plan)
    runner.start(clock.monotonic())
    runner.back(clock.advance(1))  # at the first step: restart it
    runner.skip(clock.advance(1))
    runner.back(clock.advance(1))
    runner.goto(clock.advance(1), 2)
    runner.next(clock.advance(1))
    visits = runner.record.steps
    assert [(v.visit, v.index, v.end_reason) for v in visits] == [
        (0, 0, "back"),
        (1, 0, "skipped"),
        (2, 1, "back"),
        (3, 0, "skipped"),
        (4, 2, "ended_early"),
    ]
    assert runner.state == "finished" and runner.record.status == "finished"
    with pytest.raises(ValueError, match="outside the plan"):
        runner.goto(clock.monotonic(), 3)


def test_a_control_acts_on_the_session_as_it_stands_now() -> None:
    """Pausing after an end nobody polled pauses the step that has begun since."""
    runner, clock = runner_for(plan_of(fixed("a", 10), fixed("b", 10)))
    runner.start(clock.monotonic())
    events = runner.pause(clock.advance(12))
    assert names(events)[-1] == "Paused" and runner.index == 1
    assert runner.visit is not None and offset_s(runner.visit.started_at) == 10
    assert runner.elapsed(clock.advance(30)) == 2


def test_untimed_steps_count_up_and_wait() -> None:
    runner, clock = runner_for(plan_of(untimed("a", estimate_s=60), fixed("b", 30)))
    runner.start(clock.monotonic())
    assert runner.next_mark() is None
    assert names(runner.poll(clock.advance(500))) == []
    assert runner.remaining(clock.monotonic()) is None
    assert runner.elapsed(clock.monotonic()) == 500
    assert runner.overall_remaining(clock.monotonic()) == 30
    runner.next(clock.monotonic())
    assert runner.overall_remaining(clock.advance(10)) == 20


def test_untimed_step_protocol_cues_are_scheduled() -> None:
    runner, clock = runner_for(plan_of(untimed("a", cues=[{"at_s": 20, "text": "Ask about tingling."}])))
    runner.start(clock.monotonic())
    assert runner.next_mark() == 1020
    assert cue_texts(runner.poll(clock.advance(20))) == ["Ask about tingling."]


def test_overall_remaining_counts_this_step_and_the_rest_of_the_plan() -> None:
    runner, clock = runner_for(plan_of(hold("a", 30, 60), fixed("b", 20), untimed("c", estimate_s=100)))
    assert runner.overall_remaining(clock.monotonic()) == 180
    runner.start(clock.monotonic())
    assert runner.overall_remaining(clock.advance(15)) == 165
    runner.release(clock.monotonic())
    assert runner.overall_remaining(clock.monotonic()) == 120


def test_breathing_phase_follows_the_pattern() -> None:
    runner, clock = runner_for(plan_of(breathing("a", inhale_s=4, hold_s=2, exhale_s=6, rest_s=0, cycles=2)))
    runner.start(clock.monotonic())
    assert runner.breathing_phase(clock.monotonic()) == ("inhale", 0.0, 4.0)
    assert runner.breathing_phase(clock.advance(5)) == ("hold", 0.5, 1.0)
    assert runner.breathing_phase(clock.advance(4)) == ("exhale", 0.5, 3.0)
    assert runner.breathing_phase(clock.advance(4)) == ("inhale", 0.25, 3.0)
    runner.auto_advance = False
    runner.poll(clock.advance(20))
    assert runner.breathing_phase(clock.monotonic()) == ("exhale", 1.0, 0.0)


def test_breathing_phase_is_none_for_other_steps() -> None:
    runner, clock = runner_for(plan_of(fixed("a", 10)))
    runner.start(clock.monotonic())
    assert runner.breathing_phase(clock.monotonic()) is None


def test_a_rating_goes_to_the_hold_that_asks_for_it_even_during_the_rest() -> None:
    plan = plan_of(hold("a", 10, 20, repetitions=2, rest_s=10, rating=PRESSURE), untimed("talk"))
    runner, clock = runner_for(plan)
    runner.start(clock.monotonic())
    (first,) = without_beats(runner.rate(clock.advance(5), "pressure", 6))
    assert isinstance(first, RatingRecorded)
    assert (first.rating.visit, first.rating.in_target, first.rating.ease_off) == (0, True, False)
    runner.poll(clock.advance(17))  # now in the rest
    assert runner.current.kind == "rest"
    (late,) = without_beats(runner.rate(clock.monotonic(), "pressure", 8))
    assert isinstance(late, RatingRecorded)
    assert (late.rating.visit, late.rating.in_target, late.rating.ease_off) == (0, False, True)
    assert runner.record.steps[0].pressure == 8
    runner.poll(clock.advance(100))  # now on the untimed step, which asks for nothing
    (other,) = without_beats(runner.rate(clock.monotonic(), "pain", 3))
    assert isinstance(other, RatingRecorded) and other.rating.visit == 3  # no step asks: the current one
    (again,) = runner.rate(clock.monotonic(), "pressure", 5)
    assert isinstance(again, RatingRecorded) and again.rating.visit == 2


@pytest.mark.parametrize("value", [0, 11, -3])
def test_a_rating_outside_one_to_ten_is_refused(value: int) -> None:
    runner, clock = runner_for(plan_of(hold("a", 10, 20, rating=PRESSURE)))
    runner.start(clock.monotonic())
    with pytest.raises(ValueError, match=r"1\.\.10"):
        runner.rate(clock.monotonic(), "pressure", value)
    assert runner.record.steps[0].ratings == []


def test_screening_and_a_rating_before_start_are_kept() -> None:
    runner, clock = runner_for(plan_of(hold("a", 10, 20, rating=PRESSURE)))
    answer = ScreeningAnswer("dizzy", "red_flag", "Dizziness?", answer=False)
    events = runner.record_screening(clock.monotonic(), [answer], pre_pain=4, rotation_left_deg=70)
    # the session opens the stream; each answer and measure is an event of its own
    assert names(events) == ["SessionStarted", "ScreeningAnswered", "Measured", "Measured"]
    assert (runner.record.pre_pain, runner.record.rotation_left_deg, runner.record.screening) == (
        4,
        70,
        [ScreeningAnswer("dizzy", "red_flag", "Dizziness?", answer=False, at=runner.record.started_at)],
    )
    assert runner.rate(clock.advance(1), "pressure", 9) == []  # no visit yet: held for the first one
    events = runner.start(clock.advance(1))
    recorded = [e for e in events if isinstance(e, RatingRecorded)]
    assert [(r.rating.visit, r.rating.value, r.rating.ease_off, offset_s(r.rating.at)) for r in recorded] == [
        (0, 9, True, 1.0)  # stamped when it was given
    ]
    assert runner.record.steps[0].pressure == 9


def test_pain_notes_and_voice_go_into_the_record() -> None:
    runner, clock = runner_for(plan_of(fixed("a", 10)))
    runner.begin(clock.monotonic())
    with pytest.raises(ValueError, match=r"0\.\.10"):
        runner.record_pain(clock.monotonic(), "post", 11)
    assert names(runner.record_pain(clock.monotonic(), "post", 2)) == ["Measured"]
    assert names(runner.set_notes(clock.monotonic(), "Tender on the left.")) == ["NoteAdded"]
    assert names(runner.set_voice(clock.monotonic(), False)) == ["VoiceChanged"]
    assert runner.set_voice(clock.monotonic(), False) == []  # only a change is news
    assert (runner.record.post_pain, runner.record.notes, runner.record.voice) == (
        2,
        "Tender on the left.",
        False,
    )


def test_voice_known_before_the_session_begins_travels_in_session_started() -> None:
    runner, clock = runner_for(plan_of(fixed("a", 10)))
    assert runner.set_voice(clock.monotonic(), False) == []
    (started,) = runner.begin(clock.monotonic())
    assert isinstance(started, SessionStarted) and started.record.voice is False


def test_abandoning_before_anything_ran_still_opens_and_closes_the_session() -> None:
    runner, clock = runner_for(plan_of(fixed("a", 10)))
    assert names(runner.abandon(clock.advance(2))) == ["SessionStarted", "SessionEnded"]
    assert (runner.record.status, runner.record.steps) == ("abandoned", [])


def test_finish_ends_the_visit_and_the_session() -> None:
    runner, clock = runner_for(plan_of(fixed("a", 10), fixed("b", 10)))
    runner.start(clock.monotonic())
    runner.pause(clock.advance(4))
    events = runner.finish(clock.advance(3))
    assert names(events) == ["StepEnded", "SessionEnded"]
    (end,) = ended(events)
    assert (end.visit.end_reason, end.visit.actual_s, end.visit.pauses[0].duration_s) == (
        "session_ended",
        4,
        3,
    )
    assert runner.state == "finished" and runner.record.status == "ended_early"  # step b was never done
    assert offset_s(runner.record.ended_at or "") == 7
    assert runner.finish(clock.advance(1)) == [] and runner.start(clock.monotonic()) == []
    # the summary page records post-session pain and notes after the end
    assert names(runner.record_pain(clock.monotonic(), "post", 1)) == ["Measured"]
    assert names(runner.set_notes(clock.monotonic(), "Looser.")) == ["NoteAdded"]
    assert (runner.record.post_pain, runner.record.notes) == (1, "Looser.")


def test_finish_in_overtime_counts_the_step_as_completed_and_abandon_marks_the_session() -> None:
    runner, clock = runner_for(plan_of(fixed("a", 10)), auto_advance=False)
    runner.start(clock.monotonic())
    events = runner.abandon(clock.advance(11))
    assert ended(events)[0].visit.end_reason == "completed"
    assert runner.record.status == "abandoned"


def test_events_carry_snapshots_that_do_not_change_later() -> None:
    runner, clock = runner_for(plan_of(fixed("a", 10)))
    (step,) = started(runner.start(clock.monotonic()))
    runner.poll(clock.advance(10))
    assert step.visit.ended_at is None and runner.record.steps[0].ended_at is not None


def test_upcoming_is_the_next_planned_step() -> None:
    plan = plan_of(fixed("a", 10), fixed("b", 10))
    runner, _ = runner_for(plan)
    assert runner.upcoming() == plan.steps[1]
    runner.goto(1000.0, 1)
    assert runner.upcoming() is None


def test_time_scale_shortens_real_time_but_records_protocol_seconds() -> None:
    runner, clock = runner_for(plan_of(hold("a", 30, 60), fixed("b", 10)), time_scale=10)
    runner.start(clock.monotonic())
    events = runner.poll(clock.advance(6))
    (end,) = ended(events)
    assert (end.visit.actual_s, offset_s(end.at)) == (60, 6)
    assert runner.record.time_scale == 10


def test_bad_time_scale_is_refused() -> None:
    with pytest.raises(ValueError, match="time_scale"):
        runner_for(plan_of(fixed("a", 10)), time_scale=0)


# -- resume ----------------------------------------------------------------------------------


def crashed_record(steps_before_crash: float, time_scale: float = 1.0) -> tuple[SessionRecord, int]:
    plan = plan_of(fixed("a", 10), fixed("b", 10), fixed("c", 10))
    runner, clock = runner_for(plan, time_scale=time_scale, practice=True, client_code="C-1")
    runner.start(clock.monotonic())
    runner.pause(clock.advance(steps_before_crash))
    return SessionRecord.from_dict(runner.record.to_dict()), runner.index


def test_resume_picks_a_step_cut_off_mid_way_up_where_it_stopped() -> None:
    record, index = crashed_record(15)
    assert index == 1 and record.steps[1].ended_at is None and record.steps[1].actual_s == 5  # the pause
    plan = plan_of(fixed("a", 10), fixed("b", 10), fixed("c", 10))
    _, clock = runner_for(plan)
    resumed = SessionRunner.from_record(plan, clock, record)
    cut = resumed.record.steps[1]
    assert (cut.end_reason, offset_s(cut.ended_at or ""), cut.actual_s) == ("interrupted", 15, 5)
    assert cut.pauses[0].ended_at == cut.ended_at
    (stop,) = resumed.record.interruptions
    assert (offset_s(stop.at), stop.visit, stop.handled) == (15, 1, "resumed")
    assert (resumed.state, resumed.index, resumed.record.practice, resumed.record.client_code) == (
        "ready",
        1,
        True,
        "C-1",
    )
    assert resumed.begin(clock.monotonic()) == []  # the session was already started
    events = resumed.start(clock.monotonic())
    assert names(events)[0] == "StepStarted"
    assert [(v.visit, v.index) for v in resumed.record.steps] == [(0, 0), (1, 1), (2, 1)]
    taken_up = resumed.record.steps[2]
    assert (taken_up.continues, taken_up.carried_s, resumed.remaining(clock.monotonic())) == (1, 5, 5)
    (end,) = ended(resumed.poll(clock.advance(5)))
    assert (end.visit.actual_s, end.visit.step_s, end.visit.end_reason) == (5, 10, "completed")
    assert record.steps[1].ended_at is None  # the caller's record is left as it was


def test_a_visit_cut_off_between_heartbeats_keeps_the_last_one() -> None:
    plan = plan_of(hold("a", 30, 60), fixed("b", 10))
    runner, clock = runner_for(plan)
    runner.start(clock.monotonic())
    beats = [e for e in runner.poll(clock.advance(HEARTBEAT_S * 3 + 1.5)) if isinstance(e, Heartbeat)]
    assert [(offset_s(b.at), b.actual_s) for b in beats] == [(HEARTBEAT_S * 3, HEARTBEAT_S * 3)]
    assert runner.next_deadline() == 1000 + HEARTBEAT_S * 4
    record = SessionRecord.from_dict(runner.record.to_dict())  # what the store holds after a crash now
    resumed = SessionRunner.from_record(plan, FakeClock(), record)
    cut = resumed.record.steps[0]
    assert (cut.end_reason, cut.actual_s, offset_s(cut.ended_at or "")) == ("interrupted", 6, 6)


def test_resume_takes_the_time_scale_from_the_record_and_continues_after_a_finished_step() -> None:
    plan = plan_of(fixed("a", 10), fixed("b", 10), fixed("c", 10))
    runner, clock = runner_for(plan, time_scale=5)
    runner.start(clock.monotonic())
    runner.skip(clock.advance(1))
    runner.next(clock.advance(1))
    runner.record.steps[-1].ended_at = None  # pretend nothing happened on c before the crash
    runner.record.steps.pop()
    resumed = SessionRunner.from_record(plan, clock, runner.record)
    assert (resumed.index, resumed.time_scale) == (2, 5)
    resumed.start(clock.monotonic())
    events = resumed.poll(clock.advance(2))
    assert ended(events)[0].visit.actual_s == 10


def test_resume_after_the_last_step_finishes_on_start() -> None:
    plan = plan_of(fixed("a", 10))
    runner, clock = runner_for(plan)
    runner.start(clock.monotonic())
    runner.auto_advance = False
    runner.next(clock.advance(10))  # a crash would leave status "running" before SessionEnded was saved
    runner.record.status = "running"
    resumed = SessionRunner.from_record(plan, clock, runner.record)
    assert names(resumed.start(clock.monotonic())) == ["SessionEnded"]


def test_resume_refuses_a_finished_session_or_another_protocol() -> None:
    plan = plan_of(fixed("a", 10))
    runner, clock = runner_for(plan)
    runner.finish(clock.monotonic())
    with pytest.raises(ValueError, match="only a running session"):
        SessionRunner.from_record(plan, clock, runner.record)
    other, other_clock = runner_for(plan_of(fixed("x", 5)))
    other.start(other_clock.monotonic())
    with pytest.raises(ValueError, match="not step"):
        SessionRunner.from_record(plan, clock, other.record)


def test_the_engine_never_imports_qt() -> None:
    code = (
        "import sys, neck_guide.engine.runner, neck_guide.engine.practice;"
        "print(any('PySide6' in m for m in sys.modules))"
    )
    repo = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=repo)
    assert out.stdout.strip() == "False"


def test_step_ended_events_match_the_record() -> None:
    runner, clock = runner_for(plan_of(fixed("a", 10), fixed("b", 10)))
    events = runner.start(clock.monotonic()) + runner.poll(clock.advance(30))
    assert [e.visit for e in events if isinstance(e, StepEnded)] == runner.record.steps
