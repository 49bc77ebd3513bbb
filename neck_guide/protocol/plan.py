"""Expand a Protocol into the flat sequence of steps a session runs.

Sides become separate steps (all repetitions on the left, then all on the right), and each
repetition is its own step, with a short rest step between repetitions where the protocol asks
for one. The engine only ever sees :class:`PlannedStep`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from neck_guide.protocol.anatomy import MUSCLES, Side
from neck_guide.protocol.model import Phase, Protocol, Step

StepKind = Literal["untimed", "fixed", "range", "breathing", "rest"]


@dataclass(frozen=True, slots=True)
class PlannedStep:
    """One step of the expanded plan, as the runner and the views see it."""

    index: int
    key: str
    phase: Phase
    phase_index: int
    step: Step
    kind: StepKind
    side: Side | None
    repetition: int
    repetitions: int
    min_s: float | None
    max_s: float | None

    @property
    def timed(self) -> bool:
        return self.kind != "untimed"

    @property
    def is_hold(self) -> bool:
        """A hold scored in practice mode: a range hold or a fixed one that is not rest."""
        return self.kind in ("range", "fixed")

    @property
    def auto_advance(self) -> bool:
        if self.kind == "rest":
            return True
        return self.step.auto_advance if self.step.auto_advance is not None else self.timed

    @property
    def planned_s(self) -> float:
        """Expected length: the maximum of a timed step, the estimate of an untimed one."""
        if self.max_s is not None:
            return self.max_s
        return self.step.estimate_s or 0.0

    @property
    def title(self) -> str:
        return "Rest" if self.kind == "rest" else self.step.title

    @property
    def technique(self) -> str:
        return "Rest and breathe" if self.kind == "rest" else self.step.technique

    @property
    def muscle_name(self) -> str | None:
        return MUSCLES[self.step.muscle].name if self.step.muscle else None

    @property
    def announcement(self) -> str:
        """A short spoken sentence: "Upper trapezius, left. Slow compression."."""
        if self.kind == "rest":
            return "Rest."
        head = self.muscle_name or self.step.title
        if self.side:
            head = f"{head}, {self.side}"
        return f"{head}. {self.step.technique}."


@dataclass(frozen=True, slots=True)
class Plan:
    protocol: Protocol
    steps: tuple[PlannedStep, ...]

    @property
    def planned_s(self) -> float:
        return sum(s.planned_s for s in self.steps)

    def remaining_after(self, index: int) -> float:
        """Planned seconds of the steps after ``index``."""
        return sum(s.planned_s for s in self.steps[index + 1 :])


def expand(protocol: Protocol) -> Plan:
    """The flat plan of ``protocol``; indices run 0..n-1 in the order the session runs."""
    steps: list[PlannedStep] = []
    for phase_index, phase in enumerate(protocol.phases):
        for step in phase.steps:
            for side, rep, kind in _instances(step):
                steps.append(_planned(len(steps), phase, phase_index, step, side=side, rep=rep, kind=kind))
    return Plan(protocol, tuple(steps))


def _instances(step: Step) -> Iterator[tuple[Side | None, int, StepKind]]:
    sides: tuple[Side | None, ...] = step.sides or (None,)
    for side in sides:
        for rep in range(1, step.repetitions + 1):
            yield side, rep, _kind(step)
            if rep < step.repetitions and step.rest_s > 0:
                yield side, rep, "rest"


def _kind(step: Step) -> StepKind:
    if step.hold is not None:
        return "range"
    if step.breathing is not None:
        return "breathing"
    if step.duration_s is not None:
        return "fixed"
    return "untimed"


def _planned(
    index: int,
    phase: Phase,
    phase_index: int,
    step: Step,
    *,
    side: Side | None,
    rep: int,
    kind: StepKind,
) -> PlannedStep:
    key = step.id + (f"-{side}" if side else "") + (f"-r{rep}" if step.repetitions > 1 else "")
    lo: float | None
    hi: float | None
    if kind == "rest":
        key += "-rest"
        lo = hi = step.rest_s
    elif step.hold is not None:
        lo, hi = step.hold.min_s, step.hold.max_s
    else:
        lo = hi = step.timed_s
    return PlannedStep(
        index=index,
        key=key,
        phase=phase,
        phase_index=phase_index,
        step=step,
        kind=kind,
        side=side,
        repetition=rep,
        repetitions=step.repetitions,
        min_s=lo,
        max_s=hi,
    )
