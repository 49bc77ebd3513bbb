"""Field types shared by the parts of the protocol model (model, screening, course of care).

Kept apart from :mod:`neck_guide.protocol.model` so the parts can be declared in modules of
their own without importing each other in a circle.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

RATING_MIN = 1
RATING_MAX = 10

Id = Annotated[
    str,
    Field(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=64, description="lower-case id: a-z 0-9 _ -"),
]
Text = Annotated[str, Field(min_length=1, max_length=2000)]
Seconds = Annotated[float, Field(gt=0, le=3600, description="seconds, more than 0")]
RatingValue = Annotated[int, Field(ge=RATING_MIN, le=RATING_MAX)]
RatingKind = Literal["pressure", "pain"]


class FrozenModel(BaseModel):
    """Every part of a protocol: unknown fields refused, immutable, text trimmed."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)
