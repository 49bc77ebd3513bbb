"""The course of care a protocol suggests: stages of visits, and when the next one falls due.

A protocol may carry the plan its source gives (the neuromuscular article: visits 1-3, 4-6,
then monthly upkeep; long-standing pain twice a month at first). The summary and the PDF turn
it into a suggested next visit for the client, from which visit of the course this was.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Self

from pydantic import Field, model_validator

from neck_guide.protocol.fields import FrozenModel, Text

Weeks = Annotated[float, Field(gt=0, le=52, description="weeks between visits")]
VisitNumber = Annotated[int, Field(ge=1, le=1000)]


class CourseStage(FrozenModel):
    """Visits ``first_visit``..``last_visit`` (open-ended when it is left out) and their aim."""

    first_visit: VisitNumber
    last_visit: VisitNumber | None = Field(default=None, description="left out: every later visit")
    aim: Text
    every_weeks: Weeks | None = Field(default=None, description="gap between visits, when known")
    chronic_every_weeks: Weeks | None = Field(
        default=None, description="the gap for long-standing pain, when it differs"
    )

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.last_visit is not None and self.last_visit < self.first_visit:
            raise ValueError(f"last_visit ({self.last_visit}) is before first_visit ({self.first_visit})")
        return self

    def holds(self, visit: int) -> bool:
        return self.first_visit <= visit and (self.last_visit is None or visit <= self.last_visit)

    @property
    def visits(self) -> str:
        """ "1–3", "7 on" or "4"."""
        if self.last_visit is None:
            return f"{self.first_visit} on"
        if self.last_visit == self.first_visit:
            return str(self.first_visit)
        return f"{self.first_visit}–{self.last_visit}"


class CourseOfCare(FrozenModel):
    """Stages covering visit 1 onwards, one after the other; only the last is open-ended."""

    stages: Annotated[tuple[CourseStage, ...], Field(min_length=1)]
    note: Annotated[str, Field(max_length=400)] = ""

    @model_validator(mode="after")
    def _contiguous(self) -> Self:
        expected = 1
        for n, stage in enumerate(self.stages, start=1):
            if stage.first_visit != expected:
                raise ValueError(f"stage {n} starts at visit {stage.first_visit}; expected visit {expected}")
            if stage.last_visit is None:
                if n != len(self.stages):
                    raise ValueError(f"stage {n} is open-ended (no last_visit), so it must be the last")
                return self
            expected = stage.last_visit + 1
        return self

    def stage_of(self, visit: int) -> CourseStage:
        """The stage ``visit`` belongs to (the last stage for any visit past the plan)."""
        return next((s for s in self.stages if s.holds(visit)), self.stages[-1])


@dataclass(frozen=True, slots=True)
class NextVisit:
    """The visit after this one: its number, its stage, and when it falls due (weeks)."""

    visit: int
    stage: CourseStage

    def when(self) -> str:
        """When to book it, in words: one gap, or the gap for long-standing pain and otherwise."""
        usual = self.stage.every_weeks
        chronic = self.stage.chronic_every_weeks
        if chronic is not None and chronic != usual:
            other = f"otherwise {_weeks(usual)}" if usual is not None else "otherwise when agreed"
            return f"for long-standing pain {_weeks(chronic)}; {other}"
        return _weeks(usual) if usual is not None else "when agreed with the client"

    def text(self) -> str:
        """ "Visit 4 (…aim…): for long-standing pain in about 2 weeks; otherwise when agreed"."""
        return f"Visit {self.visit} ({self.stage.aim.rstrip('.')}): {self.when()}"


def next_visit(course: CourseOfCare, visit: int) -> NextVisit:
    """What follows visit number ``visit`` (1 for a client's first session)."""
    if visit < 1:
        raise ValueError(f"visit numbers start at 1, got {visit}")
    return NextVisit(visit + 1, course.stage_of(visit + 1))


def _weeks(weeks: float) -> str:
    if weeks == 1:
        return "in about a week"
    if weeks in (4, 4.5):
        return "in about a month"
    return f"in about {weeks:g} weeks"
