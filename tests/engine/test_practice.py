"""Practice scoring: a trainee's holds against their target ranges, from a real runner's record."""

from __future__ import annotations

import pytest
from engine_builders import breathing, fixed, hold, plan_of, runner_for, untimed

from neck_guide.engine.practice import score, target_range


def test_released_holds_are_scored_against_their_range() -> None:
    plan = plan_of(hold("a", 30, 60), hold("b", 30, 60), hold("c", 30, 60), fixed("end", 10))
    runner, clock = runner_for(plan, practice=True, time_scale=2)
    runner.start(clock.monotonic())
    runner.release(clock.advance(20))  # 40 s: in range
    runner.release(clock.advance(12.5))  # 25 s: 5 s short
    runner.poll(clock.advance(35))  # c completes at its maximum, then "end" runs out
    summary = score(runner.record)
    assert [(h.key, h.actual_s, h.in_range, h.error_s, h.verdict) for h in summary.holds] == [
        ("a", 40, True, 0, "in_range"),
        ("b", 25, False, -5, "short"),
        ("c", 60, True, 0, "in_range"),
        ("end", 10, True, 0, "in_range"),
    ]
    assert [h.at_maximum for h in summary.holds] == [False, False, True, False]
    assert (summary.scored, summary.in_range, summary.percent, summary.mean_abs_deviation_s) == (
        4,
        3,
        75,
        1.25,
    )
    assert summary.worst is not None and summary.worst.key == "b" and summary.worst.deviation_s == 5


def test_holding_past_the_maximum_in_overtime_scores_long() -> None:
    runner, clock = runner_for(plan_of(hold("a", 10, 20)), practice=True, auto_advance=False)
    runner.start(clock.monotonic())
    runner.poll(clock.advance(23.5))
    assert runner.state == "overtime"
    runner.release(clock.monotonic())
    (only,) = score(runner.record).holds
    assert (only.end_reason, only.error_s, only.verdict) == ("released", 3.5, "long")


def test_pauses_do_not_count_towards_the_hold() -> None:
    runner, clock = runner_for(plan_of(hold("a", 10, 20)), practice=True)
    runner.start(clock.monotonic())
    runner.pause(clock.advance(5))
    runner.resume(clock.advance(60))
    runner.release(clock.advance(7))
    (only,) = score(runner.record).holds
    assert (only.actual_s, only.in_range) == (12, True)


@pytest.mark.parametrize(
    ("duration", "bounds"),
    [(30, (27, 33)), (5, (4, 6)), (10, (9, 11)), (60, (54, 66))],
)
def test_fixed_holds_allow_ten_percent_or_one_second(duration: float, bounds: tuple[float, float]) -> None:
    runner, clock = runner_for(plan_of(fixed("a", duration)))
    runner.start(clock.monotonic())
    low, high = target_range(runner.record.steps[0]) or (0, 0)
    assert (low, high) == pytest.approx(bounds)


def test_fixed_hold_released_outside_its_tolerance() -> None:
    runner, clock = runner_for(plan_of(fixed("a", 30), fixed("b", 30)))
    runner.start(clock.monotonic())
    runner.next(clock.advance(26))  # a fixed hold has no release: the trainee ends it with Next
    runner.next(clock.advance(28))
    assert [(h.error_s, h.in_range) for h in score(runner.record).holds] == [(-1, False), (0, True)]


def test_only_hold_attempts_are_scored() -> None:
    plan = plan_of(
        fixed("a", 10, repetitions=2, rest_s=10),
        breathing("br", inhale_s=4, exhale_s=4, cycles=1),
        untimed("talk"),
        hold("skipped", 10, 20),
        hold("nexted", 10, 20),
        hold("cut", 10, 20),
    )
    runner, clock = runner_for(plan, practice=True)
    runner.start(clock.monotonic())
    runner.poll(clock.advance(38))  # a, rest, a, breathing
    assert runner.current.key == "talk"
    runner.next(clock.advance(3))
    runner.skip(clock.advance(3))
    runner.next(clock.advance(15))
    runner.finish(clock.advance(12))
    assert [v.end_reason for v in runner.record.steps[-3:]] == ["skipped", "ended_early", "session_ended"]
    assert [h.key for h in score(runner.record).holds] == ["a-r1", "a-r2"]


def test_an_empty_session_has_no_figures() -> None:
    runner, _ = runner_for(plan_of(untimed("talk")))
    summary = score(runner.record)
    assert (
        summary.scored,
        summary.in_range,
        summary.percent,
        summary.mean_abs_deviation_s,
        summary.worst,
    ) == (
        0,
        0,
        None,
        None,
        None,
    )


def test_a_summary_with_every_hold_in_range_has_no_worst() -> None:
    runner, clock = runner_for(plan_of(hold("a", 10, 20), hold("b", 10, 20)))
    runner.start(clock.monotonic())
    runner.poll(clock.advance(40))
    summary = score(runner.record)
    assert (summary.percent, summary.mean_abs_deviation_s, summary.worst) == (100, 0, None)
