"""Which visit a 1-10 rating belongs to, what it means against the step's target band, and every
rating of a session as one table (:func:`rating_rows`) for the screens and the exports.

A therapist often rates a hold a moment after it ended (during the rest that follows), so a rating
goes to the current visit only if its step asks for that kind of rating; otherwise to the most recent
visit whose step does; failing both, to the current (or last) visit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from neck_guide.engine.record import Rating, SessionRecord, Standing, StepRecord
from neck_guide.protocol.model import RATING_MAX, RATING_MIN, RatingKind
from neck_guide.protocol.plan import Plan, PlannedStep


def check_rating(value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not RATING_MIN <= value <= RATING_MAX:
        raise ValueError(f"a rating is a whole number {RATING_MIN}..{RATING_MAX}, got {value!r}")


def asks(planned: PlannedStep, kind: RatingKind) -> bool:
    """Whether the step asks for ``kind`` ratings (a rest between repetitions never does, nor a
    repetition before the last of a step rated once per set)."""
    spec = planned.rating
    return spec is not None and kind in spec.ask


def rating_target(
    plan: Plan, record: SessionRecord, current: StepRecord | None, kind: RatingKind
) -> StepRecord | None:
    """The visit a ``kind`` rating goes to now; None when the session has no visit yet."""
    if current is not None and asks(plan.steps[current.index], kind):
        return current
    for visit in reversed(record.steps):
        if asks(plan.steps[visit.index], kind):
            return visit
    if current is not None:
        return current
    return record.steps[-1] if record.steps else None


def rating_for(planned: PlannedStep, kind: RatingKind, value: int, at: str, visit: int) -> Rating:
    """A rating of a visit of ``planned``, with its ease-off flag and whether it is on target."""
    check_rating(value)
    spec = planned.step.rating
    limit = spec.ease_off_at if spec is not None else None
    ease_off = limit is not None and value > limit
    in_target = None
    if spec is not None and spec.target is not None:
        low, high = spec.target
        in_target = low <= value <= high
    return Rating(kind=kind, value=value, at=at, visit=visit, ease_off=ease_off, in_target=in_target)


# -- every rating, with its context: the one table the screens and every export read -------------


@dataclass(frozen=True, slots=True)
class RatingRow:
    """One rating as given, where and when: nothing is dropped (a correction and an undone rating
    keep their row, marked by ``standing``)."""

    number: int  # from 1, in the order given in the session
    kind: RatingKind
    value: int
    at: str
    minute: float  # minutes from the session's start (charts)
    step_number: int
    visit_number: int
    title: str
    muscle: str | None
    side: str | None
    repetition: int
    in_target: bool | None
    ease_off: bool
    corrects: int | None
    standing: Standing


def rating_rows(record: SessionRecord) -> list[RatingRow]:
    """Every rating of ``record`` in the order given."""
    start = datetime.fromisoformat(record.started_at)
    visits = {v.visit: v for v in record.steps}
    rows = []
    for r in record.ratings():
        v = visits[r.visit]
        minute = round((datetime.fromisoformat(r.at) - start).total_seconds() / 60, 3)
        row = RatingRow(
            number=r.number, kind=r.kind, value=r.value, at=r.at, minute=minute,
            step_number=v.index + 1, visit_number=v.visit + 1, title=v.title, muscle=v.muscle,
            side=v.side, repetition=v.repetition, in_target=r.in_target, ease_off=r.ease_off,
            corrects=r.corrects, standing=record.standing(r),
        )  # fmt: skip
        rows.append(row)
    return rows
