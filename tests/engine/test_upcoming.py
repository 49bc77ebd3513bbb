"""The engine publishes every cue instant ahead (CuesScheduled): scaled, paused, extended, and the
next step's opening when this step will end into it by itself."""

from __future__ import annotations

from engine_builders import fixed, plan_of, runner_for, untimed

from neck_guide.engine.events import CueDue, CuesScheduled, Event


def scheduled(events: list[Event]) -> list[CuesScheduled]:
    return [e for e in events if isinstance(e, CuesScheduled)]


def instants(event: CuesScheduled) -> list[tuple[int, str, float]]:
    return [(c.index, c.cue.text, round(c.due - 1000, 6)) for c in event.cues]


def test_a_started_step_publishes_its_cues_and_the_next_steps_opening_at_their_instants() -> None:
    runner, clock = runner_for(plan_of(fixed("a", 6), fixed("b", 6)), time_scale=2)
    (event,) = scheduled(runner.start(clock.monotonic()))
    assert event.ends == 1003
    assert instants(event) == [
        (0, "Fixed a. Press.", 0),
        (0, "Three", 1.5),
        (0, "Two", 2),
        (0, "One", 2.5),
        (0, "Release.", 3),
        (1, "Fixed b. Press.", 3),
        (1, "Three", 4.5),
        (1, "Two", 5),
        (1, "One", 5.5),
        (1, "Release.", 6),
    ]


def test_every_instant_published_is_the_instant_the_cue_comes_due() -> None:
    runner, clock = runner_for(plan_of(fixed("a", 6), fixed("b", 6)), time_scale=2)
    (event,) = scheduled(runner.start(clock.monotonic()))
    due = []
    while (deadline := runner.next_deadline()) is not None and deadline < event.cues[-1].due + 1:
        clock.set(deadline)
        due += [(e.cue.text, e.due) for e in runner.poll(deadline) if isinstance(e, CueDue)]
    assert due == [(c.cue.text, c.due) for c in event.cues[1:]]  # the first came due at start


def test_a_resume_publishes_what_is_left_moved_by_the_pause() -> None:
    runner, clock = runner_for(plan_of(fixed("a", 10)))
    runner.start(clock.monotonic())
    assert scheduled(runner.pause(clock.advance(6))) == []
    (event,) = scheduled(runner.resume(clock.advance(4)))
    assert instants(event) == [(0, "Three", 11), (0, "Two", 12), (0, "One", 13), (0, "Release.", 14)]
    assert event.ends == 1014


def test_an_extension_publishes_the_moved_countdown() -> None:
    runner, clock = runner_for(plan_of(fixed("a", 6)))
    runner.start(clock.monotonic())
    (event,) = scheduled(runner.extend(clock.advance(1), 4))
    assert instants(event) == [(0, "Three", 7), (0, "Two", 8), (0, "One", 9), (0, "Release.", 10)]


def test_without_auto_advance_the_next_step_is_not_announced_ahead() -> None:
    runner, clock = runner_for(plan_of(fixed("a", 6), fixed("b", 6)), auto_advance=False)
    (event,) = scheduled(runner.start(clock.monotonic()))
    assert {c.index for c in event.cues} == {0}
    (event,) = scheduled(runner.set_auto_advance(clock.advance(1), True))
    assert (1, "Fixed b. Press.", 6) in instants(event)


def test_an_untimed_step_has_no_end_and_no_next_step_ahead() -> None:
    runner, clock = runner_for(plan_of(untimed("a"), fixed("b", 6)))
    (event,) = scheduled(runner.start(clock.monotonic()))
    assert event.ends is None
    assert instants(event) == [(0, "Talk a. Ask.", 0)]
