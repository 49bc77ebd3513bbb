"""When questionnaires are due: at intake, then every N weeks (neck_guide.session.outcome_schedule)."""

from __future__ import annotations

from datetime import date

from neck_guide.paths import BUNDLED_QUESTIONNAIRES_DIR
from neck_guide.questionnaire.loader import QuestionnaireCatalog
from neck_guide.questionnaire.response import ResponseRecord
from neck_guide.session.outcome_schedule import due, due_line, occasion

CATALOG = QuestionnaireCatalog.load(BUNDLED_QUESTIONNAIRES_DIR, None)
SCHEDULED = CATALOG.scheduled


def _done(qid: str, day: str, status: str = "completed") -> ResponseRecord:
    record = ResponseRecord.begin(
        CATALOG.get(qid), f"{qid}-{day}", "C-1", "intake", f"{day}T09:00:00.000+01:00"
    )
    record.status = status  # type: ignore[assignment]
    record.completed_at = f"{day}T09:05:00.000+01:00" if status == "completed" else None
    return record


def test_a_new_client_is_due_every_questionnaire_at_intake() -> None:
    dues = due(SCHEDULED, [], date(2026, 3, 2), 4)
    assert [(d.questionnaire_id, d.state) for d in dues] == [
        ("ndi", "intake"),
        ("psfs", "intake"),
        ("pain", "intake"),
    ]
    assert occasion(dues) == "intake"
    assert due_line(dues, date(2026, 3, 2), 4) == "Intake questionnaires due: NDI, PSFS and Pain."


def test_due_again_after_the_clinics_interval() -> None:
    filled = [_done(q, "2026-03-02") for q in ("ndi", "psfs", "pain")]
    soon = due(SCHEDULED, filled, date(2026, 3, 29), 4)
    assert {d.state for d in soon} == {"not_due"} and soon[0].next == date(2026, 3, 30)
    assert occasion(soon) == "on_demand"
    assert due_line(soon, date(2026, 3, 29), 4) == "Next questionnaires due 30 Mar 2026 (every 4 weeks)."
    later = due(SCHEDULED, filled, date(2026, 3, 30), 4)
    assert {d.state for d in later} == {"due"} and occasion(later) == "scheduled"
    assert (
        due_line(later, date(2026, 3, 30), 4)
        == "Questionnaires due (last filled 4 weeks ago): NDI, PSFS and Pain."
    )
    weekly = due(SCHEDULED, filled, date(2026, 3, 9), 1)
    assert {d.state for d in weekly} == {"due"}


def test_filled_today_says_so_and_when_next() -> None:
    filled = [_done(q, "2026-03-02") for q in ("ndi", "psfs", "pain")]
    dues = due(SCHEDULED, filled, date(2026, 3, 2), 6)
    assert (
        due_line(dues, date(2026, 3, 2), 6)
        == "Questionnaires filled today; next due 13 Apr 2026 (every 6 weeks)."
    )


def test_only_completed_fillings_count_and_the_latest_wins() -> None:
    responses = [
        _done("ndi", "2026-01-05"),
        _done("ndi", "2026-02-02"),
        _done("psfs", "2026-02-02", status="stopped"),  # left before its end: still due
    ]
    dues = {d.questionnaire_id: d for d in due(SCHEDULED, responses, date(2026, 2, 16), 4)}
    assert (dues["ndi"].state, dues["ndi"].last) == ("not_due", date(2026, 2, 2))
    assert (dues["psfs"].state, dues["pain"].state) == ("intake", "intake")
    assert occasion(list(dues.values())) == "scheduled"
    assert due_line(list(dues.values()), date(2026, 2, 16), 4) == (
        "Questionnaires due (last filled 2 weeks ago): PSFS and Pain."
    )
