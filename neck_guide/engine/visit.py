"""The timing of one visit of a step: every deadline from its start, its pauses and its end.

A visit started at monotonic ``t0`` reaches protocol second ``p`` at ``t0 + p / scale + paused``,
where ``paused`` is the real time spent paused so far. Nothing here counts ticks: elapsed time,
remaining time and every due instant are computed from that one formula, so a late caller sees
the same deadlines as a punctual one.

A visit keeps its pending *marks*, the moments the runner must act on, in time order: its cues,
a range hold's minimum, and the step's end.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Final, Literal

from neck_guide.engine.events import Cue
from neck_guide.engine.record import EndReason, Pause, StepRecord
from neck_guide.protocol.model import Breathing
from neck_guide.protocol.plan import PlannedStep

MarkKind = Literal["cue", "minimum", "end"]
BreathPhase = Literal["inhale", "hold", "exhale", "rest"]
_RANK: Final[dict[MarkKind, int]] = {"cue": 0, "minimum": 1, "end": 2}  # order at one instant
_EPS: Final = 1e-9


@dataclass(frozen=True, slots=True)
class Mark:
    """A moment of a visit the runner acts on, in protocol seconds from the visit's start."""

    at_s: float
    kind: MarkKind
    cue: Cue | None = None

    @property
    def key(self) -> tuple[float, int, str]:
        return (self.at_s, _RANK[self.kind], self.cue.kind if self.cue else "")


def marks(planned: PlannedStep, cues: list[Cue], end_s: float | None) -> list[Mark]:
    """The marks of a visit of ``planned`` whose step ends at ``end_s`` (None: untimed)."""
    out = [Mark(c.at_s, "cue", c) for c in cues]
    if planned.kind == "range" and planned.min_s is not None:
        out.append(Mark(planned.min_s, "minimum"))
    if end_s is not None:
        out.append(Mark(end_s, "end"))
    return sorted(out, key=lambda m: m.key)


@dataclass(frozen=True, slots=True)
class Carry:
    """Where a visit that continues an earlier one picks the step up: the earlier visit, the
    protocol seconds the step had run, its end (with any extension) and that extension."""

    visit: int
    carried_s: float
    end_s: float | None
    extended_s: float


@dataclass(slots=True)
class VisitClock:
    """Protocol time of one visit, derived from its start, its pauses and the time scale.

    A visit that continues an earlier one starts at protocol second ``offset_s`` (the time the
    step had already run), so its deadlines and elapsed time carry on from there."""

    started: float
    scale: float
    end_s: float | None
    paused_real: float = 0.0
    paused_since: float | None = None
    offset_s: float = 0.0

    def due(self, at_s: float) -> float:
        """The monotonic instant protocol second ``at_s`` is reached (pauses so far included)."""
        return self.started + (at_s - self.offset_s) / self.scale + self.paused_real

    def elapsed(self, now: float) -> float:
        """Protocol seconds of the step run by ``now``, pauses excluded (frozen while paused)."""
        until = now if self.paused_since is None else self.paused_since
        return self.offset_s + max(0.0, (until - self.started - self.paused_real) * self.scale)

    def pause(self, now: float) -> None:
        self.paused_since = now

    def resume(self, now: float) -> float:
        """Ends the pause; returns its length in real seconds."""
        if self.paused_since is None:
            return 0.0
        real = max(0.0, now - self.paused_since)
        self.paused_real += real
        self.paused_since = None
        return real


@dataclass(slots=True)
class Visit:
    """The live state of the current visit: its record, its clock and what is still due."""

    record: StepRecord
    planned: PlannedStep
    clock: VisitClock
    pending: list[Mark]
    emitted: set[tuple[float, int, str]] = field(default_factory=set)
    at_end: bool = False  # the end mark has fired (the step reached its end)

    @classmethod
    def open(
        cls,
        planned: PlannedStep,
        cues: list[Cue],
        now: float,
        scale: float,
        carry: Carry | None = None,
    ) -> Visit:
        """A visit of ``planned`` starting at ``now`` (picking the step up where ``carry`` says);
        the caller numbers and time-stamps its record."""
        record = visit_record(planned, number=0, started_at="")
        if carry is None:
            return cls(
                record, planned, VisitClock(now, scale, planned.max_s), marks(planned, cues, planned.max_s)
            )
        end_s = carry.end_s
        record.carried_s, record.continues, record.extended_s = carry.carried_s, carry.visit, carry.extended_s
        record.min_reached = planned.kind == "range" and (planned.min_s or 0.0) <= carry.carried_s
        pending = [
            m
            for m in marks(planned, cues, end_s)
            if m.at_s > carry.carried_s or (m.kind == "end" and m.at_s >= carry.carried_s - _EPS)
        ]
        if end_s is not None and end_s < carry.carried_s:  # it was in overtime: the end is now
            pending = sorted([*pending, Mark(carry.carried_s, "end")], key=lambda m: m.key)
        clock = VisitClock(now, scale, end_s, offset_s=carry.carried_s)
        return cls(record, planned, clock, pending)

    def next_due(self) -> float | None:
        """The instant of the first pending mark; None while paused or when nothing is pending."""
        if self.clock.paused_since is not None or not self.pending:
            return None
        return self.clock.due(self.pending[0].at_s)

    def upcoming(self) -> list[tuple[Cue, float]]:
        """The cues still pending, each with the instant it will be due (none while paused)."""
        if self.clock.paused_since is not None:
            return []
        return [(m.cue, self.clock.due(m.at_s)) for m in self.pending if m.cue is not None]

    def ends(self) -> float | None:
        """The instant the visit will reach its end; None if untimed, paused or already there."""
        if self.clock.paused_since is not None or self.at_end:
            return None
        end = next((m for m in self.pending if m.kind == "end"), None)
        return None if end is None else self.clock.due(end.at_s)

    def take_due(self, now: float) -> Mark | None:
        """Removes and returns the first pending mark if it is due at or before ``now``."""
        due = self.next_due()
        if due is None or due > now:
            return None
        mark = self.pending.pop(0)
        self.emitted.add(mark.key)
        if mark.kind == "end":
            self.at_end = True
        return mark

    def pause(self, now: float, at: str) -> None:
        self.clock.pause(now)
        self.record.pauses.append(Pause(at))

    def close_pause(self, now: float, at: str) -> float:
        """Ends the open pause; returns its length in protocol seconds."""
        paused_s = round(self.clock.resume(now) * self.clock.scale, 6)
        pause = self.record.pauses[-1]
        pause.ended_at, pause.duration_s = at, paused_s
        return paused_s

    def ran_s(self, now: float) -> float:
        """Protocol seconds this visit has run by ``now`` (not counting what it carried over)."""
        return round(self.clock.elapsed(now) - self.clock.offset_s, 6)

    def close(self, now: float, at: str, reason: EndReason, step_s: float | None = None) -> None:
        """Ends the visit at ``now`` (``step_s``: the step's second it ended on, when exactly on a mark)."""
        if self.clock.paused_since is not None:
            self.close_pause(now, at)
        self.record.ended_at = at
        ran = self.ran_s(now) if step_s is None else round(step_s - self.clock.offset_s, 6)
        self.record.actual_s = ran
        self.record.end_reason = reason

    def carry(self) -> Carry:
        """What a visit continuing this (ended) one picks up."""
        return Carry(
            visit=self.record.visit,
            carried_s=round(self.clock.offset_s + (self.record.actual_s or 0.0), 6),
            end_s=self.clock.end_s,
            extended_s=self.record.extended_s,
        )

    def extend(self, now: float, seconds: float, cues_until: Callable[[float], list[Cue]]) -> None:
        """Moves the end ``seconds`` later (from now once the end was reached) and re-plans what is
        still to come from ``cues_until(new_end)``."""
        end_s, planned_max = self.clock.end_s, self.planned.max_s
        if end_s is None or planned_max is None:
            return
        if self.at_end:
            end_s = max(end_s, self.clock.elapsed(now))
        self.move_end(now, end_s + seconds, round(end_s + seconds - planned_max, 6), cues_until)

    def move_end(
        self, now: float, end_s: float, extended_s: float, cues_until: Callable[[float], list[Cue]]
    ) -> None:
        """Sets the step's end (to now at the earliest: an end moved into the past is reached now,
        never back-dated) and re-plans what is still to come."""
        passed = self.clock.elapsed(now)
        end_s = max(end_s, passed)
        self.clock.end_s = end_s
        self.at_end = False
        self.emitted = {key for key in self.emitted if key[1] != _RANK["end"]}  # the end is armed again
        self.pending = [
            m
            for m in marks(self.planned, cues_until(end_s), end_s)
            if m.key not in self.emitted and m.at_s >= passed - _EPS
        ]
        self.record.extended_s = extended_s


def breathing_phase(
    pattern: Breathing, elapsed: float, end_s: float | None
) -> tuple[BreathPhase, float, float]:
    """(phase, fraction of it done 0..1, protocol seconds left in it) at ``elapsed``."""
    phases: list[tuple[BreathPhase, float]] = [
        ("inhale", pattern.inhale_s),
        ("hold", pattern.hold_s),
        ("exhale", pattern.exhale_s),
        ("rest", pattern.rest_s),
    ]
    phases = [(name, length) for name, length in phases if length > 0]
    done = end_s is not None and elapsed >= end_s
    position = (end_s if done and end_s is not None else elapsed) % pattern.cycle_s
    if done and position < _EPS:
        position = pattern.cycle_s  # the end falls on a cycle boundary: the last phase is complete
    for name, length in phases:
        if position < length:
            return name, position / length, length - position
        position -= length
    name, _ = phases[-1]
    return name, 1.0, 0.0


def visit_record(planned: PlannedStep, number: int, started_at: str) -> StepRecord:
    """The record of a new visit of ``planned``, numbered ``number``."""
    return StepRecord(
        visit=number,
        index=planned.index,
        key=planned.key,
        phase_id=planned.phase.id,
        phase_title=planned.phase.title,
        step_id=planned.step.id,
        title=planned.title,
        technique=planned.technique,
        muscle=planned.step.muscle,
        side=planned.side,
        kind=planned.kind,
        repetition=planned.repetition,
        repetitions=planned.repetitions,
        planned_min_s=planned.min_s,
        planned_max_s=planned.max_s,
        started_at=started_at,
    )
