"""The record of one filling of a questionnaire: plain data, JSON-friendly, like a session record.

The record only grows: every answer is an entry with its own time, and changing an answer (the
client went back) is a later entry for the same item, never an edit; :meth:`ResponseRecord.standing`
gives the answers as they stand. A skipped item is an entry with no value. The items as they were
shown (titles, codes, ranges) and the score at completion are kept in the record, so it reads the
same whatever later happens to the questionnaire's file.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from neck_guide.questionnaire.model import Questionnaire
from neck_guide.questionnaire.scoring import Score

# intake: the client's first; scheduled: on the clinic's schedule; on_demand: asked for outside it
Occasion = Literal["intake", "scheduled", "on_demand"]
# in_progress: being filled (or the app stopped during it); completed; stopped: left before the end
ResponseStatus = Literal["in_progress", "completed", "stopped"]

__all__ = ["Answer", "ItemShown", "Occasion", "ResponseRecord", "ResponseStatus"]


@dataclass(slots=True)
class Answer:
    """An answer as given: ``value`` None is a skipped item; ``name`` the activity named (PSFS)."""

    item_id: str
    value: int | None
    at: str
    name: str = ""


@dataclass(frozen=True, slots=True)
class ItemShown:
    """An item as the client saw it, for reading the record without the questionnaire's file."""

    item_id: str
    title: str
    loinc: str | None
    lowest: int
    highest: int


@dataclass(slots=True)
class ResponseRecord:
    response_id: str
    questionnaire_id: str
    questionnaire_version: str
    title: str
    short_title: str
    client_code: str | None
    occasion: Occasion
    started_at: str
    wording: str  # where the wording came from
    placeholder: bool  # the wording was the neutral stand-in, not the licensed text
    items: list[ItemShown] = field(default_factory=list)
    answers: list[Answer] = field(default_factory=list)
    status: ResponseStatus = "in_progress"
    completed_at: str | None = None
    session_id: str | None = None  # the session it was filled for, when there was one
    total: float | None = None
    percent: float | None = None
    band: str = ""
    answered: int = 0
    score_note: str = ""
    total_title: str = ""
    total_loinc: str | None = None
    loinc: str | None = None  # the questionnaire's panel code

    @classmethod
    def begin(
        cls,
        questionnaire: Questionnaire,
        response_id: str,
        client_code: str | None,
        occasion: Occasion,
        at: str,
    ) -> ResponseRecord:
        """A new, empty record of ``questionnaire``."""
        q = questionnaire
        items = [ItemShown(i.id, i.title, i.loinc, i.lowest, i.highest) for i in q.items]
        return cls(
            response_id, q.id, q.version, q.title, q.short_title, client_code, occasion, at,
            q.wording, q.placeholder, items, total_title=q.scoring.total_title,
            total_loinc=q.scoring.total_loinc, loinc=q.loinc,
        )  # fmt: skip

    def standing(self) -> dict[str, Answer]:
        """The last answer given to each item, by item id (skipped items have value None)."""
        latest: dict[str, Answer] = {}
        for answer in self.answers:
            latest[answer.item_id] = answer
        return latest

    def values(self) -> dict[str, int | None]:
        return {item_id: a.value for item_id, a in self.standing().items()}

    def set_score(self, score: Score) -> None:
        self.total, self.percent, self.band = score.total, score.percent, score.band
        self.answered, self.score_note = score.answered, score.note

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ResponseRecord:
        d = dict(data)
        d["items"] = [ItemShown(**i) for i in d.get("items", [])]
        d["answers"] = [Answer(**a) for a in d.get("answers", [])]
        return cls(**d)
