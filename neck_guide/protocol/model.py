"""A protocol file as a typed, validated model (the format of ``protocols/*.toml``).

pydantic gives us typed validation with the place of each error and the JSON Schema for
protocol authors (``protocols/schema.json``) from the same declarations. Everything here is
immutable; :mod:`neck_guide.protocol.plan` expands a Protocol into the flat list of steps the
engine runs.
"""

from __future__ import annotations

from typing import Annotated, Literal, Self

from pydantic import Field, model_validator

from neck_guide.protocol.anatomy import ALL_TRIGGER_POINTS, MUSCLES, SAFETY_ZONES, Side, View
from neck_guide.protocol.course import CourseOfCare
from neck_guide.protocol.fields import (
    RATING_MAX,
    RATING_MIN,
    FrozenModel,
    Id,
    RatingKind,
    RatingValue,
    Seconds,
    Text,
)
from neck_guide.protocol.screening import ScreeningItem

__all__ = ["RATING_MAX", "RATING_MIN", "RatingKind", "ScreeningItem"]

SCHEMA_VERSION = 1
Delivery = Literal["hands_on", "self_care"]


class HoldRange(FrozenModel):
    """A sustained hold: cue at the minimum, hard cue at the maximum, release in between."""

    min_s: Seconds
    max_s: Seconds

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.min_s > self.max_s:
            raise ValueError(f"min_s ({self.min_s:g}) is greater than max_s ({self.max_s:g})")
        return self


class Breathing(FrozenModel):
    """A paced breathing pattern; one cycle is inhale, hold, exhale, rest."""

    inhale_s: Seconds
    hold_s: Annotated[float, Field(ge=0, le=60)] = 0.0
    exhale_s: Seconds
    rest_s: Annotated[float, Field(ge=0, le=60)] = 0.0
    cycles: Annotated[int, Field(ge=1, le=100)]

    @property
    def cycle_s(self) -> float:
        return self.inhale_s + self.hold_s + self.exhale_s + self.rest_s

    @property
    def total_s(self) -> float:
        return self.cycle_s * self.cycles


class CueSpec(FrozenModel):
    """A spoken and shown cue at an offset from the start of the step (of each repetition)."""

    at_s: Annotated[float, Field(ge=0, le=3600)]
    text: Annotated[str, Field(min_length=1, max_length=200)]


class RatingSpec(FrozenModel):
    """Which 1-10 ratings to ask for a step, the band to aim for, and when to ease off.

    Ease-off fires above the top of the target band: a rating inside the band is what the step
    aims for, one above it is too much. ``ease_off_above`` may be left out when there is a
    target (it is then the band's top) and must equal the top when given with one."""

    ask: Annotated[tuple[RatingKind, ...], Field(min_length=1, max_length=2)]
    target: tuple[RatingValue, RatingValue] | None = Field(
        default=None, description="[low, high] band to aim for, e.g. [6, 7]"
    )
    ease_off_above: RatingValue | None = Field(
        default=None,
        description="a rating above this asks the therapist to ease off; with a target it is the "
        "target's top (and may be left out)",
    )
    per: Literal["repetition", "set"] = Field(
        default="repetition",
        description='"set": ask once, at the last repetition of each side, not at every repetition',
    )

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if len(set(self.ask)) != len(self.ask):
            raise ValueError(f"ask lists a rating twice: {list(self.ask)}")
        if self.target is None:
            return self
        low, high = self.target
        if low > high:
            raise ValueError(f"target low ({low}) is above high ({high})")
        if self.ease_off_above is not None and self.ease_off_above != high:
            where = "inside" if self.ease_off_above < high else "above"
            raise ValueError(
                f"ease_off_above ({self.ease_off_above}) is {where} the target band {list(self.target)}: "
                f"ease-off fires above the top of the band, so set it to {high} or leave it out"
            )
        return self

    @property
    def ease_off_at(self) -> int | None:
        """A rating above this asks to ease off: ``ease_off_above``, else the target's top."""
        if self.ease_off_above is not None:
            return self.ease_off_above
        return self.target[1] if self.target is not None else None


class DiagramRef(FrozenModel):
    """What the muscle diagram shows for a step: the view and what to highlight on it."""

    view: View
    muscles: tuple[str, ...] = ()
    trigger_points: tuple[str, ...] = Field(default=(), description='e.g. "tp_scm_1"')
    referral_zones: tuple[str, ...] = Field(default=(), description="muscle ids")
    safety_zones: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _known(self) -> Self:
        for m in self.muscles:
            if m not in MUSCLES:
                raise ValueError(f"unknown muscle {m!r}; known: {', '.join(sorted(MUSCLES))}")
            if self.view not in MUSCLES[m].views:
                raise ValueError(f"muscle {m!r} is not drawn in the {self.view} view")
        for tp in self.trigger_points:
            if tp not in ALL_TRIGGER_POINTS:
                raise ValueError(
                    f"unknown trigger point {tp!r}; known: {', '.join(sorted(ALL_TRIGGER_POINTS))}"
                )
            muscle = tp[3:].rsplit("_", 1)[0]
            if self.view not in MUSCLES[muscle].views:
                raise ValueError(f"trigger point {tp!r} is not drawn in the {self.view} view")
        for r in self.referral_zones:
            if r not in MUSCLES or not MUSCLES[r].referral_views:
                raise ValueError(f"no referral zone for {r!r}")
            if self.view not in MUSCLES[r].referral_views:
                raise ValueError(f"the referral zone of {r!r} is not drawn in the {self.view} view")
        for z in self.safety_zones:
            if z not in SAFETY_ZONES:
                raise ValueError(f"unknown safety zone {z!r}; known: {', '.join(SAFETY_ZONES)}")
            if self.view not in SAFETY_ZONES[z].views:
                raise ValueError(f"safety zone {z!r} is not drawn in the {self.view} view")
        return self


class Step(FrozenModel):
    """One thing to do. Timing is at most one of duration_s, hold or breathing; none = untimed."""

    id: Id
    title: Annotated[str, Field(min_length=1, max_length=80)]
    technique: Annotated[str, Field(min_length=1, max_length=60, description="a few plain words")]
    instructions: Annotated[str, Field(max_length=2000)] = ""
    checklist: Annotated[tuple[Text, ...], Field(max_length=40)] = ()
    muscle: str | None = Field(default=None, description="the muscle worked, for records")
    duration_s: Seconds | None = None
    hold: HoldRange | None = None
    breathing: Breathing | None = None
    estimate_s: Seconds | None = Field(
        default=None, description="how long an untimed step usually takes, for planning"
    )
    repetitions: Annotated[int, Field(ge=1, le=50)] = 1
    rest_s: Annotated[float, Field(ge=0, le=600)] = 0.0
    sides: tuple[Side, ...] = Field(default=(), description='["left", "right"] repeats the step per side')
    cues: Annotated[tuple[CueSpec, ...], Field(max_length=60)] = ()
    rating: RatingSpec | None = None
    diagram: DiagramRef | None = None
    safety: Annotated[str, Field(max_length=400)] = ""
    auto_advance: bool | None = Field(
        default=None, description="default: timed steps advance by themselves, untimed wait"
    )
    optional: bool = Field(
        default=False,
        description="runs only when chosen before the session (say in safety or instructions when "
        "it suits); left out otherwise",
    )

    @model_validator(mode="after")
    def _timing(self) -> Self:
        timings = [n for n in ("duration_s", "hold", "breathing") if getattr(self, n) is not None]
        if len(timings) > 1:
            raise ValueError(f"give at most one of duration_s, hold, breathing (found {', '.join(timings)})")
        if timings and self.estimate_s is not None:
            raise ValueError("estimate_s is for untimed steps only")
        if self.muscle is not None and self.muscle not in MUSCLES:
            raise ValueError(f"unknown muscle {self.muscle!r}; known: {', '.join(sorted(MUSCLES))}")
        if len(set(self.sides)) != len(self.sides):
            raise ValueError(f"sides lists a side twice: {list(self.sides)}")
        if self.rest_s and self.repetitions == 1:
            raise ValueError("rest_s is the pause between repetitions: set repetitions above 1")
        length = self.timed_s
        for cue in self.cues:
            if length is not None and cue.at_s > length:
                raise ValueError(f"cue {cue.text!r} at {cue.at_s:g} s is after the step ends ({length:g} s)")
        return self

    @property
    def timed_s(self) -> float | None:
        """The longest the step runs by itself, or None for an untimed step."""
        if self.duration_s is not None:
            return self.duration_s
        if self.hold is not None:
            return self.hold.max_s
        if self.breathing is not None:
            return self.breathing.total_s
        return None


class Phase(FrozenModel):
    id: Id
    title: Annotated[str, Field(min_length=1, max_length=80)]
    goal: Annotated[str, Field(max_length=400)] = ""
    steps: Annotated[tuple[Step, ...], Field(min_length=1, max_length=100)]


class ScalePoint(FrozenModel):
    value: RatingValue
    label: Annotated[str, Field(min_length=1, max_length=60)]


class Protocol(FrozenModel):
    """A whole protocol file."""

    schema_version: Literal[1]
    id: Id
    title: Annotated[str, Field(min_length=1, max_length=80)]
    version: Annotated[str, Field(pattern=r"^\d+\.\d+(\.\d+)?$")]
    summary: Text
    source: Annotated[str, Field(max_length=400)] = ""
    rating_scale: tuple[ScalePoint, ...] = Field(
        default=(), max_length=10, description="labels for points of the 1-10 scale"
    )
    delivery: Delivery = Field(
        default="hands_on",
        description='"hands_on": a therapist treats (must screen the known red flags and '
        'contraindications); "self_care": a client alone (must screen the red flags, in plain words)',
    )
    screening_intro: Annotated[str, Field(max_length=400)] = Field(
        default="", description="a line above the screening questions, e.g. what a yes means"
    )
    screening: Annotated[tuple[ScreeningItem, ...], Field(max_length=60)] = ()
    phases: Annotated[tuple[Phase, ...], Field(min_length=1, max_length=40)]
    aftercare: Annotated[tuple[Text, ...], Field(max_length=40)] = ()
    course_of_care: CourseOfCare | None = Field(
        default=None, description="stages of visits, for the suggested next visit"
    )

    @model_validator(mode="after")
    def _unique_ids(self) -> Self:
        _no_duplicates("phase", [p.id for p in self.phases])
        _no_duplicates("step", [s.id for s in self.steps])
        _no_duplicates("screening item", [s.id for s in self.screening])
        _no_duplicates("rating_scale value", [str(p.value) for p in self.rating_scale])
        return self

    @model_validator(mode="after")
    def _references(self) -> Self:
        steps = {s.id for s in self.steps}
        for item in self.screening:
            unknown = [i for i in item.applies_to if i not in steps]
            if unknown:
                raise ValueError(
                    f"screening item {item.id!r} applies_to unknown step {unknown[0]!r}; "
                    f"steps: {', '.join(sorted(steps))}"
                )
        if all(s.optional for s in self.steps):
            raise ValueError("every step is optional: at least one step must always run")
        return self

    @property
    def steps(self) -> tuple[Step, ...]:
        """Every step of every phase, in order."""
        return tuple(s for p in self.phases for s in p.steps)

    @property
    def optional_steps(self) -> tuple[Step, ...]:
        return tuple(s for s in self.steps if s.optional)

    @property
    def precautions(self) -> tuple[ScreeningItem, ...]:
        return tuple(i for i in self.screening if i.kind == "precaution")

    @property
    def muscles(self) -> tuple[str, ...]:
        """Muscles the protocol works, in order of first appearance."""
        seen: dict[str, None] = {}
        for phase in self.phases:
            for step in phase.steps:
                if step.muscle:
                    seen[step.muscle] = None
        return tuple(seen)


def _no_duplicates(what: str, ids: list[str]) -> None:
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise ValueError(f"duplicate {what} id: {', '.join(dupes)}")
