"""The PDF report, read back with pypdf: what a clinician would look for is in the text."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pypdf
import pytest
from export_sessions import protocol, run_session

from neck_guide.export.pdf import rating_chart, write_pdf
from neck_guide.export.report import Report


def _text(path: Path) -> list[str]:
    """Each page's text, ligatures (fl, ffl) undone and runs of white space made single spaces."""
    pages = pypdf.PdfReader(path).pages
    return [re.sub(r"\s+", " ", unicodedata.normalize("NFKC", page.extract_text())) for page in pages]


def _image_count(path: Path) -> int:
    """Image objects drawn on the pages (read from the page resources; no image library needed)."""
    n = 0
    for page in pypdf.PdfReader(path).pages:
        resources = page.get("/Resources")
        xobjects = resources.get_object().get("/XObject") if resources is not None else None
        for ref in (xobjects.get_object() if xobjects is not None else {}).values():
            n += ref.get_object().get("/Subtype") == "/Image"
    return n


@pytest.fixture(autouse=True)
def _qt(qapp: object) -> None:
    """A QApplication from pytest-qt, so the report uses it rather than making its own."""


def test_one_session_report_has_everything_a_clinician_reads(tmp_path: Path) -> None:
    record = run_session(
        "clinical-neck", session_id="s-report-1", client="C-0042", notes="Left <b>tighter</b> & sore"
    )
    aftercare = protocol("clinical-neck").aftercare
    path = tmp_path / "report.pdf"
    pages = write_pdf([Report(record, aftercare)], path, clinic_name="Harbour Street Physio")
    text = " ".join(_text(path))
    assert pages == len(pypdf.PdfReader(path).pages) >= 1
    for expected in (
        "Harbour Street Physio",
        "C-0042",
        record.protocol_title,
        "Mon 05 Jan 2026",
        "6/10 → 2/10",
        "left 70°, right 65°",
        "acknowledged: checked with the client's GP",
        "Left <b>tighter</b> & sore",  # escaped, shown as typed
        "s-report-1",
    ):
        assert expected in text, expected
    for answer in record.screening:
        assert " ".join(answer.question.split()) in text
    for visit in record.steps:
        assert visit.title.split()[0] in text
    for advice in aftercare:
        assert " ".join(advice.split()[:4]) in text
    rated = [v for v in record.steps if v.pressure is not None]
    assert rated and all(str(v.pressure) in text for v in rated)
    assert _image_count(path) >= 1, "the ratings chart is in the PDF"


def test_several_sessions_each_start_on_a_new_page(tmp_path: Path) -> None:
    first = run_session("self-care", session_id="s-a", client="C-1")
    second = run_session("trigger-point", session_id="s-b", client="C-2", practice=True)
    path = tmp_path / "all.pdf"
    write_pdf([Report(first), Report(second)], path)
    pages = _text(path)
    starts = [n for n, page in enumerate(pages) if "Session report" in page[:40]]
    assert len(starts) == 2 and starts[0] == 0
    assert "C-1" in pages[0] and "C-2" in pages[starts[1]]
    assert "practice session, not a treatment" in " ".join(pages[starts[1] :])
    assert "Aftercare " not in " ".join(pages).replace("Aftercare and next visit", "")  # none given


def test_a_session_without_ratings_has_no_chart(tmp_path: Path) -> None:
    record = run_session("self-care", session_id="s-1", client="C-1")
    for visit in record.steps:
        visit.ratings.clear()
    assert rating_chart(record) is None
    path = tmp_path / "r.pdf"
    write_pdf([Report(record)], path)
    assert "No ratings were recorded." in " ".join(_text(path))
    assert _image_count(path) == 0
    chart = rating_chart(run_session("clinical-neck", session_id="s-2", client="C-1"))
    assert chart is not None and not chart.isNull()
