"""Drive a real SessionRunner through a whole session the way a therapist would (FakeClock, no sleeps).

Shared by the store tests and the crash child process. Every control call is followed by
``after()``, so a test can compare the stored record with ``runner.record`` between controls.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

from neck_guide.engine.clock import FakeClock
from neck_guide.engine.events import Event
from neck_guide.engine.record import ScreeningAnswer
from neck_guide.engine.runner import SessionRunner
from neck_guide.protocol.loader import load_file
from neck_guide.protocol.plan import Plan, expand

PROTOCOLS = Path(__file__).resolve().parents[2] / "protocols"


def plan_of(protocol_id: str) -> Plan:
    return expand(load_file(PROTOCOLS / f"{protocol_id}.toml"))


def new_runner(
    protocol_id: str = "trigger-point", *, client: str | None = "C-0042", practice: bool = False,
    session_id: str | None = None, clock: FakeClock | None = None,
) -> tuple[SessionRunner, FakeClock]:  # fmt: skip
    clock = clock or FakeClock()
    runner = SessionRunner(
        plan_of(protocol_id), clock, client_code=client, practice=practice, session_id=session_id
    )
    return runner, clock


def drive(
    runner: SessionRunner,
    clock: FakeClock,
    after: Callable[[], None] = lambda: None,
    *,
    seed: int = 7,
    finish: bool = True,
    max_steps: int | None = None,
    sink: Callable[[Event], object] = lambda event: None,
) -> None:
    """Screening, every step (ratings, a pause, an extension, a release, one step back), notes,
    post pain, finish. Stops early (session left running) after ``max_steps`` visits. Every event
    goes to ``sink`` as it happens (a store's ``apply``, a journal's ``append``), before ``after``."""
    rng = random.Random(seed)

    def act(action: Callable[[float], list[Event]], seconds: float = 0.0) -> None:
        for event in action(clock.advance(seconds)):
            sink(event)
        after()

    act(runner.begin)
    answers = [
        ScreeningAnswer(item.id, item.kind, item.question, answer=(n == 1), acknowledged=(n == 1),
                        reason="cleared by GP last week" if n == 1 else "")
        for n, item in enumerate(runner.plan.protocol.screening)
    ]  # fmt: skip
    act(lambda now: runner.record_screening(now, answers, 6, 60, 55), 30)
    act(runner.start, 5)
    guard = 0
    while runner.state != "finished" and guard < 10 * len(runner.plan.steps):
        guard += 1
        if max_steps is not None and len(runner.record.steps) >= max_steps:
            return
        _one_step(runner, act, rng, guard)
    if finish:
        act(lambda now: runner.set_notes(now, "Left side tighter; =SUM(A1) is not a formula"), 2)
        act(lambda now: runner.record_pain(now, "post", 3), 5)
        act(runner.finish, 1)


def _one_step(runner: SessionRunner, act: Callable[..., None], rng: random.Random, turn: int) -> None:
    step = runner.current
    spec = step.step.rating
    if spec is not None and step.kind != "rest":
        for kind in spec.ask:
            act(lambda now, k=kind: runner.rate(now, k, rng.randint(3, 9)), 3)
    if turn % 7 == 3 and runner.state == "running":
        act(runner.pause, 2)
        act(runner.resume, 6)
    if turn == 4:
        act(runner.back, 1)
        return
    remaining = runner.remaining(runner.clock.monotonic())
    if remaining is None:
        act(runner.next, 20)
    elif turn % 5 == 2 and remaining > 4:  # let go of a hold; end any other step early
        act(runner.release if step.kind == "range" else runner.next, remaining / 2)
    else:
        if turn % 9 == 1 and runner.state == "running":
            act(lambda now: runner.extend(now, 10), 1)
            remaining = runner.remaining(runner.clock.monotonic()) or 0.0
        act(runner.poll, remaining + 0.25)
        if runner.state == "overtime":
            act(runner.next, 1)


def feed(sink: Callable[[Event], object], events: list[Event]) -> list[Event]:
    """Hand ``events`` to ``sink`` in order, as the app's session model hands each one on."""
    for event in events:
        sink(event)
    return events
