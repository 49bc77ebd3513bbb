"""The CSV export: every event a row, read back with the csv module; formulas neutralised.

Item 3 of issue 9: the CSV kept one pressure and one pain per visit (the last); every rating is a row
of its own now, with its time, step, side, repetition, target and ease-off flags and what it corrects.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path

import pytest
from export_sessions import filled_home, protocol, run_session

from neck_guide.engine.clock import FakeClock
from neck_guide.engine.record import SessionRecord
from neck_guide.engine.runner import SessionRunner
from neck_guide.engine.steps import tally
from neck_guide.export.csv_export import COLUMNS, HEADER, columns_table, render, write_records, write_stored
from neck_guide.protocol.plan import expand
from neck_guide.store import SessionNotFound, SessionStore


def _read(records: list[SessionRecord]) -> list[dict[str, str]]:
    out = io.StringIO(newline="")
    n = write_records(records, out)
    read = list(csv.DictReader(io.StringIO(out.getvalue(), newline="")))
    assert n == len(read)
    return read


def test_every_visit_and_every_rating_is_a_row_with_its_figures() -> None:
    a = run_session("trigger-point", session_id="s-1", client="C-1")
    b = run_session("clinical-neck", session_id="s-2", client=None, practice=True, seed=5)
    read = _read([a, b])
    assert list(read[0]) == list(HEADER)
    for record in (a, b):
        rows = [r for r in read if r["session_id"] == record.session_id]
        assert all(r["client_code"] == (record.client_code or "") for r in rows)
        assert all(r["practice"] == ("true" if record.practice else "false") for r in rows)
        assert all(r["outcome"] == record.status for r in rows)
        visits = [r for r in rows if r["row"] == "visit"]
        assert len(visits) == len(record.steps)
        for row, v in zip(visits, record.steps, strict=True):
            assert (row["step_number"], row["visit_number"]) == (str(v.index + 1), str(v.visit + 1))
            assert (row["phase"], row["step"], row["technique"]) == (v.phase_id, v.step_id, v.technique)
            assert row["muscle"] == (v.muscle or "") and row["side"] == (v.side or "")
            assert (row["at"], row["ended_at"], row["end_reason"]) == (v.started_at, v.ended_at, v.end_reason)
            assert float(row["seconds"]) == v.actual_s
            assert (float(row["planned_max_s"]) if row["planned_max_s"] else None) == v.planned_max_s
        ratings = [r for r in rows if r["row"] == "rating"]
        given = record.ratings()
        assert [(r["number"], r["kind"], r["value"], r["at"]) for r in ratings] == [
            (str(g.number), g.kind, str(g.value), g.at) for g in given
        ]
        visits_of = {v.visit: v for v in record.steps}
        for row, g in zip(ratings, given, strict=True):
            v = visits_of[g.visit]
            assert (row["step_number"], row["side"], row["repetition"]) == (
                str(v.index + 1), v.side or "", str(v.repetition)
            )  # fmt: skip
            assert row["ease_off"] == ("true" if g.ease_off else "false")
            assert row["in_target"] == {None: "", True: "true", False: "false"}[g.in_target]
            assert row["corrects"] == ("" if g.corrects is None else str(g.corrects))
    assert Counter(r["row"] for r in read)["session"] == 2


def test_no_rating_is_lost_corrections_and_undos_included() -> None:
    """The observed case: 12 ratings in a session, 3 of them on visits rated more than once."""
    record = run_session("trigger-point", session_id="s-1", client="C-1")
    several = [v for v in record.steps if len(v.ratings) > 1]
    assert several, "the sample session rates a visit twice"
    rows = [r for r in _read([record]) if r["row"] == "rating"]
    assert len(rows) == len(record.ratings()) == sum(len(v.ratings) for v in record.steps)


def test_a_correction_and_an_undo_are_rows_that_say_so() -> None:
    clock = FakeClock()
    runner = SessionRunner(expand(protocol("trigger-point")), clock, client_code="C-1", session_id="s-u")
    runner.start(clock.monotonic())
    while not (runner.current.step.rating and runner.current.kind != "rest"):
        runner.next(clock.advance(2))
    kind = runner.current.step.rating.ask[0]
    runner.rate(clock.advance(2), kind, 9)
    runner.rate(clock.advance(0.3), kind, 6)  # a double tap: a correction
    runner.rate(clock.advance(5), kind, 3)
    runner.undo(clock.advance(2))  # the 3 is undone
    runner.finish(clock.advance(1), "client asked to stop")
    read = _read([runner.record])
    ratings = [(r["value"], r["number"], r["corrects"], r["standing"]) for r in read if r["row"] == "rating"]
    assert ratings == [("9", "1", "", "corrected"), ("6", "2", "1", "counts"), ("3", "3", "", "undone")]
    (undo,) = [r for r in read if r["row"] == "undo"]
    assert (undo["kind"], undo["number"]) == ("rating", "3")
    (session,) = [r for r in read if r["row"] == "session"]
    t = tally(runner.record)
    assert (session["outcome"], session["reason"]) == ("ended_early", "client asked to stop")
    assert (session["steps_in_protocol"], session["steps_done"], session["visits"]) == (
        str(t.steps), str(t.done), str(t.visits)
    )  # fmt: skip


def test_measures_answers_and_pauses_have_their_rows_at_their_own_time() -> None:
    record = run_session("clinical-neck", session_id="s-1", client="C-1")
    read = _read([record])
    measures = [(r["kind"], r["value"], r["at"]) for r in read if r["row"] == "measure"]
    assert measures == [(m.kind, str(m.value), m.at) for m in record.measures]
    answers = [(r["kind"], r["value"], r["text"], r["at"]) for r in read if r["row"] == "answer"]
    assert answers == [(a.kind, "1" if a.answer else "0", a.question, a.at) for a in record.screening]
    pauses = [(r["at"], r["ended_at"]) for r in read if r["row"] == "pause"]
    assert pauses == [(p.started_at, p.ended_at) for v in record.steps for p in v.pauses]


def test_text_that_looks_like_a_formula_is_shown_as_text() -> None:
    record = run_session("trigger-point", session_id="=cmd|'/c calc'!A1", client="C-1")
    record.client_code = "=1+2"  # no such code gets past the start page; an older record might hold one
    record.notes = "+1 tight"
    v = record.steps[0]
    v.technique = "@SUM(A1)"
    read = _read([record])
    session = read[0]
    assert session["session_id"] == "'=cmd|'/c calc'!A1"
    assert session["client_code"] == "'=1+2"
    assert session["text"] == "'+1 tight"
    first_visit = next(r for r in read if r["row"] == "visit")
    assert first_visit["technique"] == "'@SUM(A1)"
    assert first_visit["seconds"][0].isdigit()  # our numbers stay numbers
    for odd in ("\tindent", "\rreturn", "－1", "＝x", "-2"):
        record.notes = odd
        assert _read([record])[0]["text"] == "'" + odd
    record.notes = "a=b, -2 is fine inside"
    assert _read([record])[0]["text"] == "a=b, -2 is fine inside"


def test_quotes_commas_and_line_breaks_come_back_as_they_were(tmp_path: Path) -> None:
    record = run_session("self-care", session_id='s,"1"', client="C-1")
    record.notes = 'Zoë, "the" client\nsecond line\r\nthird'
    record.steps[0].technique = 'Press "firmly", then\r\nrelease'
    path = tmp_path / "out.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        write_records([record], f)
    with open(path, encoding="utf-8", newline="") as f:
        read = list(csv.DictReader(f))
    assert {r["session_id"] for r in read} == {'s,"1"'}
    assert read[0]["text"] == record.notes
    assert next(r for r in read if r["row"] == "visit")["technique"] == record.steps[0].technique


def test_rows_are_what_csv_writer_writes_for_the_whole_row() -> None:
    """The session's own cells are rendered once per session and lead each line: the file is the
    same text as csv.writer given every cell of every row."""
    record = run_session("clinical-neck", session_id='s,"1"', client="C-1")
    record.notes = 'line one\nline "two"'
    out = io.StringIO(newline="")
    write_records([record], out)
    rows = list(csv.reader(io.StringIO(out.getvalue(), newline="")))
    again = io.StringIO(newline="")
    csv.writer(again).writerows(rows)
    assert out.getvalue() == again.getvalue()
    assert render(("a", 'b,"c"', None, 3)) == 'a,"b,""c""",,3'


def test_the_stored_sessions_and_the_same_records_in_memory_give_the_same_file(tmp_path: Path) -> None:
    paths, records = filled_home(tmp_path)
    with SessionStore.open(paths.database) as store:
        ids = [r.session_id for r in records]
        stored, in_memory, parallel = io.StringIO(), io.StringIO(), io.StringIO()
        write_stored(store, ids, stored)
        write_records(records, in_memory)
        write_stored(store, ids, parallel, parallel_from=2)  # half of them from a second process
        assert stored.getvalue() == in_memory.getvalue() == parallel.getvalue()
        with pytest.raises(SessionNotFound):
            write_stored(store, ["no-such-session"], io.StringIO())


def test_every_column_is_declared_once_with_what_it_holds() -> None:
    assert len(HEADER) == len(set(HEADER)) == len(COLUMNS)
    assert all(c.meaning for c in COLUMNS)
    table = columns_table()
    assert all(f"| `{name}` |" in table for name in HEADER)
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    missing = [line for line in table.splitlines() if line not in readme]
    assert not missing, f"README's CSV columns are out of date (paste csv_export.columns_table()): {missing}"
