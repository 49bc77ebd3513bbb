"""SessionRunner: runs a Plan against a monotonic clock and keeps the session record.

The runner reads no clock: every method is told ``now`` (see engine.timing for how late polls stay
exact).

The controls, as a pedal sends them:

- **toggle** (Space) starts the session, then pauses and resumes, in every state;
- **release** ends a range hold (only a range hold: a fixed step has nothing to release);
- **next** ends the step (before a timed step's end: "ended_early") and **back** goes back one;
  a Next or Back within ``guard_s`` real seconds of the visit's start is a mis-tap: ignored and
  recorded as such;
- **rate**: a second rating of a kind within ``guard_s`` of the first replaces it (a correction);
- **undo** reverses the last Next, Back, rating or extension, as a new event.

The record only grows (see :mod:`neck_guide.engine.record`). The base classes: what the session shows
(:class:`~neck_guide.engine.progress.SessionProgress`), screening, measures, notes and checklist ticks
(:class:`~neck_guide.engine.recorder.SessionRecorder`), the visits against the clock, heartbeats and
the session's end (:class:`~neck_guide.engine.timing.SessionTiming`).

Errors: ValueError for out-of-range arguments (a rating outside 1..10, a step index outside the plan,
a record that cannot be resumed); controls that do not apply in the current state do nothing and
return no events.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable
from typing import Final

from neck_guide.engine.clock import Clock
from neck_guide.engine.cues import schedule
from neck_guide.engine.events import (
    Event,
    Extended,
    RatingRecorded,
    TapIgnored,
    Undone,
)
from neck_guide.engine.progress import RunnerState
from neck_guide.engine.rating import check_rating, rating_for, rating_target
from neck_guide.engine.record import EndReason, GuardedAction, IgnoredTap, SessionRecord, Undo
from neck_guide.engine.resume import resume_point
from neck_guide.engine.timing import HEARTBEAT_S, SessionTiming
from neck_guide.engine.undo import Extension, Move, MoveAction, Rated, Undoable
from neck_guide.protocol.model import RatingKind
from neck_guide.protocol.plan import Plan

DEFAULT_GUARD_S: Final = 0.6  # real seconds: a repeat of Next/Back (or a rating) within it is a mis-tap


class SessionRunner(SessionTiming):
    """The timing engine of one session."""

    def __init__(
        self,
        plan: Plan,
        clock: Clock,
        *,
        client_code: str | None = None,
        practice: bool = False,
        time_scale: float = 1.0,
        auto_advance: bool = True,
        guard_s: float = DEFAULT_GUARD_S,
        session_id: str | None = None,
    ) -> None:
        super().__init__(
            plan,
            clock,
            client_code=client_code,
            practice=practice,
            time_scale=time_scale,
            auto_advance=auto_advance,
            session_id=session_id,
        )
        self.guard_s = guard_s
        self._last_undo: float | None = None
        self._last_rating: dict[RatingKind, tuple[float, int, int]] = {}  # kind -> (when, number, visit)

    @classmethod
    def from_record(
        cls, plan: Plan, clock: Clock, record: SessionRecord, *, auto_advance: bool = True
    ) -> SessionRunner:
        """A runner continuing a stored unfinished record (after a crash or a close): the visit the
        app left open is closed as interrupted, and start() picks its step up where it stopped."""
        if record.status != "running":
            raise ValueError(
                f"session {record.session_id} is {record.status}: only a running session can be resumed"
            )
        runner = cls(
            plan,
            clock,
            client_code=record.client_code,
            practice=record.practice,
            time_scale=record.time_scale,
            auto_advance=auto_advance,
            session_id=record.session_id,
        )
        runner.record = copy.deepcopy(record)
        runner.record.protocol_steps = len(plan.steps)
        found_at = runner._iso(clock.monotonic())
        runner.index, runner._past_end, runner._carry = resume_point(plan, runner.record, found_at)
        runner._begun = True
        runner._ratings = max((r.number for r in runner.record.ratings()), default=0)
        return runner

    # -- the session's end --------------------------------------------------------------------

    def finish(self, now: float, note: str = "") -> list[Event]:
        """End the session: "finished" when every step was done or skipped, else "ended_early"
        (``note``: the reason given, if any)."""
        return self._dispatch(self._catch_up(now) + self._finish(now, None, note))

    def abandon(self, now: float, note: str = "") -> list[Event]:
        """Leave the session before any step was done (outcome "abandoned")."""
        return self._dispatch(self._catch_up(now) + self._finish(now, "abandoned", note))

    # -- controls -----------------------------------------------------------------------------

    def start(self, now: float) -> list[Event]:
        return self._control(now, self._start)

    def toggle(self, now: float) -> list[Event]:
        """Space: start when ready, then pause and resume in every state (never ends a step)."""
        actions: dict[RunnerState, Callable[[float], list[Event]]] = {
            "ready": self._start,
            "running": self._pause,
            "paused": self._resume,
            "overtime": self._pause,
        }
        return self._control(now, lambda t: actions[self.state](t) if self.state in actions else [])

    def pause(self, now: float) -> list[Event]:
        return self._control(now, self._pause)

    def resume(self, now: float) -> list[Event]:
        """Ends a pause."""
        return self._control(now, self._resume)

    def release(self, now: float) -> list[Event]:
        """Ends a range hold now (reason "released") and starts the next step, whatever auto_advance.
        Nothing on any other kind of step: ending one early is next()."""
        return self._control(now, self._release)

    def next(self, now: float) -> list[Event]:
        return self._control(now, lambda t: self._guarded(t, "next", self._next))

    def back(self, now: float) -> list[Event]:
        return self._control(now, lambda t: self._guarded(t, "back", self._back))

    def skip(self, now: float) -> list[Event]:
        return self._control(now, lambda t: self._leave(t, "skipped", self.index + 1))

    def goto(self, now: float, index: int) -> list[Event]:
        if not 0 <= index < len(self.plan.steps):
            raise ValueError(f"step {index} is outside the plan (0..{len(self.plan.steps) - 1})")
        if self.state == "ready":
            self.index = index
            self._past_end = False
            return self._control(now, self._start)
        return self._control(now, lambda t: self._leave(t, "skipped", index))

    def extend(self, now: float, seconds: float) -> list[Event]:
        """Adds protocol seconds to the step's end; in overtime the extra time counts from now."""
        if not (math.isfinite(seconds) and seconds > 0):
            raise ValueError(f"extend by a positive number of seconds, got {seconds!r}")
        return self._control(now, lambda t: self._extend(t, seconds))

    def set_auto_advance(self, now: float, on: bool) -> list[Event]:
        """Switches auto-advance; the cues still to come are published again (the next step's
        opening is part of them only when this step will end into it by itself)."""
        self.auto_advance = on
        return self._control(now, self._scheduled)

    def undo(self, now: float) -> list[Event]:
        """Reverses the last Next, Back, rating or extension (see :meth:`undoable`)."""
        return self._control(now, self._undo_last)

    def undoable(self) -> Undoable | None:
        """What undo() would reverse now, or None when nothing can be undone."""
        if self.state == "finished":
            return None
        return self._undo.top(self._live.record.visit if self._live else None)

    def rate(self, now: float, kind: RatingKind, value: int) -> list[Event]:
        """Records a 1-10 rating on the visit that asks for it (see engine.rating for which one); a
        second one of the kind within ``guard_s`` replaces the first (recorded as a correction)."""
        check_rating(value)
        events = self._catch_up(now)
        if self.state == "finished":
            return self._dispatch(events)
        target = rating_target(self.plan, self.record, self._live.record if self._live else None, kind)
        number = self._next_number()
        if target is None:  # no visit yet: the rating goes to the first visit when it starts
            self._held.append((kind, value, self._iso(now), number))
            return self._dispatch(events)
        previous = self._last_rating.get(kind)
        corrects = None
        if previous is not None and now - previous[0] < self.guard_s and previous[2] == target.visit:
            corrects = previous[1]
        rating = rating_for(self.plan.steps[target.index], kind, value, self._iso(now), target.visit)
        rating.number, rating.corrects = number, corrects
        target.ratings.append(rating)
        self._last_rating[kind] = (now, number, target.visit)
        self._undo.push(Rated(number, target.visit, kind, value))
        return self._dispatch([*events, RatingRecorded(rating.at, copy.copy(rating))])

    # -- internals ----------------------------------------------------------------------------

    def _guarded(self, now: float, action: GuardedAction, act: Callable[[float], list[Event]]) -> list[Event]:
        """``act`` unless it comes within the guard window of the live visit's start (a double tap,
        or a tap racing an auto-advance): then it is recorded as ignored."""
        if self._live is None or self._visit_began is None:
            return act(now)
        since = now - self._visit_began
        if since >= self.guard_s:
            return act(now)
        return self._ignored(now, action, since)

    def _ignored(self, now: float, action: GuardedAction, since: float) -> list[Event]:
        visit = self._live.record.visit if self._live else None
        tap = IgnoredTap(self._iso(now), action, visit, round(since, 6))
        self.record.ignored.append(tap)
        return [TapIgnored(tap.at, copy.copy(tap))]

    def _move(self, now: float, action: MoveAction, reason: EndReason, index: int) -> list[Event]:
        """Next or Back: leave the visit, remembering how to take it up again on undo."""
        live = self._live
        if live is None:
            return []
        left_index = self.index
        events = self._end_visit(now, reason)
        carry = live.carry()
        events += self._enter(now, index)
        if self._live is not None:
            self._undo.push(Move(action, left_index, carry, self._live.record.visit))
        return events

    def _next(self, now: float) -> list[Event]:
        live = self._live
        if live is None:
            return []
        done = live.at_end or not live.planned.timed
        return self._move(now, "next", "completed" if done else "ended_early", self.index + 1)

    def _back(self, now: float) -> list[Event]:
        return self._move(now, "back", "back", max(0, self.index - 1))

    def _release(self, now: float) -> list[Event]:
        if self._live is None or self._live.planned.kind != "range":
            return []
        return self._leave(now, "released", self.index + 1)

    def _extend(self, now: float, seconds: float) -> list[Event]:
        live = self._live
        if live is None or live.clock.end_s is None:
            return []
        before = Extension(live.record.visit, seconds, live.clock.end_s, live.record.extended_s)
        live.extend(now, seconds, lambda end_s: schedule(self.plan, self.index, end_s))
        self._undo.push(before)
        if self.state == "overtime":
            self.state = "running"
        extended = Extended(self._iso(now), live.record.visit, seconds, live.record.extended_s)
        return [extended, *self._scheduled(now)]

    def _undo_last(self, now: float) -> list[Event]:
        if self._last_undo is not None and now - self._last_undo < self.guard_s:
            return self._ignored(now, "undo", now - self._last_undo)
        entry = self.undoable()
        if entry is None:
            return []
        self._undo.pop()
        self._last_undo = now
        at = self._iso(now)
        if isinstance(entry, Rated):
            undo = Undo(at, "rating", entry.visit, rating=entry.number)
            self.record.undos.append(undo)
            return [Undone(at, copy.copy(undo))]
        if isinstance(entry, Extension):
            return self._undo_extension(now, entry)
        return self._undo_move(now, entry)

    def _undo_extension(self, now: float, entry: Extension) -> list[Event]:
        live = self._live
        assert live is not None  # undoable() offers an extension only on its live visit
        at = self._iso(now)
        undo = Undo(at, "extend", entry.visit, seconds=entry.seconds)
        self.record.undos.append(undo)
        live.move_end(
            now, entry.end_s, entry.extended_s, lambda end_s: schedule(self.plan, self.index, end_s)
        )
        if self.state == "overtime":
            self.state = "running"
        return [Undone(at, copy.copy(undo), extended_s=entry.extended_s), *self._scheduled(now)]

    def _undo_move(self, now: float, entry: Move) -> list[Event]:
        at = self._iso(now)
        undo = Undo(at, entry.action, entry.opened)
        self.record.undos.append(undo)
        events: list[Event] = [Undone(at, copy.copy(undo))]
        paused = self.state == "paused"
        events += self._end_visit(now, "undone")
        events += self._enter(now, entry.index, entry.carry)
        if paused:
            events += self._pause(now)
        return events


__all__ = ["DEFAULT_GUARD_S", "HEARTBEAT_S", "RunnerState", "SessionRunner"]
