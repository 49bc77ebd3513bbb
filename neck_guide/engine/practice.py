"""Practice scoring: how well a trainee timed each hold of a session (pure).

In practice mode the trainee releases each range hold themselves; a hold scores "in range" when
its actual length (protocol seconds, pauses excluded) lies within the protocol's range. The
maximum ends a range hold by itself, so a hold completed there is in range, but at the edge.

A fixed hold has no range of its own; it is scored against its duration with a tolerance of
10 % or 1 s, whichever is larger (a 30 s hold: 27..33 s; a 5 s hold: 4..6 s). Extra time added
with extend() does not move the target: the score is against what the protocol asks.

Only holds are scored (range and fixed steps, not rest, breathing or untimed ones), and only
visits that ended by being completed or released (a fixed hold has no release: the trainee ends
it with Next, recorded "ended_early"): a hold skipped, gone back from, undone or cut short by the
end of the session was not a timing attempt. A visit that continues an earlier one (after an
undo or a resumed crash) is scored on the step's whole time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

from neck_guide.engine.record import SessionRecord, StepRecord

FIXED_TOLERANCE_FRACTION: Final = 0.10
FIXED_TOLERANCE_MIN_S: Final = 1.0
_EPS: Final = 1e-6  # records keep microseconds: a hold ended on its bound is on it

Verdict = Literal["short", "in_range", "long"]


@dataclass(frozen=True, slots=True)
class HoldScore:
    """One hold visit against its target range."""

    visit: int
    index: int
    key: str
    title: str
    side: str | None
    kind: Literal["range", "fixed"]
    actual_s: float
    low_s: float  # the target range, protocol seconds
    high_s: float
    end_reason: Literal["completed", "released", "ended_early"]
    error_s: float  # signed: negative released early, positive held too long, 0 in range

    @property
    def deviation_s(self) -> float:
        """Seconds outside the range (0 inside it)."""
        return abs(self.error_s)

    @property
    def in_range(self) -> bool:
        return self.error_s == 0.0

    @property
    def verdict(self) -> Verdict:
        if self.error_s < 0:
            return "short"
        return "long" if self.error_s > 0 else "in_range"

    @property
    def at_maximum(self) -> bool:
        """A range hold the maximum ended: in range, but at its edge."""
        return self.kind == "range" and self.end_reason == "completed" and self.in_range


@dataclass(frozen=True, slots=True)
class PracticeSummary:
    holds: tuple[HoldScore, ...]

    @property
    def scored(self) -> int:
        return len(self.holds)

    @property
    def in_range(self) -> int:
        return sum(1 for h in self.holds if h.in_range)

    @property
    def percent(self) -> float | None:
        """Share of holds in range, 0..100; None when no hold was scored."""
        return 100.0 * self.in_range / self.scored if self.holds else None

    @property
    def mean_abs_deviation_s(self) -> float | None:
        return sum(h.deviation_s for h in self.holds) / self.scored if self.holds else None

    @property
    def worst(self) -> HoldScore | None:
        """The hold furthest outside its range (the earliest of equals); None when all were in range."""
        out = [h for h in self.holds if not h.in_range]
        return max(out, key=lambda h: h.deviation_s) if out else None


def target_range(visit: StepRecord) -> tuple[float, float] | None:
    """The range a hold visit is scored against, or None when the visit is not a hold."""
    if visit.kind == "range" and visit.planned_min_s is not None and visit.planned_max_s is not None:
        return visit.planned_min_s, visit.planned_max_s
    if visit.kind == "fixed" and visit.planned_max_s is not None:
        duration = visit.planned_max_s
        tolerance = max(FIXED_TOLERANCE_MIN_S, FIXED_TOLERANCE_FRACTION * duration)
        return max(0.0, duration - tolerance), duration + tolerance
    return None


def score_visit(visit: StepRecord) -> HoldScore | None:
    """The score of one visit, or None when it is not a scored hold attempt."""
    bounds = target_range(visit)
    reason = visit.end_reason
    actual = visit.step_s
    if bounds is None or actual is None or visit.kind not in ("range", "fixed"):
        return None
    if not (reason in ("completed", "released") or (reason == "ended_early" and visit.kind == "fixed")):
        return None
    low, high = bounds
    error = 0.0
    if actual < low - _EPS:
        error = actual - low
    elif actual > high + _EPS:
        error = actual - high
    return HoldScore(
        visit=visit.visit,
        index=visit.index,
        key=visit.key,
        title=visit.title,
        side=visit.side,
        kind=visit.kind,
        actual_s=actual,
        low_s=low,
        high_s=high,
        end_reason=reason,
        error_s=round(error, 6),
    )


def score(record: SessionRecord) -> PracticeSummary:
    """The practice summary of a session: every hold attempt, in visit order."""
    scores = (score_visit(v) for v in record.steps)
    return PracticeSummary(tuple(s for s in scores if s is not None))
