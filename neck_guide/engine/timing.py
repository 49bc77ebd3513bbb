"""SessionTiming: the visits of a session against the clock.

Starting and ending visits, the marks of a visit (cues, a range hold's minimum, its end) and what
follows them (auto-advance or overtime), heartbeats, pauses, and the end of the session. Every
method is told ``now``; before acting, a control first emits everything that fell due up to
``now`` (``_catch_up``), so it acts on the session as it stands then, however late the caller
polls. An auto-advanced step ends at its deadline, never at the moment it was noticed.

A live visit sends a **heartbeat** every HEARTBEAT_S real seconds (its time so far, committed by the
store), so a visit cut off by a crash or a close keeps the time it ran to within one heartbeat; a
pause records the time exactly.

:class:`~neck_guide.engine.runner.SessionRunner` adds the controls a therapist uses.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable
from typing import Final

from neck_guide.engine.clock import Clock
from neck_guide.engine.cues import schedule
from neck_guide.engine.events import (
    CueDue,
    Event,
    Heartbeat,
    MaximumReached,
    MinimumReached,
    Paused,
    RatingRecorded,
    Resumed,
    SessionEnded,
    StepEnded,
    StepStarted,
)
from neck_guide.engine.outcome import Outcome
from neck_guide.engine.rating import rating_for
from neck_guide.engine.record import EndReason
from neck_guide.engine.recorder import SessionRecorder
from neck_guide.engine.steps import tally
from neck_guide.engine.undo import Rated, UndoStack
from neck_guide.engine.upcoming import cues_scheduled
from neck_guide.engine.visit import Carry, Mark, Visit
from neck_guide.protocol.plan import Plan

HEARTBEAT_S: Final = 2.0  # real seconds between heartbeats of a live visit (the most a crash loses)


class SessionTiming(SessionRecorder):
    """The visits of one session, driven by deadlines."""

    def __init__(
        self,
        plan: Plan,
        clock: Clock,
        *,
        client_code: str | None,
        practice: bool,
        time_scale: float,
        auto_advance: bool,
        session_id: str | None,
    ) -> None:
        super().__init__(
            plan,
            clock,
            client_code=client_code,
            practice=practice,
            time_scale=time_scale,
            session_id=session_id,
        )
        self.auto_advance = auto_advance
        self._undo = UndoStack()
        self._visit_began: float | None = None  # monotonic instant the live visit started
        self._heartbeat_due: float | None = None
        self._carry: Carry | None = None  # a resumed session's cut step, picked up by _start()

    def poll(self, now: float) -> list[Event]:
        """Emits everything due at or before ``now``, in time order."""
        return self._dispatch(self._catch_up(now))

    def next_deadline(self) -> float | None:
        """The instant of the next thing poll() would emit (a mark or a heartbeat); None when nothing
        is scheduled."""
        if self._live is None or self.state == "finished":
            return None
        due = [t for t in (self.next_mark(), self._heartbeat_due) if t is not None]
        return min(due) if due else None

    def _control(self, now: float, action: Callable[[float], list[Event]]) -> list[Event]:
        """Catch up to ``now``, act, then emit what the action made due at once (cues at 0)."""
        events = self._catch_up(now)
        if self.state != "finished":
            events += action(now)
        events += self._catch_up(now)
        return self._dispatch(events)

    def _catch_up(self, now: float) -> list[Event]:
        """Every mark and heartbeat due by ``now``, in time order."""
        events: list[Event] = []
        while self._live is not None and self.state != "finished":
            live = self._live
            mark_due = live.next_due() if self.state == "running" else None
            beat = self._heartbeat_due
            if beat is not None and beat <= now and (mark_due is None or beat <= mark_due):
                events.append(self._beat(live, now if mark_due is None else min(now, mark_due)))
                continue
            mark = live.take_due(now) if self.state == "running" else None
            if mark is None:
                break
            events += self._on_mark(live, mark)
        return events

    def _beat(self, live: Visit, until: float) -> Heartbeat:
        """The latest heartbeat due by ``until`` (older ones it stands for are not worth sending)."""
        beat = self._heartbeat_due
        assert beat is not None
        beat += math.floor((until - beat) / HEARTBEAT_S) * HEARTBEAT_S
        self._heartbeat_due = beat + HEARTBEAT_S
        live.record.actual_s = live.ran_s(beat)
        return Heartbeat(self._iso(beat), live.record.visit, live.record.actual_s)

    def _on_mark(self, live: Visit, mark: Mark) -> list[Event]:
        due = live.clock.due(mark.at_s)
        at, number = self._iso(due), live.record.visit
        if mark.cue is not None:
            return [CueDue(at, number, mark.cue, due)]
        if mark.kind == "minimum":
            live.record.min_reached = True
            return [MinimumReached(at, number)]
        live.record.max_reached = True
        events: list[Event] = [MaximumReached(at, number)]
        if self.auto_advance and live.planned.auto_advance:
            events += self._end_visit(due, "completed", step_s=mark.at_s)
            events += self._enter(due, self.index + 1)
        else:
            self.state = "overtime"
        return events

    def _start(self, now: float) -> list[Event]:
        if self.state != "ready":
            return []
        events = self._begin(now)
        if self._past_end:
            return events + self._finish(now, "finished")
        carry, self._carry = self._carry, None
        return events + self._start_visit(now, carry)

    def _start_visit(self, now: float, carry: Carry | None = None) -> list[Event]:
        planned = self.current
        self._live = Visit.open(planned, schedule(self.plan, self.index), now, self.time_scale, carry)
        self._visit_began, self._heartbeat_due = now, now + HEARTBEAT_S
        record = self._live.record
        record.visit, record.started_at = len(self.record.steps), self._iso(now)
        self.record.steps.append(record)
        self.state = "running"
        events: list[Event] = [StepStarted(record.started_at, copy.deepcopy(record))]
        for kind, value, given_at, number in self._held:  # recorded now, but stamped when given
            rating = rating_for(planned, kind, value, given_at, record.visit)
            rating.number = number
            record.ratings.append(rating)
            self._undo.push(Rated(number, record.visit, kind, value))
            events.append(RatingRecorded(record.started_at, copy.copy(rating)))
        self._held.clear()
        return events + self._scheduled(now)

    def _scheduled(self, now: float) -> list[Event]:
        """CuesScheduled for the running visit (nothing while paused, in overtime or finished)."""
        if self.state != "running" or self._live is None:
            return []
        scale, auto = self.time_scale, self.auto_advance
        return [cues_scheduled(self.plan, self._live, time_scale=scale, auto_advance=auto, at=self._iso(now))]

    def _enter(self, now: float, index: int, carry: Carry | None = None) -> list[Event]:
        """Starts a visit of step ``index``, or finishes the session past the last step."""
        if index >= len(self.plan.steps):
            return self._finish(now, "finished")
        self.index = index
        return self._start_visit(now, carry)

    def _end_visit(self, now: float, reason: EndReason, step_s: float | None = None) -> list[Event]:
        live = self._live
        if live is None:
            return []
        live.close(now, self._iso(now), reason, step_s)
        self._live = self._visit_began = self._heartbeat_due = None
        return [StepEnded(self._iso(now), copy.deepcopy(live.record))]

    def _leave(self, now: float, reason: EndReason, index: int) -> list[Event]:
        if self._live is None:
            return []
        return self._end_visit(now, reason) + self._enter(now, index)

    def _pause(self, now: float) -> list[Event]:
        if self.state not in ("running", "overtime") or self._live is None:
            return []
        live = self._live
        live.pause(now, self._iso(now))
        live.record.actual_s = live.ran_s(now)
        self.state = "paused"
        return [Paused(self._iso(now), live.record.visit, live.record.actual_s)]

    def _resume(self, now: float) -> list[Event]:
        live = self._live
        if live is None or live.clock.paused_since is None:
            return []
        paused_s = live.close_pause(now, self._iso(now))
        self.state = "overtime" if live.at_end else "running"
        return [Resumed(self._iso(now), live.record.visit, paused_s), *self._scheduled(now)]

    def _finish(self, now: float, outcome: Outcome | None, note: str = "") -> list[Event]:
        if self.state == "finished":
            return []
        events = self._begin(now)
        if self._live is not None:
            events += self._end_visit(now, "completed" if self._live.at_end else "session_ended")
        if outcome is None:
            t = tally(self.record)
            outcome = "finished" if self._past_end or t.left == 0 else "ended_early"
        self.state = "finished"
        self.record.status = outcome
        self.record.end_note = note.strip()
        self.record.ended_at = self._iso(now)
        self._held.clear()
        return [*events, SessionEnded(self.record.ended_at, copy.deepcopy(self.record))]
