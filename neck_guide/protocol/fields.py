"""Field types shared by the parts of the protocol model (model, screening, course of care).

Kept apart from :mod:`neck_guide.protocol.model` so the parts can be declared in modules of
their own without importing each other in a circle. Ids, text and the base model are those of
every data file (:mod:`neck_guide.datafile.fields`).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from neck_guide.datafile.fields import FrozenModel, Id, Text, Version

__all__ = ["FrozenModel", "Id", "RatingKind", "RatingValue", "Seconds", "Text", "Version"]

RATING_MIN = 1
RATING_MAX = 10

Seconds = Annotated[float, Field(gt=0, le=3600, description="seconds, more than 0")]
RatingValue = Annotated[int, Field(ge=RATING_MIN, le=RATING_MAX)]
RatingKind = Literal["pressure", "pain"]
