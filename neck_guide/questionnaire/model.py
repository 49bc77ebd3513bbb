"""A questionnaire file as a typed, validated model (the format of ``questionnaires/*.toml``).

A questionnaire is items a client answers and the rules that score them, all in the file:

- ``choice``: one of the ``options``, scored from ``first_score`` in the order given
  (the Neck Disability Index: six statements per section, 0-5);
- ``scale``: a whole number from ``low`` to ``high`` with words at both ends (pain 0-10);
- ``activity``: an activity the client names, rated on the scale (the Patient-Specific
  Functional Scale: up to five, each 0-10).

``[scoring]`` says how the answered items make the total (``sum``: prorated over the answered
items when some are skipped, and a percentage of the answered items' maximum; ``mean``;
``single``), how many must be answered, the severity bands, which way is better, and the
minimal clinically important difference (MCID) of the total with its published source.
"""

from __future__ import annotations

from typing import Annotated, Literal, Self

from pydantic import Field, model_validator

from neck_guide.datafile.fields import FrozenModel, Id, Text, Version

SCHEMA_VERSION = 1
ItemKind = Literal["choice", "scale", "activity"]
Method = Literal["sum", "mean", "single"]
Better = Literal["lower", "higher"]

LoincCode = Annotated[str, Field(pattern=r"^\d{1,8}-\d$", description='a LOINC code, e.g. "82227-0"')]
Short = Annotated[str, Field(min_length=1, max_length=80)]
Label = Annotated[str, Field(max_length=120)]
ScoreValue = Annotated[int, Field(ge=-100, le=1000)]


class Item(FrozenModel):
    """One question. ``title`` is its topic in reports; ``text`` is what the client reads."""

    id: Id
    title: Short
    text: Text
    kind: ItemKind
    loinc: LoincCode | None = Field(default=None, description="the item's LOINC code, when it has one")
    options: tuple[Text, ...] = Field(default=(), description="choice: the answers, least to most")
    first_score: ScoreValue = Field(default=0, description="choice: the score of the first option")
    low: ScoreValue = Field(default=0, description="scale and activity: the lowest rating")
    high: ScoreValue = Field(default=10, description="scale and activity: the highest rating")
    low_label: Label = Field(default="", description="scale and activity: what the lowest rating means")
    high_label: Label = Field(default="", description="scale and activity: what the highest rating means")
    name_prompt: Label = Field(default="", description="activity: what to ask for the activity's name")

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.kind == "choice":
            if len(self.options) < 2:
                raise ValueError(
                    f"a choice item needs at least 2 options (item {self.id!r} has {len(self.options)})"
                )
        elif self.options:
            raise ValueError(f"options are for choice items; item {self.id!r} is a {self.kind} item")
        if self.kind != "choice" and self.low >= self.high:
            raise ValueError(f"low ({self.low}) must be below high ({self.high}) in item {self.id!r}")
        if self.kind == "activity" and not self.name_prompt:
            raise ValueError(f"an activity item needs a name_prompt (item {self.id!r})")
        return self

    @property
    def lowest(self) -> int:
        return self.first_score if self.kind == "choice" else self.low

    @property
    def highest(self) -> int:
        return self.first_score + len(self.options) - 1 if self.kind == "choice" else self.high

    def allows(self, value: int) -> bool:
        return self.lowest <= value <= self.highest


class Band(FrozenModel):
    """A severity band: totals from ``at_least`` up to the next band's ``at_least``."""

    at_least: Annotated[float, Field(ge=-1000, le=1000)]
    label: Short


class Scoring(FrozenModel):
    """How the answers make the total, and how to read it."""

    method: Method
    min_answered: Annotated[int, Field(ge=1, le=100)] = Field(
        default=1, description="fewer answered items than this: no total (the note says why)"
    )
    percent: bool = Field(
        default=False, description="also give the total as a percentage of the answered items' maximum"
    )
    total_title: Short = "Total"
    total_loinc: LoincCode | None = Field(default=None, description="the total's LOINC code, when it has one")
    bands: tuple[Band, ...] = Field(default=(), description="severity bands, lowest first")
    better: Better = Field(description='"lower": a fall in the total is an improvement; "higher": a rise')
    mcid: Annotated[float, Field(gt=0, le=1000)] = Field(
        description="the minimal clinically important difference of the total, in its units"
    )
    mcid_source: Text = Field(description="the published source of the MCID")

    @model_validator(mode="after")
    def _ordered_bands(self) -> Self:
        starts = [b.at_least for b in self.bands]
        if starts != sorted(starts) or len(set(starts)) != len(starts):
            raise ValueError(f"bands must rise: at_least values {starts} are not in increasing order")
        return self


class Questionnaire(FrozenModel):
    """A whole questionnaire file."""

    schema_version: Literal[1]
    id: Id
    title: Short
    short_title: Annotated[str, Field(min_length=1, max_length=16)]
    version: Version
    about: Text = Field(description="for the therapist: what it measures, where it comes from")
    intro: Text = Field(description="for the client: the first screen of the questionnaire")
    source: Annotated[str, Field(max_length=600)] = ""
    wording: Text = Field(description="where the items' wording comes from")
    placeholder: bool = Field(
        default=False,
        description="the wording is a neutral stand-in for the licensed text (a clinic's wording file "
        "replaces it)",
    )
    loinc: LoincCode | None = Field(default=None, description="the questionnaire's LOINC panel code")
    order: Annotated[int, Field(ge=0, le=1000)] = Field(default=100, description="lower comes first")
    scheduled: bool = Field(default=True, description="offered at intake and then on the clinic's schedule")
    items: Annotated[tuple[Item, ...], Field(min_length=1, max_length=100)]
    scoring: Scoring

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        ids = [i.id for i in self.items]
        twice = sorted({i for i in ids if ids.count(i) > 1})
        if twice:
            raise ValueError(f"duplicate item id: {', '.join(twice)}")
        if self.scoring.method == "single" and len(self.items) != 1:
            raise ValueError(f'method "single" scores one item; this questionnaire has {len(self.items)}')
        if self.scoring.min_answered > len(self.items):
            raise ValueError(
                f"scoring.min_answered ({self.scoring.min_answered}) is more than the {len(self.items)} items"
            )
        return self

    def item(self, item_id: str) -> Item:
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(f"questionnaire {self.id!r} has no item {item_id!r}")

    @property
    def total_range(self) -> tuple[float, float]:
        """The lowest and highest total."""
        if self.scoring.method == "sum":
            return float(sum(i.lowest for i in self.items)), float(sum(i.highest for i in self.items))
        return float(min(i.lowest for i in self.items)), float(max(i.highest for i in self.items))
