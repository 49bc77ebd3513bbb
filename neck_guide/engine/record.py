"""The complete record of a session: plain data, JSON-friendly, no behaviour beyond summaries.

Times in records are wall-clock ISO 8601 strings with offset (from the session's WallAnchor);
durations are in protocol seconds (real seconds times the session's time scale), so a demo at
``--time-scale 10`` records the same figures as a real session would.

The record only grows: a correction, an undo or a changed measure is a new entry (a rating that
``corrects`` an earlier one, an :class:`Undo`, a later :class:`Measure`), never an edit of what was
recorded. The few summary fields (``pre_pain``, a visit's ``extended_s``…) are the standing value
those entries add up to, kept for readers that want only that.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from neck_guide.engine.outcome import SessionStatus
from neck_guide.protocol.anatomy import View
from neck_guide.protocol.model import RatingKind
from neck_guide.protocol.plan import StepKind
from neck_guide.protocol.screening import ScreeningKind

# How a visit ended. "ended_early": Next before a timed step's end; "released": a range hold let go;
# "undone": the Next or Back that opened the visit was undone; "interrupted": the app stopped (crash
# or close) during the visit, which keeps the time of its last heartbeat.
EndReason = Literal[
    "completed", "released", "ended_early", "back", "skipped", "undone", "interrupted", "session_ended"
]
PainWhen = Literal["pre", "post"]
MeasureKind = Literal["pre_pain", "post_pain", "rotation_left", "rotation_right"]
UndoableAction = Literal["next", "back", "rating", "extend"]
GuardedAction = Literal["next", "back", "undo"]
InterruptionHandled = Literal["resumed", "closed_out"]
Standing = Literal["counts", "corrected", "undone"]  # a rating as it stands (see SessionRecord.standing)
PainPattern = Literal["local", "referred"]  # a body mark: pain felt where it starts, or sent elsewhere

__all__ = [
    "BodyMark",
    "EndReason",
    "GuardedAction",
    "IgnoredTap",
    "Interruption",
    "MarkRemoved",
    "Measure",
    "MeasureKind",
    "PainPattern",
    "PainWhen",
    "Pause",
    "Rating",
    "ScreeningAnswer",
    "ScreeningKind",
    "SessionRecord",
    "SessionStatus",
    "Standing",
    "StepRecord",
    "Tick",
    "Undo",
    "canonical_code",
]


def canonical_code(code: str | None) -> str | None:
    """The one stored spelling of a client code (trimmed, upper case); None for no client.

    Whether a code is acceptable at all is the session layer's rule (``session/clients.py``);
    here only its case is settled, so that records, queries and exports agree on one client.
    """
    text = (code or "").strip()
    return text.upper() or None


@dataclass(slots=True)
class Rating:
    """One 1-10 rating as given. ``number`` counts the session's ratings from 1 in the order given;
    ``corrects`` is the number of the rating this one replaces (a second tap within the mis-tap
    window)."""

    kind: RatingKind
    value: int
    at: str
    visit: int
    ease_off: bool = False
    in_target: bool | None = None
    number: int = 0
    corrects: int | None = None


@dataclass(slots=True)
class Pause:
    started_at: str
    ended_at: str | None = None
    duration_s: float | None = None


@dataclass(slots=True)
class Tick:
    """A checklist item of an untimed step ticked (``done``) or unticked."""

    at: str
    item: int  # position in the step's checklist, from 0
    text: str
    done: bool = True


@dataclass(slots=True)
class StepRecord:
    """One visit of one planned step (going back and redoing a step makes a second visit).

    ``actual_s`` is the protocol time this visit ran (pauses excluded); while the visit is open it
    is the time at its last heartbeat. A visit that ``continues`` an earlier one (after an undo or
    a resumed crash) picks the step up at ``carried_s``: the step has run ``carried_s + actual_s``.
    """

    visit: int
    index: int
    key: str
    phase_id: str
    phase_title: str
    step_id: str
    title: str
    technique: str
    muscle: str | None
    side: str | None
    kind: StepKind
    repetition: int
    repetitions: int
    planned_min_s: float | None
    planned_max_s: float | None
    started_at: str
    ended_at: str | None = None
    actual_s: float | None = None
    end_reason: EndReason | None = None
    extended_s: float = 0.0
    min_reached: bool = False
    max_reached: bool = False
    pauses: list[Pause] = field(default_factory=list)
    ratings: list[Rating] = field(default_factory=list)
    carried_s: float = 0.0
    continues: int | None = None
    ticks: list[Tick] = field(default_factory=list)

    def last(self, kind: RatingKind) -> int | None:
        """The latest rating of ``kind`` given in this visit (corrections and undos not applied:
        see :meth:`SessionRecord.standing` for that)."""
        for r in reversed(self.ratings):
            if r.kind == kind:
                return r.value
        return None

    @property
    def pressure(self) -> int | None:
        return self.last("pressure")

    @property
    def pain(self) -> int | None:
        return self.last("pain")

    @property
    def step_s(self) -> float | None:
        """How long the step has run in all, this visit and the one it continues."""
        return None if self.actual_s is None else round(self.carried_s + self.actual_s, 6)

    @property
    def paused_s(self) -> float:
        return round(sum(p.duration_s or 0.0 for p in self.pauses), 6)


@dataclass(slots=True)
class ScreeningAnswer:
    item_id: str
    kind: ScreeningKind
    question: str
    answer: bool
    acknowledged: bool = False
    reason: str = ""
    at: str = ""  # when it was answered ("" in records made before answers had times)


@dataclass(slots=True)
class Measure:
    """A measure taken outside the steps, at its own time; a later one of a kind replaces it."""

    kind: MeasureKind
    value: int | None  # None: set back to "not measured"
    at: str


@dataclass(slots=True)
class BodyMark:
    """Where it hurts, tapped on a diagram: ``x``/``y`` in the view's drawing units (as drawn,
    never mirrored), the body region, side and muscle found there (``neck_guide.body_sites``), how
    much (0-10) and whether the pain is local or referred. ``number`` counts the session's marks
    from 1."""

    number: int
    at: str
    view: View
    x: float
    y: float
    region: str
    side: str | None
    muscle: str | None
    intensity: int
    pattern: PainPattern


@dataclass(slots=True)
class MarkRemoved:
    """A body mark taken back (a wrong tap): mark ``number`` no longer stands."""

    at: str
    number: int


@dataclass(slots=True)
class Undo:
    """The therapist undid an action: a Next or Back (the visit it opened ended "undone" and the
    step left was taken up again), a rating (its ``rating`` number no longer counts) or an extension
    (``seconds`` taken off the visit's end)."""

    at: str
    action: UndoableAction
    visit: int
    rating: int | None = None
    seconds: float | None = None


@dataclass(slots=True)
class IgnoredTap:
    """A Next, Back or Undo ignored as a mis-tap: it came within the guard window (real seconds)
    of the visit's start or of the previous undo."""

    at: str
    action: GuardedAction
    visit: int | None
    after_s: float  # real seconds since what it repeated


@dataclass(slots=True)
class Interruption:
    """The app stopped mid-session (a crash, a power cut, the window closed): ``at`` is the last
    moment recorded (the last heartbeat), ``found_at`` when the session was taken up again or
    closed out."""

    at: str
    visit: int | None
    found_at: str
    handled: InterruptionHandled


@dataclass(slots=True)
class SessionRecord:
    session_id: str
    protocol_id: str
    protocol_version: str
    protocol_title: str
    client_code: str | None
    practice: bool
    time_scale: float
    started_at: str
    ended_at: str | None = None
    status: SessionStatus = "running"
    voice: bool = True
    screening: list[ScreeningAnswer] = field(default_factory=list)
    pre_pain: int | None = None
    post_pain: int | None = None
    rotation_left_deg: int | None = None
    rotation_right_deg: int | None = None
    notes: str = ""
    steps: list[StepRecord] = field(default_factory=list)
    protocol_steps: int | None = None  # steps in the protocol's plan (None: not known, older records)
    end_note: str = ""  # the reason given for ending early, if any
    last_event_at: str | None = None  # the last moment recorded (a heartbeat while a step runs)
    measures: list[Measure] = field(default_factory=list)
    undos: list[Undo] = field(default_factory=list)
    ignored: list[IgnoredTap] = field(default_factory=list)
    interruptions: list[Interruption] = field(default_factory=list)
    body_marks: list[BodyMark] = field(default_factory=list)
    marks_removed: list[MarkRemoved] = field(default_factory=list)

    def ratings(self) -> list[Rating]:
        """Every rating given, in the order given."""
        return sorted((r for v in self.steps for r in v.ratings), key=lambda r: (r.number, r.at))

    def standing(self, rating: Rating) -> Standing:
        """Whether a rating still counts, was replaced by a correction, or was undone."""
        if any(u.action == "rating" and u.rating == rating.number for u in self.undos):
            return "undone"
        corrected = {r.corrects for v in self.steps for r in v.ratings if r.corrects is not None}
        return "corrected" if rating.number in corrected else "counts"

    def measured_at(self, kind: MeasureKind) -> str | None:
        """When the standing value of ``kind`` was taken (None: never measured, or before measures
        had their own times)."""
        for m in reversed(self.measures):
            if m.kind == kind:
                return m.at
        return None

    def marks(self) -> list[BodyMark]:
        """The body marks that stand (those not taken back), in the order made."""
        removed = {m.number for m in self.marks_removed}
        return [m for m in self.body_marks if m.number not in removed]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SessionRecord:
        d = dict(data)
        d["screening"] = [ScreeningAnswer(**a) for a in d.get("screening", [])]
        steps = []
        for raw in d.get("steps", []):
            s = dict(raw)
            s["pauses"] = [Pause(**p) for p in s.get("pauses", [])]
            s["ratings"] = [Rating(**r) for r in s.get("ratings", [])]
            s["ticks"] = [Tick(**t) for t in s.get("ticks", [])]
            if s.get("end_reason") == "next":  # the name before "ended_early"
                s["end_reason"] = "ended_early"
            steps.append(StepRecord(**s))
        d["steps"] = steps
        d["measures"] = [Measure(**m) for m in d.get("measures", [])]
        d["undos"] = [Undo(**u) for u in d.get("undos", [])]
        d["ignored"] = [IgnoredTap(**i) for i in d.get("ignored", [])]
        d["interruptions"] = [Interruption(**i) for i in d.get("interruptions", [])]
        d["body_marks"] = [BodyMark(**m) for m in d.get("body_marks", [])]
        d["marks_removed"] = [MarkRemoved(**m) for m in d.get("marks_removed", [])]
        return cls(**d)
