"""The CSV export: one row per step visit, read back with the csv module; formulas neutralised."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from export_sessions import filled_home, run_session

from neck_guide.engine.record import SessionRecord
from neck_guide.export.csv_export import COLUMNS, rows, step_rows, text, write_csv
from neck_guide.store import SessionNotFound, SessionStore


def _read(records: list[SessionRecord]) -> list[dict[str, str]]:
    out = io.StringIO(newline="")
    n = write_csv(records, out)
    read = list(csv.DictReader(io.StringIO(out.getvalue(), newline="")))
    assert n == len(read)
    return read


def test_every_visit_is_a_row_with_its_figures(tmp_path: Path) -> None:
    a = run_session("trigger-point", session_id="s-1", client="C-1")
    b = run_session("clinical-neck", session_id="s-2", client=None, practice=True, seed=5)
    read = _read([a, b])
    assert list(read[0]) == list(COLUMNS)
    visits = [(a, v) for v in a.steps] + [(b, v) for v in b.steps]
    assert len(read) == len(visits)
    for row, (record, v) in zip(read, visits, strict=True):
        assert row["session_id"] == record.session_id
        assert row["client_code"] == (record.client_code or "")
        assert (row["protocol_id"], row["protocol_version"]) == (record.protocol_id, record.protocol_version)
        assert (row["phase"], row["step"], row["technique"]) == (v.phase_id, v.step_id, v.technique)
        assert row["muscle"] == (v.muscle or "") and row["side"] == (v.side or "")
        for column, value in (("planned_min_s", v.planned_min_s), ("planned_max_s", v.planned_max_s),
                              ("actual_s", v.actual_s)):  # fmt: skip
            assert (float(row[column]) if row[column] else None) == (
                None if value is None else round(value, 3)
            )
        assert row["pressure"] == ("" if v.pressure is None else str(v.pressure))
        assert row["pain"] == ("" if v.pain is None else str(v.pain))
        assert (row["started_at"], row["ended_at"]) == (v.started_at, v.ended_at)
        assert row["practice"] == ("true" if record.practice else "false")
        assert int(row["visit"]) == v.visit and row["end_reason"] == v.end_reason
    assert any(r["pressure"] for r in read) and any(r["pain"] for r in read)
    assert all(datetime.fromisoformat(r["started_at"]).utcoffset() is not None for r in read)


def test_a_re_rating_replaces_the_earlier_one() -> None:
    record = run_session("trigger-point", session_id="s-1", client="C-1")
    (rerated,) = [v for v in record.steps if len(v.ratings) > 1]
    row = next(r for r in _read([record]) if int(r["visit"]) == rerated.visit)
    assert row[rerated.ratings[-1].kind] == "10"


def test_text_that_looks_like_a_formula_is_shown_as_text() -> None:
    record = run_session("trigger-point", session_id="=cmd|'/c calc'!A1", client="C-1")
    record.client_code = (
        '=HYPERLINK("http://x","y")'  # no such code gets past the start page; an import might
    )
    v = record.steps[0]
    v.technique, v.muscle, v.side, v.phase_id, v.step_id = "+1+1", "@SUM(A1)", "-2", "\tindent", "\rreturn"
    row = _read([record])[0]
    assert row["session_id"] == "'=cmd|'/c calc'!A1"
    assert row["client_code"] == '\'=HYPERLINK("http://x","y")'
    assert row["technique"] == "'+1+1" and row["muscle"] == "'@SUM(A1)" and row["side"] == "'-2"
    assert row["phase"] == "'\tindent" and row["step"] == "'\rreturn"
    assert row["actual_s"][0].isdigit()  # our numbers stay numbers
    assert text("Compression") == "Compression" and text("a=b") == "a=b" and text(None) == ""


def test_rows_are_produced_one_session_at_a_time() -> None:
    first = run_session("self-care", session_id="s-1", client="C-1")

    def records() -> Iterator[SessionRecord]:
        yield first
        raise AssertionError("the second record was asked for before the first rows were used")

    stream = rows(records())
    assert next(stream)[0] == "s-1"


def test_a_file_written_in_text_mode_reads_back(tmp_path: Path) -> None:
    record = run_session("self-care", session_id="s-1", client='Zoë, "the" client\nsecond line')
    path = tmp_path / "out.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        write_csv([record], f)
    with open(path, encoding="utf-8", newline="") as f:
        read = list(csv.DictReader(f))
    assert {r["client_code"] for r in read} == {record.client_code}


def test_the_fast_writer_gives_exactly_what_the_csv_module_would() -> None:
    record = run_session("clinical-neck", session_id='s,"1"', client="Smith, J.\n(new)")
    record.steps[0].technique = 'Press "firmly", then\r\nrelease'
    record.steps[1].ended_at = "2026-01-05T09:00:00,5+01:00"  # not ours, but a comma must still be quoted
    record.steps[2].end_reason = None
    out = io.StringIO(newline="")
    write_csv([record, run_session("self-care", session_id="s-2", client=None)], out)
    expected = io.StringIO(newline="")
    writer = csv.writer(expected)
    writer.writerow(COLUMNS)
    writer.writerows(rows([record, run_session("self-care", session_id="s-2", client=None)]))
    assert out.getvalue() == expected.getvalue()


def test_the_stores_step_table_equals_the_records_rows(tmp_path: Path) -> None:
    paths, records = filled_home(tmp_path)
    with SessionStore.open(paths.database) as store:
        assert list(store.step_table()) == list(step_rows(records))
        one = records[1].session_id
        assert list(store.step_table([one])) == list(step_rows([records[1]]))
        with pytest.raises(SessionNotFound):
            list(store.step_table(["no-such-session"]))
    assert any(len(v.ratings) > 1 for r in records for v in r.steps)  # re-ratings were compared too
