"""Which visit a 1-10 rating belongs to, and what it means against the step's target band.

A therapist often rates a hold a moment after it ended (during the rest that follows), so a rating
goes to the current visit only if its step asks for that kind of rating; otherwise to the most recent
visit whose step does; failing both, to the current (or last) visit.
"""

from __future__ import annotations

from neck_guide.engine.record import Rating, SessionRecord, StepRecord
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
