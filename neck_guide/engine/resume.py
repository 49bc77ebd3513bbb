"""After the app stopped mid-session (a crash, a power cut, the window closed): what the record says.

A visit the app left open keeps the time of its last heartbeat: it is closed as "interrupted" at
the last moment recorded, with the protocol seconds it had run by then, and the interruption is
recorded. Resuming then picks the step up where it stopped (a visit that continues the cut one,
its cues before that point not repeated); closing out ends the session as "interrupted". The
same rule serves both, so a record reads the same whichever the therapist chose.
"""

from __future__ import annotations

from datetime import datetime
from typing import Final

from neck_guide.engine.record import EndReason, Interruption, InterruptionHandled, SessionRecord, StepRecord
from neck_guide.engine.visit import Carry
from neck_guide.protocol.plan import Plan

# Where each way of leaving a visit sends the session, relative to the visit's step.
_MOVE: Final[dict[EndReason, int]] = {
    "completed": 1,
    "released": 1,
    "ended_early": 1,
    "skipped": 1,
    "back": -1,
    "undone": 0,
    "interrupted": 0,
    "session_ended": 0,
}


def last_moment(record: SessionRecord) -> str:
    """The last moment the record knows of: its last event (a heartbeat while a step ran)."""
    times = [record.started_at, record.last_event_at or ""]
    for v in record.steps:
        times += [v.started_at, v.ended_at or "", *(r.at for r in v.ratings)]
    return max(times)


def interrupt(record: SessionRecord, found_at: str, handled: InterruptionHandled) -> Carry | None:
    """Close the visit the app left open (if any) and record the interruption; returns where a visit
    continuing the cut one picks the step up (None when no visit was open)."""
    last = last_moment(record)
    cut = record.steps[-1] if record.steps and record.steps[-1].ended_at is None else None
    record.interruptions.append(Interruption(last, cut.visit if cut else None, found_at, handled))
    if cut is None:
        return None
    _close_cut(cut, last, record.time_scale)
    end_s = None if cut.planned_max_s is None else cut.planned_max_s + cut.extended_s
    return Carry(cut.visit, round(cut.carried_s + (cut.actual_s or 0.0), 6), end_s, cut.extended_s)


def _close_cut(cut: StepRecord, last: str, time_scale: float) -> None:
    cut.ended_at, cut.end_reason = last, "interrupted"
    if cut.actual_s is None:  # it ran less than one heartbeat
        cut.actual_s = 0.0
    for pause in cut.pauses:
        if pause.ended_at is None:
            pause.ended_at = last
            real = (datetime.fromisoformat(last) - datetime.fromisoformat(pause.started_at)).total_seconds()
            pause.duration_s = round(max(0.0, real) * time_scale, 6)


def resume_point(plan: Plan, record: SessionRecord, found_at: str) -> tuple[int, bool, Carry | None]:
    """Close a visit cut off by the stop; returns (index to start, whether every step was done,
    where a continuing visit picks the step up)."""
    for visit in record.steps:
        if not 0 <= visit.index < len(plan.steps) or plan.steps[visit.index].key != visit.key:
            raise ValueError(
                f"visit {visit.visit} of session {record.session_id} ({visit.key}) is not step "
                f"{visit.index} of protocol {plan.protocol.id} {plan.protocol.version}: resume it with "
                "the protocol version it was started with"
            )
    carry = interrupt(record, found_at, "resumed")
    if not record.steps:
        return 0, False, None
    last = record.steps[-1]
    if carry is not None:
        return last.index, False, carry
    index = max(0, last.index + (_MOVE[last.end_reason] if last.end_reason else 0))
    if index >= len(plan.steps):
        return len(plan.steps) - 1, True, None
    return index, False, None
