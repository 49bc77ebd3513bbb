"""What the therapist's controls record (issue 9): pause apart from release, the mis-tap guard,
corrections, undo, checklist ticks, outcomes, and measures at their own time.

Each of these failed on the engine before the change (Space released a hold, a double tap skipped a
step or recorded two ratings, an early end was "finished", measures had the session's time)."""

from __future__ import annotations

import pytest
from engine_builders import ended, fixed, hold, names, offset_s, plan_of, runner_for, untimed, without_beats

from neck_guide.engine.events import Event, RatingRecorded, TapIgnored, Ticked, Undone
from neck_guide.engine.record import Rating, ScreeningAnswer, SessionRecord
from neck_guide.engine.runner import DEFAULT_GUARD_S
from neck_guide.engine.steps import outcome_line, tally
from neck_guide.engine.undo import Move, Rated, undo_words

RATED = {"ask": ["pressure", "pain"], "target": [6, 7], "ease_off_above": 7}


# -- item 1: Space pauses, Release only ends a range hold, Next ends a fixed step early ------------


def test_space_pauses_and_resumes_a_range_hold_it_never_releases() -> None:
    runner, clock = runner_for(plan_of(hold("trap", 10, 30), fixed("b", 10)))
    runner.toggle(clock.monotonic())
    assert names(runner.toggle(clock.advance(3.4))) == ["Paused"]
    assert runner.state == "paused" and runner.record.steps[0].ended_at is None
    assert names(runner.toggle(clock.advance(5))) == ["Resumed"]
    (end,) = ended(runner.release(clock.advance(8)))
    assert (end.visit.end_reason, end.visit.actual_s) == ("released", 11.4)


def test_release_does_nothing_on_a_fixed_step_and_next_ends_it_early() -> None:
    runner, clock = runner_for(plan_of(fixed("a", 30), fixed("b", 10)))
    runner.start(clock.monotonic())
    assert without_beats(runner.release(clock.advance(5))) == []
    (end,) = ended(runner.next(clock.advance(5)))
    assert (end.visit.end_reason, end.visit.actual_s) == ("ended_early", 10)


def test_next_on_an_untimed_step_completes_it() -> None:
    runner, clock = runner_for(plan_of(untimed("talk"), fixed("b", 10)))
    runner.start(clock.monotonic())
    (end,) = ended(runner.next(clock.advance(20)))
    assert end.visit.end_reason == "completed"


# -- item 2: the mis-tap guard, corrections, undo -------------------------------------------------


def test_a_double_tap_on_next_moves_one_step_and_records_the_second_tap_as_ignored() -> None:
    runner, clock = runner_for(plan_of(fixed("a", 30), fixed("b", 30), fixed("c", 30)))
    runner.start(clock.monotonic())
    runner.next(clock.advance(10))
    events = runner.next(clock.advance(0.46))
    assert names(events) == ["TapIgnored"] and runner.index == 1
    (ignored,) = [e for e in events if isinstance(e, TapIgnored)]
    assert (ignored.tap.action, ignored.tap.visit, ignored.tap.after_s) == ("next", 1, 0.46)
    assert runner.record.ignored == [ignored.tap]
    assert len(runner.record.steps) == 2  # no 0.46 s visit of step b
    runner.next(clock.advance(DEFAULT_GUARD_S))  # a deliberate second Next, after the window
    assert runner.index == 2


def test_a_next_racing_an_auto_advance_does_not_skip_the_new_step() -> None:
    runner, clock = runner_for(plan_of(fixed("a", 10), fixed("b", 30)))
    runner.start(clock.monotonic())
    runner.poll(clock.advance(10))  # b started by itself
    assert names(runner.next(clock.advance(0.2))) == ["TapIgnored"] and runner.index == 1


def test_the_guard_window_is_a_parameter() -> None:
    runner, clock = runner_for(plan_of(fixed("a", 30), fixed("b", 30), fixed("c", 30)), guard_s=0.2)
    runner.start(clock.monotonic())
    runner.next(clock.advance(1))
    runner.next(clock.advance(0.3))
    assert runner.index == 2


def test_a_second_rating_within_the_window_is_a_correction_and_both_are_kept() -> None:
    runner, clock = runner_for(plan_of(hold("trap", 10, 30, rating=RATED)))
    runner.start(clock.monotonic())
    first = _rating(runner.rate(clock.advance(2), "pressure", 8))
    second = _rating(runner.rate(clock.advance(0.3), "pressure", 6))
    other = _rating(runner.rate(clock.advance(0.1), "pain", 5))  # another kind: not a correction
    later = _rating(runner.rate(clock.advance(5), "pressure", 7))
    assert [(r.number, r.corrects) for r in (first, second, other, later)] == [
        (1, None),
        (2, 1),
        (3, None),
        (4, None),
    ]
    record = runner.record
    assert [r.value for r in record.ratings()] == [8, 6, 5, 7]  # nothing dropped
    assert [record.standing(r) for r in record.ratings()] == ["corrected", "counts", "counts", "counts"]


def test_undo_of_a_next_takes_the_step_up_where_it_was_left() -> None:
    runner, clock = runner_for(plan_of(hold("trap", 30, 120), fixed("b", 30)))
    runner.start(clock.monotonic())
    runner.next(clock.advance(40))
    assert isinstance(runner.undoable(), Move) and undo_words(runner.undoable()) == "Undo next step"  # type: ignore[arg-type]
    events = runner.undo(clock.advance(3))
    assert names(events)[:3] == ["Undone", "StepEnded", "StepStarted"]
    visits = runner.record.steps
    assert [(v.index, v.end_reason, v.actual_s) for v in visits] == [
        (0, "ended_early", 40),
        (1, "undone", 3),
        (0, None, None),
    ]
    assert (visits[2].continues, visits[2].carried_s, visits[2].min_reached) == (0, 40, True)
    assert runner.elapsed(clock.monotonic()) == 40 and runner.remaining(clock.monotonic()) == 80
    assert [(u.action, u.visit) for u in runner.record.undos] == [("next", 1)]
    (end,) = ended(runner.release(clock.advance(20)))
    assert (end.visit.actual_s, end.visit.step_s) == (20, 60)


def test_undo_of_a_back_returns_to_the_step_left() -> None:
    runner, clock = runner_for(plan_of(fixed("a", 30), fixed("b", 30)))
    runner.start(clock.monotonic())
    runner.poll(clock.advance(30))
    runner.back(clock.advance(12))
    assert runner.index == 0
    runner.undo(clock.advance(1))
    assert runner.index == 1 and runner.elapsed(clock.monotonic()) == 12


def test_undo_of_a_rating_is_an_event_and_the_rating_stays_in_the_record() -> None:
    runner, clock = runner_for(plan_of(hold("trap", 10, 30, rating=RATED)))
    runner.start(clock.monotonic())
    rating = _rating(runner.rate(clock.advance(2), "pressure", 9))
    assert runner.undoable() == Rated(1, 0, "pressure", 9)
    (undone,) = without_beats(runner.undo(clock.advance(1)))
    assert isinstance(undone, Undone) and (undone.undo.action, undone.undo.rating) == ("rating", 1)
    assert runner.record.ratings() == [rating] and runner.record.standing(rating) == "undone"
    assert runner.undoable() is None


def test_undo_of_an_extension_takes_the_time_back() -> None:
    runner, clock = runner_for(plan_of(fixed("a", 30), fixed("b", 30)))
    runner.start(clock.monotonic())
    runner.extend(clock.advance(5), 10)
    assert runner.remaining(clock.monotonic()) == 35
    (undone,) = without_beats(runner.undo(clock.advance(1)))
    assert isinstance(undone, Undone) and undone.extended_s == 0 and undone.undo.seconds == 10
    assert runner.remaining(clock.monotonic()) == 24 and runner.record.steps[0].extended_s == 0
    (end,) = ended(runner.poll(clock.advance(24)))
    assert (end.visit.actual_s, end.visit.end_reason) == (30, "completed")


def test_a_next_cannot_be_undone_once_the_session_moved_on_by_itself() -> None:
    runner, clock = runner_for(plan_of(fixed("a", 30), fixed("b", 10), fixed("c", 10)))
    runner.start(clock.monotonic())
    runner.next(clock.advance(5))
    runner.poll(clock.advance(10))  # b ended by itself: undoing the Next would jump back over it
    assert runner.index == 2 and runner.undoable() is None
    assert without_beats(runner.undo(clock.advance(1))) == []


def test_a_double_tap_on_undo_undoes_once() -> None:
    runner, clock = runner_for(plan_of(hold("trap", 10, 30, rating=RATED)))
    runner.start(clock.monotonic())
    runner.rate(clock.advance(2), "pressure", 6)
    runner.rate(clock.advance(2), "pressure", 7)
    runner.undo(clock.advance(2))
    assert names(runner.undo(clock.advance(0.3))) == ["TapIgnored"]
    assert [u.rating for u in runner.record.undos] == [2]


# -- checklist ---------------------------------------------------------------------------------


def test_checklist_items_are_ticked_and_recorded() -> None:
    runner, clock = runner_for(plan_of(untimed("consult", checklist=["Consent", "History"]), fixed("b", 5)))
    runner.start(clock.monotonic())
    (ticked,) = without_beats(runner.tick(clock.advance(4), 1))
    assert isinstance(ticked, Ticked) and (ticked.tick.item, ticked.tick.text) == (1, "History")
    runner.tick(clock.advance(1), 0)
    runner.tick(clock.advance(1), 1, done=False)
    assert runner.ticked() == [True, False]
    assert [(t.item, t.done) for t in runner.record.steps[0].ticks] == [(1, True), (0, True), (1, False)]
    with pytest.raises(ValueError, match="no item 2"):
        runner.tick(clock.monotonic(), 2)


# -- item 4: outcomes ----------------------------------------------------------------------------


def test_ending_early_is_not_finished_and_says_what_was_done_and_left() -> None:
    runner, clock = runner_for(plan_of(*(fixed(f"s{n}", 10) for n in range(6))))
    runner.start(clock.monotonic())
    runner.poll(clock.advance(25))
    runner.finish(clock.advance(1), "client felt dizzy")
    record = runner.record
    assert record.status == "ended_early" and record.end_note == "client felt dizzy"
    t = tally(record)
    assert (t.steps, t.done, t.left, t.visits) == (6, 2, 4, 3)
    assert outcome_line(record) == "Ended early: 2 of 6 steps done, 4 left (reason: client felt dizzy)"


def test_running_to_the_end_is_finished_and_leaving_before_a_step_is_abandoned() -> None:
    runner, clock = runner_for(plan_of(fixed("a", 10), fixed("b", 10)))
    runner.start(clock.monotonic())
    runner.poll(clock.advance(20))
    assert runner.record.status == "finished" and outcome_line(runner.record) == "Finished: 2 of 2 steps done"
    left, clock = runner_for(plan_of(fixed("a", 10)))
    left.abandon(clock.advance(3))
    assert outcome_line(left.record) == "Abandoned: 0 of 1 step done, 1 left"


# -- item 12: measures have their own time --------------------------------------------------------


def test_each_screening_answer_and_measure_keeps_the_time_it_was_given() -> None:
    runner, clock = runner_for(plan_of(fixed("a", 10)))
    t_answer, t_pain, t_rotation = clock.advance(5), clock.advance(20), clock.advance(15)
    runner.begin(clock.advance(30), given=t_answer - 5)
    runner.answer(clock.monotonic(), ScreeningAnswer("dizzy", "red_flag", "Dizzy?", False), given=t_answer)
    runner.measure(clock.monotonic(), "pre_pain", 6, given=t_pain)
    runner.measure(clock.monotonic(), "rotation_left", 70, given=t_rotation)
    runner.record_pain(clock.advance(600), "post", 2)
    runner.record_pain(clock.advance(4), "post", 3)  # changed: a new measure, the first one kept
    record = runner.record
    assert offset_s(record.started_at) == 0 and offset_s(record.screening[0].at) == 5
    assert [(m.kind, m.value, offset_s(m.at)) for m in record.measures] == [
        ("pre_pain", 6, 25),
        ("rotation_left", 70, 40),
        ("post_pain", 2, 670),
        ("post_pain", 3, 674),
    ]
    assert (record.pre_pain, record.post_pain, offset_s(record.measured_at("post_pain") or "")) == (6, 3, 674)
    with pytest.raises(ValueError, match="rotation_right"):
        runner.measure(clock.monotonic(), "rotation_right", 400)


def test_the_record_round_trips_with_everything_it_grew() -> None:
    runner, clock = runner_for(plan_of(hold("trap", 10, 30, rating=RATED), untimed("t", checklist=["A"])))
    runner.start(clock.monotonic())
    runner.rate(clock.advance(2), "pressure", 8)
    runner.rate(clock.advance(0.2), "pressure", 7)
    runner.undo(clock.advance(1))
    runner.next(clock.advance(0.1))
    runner.release(clock.advance(12))
    runner.tick(clock.advance(1), 0)
    runner.finish(clock.advance(1), "time up")
    assert SessionRecord.from_dict(runner.record.to_dict()) == runner.record


def _rating(events: list[Event]) -> Rating:
    (event,) = [e for e in events if isinstance(e, RatingRecorded)]
    return event.rating
