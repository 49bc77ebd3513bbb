"""Pain marked on the body: a tap on a diagram made into a body mark, marks made before the session
begins, and the charts of earlier sessions to compare with.

A tap is placed with :func:`neck_guide.body_sites.locate` (off the body: no mark). Marks made on
the screening page, before the session exists, wait in :class:`PendingMarks` with the instant each
was made, and are recorded with those times when the session begins (as the screening answers
are). Pure Python: the body map page only shows these and relays taps.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from neck_guide.body_sites import MapView, locate, site_name
from neck_guide.engine.record import BodyMark, PainPattern, SessionRecord
from neck_guide.protocol.anatomy import MUSCLES

NEAR_UNITS = 14.0  # a tap this close (drawing units) to a mark picks the mark


def new_mark(view: MapView, x: float, y: float, intensity: int, pattern: PainPattern) -> BodyMark | None:
    """A body mark at (``x``, ``y``) of ``view``, or None off the body. Its number and time are the
    record's to give (0 and "" until recorded)."""
    site = locate(view, x, y)
    if site is None:
        return None
    return BodyMark(
        0, "", view, round(x, 1), round(y, 1), site.region, site.side, site.muscle, intensity, pattern
    )


def mark_at(marks: Iterable[BodyMark], view: str, x: float, y: float) -> BodyMark | None:
    """The mark of ``view`` nearest to (``x``, ``y``), if one is within NEAR_UNITS."""
    near = [(math.hypot(m.x - x, m.y - y), m.number, m) for m in marks if m.view == view]
    close = [(d, n, m) for d, n, m in near if d <= NEAR_UNITS]
    return min(close, key=lambda c: (c[0], c[1]))[2] if close else None


def describe(mark: BodyMark) -> str:
    """``Neck, left (Upper trapezius): 6/10, local``."""
    muscle = MUSCLES[mark.muscle].name if mark.muscle in MUSCLES else None
    return f"{site_name(mark.region, mark.side, mark.muscle, muscle)}: {mark.intensity}/10, {mark.pattern}"


class PendingMarks:
    """Marks made before the session begins, numbered as the record will number them."""

    def __init__(self) -> None:
        self._marks: list[tuple[BodyMark, float]] = []
        self._removed: set[int] = set()

    def add(self, mark: BodyMark, given: float) -> BodyMark:
        numbered = replace(mark, number=len(self._marks) + 1)
        self._marks.append((numbered, given))
        return numbered

    def remove(self, number: int) -> None:
        self._removed.add(number)

    def marks(self) -> list[BodyMark]:
        return [m for m, _ in self._marks if m.number not in self._removed]

    def take(self) -> list[tuple[BodyMark, float]]:
        """The marks that stand, with when each was made; none are left waiting afterwards."""
        taken = [(m, given) for m, given in self._marks if m.number not in self._removed]
        self._marks, self._removed = [], set()
        return taken

    def clear(self) -> None:
        self._marks, self._removed = [], set()


@dataclass(frozen=True, slots=True)
class Chart:
    """One earlier session's marks, to show beside today's."""

    session_id: str
    label: str  # "12 Jan 2026" (the protocol's title is in ``title``)
    title: str
    marks: tuple[BodyMark, ...]


def earlier_charts(records: Sequence[SessionRecord], current: str | None = None) -> list[Chart]:
    """The treatment sessions that have marks, newest first, leaving out the session under way."""
    charts = []
    for r in sorted(records, key=lambda r: r.started_at, reverse=True):
        standing = r.marks()
        if r.session_id == current or r.practice or not standing:
            continue
        day = datetime.fromisoformat(r.started_at)
        charts.append(Chart(r.session_id, f"{day:%d %b %Y}", r.protocol_title, tuple(standing)))
    return charts
