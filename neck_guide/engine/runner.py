"""SessionRunner: runs a Plan against a monotonic clock and keeps the session record.

The runner reads no clock: every method is told ``now``. Before acting, each method first emits
everything that fell due up to ``now`` (cues, minimum, end of step, auto-advance), so a control
always acts on the session as it stands at ``now``, however late the caller polls. An auto-advanced
step ends at its deadline, never at the moment it was noticed, so lateness never accumulates.

The runner moves the session on; what the session shows (the current step, elapsed and remaining
times) is read through its base class, :class:`~neck_guide.engine.progress.SessionProgress`.

Errors: ValueError for out-of-range arguments (a rating outside 1..10, a step index outside the plan,
a record that cannot be resumed); controls that do not apply in the current state do nothing and
return no events.
"""

from __future__ import annotations

import copy
import math
import uuid
from collections.abc import Callable, Sequence
from typing import Final

from neck_guide.engine.clock import Clock, WallAnchor
from neck_guide.engine.cues import schedule
from neck_guide.engine.events import (
    CueDue,
    Event,
    Extended,
    MaximumReached,
    MinimumReached,
    NoteAdded,
    PainRecorded,
    Paused,
    RatingRecorded,
    Resumed,
    ScreeningRecorded,
    SessionEnded,
    SessionStarted,
    StepEnded,
    StepStarted,
    VoiceChanged,
)
from neck_guide.engine.progress import RunnerState, SessionProgress
from neck_guide.engine.rating import check_rating, rating_for, rating_target
from neck_guide.engine.record import (
    EndReason,
    PainWhen,
    ScreeningAnswer,
    SessionRecord,
    SessionStatus,
)
from neck_guide.engine.resume import resume_point
from neck_guide.engine.visit import Mark, Visit
from neck_guide.protocol.model import RatingKind
from neck_guide.protocol.plan import Plan

Subscriber = Callable[[Event], None]
PAIN_MIN: Final = 0
PAIN_MAX: Final = 10


class SessionRunner(SessionProgress):
    """The timing engine of one session (see /tmp/spec/runner_api.md for the contract)."""

    def __init__(
        self,
        plan: Plan,
        clock: Clock,
        *,
        client_code: str | None = None,
        practice: bool = False,
        time_scale: float = 1.0,
        auto_advance: bool = True,
        session_id: str | None = None,
    ) -> None:
        if not plan.steps:
            raise ValueError(f"protocol {plan.protocol.id!r} has no steps: nothing to run")
        if not (math.isfinite(time_scale) and time_scale > 0):
            raise ValueError(f"time_scale must be a positive number, got {time_scale!r}")
        super().__init__(plan)
        self.clock = clock
        self.time_scale = time_scale
        self.auto_advance = auto_advance
        self._anchor = WallAnchor(clock)
        protocol = plan.protocol
        self.record = SessionRecord(
            session_id=session_id or uuid.uuid4().hex,
            protocol_id=protocol.id,
            protocol_version=protocol.version,
            protocol_title=protocol.title,
            client_code=client_code,
            practice=practice,
            time_scale=time_scale,
            started_at=self._anchor.iso(clock.monotonic()),
        )
        self._begun = False
        self._held: list[tuple[RatingKind, int, str]] = []  # ratings given before the first visit
        self._subscribers: list[Subscriber] = []

    @classmethod
    def from_record(
        cls, plan: Plan, clock: Clock, record: SessionRecord, *, auto_advance: bool = True
    ) -> SessionRunner:
        """A runner continuing a stored unfinished record (after a crash)."""
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
        runner.index, runner._past_end = resume_point(plan, runner.record)
        runner._begun = True
        return runner

    def subscribe(self, callback: Subscriber) -> None:
        self._subscribers.append(callback)

    # -- session ------------------------------------------------------------------------------

    def begin(self, now: float) -> list[Event]:
        """SessionStarted. Any other call that records something begins the session first if needed,
        so SessionStarted always opens the stream of events."""
        return self._dispatch(self._begin(now))

    def record_screening(
        self,
        now: float,
        answers: Sequence[ScreeningAnswer],
        pre_pain: int | None,
        rotation_left_deg: int | None = None,
        rotation_right_deg: int | None = None,
    ) -> list[Event]:
        if pre_pain is not None:
            _check_pain(pre_pain)
        events = self._begin(now) + self._catch_up(now)
        rec = self.record
        rec.screening = [copy.copy(a) for a in answers]
        rec.pre_pain = pre_pain
        rec.rotation_left_deg, rec.rotation_right_deg = rotation_left_deg, rotation_right_deg
        snapshot = tuple(copy.copy(a) for a in rec.screening)
        events.append(
            ScreeningRecorded(self._iso(now), snapshot, pre_pain, rotation_left_deg, rotation_right_deg)
        )
        return self._dispatch(events)

    def record_pain(self, now: float, when: PainWhen, value: int) -> list[Event]:
        _check_pain(value)
        events = self._begin(now) + self._catch_up(now)
        if when == "pre":
            self.record.pre_pain = value
        else:
            self.record.post_pain = value
        return self._dispatch([*events, PainRecorded(self._iso(now), when, value)])

    def set_notes(self, now: float, notes: str) -> list[Event]:
        events = self._begin(now) + self._catch_up(now)
        self.record.notes = notes
        return self._dispatch([*events, NoteAdded(self._iso(now), notes)])

    def set_voice(self, now: float, available: bool) -> list[Event]:
        """Records whether the session runs with voice (VoiceChanged, only on a change; before
        begin() the flag simply travels in SessionStarted)."""
        if self.record.voice == available:
            return []
        self.record.voice = available
        if not self._begun:
            return []
        return self._dispatch([VoiceChanged(self._iso(now), available)])

    def rate(self, now: float, kind: RatingKind, value: int) -> list[Event]:
        """Records a 1-10 rating on the visit that asks for it (see the spec for which one)."""
        check_rating(value)
        events = self._catch_up(now)
        target = rating_target(self.plan, self.record, self._live.record if self._live else None, kind)
        if target is None:  # no visit yet: the rating goes to the first visit when it starts
            self._held.append((kind, value, self._iso(now)))
            return self._dispatch(events)
        rating = rating_for(self.plan.steps[target.index], kind, value, self._iso(now), target.visit)
        target.ratings.append(rating)
        return self._dispatch([*events, RatingRecorded(rating.at, copy.copy(rating))])

    def finish(self, now: float) -> list[Event]:
        return self._dispatch(self._catch_up(now) + self._finish(now, "finished"))

    def abandon(self, now: float) -> list[Event]:
        return self._dispatch(self._catch_up(now) + self._finish(now, "abandoned"))

    # -- controls -----------------------------------------------------------------------------

    def start(self, now: float) -> list[Event]:
        return self._control(now, self._start)

    def toggle(self, now: float) -> list[Event]:
        actions: dict[RunnerState, Callable[[float], list[Event]]] = {
            "ready": self._start,
            "running": self._pause,
            "paused": self._resume,
            "overtime": self._next,
        }
        return self._control(now, lambda t: actions[self.state](t) if self.state in actions else [])

    def pause(self, now: float) -> list[Event]:
        return self._control(now, self._pause)

    def resume(self, now: float) -> list[Event]:
        """Ends a pause."""
        return self._control(now, self._resume)

    def release(self, now: float) -> list[Event]:
        """Ends the current step now (reason "released") and starts the next, whatever auto_advance."""
        return self._control(now, lambda t: self._leave(t, "released", self.index + 1))

    def next(self, now: float) -> list[Event]:
        return self._control(now, self._next)

    def back(self, now: float) -> list[Event]:
        return self._control(now, lambda t: self._leave(t, "back", max(0, self.index - 1)))

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

    def poll(self, now: float) -> list[Event]:
        """Emits everything due at or before ``now``, in time order."""
        return self._dispatch(self._catch_up(now))

    # -- internals ----------------------------------------------------------------------------

    def _iso(self, monotonic: float) -> str:
        return self._anchor.iso(monotonic)

    def _dispatch(self, events: list[Event]) -> list[Event]:
        for event in events:
            for callback in list(self._subscribers):
                callback(event)
        return events

    def _control(self, now: float, action: Callable[[float], list[Event]]) -> list[Event]:
        """Catch up to ``now``, act, then emit what the action made due at once (cues at 0)."""
        events = self._catch_up(now)
        if self.state != "finished":
            events += action(now)
        events += self._catch_up(now)
        return self._dispatch(events)

    def _catch_up(self, now: float) -> list[Event]:
        events: list[Event] = []
        while self.state == "running" and self._live is not None:
            mark = self._live.take_due(now)
            if mark is None:
                break
            events += self._on_mark(self._live, mark)
        return events

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
            events += self._end_visit(due, "completed", actual_s=mark.at_s)
            events += self._enter(due, self.index + 1)
        else:
            self.state = "overtime"
        return events

    def _begin(self, now: float) -> list[Event]:
        if self._begun:
            return []
        self._begun = True
        self.record.started_at = self._iso(now)
        return [SessionStarted(self.record.started_at, copy.deepcopy(self.record))]

    def _start(self, now: float) -> list[Event]:
        if self.state != "ready":
            return []
        events = self._begin(now)
        if self._past_end:
            return events + self._finish(now, "finished")
        return events + self._start_visit(now)

    def _start_visit(self, now: float) -> list[Event]:
        planned = self.current
        self._live = Visit.open(planned, schedule(self.plan, self.index), now, self.time_scale)
        record = self._live.record
        record.visit, record.started_at = len(self.record.steps), self._iso(now)
        self.record.steps.append(record)
        self.state = "running"
        events: list[Event] = [StepStarted(record.started_at, copy.deepcopy(record))]
        for kind, value, given_at in self._held:  # recorded now, but stamped when given
            rating = rating_for(planned, kind, value, given_at, record.visit)
            record.ratings.append(rating)
            events.append(RatingRecorded(record.started_at, copy.copy(rating)))
        self._held.clear()
        return events

    def _enter(self, now: float, index: int) -> list[Event]:
        """Starts a visit of step ``index``, or finishes the session past the last step."""
        if index >= len(self.plan.steps):
            return self._finish(now, "finished")
        self.index = index
        return self._start_visit(now)

    def _end_visit(self, now: float, reason: EndReason, actual_s: float | None = None) -> list[Event]:
        live = self._live
        if live is None:
            return []
        live.close(now, self._iso(now), reason, actual_s)
        self._live = None
        return [StepEnded(self._iso(now), copy.deepcopy(live.record))]

    def _leave(self, now: float, reason: EndReason, index: int) -> list[Event]:
        if self._live is None:
            return []
        return self._end_visit(now, reason) + self._enter(now, index)

    def _next(self, now: float) -> list[Event]:
        if self._live is None:
            return []
        return self._leave(now, "completed" if self._live.at_end else "next", self.index + 1)

    def _pause(self, now: float) -> list[Event]:
        if self.state not in ("running", "overtime") or self._live is None:
            return []
        self._live.pause(now, self._iso(now))
        self.state = "paused"
        return [Paused(self._iso(now), self._live.record.visit)]

    def _resume(self, now: float) -> list[Event]:
        live = self._live
        if live is None or live.clock.paused_since is None:
            return []
        paused_s = live.close_pause(now, self._iso(now))
        self.state = "overtime" if live.at_end else "running"
        return [Resumed(self._iso(now), live.record.visit, paused_s)]

    def _extend(self, now: float, seconds: float) -> list[Event]:
        live = self._live
        if live is None or live.clock.end_s is None:
            return []
        live.extend(now, seconds, lambda end_s: schedule(self.plan, self.index, end_s))
        if self.state == "overtime":
            self.state = "running"
        return [Extended(self._iso(now), live.record.visit, seconds, live.record.extended_s)]

    def _finish(self, now: float, status: SessionStatus) -> list[Event]:
        if self.state == "finished":
            return []
        events = self._begin(now)
        if self._live is not None:
            events += self._end_visit(now, "completed" if self._live.at_end else "session_ended")
        self.state = "finished"
        self.record.status = status
        self.record.ended_at = self._iso(now)
        self._held.clear()
        return [*events, SessionEnded(self.record.ended_at, copy.deepcopy(self.record))]


def _check_pain(value: int) -> None:
    if not PAIN_MIN <= value <= PAIN_MAX:
        raise ValueError(f"pain is rated {PAIN_MIN}..{PAIN_MAX}, got {value}")


__all__ = ["PAIN_MAX", "PAIN_MIN", "RunnerState", "SessionRunner", "Subscriber"]
