"""Trends across a course of care and the MCID marker (neck_guide.session.trends)."""

from __future__ import annotations

from neck_guide.paths import BUNDLED_QUESTIONNAIRES_DIR
from neck_guide.questionnaire.loader import QuestionnaireCatalog
from neck_guide.questionnaire.response import ResponseRecord
from neck_guide.session.trends import trends
from neck_guide.store.models import SessionSummary

CATALOG = QuestionnaireCatalog.load(BUNDLED_QUESTIONNAIRES_DIR, None)


def _response(qid: str, day: str, total: float, status: str = "completed") -> ResponseRecord:
    record = ResponseRecord.begin(
        CATALOG.get(qid), f"{qid}-{day}", "C-1", "scheduled", f"{day}T10:00:00.000+01:00"
    )
    record.status, record.completed_at, record.total = status, f"{day}T10:04:00.000+01:00", total  # type: ignore[assignment]
    return record


def _session(day: str, pre: int | None, practice: bool = False) -> SessionSummary:
    return SessionSummary(
        f"s-{day}", "C-1", "trigger-point", "1.0", "Trigger points", f"{day}T10:10:00.000+01:00", None,
        "finished", practice, pre, None, 10, 10, 10, 5, "", f"s-{day}",
    )  # fmt: skip


def test_the_ndi_trend_marks_changes_beyond_its_mcid_from_intake() -> None:
    responses = [
        _response("ndi", d, t) for d, t in (("2026-01-05", 24), ("2026-02-02", 16), ("2026-03-02", 14))
    ]
    ndi = trends(CATALOG.scheduled, responses)[0]
    assert ndi.measure == "ndi" and [p.value for p in ndi.points] == [24, 16, 14]
    # 8 points is within the MCID of 9.5; 10 is beyond it
    assert [p.beyond_mcid for p in ndi.points] == [False, False, True]
    assert (ndi.change, ndi.improved, ndi.beyond_mcid) == (-10.0, True, True)
    assert ndi.summary() == "NDI 24 → 14 since intake (−10: better, more than the MCID of 9.5)"


def test_exactly_the_mcid_is_not_beyond_it() -> None:
    responses = [_response("ndi", "2026-01-05", 24), _response("ndi", "2026-02-02", 14.5)]
    ndi = trends(CATALOG.scheduled, responses)[0]
    assert not ndi.beyond_mcid
    assert ndi.summary() == "NDI 24 → 14.5 since intake (−9.5: better, within the MCID of 9.5)"


def test_the_psfs_is_better_when_it_rises() -> None:
    responses = [_response("psfs", "2026-01-05", 3.0), _response("psfs", "2026-02-02", 5.4)]
    psfs = trends(CATALOG.scheduled, responses)[1]
    assert (psfs.change, psfs.improved, psfs.beyond_mcid) == (2.4, True, True)


def test_pain_joins_the_questionnaire_and_the_pain_before_each_treatment() -> None:
    responses = [_response("pain", "2026-01-05", 7)]
    sessions = [
        _session("2026-01-12", 6), _session("2026-01-19", 5, practice=True), _session("2026-01-26", 4),
        _session("2026-02-02", None),
    ]  # fmt: skip
    pain = trends(CATALOG.scheduled, responses, sessions)[2]
    assert [(p.at[:10], p.value, p.source) for p in pain.points] == [
        ("2026-01-05", 7.0, "questionnaire"), ("2026-01-12", 6.0, "session"), ("2026-01-26", 4.0, "session"),
    ]  # fmt: skip
    # a change of 1 is within the MCID of 1.3, 3 beyond it
    assert [p.beyond_mcid for p in pain.points] == [False, False, True]


def test_worse_beyond_the_mcid_is_marked_too() -> None:
    pain = trends(
        CATALOG.scheduled, [_response("pain", "2026-01-05", 2), _response("pain", "2026-02-02", 5)]
    )[2]
    assert (pain.improved, pain.beyond_mcid) == (False, True)
    assert pain.summary() == "Pain 2 → 5 since intake (+3: worse, more than the MCID of 1.3)"


def test_unfinished_fillings_and_missing_totals_are_left_out() -> None:
    stopped = _response("ndi", "2026-01-05", 30, status="stopped")
    unscored = _response("ndi", "2026-01-06", 0)
    unscored.total = None
    ndi = trends(CATALOG.scheduled, [stopped, unscored, _response("ndi", "2026-02-02", 20)])[0]
    assert [p.value for p in ndi.points] == [20] and ndi.change is None
    assert ndi.summary() == "NDI 20 at intake"
    assert trends(CATALOG.scheduled, [])[1].summary() == "PSFS: not measured yet"
