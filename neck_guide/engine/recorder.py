"""SessionRecorder: the session record and what is recorded outside the step timing.

The screening answers, the measures (pre- and post-session pain, neck rotation), body marks,
notes, the voice flag and checklist ticks are each an event with its own time. A screen that
collects them before the session starts (the screening page) passes the monotonic instant each
was given as ``given``; the record stamps it with that time, not the time it was handed over.

:class:`~neck_guide.engine.runner.SessionRunner` adds the timing and the controls.
"""

from __future__ import annotations

import copy
import math
import uuid
from collections.abc import Callable, Sequence
from typing import Final

from neck_guide.engine.clock import Clock, WallAnchor
from neck_guide.engine.events import (
    BodyMarked,
    BodyMarkRemoved,
    CueDue,
    Event,
    Measured,
    NoteAdded,
    ScreeningAnswered,
    SessionStarted,
    Ticked,
    VoiceChanged,
)
from neck_guide.engine.progress import SessionProgress
from neck_guide.engine.record import (
    BodyMark,
    MarkRemoved,
    Measure,
    MeasureKind,
    PainWhen,
    ScreeningAnswer,
    SessionRecord,
    Tick,
    canonical_code,
)
from neck_guide.protocol.model import RatingKind
from neck_guide.protocol.plan import Plan

Subscriber = Callable[[Event], None]
PAIN_MIN: Final = 0
PAIN_MAX: Final = 10
ROTATION_MAX_DEG: Final = 180
_RANGES: Final[dict[MeasureKind, tuple[int, int, str]]] = {
    "pre_pain": (PAIN_MIN, PAIN_MAX, "pain"),
    "post_pain": (PAIN_MIN, PAIN_MAX, "pain"),
    "rotation_left": (0, ROTATION_MAX_DEG, "a rotation range in degrees"),
    "rotation_right": (0, ROTATION_MAX_DEG, "a rotation range in degrees"),
}


class SessionRecorder(SessionProgress):
    """The record of one session and the events that fill it in outside the step timing."""

    def __init__(
        self,
        plan: Plan,
        clock: Clock,
        *,
        client_code: str | None,
        practice: bool,
        time_scale: float,
        session_id: str | None,
    ) -> None:
        if not plan.steps:
            raise ValueError(f"protocol {plan.protocol.id!r} has no steps: nothing to run")
        if not (math.isfinite(time_scale) and time_scale > 0):
            raise ValueError(f"time_scale must be a positive number, got {time_scale!r}")
        super().__init__(plan)
        self.clock = clock
        self.time_scale = time_scale
        self._anchor = WallAnchor(clock)
        protocol = plan.protocol
        self.record = SessionRecord(
            session_id=session_id or uuid.uuid4().hex,
            protocol_id=protocol.id,
            protocol_version=protocol.version,
            protocol_title=protocol.title,
            client_code=canonical_code(client_code),
            practice=practice,
            time_scale=time_scale,
            started_at=self._anchor.iso(clock.monotonic()),
            protocol_steps=len(plan.steps),
        )
        self._begun = False
        self._ratings = 0  # ratings numbered so far
        self._held: list[tuple[RatingKind, int, str, int]] = []  # ratings given before the first visit
        self._subscribers: list[Subscriber] = []

    def subscribe(self, callback: Subscriber) -> None:
        """Tests only (the voice tests still listen this way; the app hands on what calls return)."""
        self._subscribers.append(callback)

    def begin(self, now: float, given: float | None = None) -> list[Event]:
        """SessionStarted, stamped ``given`` (default ``now``: a screening page passes the instant it
        opened). Any other call that records something begins the session first if needed, so
        SessionStarted always opens the stream of events."""
        return self._dispatch(self._begin(now if given is None else given))

    # -- screening and measures ---------------------------------------------------------------

    def answer(self, now: float, answer: ScreeningAnswer, given: float | None = None) -> list[Event]:
        """One screening answer, stamped with the instant it was ``given`` (default ``now``); a
        question answered again keeps its place with the later answer."""
        events = self._begin(now) + self._catch_up(now)
        stamped = copy.copy(answer)
        stamped.at = self._iso(now if given is None else given)
        screening = self.record.screening
        position = next((n for n, a in enumerate(screening) if a.item_id == answer.item_id), len(screening))
        if position == len(screening):
            screening.append(stamped)
        else:
            screening[position] = stamped
        return self._dispatch([*events, ScreeningAnswered(stamped.at, position, copy.copy(stamped))])

    def measure(
        self, now: float, kind: MeasureKind, value: int | None, given: float | None = None
    ) -> list[Event]:
        """A pain score or rotation range (None: back to "not measured"), at ``given`` (default now)."""
        low, high, what = _RANGES[kind]
        if value is not None and (isinstance(value, bool) or not low <= value <= high):
            raise ValueError(f"{kind} is {what} {low}..{high}, got {value!r}")
        events = self._begin(now) + self._catch_up(now)
        entry = Measure(kind, value, self._iso(now if given is None else given))
        self.record.measures.append(entry)
        rec = self.record
        if kind == "pre_pain":
            rec.pre_pain = value
        elif kind == "post_pain":
            rec.post_pain = value
        elif kind == "rotation_left":
            rec.rotation_left_deg = value
        else:
            rec.rotation_right_deg = value
        return self._dispatch([*events, Measured(entry.at, copy.copy(entry))])

    def mark_body(self, now: float, mark: BodyMark, given: float | None = None) -> list[Event]:
        """A body mark (where it hurts), numbered and stamped here with the instant it was ``given``
        (default ``now``); ValueError for an intensity outside 0-10 or an unknown pattern."""
        if isinstance(mark.intensity, bool) or not PAIN_MIN <= mark.intensity <= PAIN_MAX:
            raise ValueError(f"a body mark's intensity is {PAIN_MIN}..{PAIN_MAX}, got {mark.intensity!r}")
        if mark.pattern not in ("local", "referred"):
            raise ValueError(f"a body mark is local or referred pain, got {mark.pattern!r}")
        events = self._begin(now) + self._catch_up(now)
        entry = copy.copy(mark)
        entry.number = len(self.record.body_marks) + 1
        entry.at = self._iso(now if given is None else given)
        self.record.body_marks.append(entry)
        return self._dispatch([*events, BodyMarked(entry.at, copy.copy(entry))])

    def remove_mark(self, now: float, number: int) -> list[Event]:
        """Take back body mark ``number`` (a new entry; the mark stays in the record, no longer
        standing); ValueError when no standing mark has that number."""
        if number not in {m.number for m in self.record.marks()}:
            raise ValueError(f"no body mark {number} stands in this session")
        events = self._begin(now) + self._catch_up(now)
        entry = MarkRemoved(self._iso(now), number)
        self.record.marks_removed.append(entry)
        return self._dispatch([*events, BodyMarkRemoved(entry.at, copy.copy(entry))])

    def record_pain(self, now: float, when: PainWhen, value: int) -> list[Event]:
        return self.measure(now, "pre_pain" if when == "pre" else "post_pain", value)

    def record_screening(
        self,
        now: float,
        answers: Sequence[ScreeningAnswer],
        pre_pain: int | None,
        rotation_left_deg: int | None = None,
        rotation_right_deg: int | None = None,
    ) -> list[Event]:
        """Every answer and measure of a screening at once, all stamped ``now``."""
        events = self.begin(now)
        for a in answers:
            events += self.answer(now, a)
        measures: tuple[tuple[MeasureKind, int | None], ...] = (
            ("pre_pain", pre_pain),
            ("rotation_left", rotation_left_deg),
            ("rotation_right", rotation_right_deg),
        )
        for kind, value in measures:
            if value is not None:
                events += self.measure(now, kind, value)
        return events

    # -- notes, voice, checklist --------------------------------------------------------------

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

    def tick(self, now: float, item: int, done: bool = True) -> list[Event]:
        """Tick (or untick) checklist item ``item`` of the step on screen; nothing when no visit is
        on screen. ValueError when the step has no such item."""
        events = self._catch_up(now)
        live = self._live
        if live is None or self.state == "finished":
            return self._dispatch(events)
        items = live.planned.step.checklist
        if not 0 <= item < len(items):
            raise ValueError(f"step {live.planned.key!r} has {len(items)} checklist item(s); no item {item}")
        entry = Tick(self._iso(now), item, items[item], done)
        live.record.ticks.append(entry)
        return self._dispatch([*events, Ticked(entry.at, live.record.visit, copy.copy(entry))])

    def ticked(self) -> list[bool]:
        """Which checklist items of the visit on screen stand ticked (the last tick of each counts)."""
        live = self._live
        if live is None:
            return []
        state = [False] * len(live.planned.step.checklist)
        for t in live.record.ticks:
            state[t.item] = t.done
        return state

    # -- plumbing -----------------------------------------------------------------------------

    def _iso(self, monotonic: float) -> str:
        return self._anchor.iso(monotonic)

    def _next_number(self) -> int:
        self._ratings += 1
        return self._ratings

    def _catch_up(self, now: float) -> list[Event]:
        """Everything due by ``now`` (the runner's timing); nothing here."""
        return []

    def _dispatch(self, events: list[Event]) -> list[Event]:
        for event in events:
            if not isinstance(event, CueDue):  # what the store records: the record's last moment
                self.record.last_event_at = max(self.record.last_event_at or "", event.at)
            for callback in list(self._subscribers):
                callback(event)
        return events

    def _begin(self, now: float) -> list[Event]:
        if self._begun:
            return []
        self._begun = True
        self.record.started_at = self._iso(now)
        return [SessionStarted(self.record.started_at, copy.deepcopy(self.record))]


__all__ = ["PAIN_MAX", "PAIN_MIN", "SessionRecorder", "Subscriber"]
