"""Screening questions and the findings they screen for.

Each question has a kind that says what a "yes" does, so the gate before a session cannot be
talked round:

    red_flag          a new or unexplained sign: stop and refer out. The session starts only
                      once the therapist records a clinician's clearance for it (name, date).
    contraindication  response "defer": no session today, recorded as deferred;
                      response "clearance": starts only with a recorded medical clearance.
    precaution        an acknowledgement starts the session, and the question's ``action``
                      is shown as guidance on the steps it ``applies_to``.

``findings`` ties a question to the known findings below, so a check can tell whether a
hands-on protocol screens everything its sources say to (:mod:`neck_guide.protocol.safety`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal, Self, get_args

from pydantic import Field, model_validator

from neck_guide.protocol.fields import FrozenModel, Id, Text

ScreeningKind = Literal["red_flag", "contraindication", "precaution"]
Response = Literal["defer", "clearance"]
#: What a "yes" needs before the session may start.
Gate = Literal["acknowledge", "clearance", "refer", "defer"]
#: How strict a gate is: a finding is screened by a question at least this strict.
STRICTNESS: Final[dict[Gate, int]] = {"acknowledge": 0, "clearance": 1, "refer": 2, "defer": 3}

GATE_WORDS: Final[dict[Gate, str]] = {
    "refer": "red flag",
    "defer": "contraindication: defer",
    "clearance": "contraindication: needs clearance",
    "acknowledge": "precaution",
}

FindingId = Literal[
    "dizziness",
    "numbness",
    "arm-pain",
    "headache-change",
    "chest-pain",
    "acute-injury",
    "skin-infection",
    "osteoporosis",
    "blood-clots",
    "recent-surgery",
]


@dataclass(frozen=True, slots=True)
class Finding:
    """A sign or condition the sources say to screen for, and the least a "yes" must do."""

    id: FindingId
    words: str
    needs: Gate
    source: str
    only_with_muscle: str | None = None  # required only of protocols that work this muscle


_CLINICAL = "a red flag in the clinical neck massage article"
_NEUROMUSCULAR = "a reason to avoid treatment in the neuromuscular massage article"
_SCALENES = "scalene pain can pass for heart trouble, says the neuromuscular massage article"

FINDINGS: Final[dict[FindingId, Finding]] = {
    f.id: f
    for f in (
        Finding("dizziness", "dizziness", "refer", _CLINICAL),
        Finding("numbness", "numbness or tingling", "refer", _CLINICAL),
        Finding("arm-pain", "pain spreading into an arm", "refer", _CLINICAL),
        Finding("headache-change", "new or changed headaches", "refer", _CLINICAL),
        Finding("chest-pain", "chest pain no doctor has checked", "refer", _SCALENES, "scalenes"),
        Finding("acute-injury", "an injury in the last 48-72 hours", "defer", _NEUROMUSCULAR),
        Finding("skin-infection", "an active skin infection", "defer", _NEUROMUSCULAR),
        Finding("osteoporosis", "severe osteoporosis", "defer", _NEUROMUSCULAR),
        Finding("blood-clots", "blood clots or blood thinners", "clearance", _NEUROMUSCULAR),
        Finding("recent-surgery", "recent surgery", "clearance", _NEUROMUSCULAR),
    )
}
assert set(FINDINGS) == set(get_args(FindingId)), "every finding id is described once"


class ScreeningItem(FrozenModel):
    """A question asked before the session; what a "yes" does depends on its kind."""

    id: Id
    kind: ScreeningKind = Field(
        description=(
            "red_flag: stop and refer out, starts only with a recorded medical clearance; "
            "contraindication: see response; precaution: acknowledge, and its action is shown "
            "as guidance on the steps it applies to"
        )
    )
    question: Text
    action: Text = Field(
        description=(
            "what a yes means, shown with it: the refer-out advice, why the session waits, "
            "the clearance to get, or (precaution) the guidance shown during the session"
        )
    )
    response: Response | None = Field(
        default=None,
        description=(
            'contraindications only: "defer" (no session today, recorded as deferred) or '
            '"clearance" (starts only once a medical clearance is recorded)'
        ),
    )
    findings: tuple[FindingId, ...] = Field(
        default=(), description='the known findings this question screens for, e.g. ["dizziness"]'
    )
    applies_to: tuple[Id, ...] = Field(
        default=(),
        description="precautions only: ids of the steps whose guidance it changes (none: every "
        "step that works a muscle)",
    )

    @model_validator(mode="after")
    def _kind_fits(self) -> Self:
        if self.kind == "contraindication" and self.response is None:
            raise ValueError('a contraindication needs response = "defer" or "clearance"')
        if self.kind != "contraindication" and self.response is not None:
            raise ValueError(f"response is for contraindications only (this is a {self.kind})")
        if self.kind != "precaution" and self.applies_to:
            raise ValueError(f"applies_to is for precautions only (this is a {self.kind})")
        if len(set(self.findings)) != len(self.findings):
            raise ValueError(f"findings lists a finding twice: {list(self.findings)}")
        return self

    @property
    def kind_words(self) -> str:
        """The kind as a therapist reads it: "red flag", "contraindication: defer", …"""
        return GATE_WORDS[self.gate]

    @property
    def gate(self) -> Gate:
        """What a "yes" needs before the session may start."""
        if self.kind == "red_flag":
            return "refer"
        if self.kind == "precaution":
            return "acknowledge"
        return "defer" if self.response == "defer" else "clearance"
