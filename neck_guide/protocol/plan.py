"""Expand a Protocol into the flat sequence of steps a session runs.

Sides become separate steps (all repetitions on the left, then all on the right), and each
repetition is its own step, with a short rest step between repetitions where the protocol asks
for one. Optional steps are in the plan only when chosen, and a precaution answered "yes" adds
its guidance to the steps it applies to. The engine only ever sees :class:`PlannedStep`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass, replace
from typing import Literal

from neck_guide.protocol.anatomy import MUSCLES, Side
from neck_guide.protocol.model import Phase, Protocol, RatingSpec, Step

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
    cautions: tuple[str, ...] = ()  # guidance of the precautions answered "yes" that apply here

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
    def shortest_s(self) -> float:
        """Shortest expected length: the minimum of a range hold, else as :attr:`planned_s`."""
        return self.min_s if self.min_s is not None else self.planned_s

    @property
    def rating(self) -> RatingSpec | None:
        """What this step asks to rate: never on a rest, only on a set's last repetition when the
        step rates once per set."""
        spec = self.step.rating
        if self.kind == "rest" or spec is None:
            return None
        if spec.per == "set" and self.repetition < self.repetitions:
            return None
        return spec

    @property
    def safety(self) -> str:
        """The step's safety note and the guidance of the precautions that apply to it."""
        if self.kind == "rest":
            return ""
        return " ".join(t for t in (self.step.safety, *self.cautions) if t)

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
    included: tuple[str, ...] = ()  # ids of the optional steps chosen
    precautions: tuple[str, ...] = ()  # ids of the precautions answered "yes"

    @property
    def planned_s(self) -> float:
        """The longest expected length (range holds at their maximum)."""
        return sum(s.planned_s for s in self.steps)

    @property
    def shortest_s(self) -> float:
        """The shortest expected length (range holds at their minimum)."""
        return sum(s.shortest_s for s in self.steps)

    def remaining_after(self, index: int) -> float:
        """Planned seconds of the steps after ``index``."""
        return sum(s.planned_s for s in self.steps[index + 1 :])


def expand(protocol: Protocol, include: Collection[str] = (), precautions: Collection[str] = ()) -> Plan:
    """The flat plan of ``protocol``; indices run 0..n-1 in the order the session runs.

    ``include`` names the optional steps chosen (the others are left out); ``precautions``
    the precaution questions answered "yes", whose guidance joins the steps they apply to.
    ValueError names an id that is not an optional step or a precaution of the protocol."""
    _check_ids(protocol, include, precautions)
    cautions = _cautions(protocol, precautions)
    steps: list[PlannedStep] = []
    for phase_index, phase in enumerate(protocol.phases):
        for step in phase.steps:
            if step.optional and step.id not in include:
                continue
            for side, rep, kind in _instances(step):
                planned = _planned(len(steps), phase, phase_index, step, side=side, rep=rep, kind=kind)
                steps.append(_with_cautions(planned, cautions.get(step.id, ())))
    chosen = tuple(s.id for s in protocol.optional_steps if s.id in include)
    asked = tuple(i.id for i in protocol.precautions if i.id in precautions)
    return Plan(protocol, tuple(steps), chosen, asked)


def expand_all(protocol: Protocol) -> Plan:
    """The plan with every optional step chosen (to show or time the whole protocol)."""
    return expand(protocol, include=[s.id for s in protocol.optional_steps])


def duration_range(protocol: Protocol) -> tuple[float, float]:
    """Shortest (no optional steps, holds at their minimum) and longest planned seconds."""
    return expand(protocol).shortest_s, expand_all(protocol).planned_s


def minutes_range(low_s: float, high_s: float) -> str:
    """``"42–54 min"``; one figure when both round to the same minute; seconds under a minute."""
    if high_s < 60:
        return f"{round(high_s)} s"
    low, high = round(low_s / 60), round(high_s / 60)
    return f"{high} min" if low == high else f"{low}–{high} min"


def _check_ids(protocol: Protocol, include: Collection[str], precautions: Collection[str]) -> None:
    optional = {s.id for s in protocol.optional_steps}
    for step_id in include:
        if step_id not in optional:
            known = ", ".join(sorted(optional)) or "none"
            raise ValueError(f"{step_id!r} is not an optional step of {protocol.id} (optional: {known})")
    known_precautions = {i.id for i in protocol.precautions}
    for item_id in precautions:
        if item_id not in known_precautions:
            known = ", ".join(sorted(known_precautions)) or "none"
            raise ValueError(f"{item_id!r} is not a precaution of {protocol.id} (precautions: {known})")


def _cautions(protocol: Protocol, precautions: Collection[str]) -> dict[str, tuple[str, ...]]:
    """Step id -> the guidance of the chosen precautions that apply to it."""
    out: dict[str, tuple[str, ...]] = {}
    for item in protocol.precautions:
        if item.id not in precautions:
            continue
        targets = item.applies_to or tuple(s.id for s in protocol.steps if s.muscle)
        for step_id in targets:
            out[step_id] = (*out.get(step_id, ()), item.action)
    return out


def _with_cautions(planned: PlannedStep, cautions: tuple[str, ...]) -> PlannedStep:
    if not cautions or planned.kind == "rest":
        return planned
    return replace(planned, cautions=cautions)


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
