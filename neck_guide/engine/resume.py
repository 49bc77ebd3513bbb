"""Resuming a session after a crash: where to pick up from a stored, unfinished record.

The record keeps every visit. A visit cut off mid-way (no end) is closed as "session_ended" at its
own start, since how long it really ran is unknown; the session then restarts that step. Otherwise
it continues after the last visit that moved forward.
"""

from __future__ import annotations

import typing
from typing import Final

from neck_guide.engine.record import EndReason, SessionRecord
from neck_guide.protocol.plan import Plan

if typing.TYPE_CHECKING:
    pass

# Where each way of leaving a visit sends the session, relative to the visit's step.
_MOVE: Final[dict[EndReason, int]] = {
    "completed": 1,
    "released": 1,
    "next": 1,
    "skipped": 1,
    "back": -1,
    "session_ended": 0,
}


def resume_point(plan: Plan, record: SessionRecord) -> tuple[int, bool]:
    """Closes a visit cut off by a crash; returns (index to start, whether every step was done)."""
    for visit in record.steps:
        if not 0 <= visit.index < len(plan.steps) or plan.steps[visit.index].key != visit.key:
            raise ValueError(
                f"visit {visit.visit} of session {record.session_id} ({visit.key}) is not step "
                f"{visit.index} of protocol {plan.protocol.id} {plan.protocol.version}: resume it with "
                "the protocol version it was started with"
            )
    if not record.steps:
        return 0, False
    last = record.steps[-1]
    if last.ended_at is None:
        last.ended_at, last.end_reason, last.actual_s = last.started_at, "session_ended", None
        for pause in last.pauses:
            if pause.ended_at is None:
                pause.ended_at = pause.started_at
        return last.index, False
    index = max(0, last.index + (_MOVE[last.end_reason] if last.end_reason else 0))
    if index >= len(plan.steps):
        return len(plan.steps) - 1, True
    return index, False
