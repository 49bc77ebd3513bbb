"""How a session ended: the one declaration every screen and format reads its outcome from.

To add an outcome (say "referred"), add it to ``Outcome`` and give it a row in ``OUTCOMES``:
the title the screens, the CLI, CSV, JSON, PDF and FHIR show, what it means, and the FHIR
``Procedure.status`` it maps to. Nothing else names outcomes one by one (tests check that each
format shows every outcome of this table).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal, get_args

Outcome = Literal["finished", "ended_early", "interrupted", "abandoned"]
SessionStatus = Literal["running", "finished", "ended_early", "interrupted", "abandoned"]
FhirProcedureStatus = Literal["in-progress", "completed", "stopped", "not-done"]


@dataclass(frozen=True, slots=True)
class OutcomeText:
    """What an outcome is called and means, and the FHIR Procedure.status it is exported as."""

    title: str
    meaning: str
    fhir_status: FhirProcedureStatus


OUTCOMES: Final[dict[SessionStatus, OutcomeText]] = {
    "running": OutcomeText(
        "Running", "the session is under way (or the app stopped and it was not handled yet)", "in-progress"
    ),
    "finished": OutcomeText("Finished", "every step was done or deliberately skipped", "completed"),
    "ended_early": OutcomeText(
        "Ended early", "the therapist ended the session before every step was done", "stopped"
    ),
    "interrupted": OutcomeText(
        "Interrupted", "the app stopped (a crash or a close) and the session was closed out", "stopped"
    ),
    "abandoned": OutcomeText("Abandoned", "the session was left before any step was done", "not-done"),
}

assert set(OUTCOMES) == set(get_args(SessionStatus)), "every status needs its row in OUTCOMES"
assert set(get_args(Outcome)) < set(get_args(SessionStatus)), "every outcome is a status"


def outcome_title(status: SessionStatus) -> str:
    return OUTCOMES[status].title


def status_from_text(text: str, where: str) -> SessionStatus:
    """A stored or imported status, checked; ValueError saying where it came from otherwise."""
    for status in OUTCOMES:
        if status == text:
            return status
    raise ValueError(f"{where}: unknown session status {text!r}; known: {', '.join(OUTCOMES)}")
