"""End-of-hold timing against the real clock, under CPU load: the engine versus a naive countdown.

    python tests/benchmarks/bench_timing.py [--quick]

Method
- A 30-minute schedule (1800 protocol seconds: 55 steps of range holds that run to their 60 s maximum,
  30 s fixed holds and 10 s rests, both sides, two repetitions each) is run compressed with
  time_scale = 40 (45 s of real time; --quick: 180, 10 s), so each protocol second is 25 ms real.
- Two busy processes spin on the CPU the whole time (the machine has 2 cores), so the timing process
  competes for a core as the app would on a loaded laptop.
- Engine: SessionRunner on the SystemClock, driven the way the Qt precise single-shot timer drives
  it: sleep until runner.next_deadline(), then poll(now). The error of a hold's end is the moment
  the app learns the hold ended (poll returns StepEnded) minus the planned end, t0 + sum of planned
  lengths / scale. The end the record gets (the deadline StepEnded.at and the next StepStarted are
  stamped with, seen exactly as the monotonic due time of the hold's "Release" cue) is measured too.
- Naive: for each step, decrement a counter once per protocol second with time.sleep(1 / scale),
  starting the next step when it reaches 0, as a tick-counting countdown does.
- Floor: how late time.sleep() alone wakes under the same load, for 10 ms sleeps; the engine's
  driver cannot be more punctual than the operating system wakes it.
- Printed: median and p99 of the end-of-hold error in real milliseconds, and drift: how far the
  final end lands from the planned final end, and the sum of the per-hold errors.
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from neck_guide.engine.clock import SystemClock
from neck_guide.engine.events import CueDue, StepEnded
from neck_guide.engine.runner import SessionRunner
from neck_guide.protocol.model import Protocol
from neck_guide.protocol.plan import Plan, expand

BUSY_PROCESSES = 2


def thirty_minutes() -> Plan:
    """55 steps, 1800 protocol seconds of holds and rests."""
    both_sides: dict[str, Any] = {"sides": ["left", "right"], "repetitions": 2, "rest_s": 10}
    steps = [
        {
            "id": f"range{n}",
            "title": "Range hold",
            "technique": "Compress",
            "hold": {"min_s": 45, "max_s": 60},
        }
        | both_sides
        for n in range(4)
    ]
    steps += [
        {"id": f"fixed{n}", "title": "Fixed hold", "technique": "Press", "duration_s": 30} | both_sides
        for n in range(5)
    ]
    steps.append({"id": "last", "title": "Last hold", "technique": "Press", "duration_s": 60})
    protocol = {
        "schema_version": 1,
        "id": "bench",
        "title": "Bench",
        "version": "1.0",
        "summary": "A 30-minute schedule of holds.",
        "phases": [{"id": "all", "title": "All", "steps": steps}],
    }
    plan = expand(Protocol.model_validate(protocol))
    assert plan.planned_s == 1800, plan.planned_s
    return plan


def planned_ends(plan: Plan, start: float, scale: float) -> list[float]:
    ends, total = [], 0.0
    for step in plan.steps:
        total += step.planned_s
        ends.append(start + total / scale)
    return ends


def run_engine(plan: Plan, scale: float) -> dict[str, list[float]]:
    clock = SystemClock()
    runner = SessionRunner(plan, clock, time_scale=scale)
    start = clock.monotonic()
    runner.start(start)
    ends = planned_ends(plan, start, scale)
    noticed: dict[int, float] = {}
    recorded: dict[int, float] = {}
    woke: list[float] = []
    while (deadline := runner.next_deadline()) is not None:
        time.sleep(max(0.0, deadline - time.monotonic()))
        now = time.monotonic()
        woke.append(now - deadline)
        for event in runner.poll(now):
            if isinstance(event, StepEnded):
                noticed[event.visit.index] = now
            if isinstance(event, CueDue) and event.cue.kind in ("release", "maximum"):
                recorded[runner.record.steps[event.visit].index] = event.due  # the end the record gets
    holds = [s.index for s in plan.steps if s.is_hold]
    return {
        "noticed": [noticed[i] - ends[i] for i in holds],
        "recorded": [recorded[i] - ends[i] for i in holds],
        "final": [noticed[len(plan.steps) - 1] - ends[-1], recorded[len(plan.steps) - 1] - ends[-1]],
        "every": woke,
    }


def run_naive(plan: Plan, scale: float) -> dict[str, list[float]]:
    start = time.monotonic()
    ends = planned_ends(plan, start, scale)
    observed: list[float] = []
    own: list[float] = []
    for step in plan.steps:
        step_start = time.monotonic()
        counter = round(step.planned_s)
        while counter > 0:
            time.sleep(1 / scale)
            counter -= 1
        observed.append(time.monotonic())
        own.append(observed[-1] - (step_start + step.planned_s / scale))
    holds = [s.index for s in plan.steps if s.is_hold]
    return {
        "noticed": [observed[i] - ends[i] for i in holds],
        "own": [own[i] for i in holds],
        "final": [observed[-1] - ends[-1]],
    }


def run_sleep_floor(count: int) -> dict[str, list[float]]:
    """How late time.sleep() itself wakes for a deadline 10 ms ahead: the floor any driver sits on."""
    late = []
    for _ in range(count):
        deadline = time.monotonic() + 0.010
        time.sleep(max(0.0, deadline - time.monotonic()))
        late.append(time.monotonic() - deadline)
    return {"late": late}


def _spin(stop: Any) -> None:
    x = 0
    while not stop.is_set():
        for _ in range(200_000):
            x += 1


def under_load(work: Callable[[], dict[str, list[float]]]) -> dict[str, list[float]]:
    stop = multiprocessing.Event()
    busy = [multiprocessing.Process(target=_spin, args=(stop,), daemon=True) for _ in range(BUSY_PROCESSES)]
    for process in busy:
        process.start()
    time.sleep(0.5)  # let them get going
    try:
        return work()
    finally:
        stop.set()
        for process in busy:
            process.join(timeout=5)


def ms(values: list[float]) -> str:
    data = sorted(v * 1000 for v in values)
    p99 = data[min(len(data) - 1, round(0.99 * (len(data) - 1)))]
    return (
        f"median {statistics.median(data):8.2f} ms   p99 {p99:8.2f} ms   "
        f"max {data[-1]:8.2f} ms   (n={len(data)})"
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="compress 180x (10 s per run) instead of 40x")
    args = parser.parse_args()
    scale = 180.0 if args.quick else 40.0
    plan = thirty_minutes()
    print(f"schedule: {len(plan.steps)} steps, {plan.planned_s:g} protocol s, time_scale {scale:g}")
    print(f"real time per run: {plan.planned_s / scale:.1f} s; busy processes: {BUSY_PROCESSES}\n")
    engine = under_load(lambda: run_engine(plan, scale))
    naive = under_load(lambda: run_naive(plan, scale))
    floor = under_load(lambda: run_sleep_floor(300 if args.quick else 1500))
    print("end-of-hold error (late +), real milliseconds")
    print(f"  engine, when the app learns of it : {ms(engine['noticed'])}")
    print(f"  engine, end in the record         : {ms(engine['recorded'])}")
    print(f"  engine, every deadline (cues too) : {ms(engine['every'])}")
    print(f"  time.sleep alone, same load       : {ms(floor['late'])}")
    print(f"  naive, against the schedule       : {ms(naive['noticed'])}")
    print(f"  naive, against its own start      : {ms(naive['own'])}")
    print("drift of the final end from the planned end")
    print(
        f"  engine: learnt {engine['final'][0] * 1000:.2f} ms late; recorded end "
        f"{engine['final'][1] * 1000:+.4f} ms; "
        f"sum of recorded errors {sum(engine['recorded']) * 1000:+.4f} ms"
    )
    print(
        f"  naive : {naive['final'][0] * 1000:.2f} ms late "
        f"({naive['final'][0] * scale:.2f} protocol s); "
        f"sum of per-hold errors {sum(naive['own']) * 1000:.2f} ms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
