"""Field types every data file shares (protocols, questionnaires): ids, text, versions, the base model.

Kept in one place so each kind of file checks an id or a version the same way, and the messages
of :mod:`neck_guide.datafile.problems` can recognise their patterns.
"""

from __future__ import annotations

from typing import Annotated, Final

from pydantic import BaseModel, ConfigDict, Field

ID_PATTERN: Final = r"^[a-z0-9][a-z0-9_-]*$"
VERSION_PATTERN: Final = r"^\d+\.\d+(\.\d+)?$"

Id = Annotated[str, Field(pattern=ID_PATTERN, max_length=64, description="lower-case id: a-z 0-9 _ -")]
Text = Annotated[str, Field(min_length=1, max_length=2000)]
Version = Annotated[str, Field(pattern=VERSION_PATTERN, description='e.g. "1.0" or "1.2.3"')]


class FrozenModel(BaseModel):
    """Every part of a data file: unknown fields refused, immutable, text trimmed."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)
