"""The complete record of a session: plain data, JSON-friendly, no behaviour beyond summaries.

Times in records are wall-clock ISO 8601 strings with offset (from the session's WallAnchor);
durations are in protocol seconds (real seconds times the session's time scale), so a demo at
``--time-scale 10`` records the same figures as a real session would.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from neck_guide.protocol.model import RatingKind
from neck_guide.protocol.plan import StepKind
from neck_guide.protocol.screening import ScreeningKind

EndReason = Literal["completed", "released", "next", "back", "skipped", "session_ended"]
SessionStatus = Literal["running", "finished", "abandoned"]
PainWhen = Literal["pre", "post"]


@dataclass(slots=True)
class Rating:
    kind: RatingKind
    value: int
    at: str
    visit: int
    ease_off: bool = False
    in_target: bool | None = None


@dataclass(slots=True)
class Pause:
    started_at: str
    ended_at: str | None = None
    duration_s: float | None = None


@dataclass(slots=True)
class StepRecord:
    """One visit of one planned step (going back and redoing a step makes a second visit)."""

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

    def last(self, kind: RatingKind) -> int | None:
        """The latest rating of ``kind`` for this visit (a re-rating replaces the earlier one)."""
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


@dataclass(slots=True)
class ScreeningAnswer:
    item_id: str
    kind: ScreeningKind
    question: str
    answer: bool
    acknowledged: bool = False
    reason: str = ""


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
            steps.append(StepRecord(**s))
        d["steps"] = steps
        return cls(**d)
