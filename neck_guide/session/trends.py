"""Progress across a course of care: each outcome measure's trend, the change since intake, and
where a change passes the measure's minimal clinically important difference (MCID).

The MCID of each measure is in its questionnaire file with its published source (``neck-guide
questionnaires`` lists them; the README's "Outcome measures for clinics" gives the table): NDI 9.5
points of 50 (19 percentage points) and pain 1.3 points (Cleland, Childs and Whitman 2008), PSFS 2
points (Stratford and others 1995). A point is marked when its distance from the first point (the
intake) is *more* than the MCID, in either direction; whether that is better or worse follows the
measure's direction. Pain joins two sources of the same item (LOINC 72514-3): the pain
questionnaire and the pain given before each treatment session. Practice sessions are left out.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from neck_guide.questionnaire.model import Better, Questionnaire
from neck_guide.questionnaire.response import ResponseRecord
from neck_guide.store.models import SessionSummary

PAIN_ID = "pain"  # the questionnaire whose item the pre-session pain is
Source = Literal["questionnaire", "session"]


@dataclass(frozen=True, slots=True)
class TrendPoint:
    at: str  # ISO 8601 with offset
    value: float
    source: Source
    beyond_mcid: bool  # more than the MCID away from the first point


@dataclass(frozen=True, slots=True)
class Trend:
    """One measure over the course: its points in time order and how to read them."""

    measure: str
    title: str
    short_title: str
    low: float
    high: float
    better: Better
    mcid: float
    mcid_source: str
    points: tuple[TrendPoint, ...]

    @property
    def change(self) -> float | None:
        """Latest minus first (None with fewer than two points)."""
        if len(self.points) < 2:
            return None
        return round(self.points[-1].value - self.points[0].value, 1)

    @property
    def improved(self) -> bool | None:
        """Whether the change since intake is for the better (None: no change to speak of)."""
        change = self.change
        if not change:
            return None
        return change < 0 if self.better == "lower" else change > 0

    @property
    def beyond_mcid(self) -> bool:
        return bool(self.points) and self.points[-1].beyond_mcid

    def summary(self) -> str:
        """``NDI 24 → 12 since intake (−12: better, more than the MCID of 9.5)``."""
        if not self.points:
            return f"{self.short_title}: not measured yet"
        first, last = self.points[0].value, self.points[-1].value
        if len(self.points) == 1:
            return f"{self.short_title} {_num(first)} at intake"
        change = self.change or 0.0
        sign = "+" if change > 0 else "−" if change < 0 else "±"
        way = {True: "better", False: "worse", None: "no change"}[self.improved]
        clinical = "more than" if self.beyond_mcid else "within"
        return (
            f"{self.short_title} {_num(first)} → {_num(last)} since intake ({sign}{_num(abs(change))}: "
            f"{way}, {clinical} the MCID of {_num(self.mcid)})"
        )


def _num(value: float) -> str:
    return f"{value:g}"


def trends(
    questionnaires: Sequence[Questionnaire],
    responses: Iterable[ResponseRecord],
    sessions: Iterable[SessionSummary] = (),
) -> list[Trend]:
    """One trend per scheduled questionnaire, from a client's completed responses (and, for pain,
    the pain given before each treatment session)."""
    done = [r for r in responses if r.status == "completed" and r.total is not None]
    pre_pain = [
        (s.started_at, float(s.pre_pain)) for s in sessions if not s.practice and s.pre_pain is not None
    ]
    found = []
    for q in questionnaires:
        if not q.scheduled:
            continue
        values: list[tuple[str, float, Source]] = [
            (r.completed_at or r.started_at, float(r.total), "questionnaire")
            for r in done
            if r.questionnaire_id == q.id and r.total is not None
        ]
        if q.id == PAIN_ID:
            values += [(at, value, "session") for at, value in pre_pain]
        found.append(_trend(q, sorted(values, key=lambda v: datetime.fromisoformat(v[0]))))
    return found


def _trend(q: Questionnaire, values: Sequence[tuple[str, float, Source]]) -> Trend:
    low, high = q.total_range
    mcid = q.scoring.mcid
    base = values[0][1] if values else 0.0
    points = tuple(TrendPoint(at, v, src, abs(v - base) > mcid) for at, v, src in values)
    return Trend(
        q.id, q.title, q.short_title, low, high, q.scoring.better, mcid, q.scoring.mcid_source, points
    )
