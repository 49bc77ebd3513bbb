"""Hypothesis: whatever the therapist presses, whenever the app polls, the record stays sound.

Random small protocols run under random sequences of controls, clock moves and polls (on time,
late, or just before a deadline). After every action the record must be consistent, and every
step that ended by itself must have ended exactly on its deadline: start + length / scale + time
paused, to the millisecond, however late poll() was called.

Clock moves are whole milliseconds and every protocol time is a multiple of 0.5 s, so every true
instant falls on a millisecond and wall times can be compared exactly.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import pytest
from engine_builders import breathing, fixed, hold, untimed, without_beats
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from neck_guide.engine.clock import FakeClock
from neck_guide.engine.cues import schedule
from neck_guide.engine.events import CueDue, Event, SessionEnded, StepEnded
from neck_guide.engine.record import SessionRecord, StepRecord
from neck_guide.engine.runner import HEARTBEAT_S, SessionRunner
from neck_guide.protocol.model import Protocol
from neck_guide.protocol.plan import Plan, expand

SCALES = [0.5, 1.0, 2.0, 2.5, 4.0, 10.0]
HALVES = st.integers(1, 40).map(lambda n: n / 2)


@st.composite
def steps(draw: st.DrawFn, n: int, timed_only: bool = False) -> dict[str, Any]:
    sid = f"s{n}"
    kind = draw(st.sampled_from(["range", "fixed", "breathing"] + ([] if timed_only else ["untimed"])))
    if kind == "range":
        low = draw(HALVES)
        extra: dict[str, Any] = {}
        if draw(st.booleans()):
            extra["rating"] = {"ask": ["pressure"], "target": [5, 7], "ease_off_above": 7}
        if draw(st.booleans()):
            extra |= {"sides": ["left", "right"]}
        if draw(st.booleans()):
            extra |= {"repetitions": 2, "rest_s": draw(HALVES)}
        return hold(sid, low, low + draw(st.sampled_from([0, 1, 5, 20])), **extra)
    if kind == "fixed":
        waits = st.just(None) if timed_only else st.sampled_from([None, None, False])
        return fixed(sid, draw(HALVES), auto_advance=draw(waits))
    if kind == "breathing":
        return breathing(
            sid,
            inhale_s=draw(HALVES),
            hold_s=draw(st.sampled_from([0, 1.5])),
            exhale_s=draw(HALVES),
            rest_s=draw(st.sampled_from([0, 0.5])),
            cycles=draw(st.integers(1, 3)),
        )
    return untimed(sid, cues=[{"at_s": draw(HALVES), "text": "Check in."}] if draw(st.booleans()) else [])


@st.composite
def plans(draw: st.DrawFn, timed_only: bool = False) -> Plan:
    count = draw(st.integers(1, 4))
    protocol = {
        "schema_version": 1,
        "id": "prop",
        "title": "Property",
        "version": "1.0",
        "summary": "Generated.",
        "phases": [{"id": "p", "title": "P", "steps": [draw(steps(n, timed_only)) for n in range(count)]}],
    }
    return expand(Protocol.model_validate(protocol))


# Time passing and polling are drawn most often, so steps get the chance to end by themselves.
TIME = st.one_of(
    st.tuples(st.just("advance"), st.integers(0, 30_000)),
    st.tuples(st.just("advance"), st.integers(0, 300)),
    st.tuples(st.sampled_from(["poll", "poll_on_time", "poll_just_before"])),
)
GENTLE = st.one_of(
    st.tuples(st.sampled_from(["toggle", "pause", "resume"])),
    st.tuples(st.just("extend"), st.sampled_from([0.5, 1.0, 5.0, 12.5])),
    st.tuples(st.just("rate"), st.sampled_from(["pressure", "pain"]), st.integers(1, 10)),
    st.tuples(st.just("auto"), st.booleans()),
)
JUMPS = st.one_of(
    st.tuples(st.sampled_from(["start", "release", "next", "back", "skip", "crash", "undo"])),
    st.tuples(st.just("goto"), st.integers(0, 30)),
)
ACTIONS = st.one_of(TIME, TIME, TIME, GENTLE, GENTLE, JUMPS)
EXPLICIT_END = {"next", "toggle", "finish", "abandon"}  # the last "completed" they emit is their own


@dataclass
class Session:
    plan: Plan
    clock: FakeClock
    runner: SessionRunner
    explicit: set[int] = field(default_factory=set)  # visits a control ended as "completed"
    cue_events: list[CueDue] = field(default_factory=list)

    @property
    def now(self) -> float:
        return self.clock.monotonic()

    def act(self, action: tuple[Any, ...]) -> None:
        name, runner, now = action[0], self.runner, self.now
        if name == "advance":
            self.clock.advance(action[1] / 1000)
            return
        if name == "crash":
            self.crash()
            return
        if name in ("poll_on_time", "poll_just_before"):
            self.poll_around_deadline(name == "poll_on_time")
            return
        if name == "auto":
            runner.auto_advance = action[1]
            return
        calls: dict[str, Any] = {
            "poll": lambda: runner.poll(now),
            "start": lambda: runner.start(now),
            "toggle": lambda: runner.toggle(now),
            "pause": lambda: runner.pause(now),
            "resume": lambda: runner.resume(now),
            "release": lambda: runner.release(now),
            "next": lambda: runner.next(now),
            "back": lambda: runner.back(now),
            "skip": lambda: runner.skip(now),
            "finish": lambda: runner.finish(now),
            "abandon": lambda: runner.abandon(now),
            "goto": lambda: runner.goto(now, action[1] % len(self.plan.steps)),
            "extend": lambda: runner.extend(now, action[1]),
            "undo": lambda: runner.undo(now),
            "rate": lambda: runner.rate(now, action[1], action[2]),
        }
        self.took(name, calls[name]())

    def took(self, name: str, events: list[Event]) -> None:
        times = [datetime.fromisoformat(e.at) for e in events]
        assert times == sorted(times), f"{name} emitted events out of time order"
        assert all(t <= self.clock.wall() + timedelta(microseconds=1) for t in times), (
            "an event from the future"
        )
        self.cue_events += [e for e in events if isinstance(e, CueDue)]
        ends = [e for e in events if isinstance(e, StepEnded)]
        if name in EXPLICIT_END and ends and ends[-1].visit.end_reason == "completed":
            self.explicit.add(ends[-1].visit.visit)

    def poll_around_deadline(self, on_time: bool) -> None:
        deadline = self.runner.next_deadline()
        if deadline is None:
            return
        if on_time:
            self.clock.set(max(self.now, deadline))
            events = self.runner.poll(self.now)
            assert events, "nothing happened at the deadline next_deadline() announced"
        elif deadline - 0.001 >= self.now:
            self.clock.set(deadline - 0.001)
            events = self.runner.poll(self.now)
            assert events == [], "poll() emitted something before next_deadline()"
            assert self.runner.next_deadline() == deadline
        else:
            return
        self.took("poll", events)
        after = self.runner.next_deadline()
        assert after is None or after > self.now

    def crash(self) -> None:
        """The app dies; a new one resumes from the stored record (if the session was running)."""
        stored = SessionRecord.from_dict(self.runner.record.to_dict())
        if stored.status != "running":
            return
        self.runner = SessionRunner.from_record(
            self.plan, self.clock, stored, auto_advance=self.runner.auto_advance
        )
        assert self.runner.state == "ready"


def iso(at: str | None) -> datetime:
    assert at is not None
    return datetime.fromisoformat(at)


def deadline_of(visit: StepRecord, scale: float) -> datetime:
    """Where a visit's end falls: start + (planned + extended - carried over) / scale + time paused."""
    assert visit.planned_max_s is not None
    paused = sum((iso(p.ended_at) - iso(p.started_at) for p in visit.pauses), timedelta())
    length = max(0.0, visit.planned_max_s + visit.extended_s - visit.carried_s)  # may resume in overtime
    return iso(visit.started_at) + timedelta(seconds=length / scale) + paused


def check_record(session: Session) -> None:
    runner, record = session.runner, session.runner.record
    scale = record.time_scale
    visits = record.steps
    assert [v.visit for v in visits] == list(range(len(visits)))
    open_visits = [v for v in visits if v.ended_at is None]
    assert len(open_visits) <= 1 and (not open_visits or open_visits[0] is visits[-1])
    assert (runner.visit is not None) == (runner.state in ("running", "paused", "overtime"))
    assert open_visits == ([runner.visit] if runner.visit is not None else [])
    for before, after in itertools.pairwise(visits):
        assert iso(after.started_at) >= iso(before.ended_at)
    for visit in visits:
        assert session.plan.steps[visit.index].key == visit.key
        check_pauses(visit, scale, runner.state == "paused" and visit is runner.visit)
        assert all(1 <= r.value <= 10 and r.visit == visit.visit for r in visit.ratings)
        if visit.ended_at is not None:
            check_ended(session, visit, scale)


def check_pauses(visit: StepRecord, scale: float, paused_now: bool) -> None:
    for n, pause in enumerate(visit.pauses):
        if pause.ended_at is None:
            assert paused_now and n == len(visit.pauses) - 1, "a pause left open"
            continue
        assert iso(pause.ended_at) >= iso(pause.started_at)
        if pause.duration_s is not None:
            real = (iso(pause.ended_at) - iso(pause.started_at)).total_seconds()
            assert abs(pause.duration_s - real * scale) < 1e-5 * max(1.0, scale)


def check_ended(session: Session, visit: StepRecord, scale: float) -> None:
    assert iso(visit.ended_at) >= iso(visit.started_at)
    assert visit.actual_s is not None
    paused = sum((iso(p.ended_at) - iso(p.started_at) for p in visit.pauses), timedelta())
    ran = (iso(visit.ended_at) - iso(visit.started_at) - paused).total_seconds() * scale
    tolerance = 1e-5 * max(1.0, scale)
    if visit.end_reason == "interrupted":  # cut off by a crash: the time at its last heartbeat or pause
        assert -tolerance < ran - visit.actual_s <= HEARTBEAT_S * scale + tolerance
        return
    assert visit.actual_s >= 0 and abs(visit.actual_s - ran) < tolerance
    if visit.end_reason != "completed":
        return
    if visit.planned_max_s is None:  # an untimed step is completed by Next, never by itself
        assert visit.visit in session.explicit
        return
    deadline = deadline_of(visit, scale)
    if visit.visit in session.explicit:  # next() on a step waiting in overtime
        assert iso(visit.ended_at) >= deadline
        return
    # ended by itself: exactly on its deadline, and the next visit (or the session end) starts there
    assert visit.ended_at == deadline.isoformat(timespec="milliseconds")
    planned = (visit.planned_max_s or 0) + visit.extended_s
    assert visit.actual_s == pytest.approx(max(0.0, planned - visit.carried_s))
    following = [v for v in session.runner.record.steps if v.visit == visit.visit + 1]
    if following:
        assert following[0].started_at == visit.ended_at
    else:
        assert session.runner.record.ended_at == visit.ended_at
    if visit.extended_s == 0 and visit.continues is None:
        heard = [e.cue for e in session.cue_events if e.visit == visit.visit]
        assert heard == schedule(session.plan, visit.index)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    plan=plans(), scale=st.sampled_from(SCALES), actions=st.lists(ACTIONS, max_size=80), end=st.integers(0, 2)
)
def test_any_sequence_of_controls_keeps_the_record_sound(
    plan: Plan, scale: float, actions: list[tuple[Any, ...]], end: int
) -> None:
    clock = FakeClock()
    session = Session(plan, clock, SessionRunner(plan, clock, time_scale=scale, practice=True))
    for action in [("start",), *actions]:
        session.act(action)
        check_record(session)
    session.act((["poll", "finish", "abandon"][end],))
    check_record(session)


PAUSE_OR_EXTEND = st.one_of(
    st.tuples(st.just("pause_for"), st.integers(0, 20_000)),
    st.tuples(st.just("extend"), st.sampled_from([0.5, 1.0, 5.0, 12.5])),
)


@settings(max_examples=300, deadline=None)
@given(
    plan=plans(timed_only=True),
    scale=st.sampled_from(SCALES),
    actions=st.lists(st.one_of(TIME, PAUSE_OR_EXTEND), max_size=40),
)
def test_every_step_that_ends_by_itself_ends_on_its_deadline(
    plan: Plan, scale: float, actions: list[tuple[Any, ...]]
) -> None:
    """Pauses, extensions and polls however late: each step ends at start + length/scale + paused."""
    clock = FakeClock()
    session = Session(plan, clock, SessionRunner(plan, clock, time_scale=scale))
    session.act(("start",))
    for action in actions:
        if action[0] == "pause_for":
            session.act(("pause",))
            clock.advance(action[1] / 1000)
            session.act(("resume",))
        else:
            session.act(action)
        check_record(session)
    session.act(("advance", 10_000_000))
    session.act(("poll",))
    check_record(session)
    record = session.runner.record
    assert record.status == "finished" and session.explicit == set()
    assert [(v.index, v.end_reason) for v in record.steps] == [
        (i, "completed") for i in range(len(plan.steps))
    ]


@settings(max_examples=200, deadline=None)
@given(
    plan=plans(),
    scale=st.sampled_from(SCALES),
    auto=st.booleans(),
    waits_ms=st.lists(st.integers(0, 20_000), min_size=1, max_size=40),
)
def test_next_deadline_is_exactly_when_poll_has_something(
    plan: Plan, scale: float, auto: bool, waits_ms: list[int]
) -> None:
    """Following next_deadline() hears exactly what a late or an eager poller hears, at the same times."""
    clocks = [FakeClock(), FakeClock()]
    runners = [SessionRunner(plan, c, time_scale=scale, auto_advance=auto) for c in clocks]
    heard: list[list[Event]] = [
        runner.start(clock.monotonic()) for runner, clock in zip(runners, clocks, strict=True)
    ]
    for wait in waits_ms:  # the punctual one follows the deadlines, the other polls at random moments
        target = clocks[1].advance(wait / 1000)
        while (deadline := runners[0].next_deadline()) is not None and deadline <= target:
            clocks[0].set(max(clocks[0].monotonic(), deadline))
            events = runners[0].poll(clocks[0].monotonic())
            assert events, "next_deadline() announced a moment at which nothing happened"
            heard[0] += events
        clocks[0].set(target)
        assert runners[0].poll(target) == []
        heard[1] += runners[1].poll(target)
    # heartbeats aside (a late poller sends only the latest one due), both heard the same at the same times
    assert [_comparable(e) for e in without_beats(heard[0])] == [
        _comparable(e) for e in without_beats(heard[1])
    ]
    assert not any(isinstance(e, SessionEnded) for e in heard[0][:-1])


def _comparable(event: Event) -> tuple[str, str]:
    return type(event).__name__, event.at
