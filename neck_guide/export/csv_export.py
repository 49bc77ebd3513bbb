"""The CSV export: every event of a session as a row, from one declaration of the columns.

Each session gives one **session** row (its outcome, steps done, visits) and one row for each
thing recorded in it, in time order: screening **answer**, **measure** (pre/post pain, rotation),
step **visit**, **rating** (every one: corrections and undone ones too, with ``standing``),
**pause**, checklist **tick**, **undo**, **ignored** tap (a mis-tap) and **interruption** (the app
stopped). The ``row`` column says which; a spreadsheet filters on it. The columns common to a
session (id, client, protocol, practice, outcome) are on every row. README "Exports" shows the
layout, and :data:`COLUMNS` is where it is defined: the header, what each column means, and the
SQL that fills it for each kind of row. Rows are read straight from the records file, formatted
in SQL and written by ``csv.writer``; the records of a session just run go through a scratch
in-memory records file the same way, so there is one way to make a CSV.

Times are ISO 8601 with their UTC offset; durations are protocol seconds (to the millisecond);
true/false are spelled so. Text a spreadsheet would run as a formula (starting with = + - @, a tab
or a carriage return, or their full-width forms) gets a leading apostrophe; numbers are written
by us and stay numbers.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import tempfile
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final, Literal, TextIO

from neck_guide.engine.record import SessionRecord
from neck_guide.engine.steps import DONE_REASONS
from neck_guide.store import SessionNotFound, SessionStore, StoreCorrupt

RowKind = Literal[
    "session", "answer", "measure", "visit", "rating", "pause", "tick", "undo", "ignored", "interruption"
]
ROW_KINDS: Final[tuple[RowKind, ...]] = (
    "session", "answer", "measure", "visit", "rating", "pause", "tick", "undo", "ignored", "interruption"
)  # fmt: skip
_FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def text(sql: str) -> str:
    """SQL for a text cell a spreadsheet shows as text, never runs (``instr`` finds the first character
    among the formula starts: a good deal quicker per cell than ``IN`` and a list)."""
    starts = "'" + "".join(_FORMULA_STARTS) + "'"  # a tab and a carriage return stand in it as they are
    apostrophe = "char(39)"
    return f"iif({sql} <> '' AND instr({starts}, substr({sql}, 1, 1)), {apostrophe} || {sql}, {sql})"


def number(sql: str) -> str:
    """SQL for a number cell: a whole number without a point (30, not 30.0), others as they are
    (protocol seconds, kept to the microsecond by the engine)."""
    return f"iif({sql} = CAST({sql} AS INTEGER), CAST({sql} AS INTEGER), {sql})"


def truth(sql: str) -> str:
    return f"iif({sql}, 'true', iif({sql} IS NULL, NULL, 'false'))"


@dataclass(frozen=True, slots=True)
class Column:
    """One column: its name, what it holds, and the SQL of its cell for each kind of row (empty for
    the kinds not named). ``every`` is the cell of every row (the session's own columns)."""

    name: str
    meaning: str
    every: str | None = None
    cells: dict[RowKind, str] = field(default_factory=dict)

    def sql(self, kind: RowKind) -> str:
        return self.every if self.every is not None else self.cells.get(kind, "NULL")


def _each(sql: str, *kinds: RowKind) -> dict[RowKind, str]:
    return dict.fromkeys(kinds, sql)


_STEPPED: Final[tuple[RowKind, ...]] = ("visit", "rating", "pause", "tick", "undo", "ignored", "interruption")
_DONE = ", ".join(f"'{r}'" for r in sorted(DONE_REASONS))

COLUMNS: Final[tuple[Column, ...]] = (
    Column("session_id", "the session", every=text("s.id")),
    Column("client_code", "the client's pseudonymous code (empty: none recorded)",
           every=text("s.client_code")),
    Column("protocol_id", "the protocol", every=text("s.protocol_id")),
    Column("protocol_version", "its version", every=text("s.protocol_version")),
    Column("practice", "true for a practice run (not a treatment)", every=truth("s.practice")),
    Column("outcome", "how the session ended: finished, ended_early, interrupted, abandoned (or running)",
           every=text("s.status")),
    Column("row", "what the row is: " + ", ".join(ROW_KINDS), cells={k: f"'{k}'" for k in ROW_KINDS}),
    Column("at", "when: the session's start, the answer, the measure, the visit's start, the rating, the "
           "pause's start, the tick, the undo, the ignored tap, the app's last moment before an interruption",
           cells={"session": "s.started_at", **_each("x.at", "answer", "measure", "rating", "tick", "undo",
                  "ignored", "interruption"), "visit": "v.started_at", "pause": "x.started_at"}),
    Column("ended_at", "the end of the session, the visit or the pause; for an interruption, when the "
           "session was taken up again or closed out",
           cells={"session": "s.ended_at", "visit": "v.ended_at", "pause": "x.ended_at",
                  "interruption": "x.found_at"}),
    Column("step_number", "the protocol step, from 1 (the runner's \"step 6 of 41\")",
           cells=_each("v.step_index + 1", *_STEPPED)),
    Column("visit_number", "the visit, from 1: a step gone back to, taken up again after an undo or a "
           "crash, is visited again", cells=_each("v.visit + 1", *_STEPPED)),
    Column("step", "visit: the step's id in the protocol", cells={"visit": "v.step_id"}),
    Column("side", "left or right, for a step done per side", cells=_each("v.side", *_STEPPED)),
    Column("repetition", "the repetition of the step, from 1", cells=_each("v.repetition", *_STEPPED)),
    Column("phase", "visit: the step's phase", cells={"visit": "v.phase_id"}),
    Column("muscle", "visit: the muscle worked", cells={"visit": "v.muscle"}),
    Column("technique", "visit: the technique", cells={"visit": text("v.technique")}),
    Column("planned_min_s", "a visit's planned minimum (range holds)",
           cells={"visit": number("v.planned_min_s")}),
    Column("planned_max_s", "a visit's planned length (empty: untimed)",
           cells={"visit": number("v.planned_max_s")}),
    Column("seconds", "visit: the time it ran, pauses excluded; pause: its length; undo of an extension: "
           "the seconds taken off; ignored tap: seconds after what it repeated",
           cells={"visit": number("v.actual_s"), "pause": number("x.duration_s"),
                  "undo": number("x.seconds"), "ignored": number("x.after_s")}),
    Column("carried_s", "visit: the time the step had already run when this visit took it up (empty: none)",
           cells={"visit": f"nullif({number('v.carried_s')}, 0)"}),
    Column("extended_s", "visit: time added with Extend (empty: none)",
           cells={"visit": f"nullif({number('v.extended_s')}, 0)"}),
    Column("end_reason", "visit: completed, released, ended_early, back, skipped, undone, interrupted, "
           "session_ended; interruption: resumed or closed_out",
           cells={"visit": "v.end_reason", "interruption": "x.handled"}),
    Column("kind", "rating: pressure or pain; measure: pre_pain, post_pain, rotation_left, "
           "rotation_right; answer: the screening kind; undo: what was undone (next, back, rating, "
           "extend); ignored: the tap (next, back, undo); tick: ticked or unticked",
           cells={"rating": "x.kind", "measure": "x.kind", "answer": "x.kind", "undo": "x.action",
                  "ignored": "x.action", "tick": "iif(x.done, 'ticked', 'unticked')"}),
    Column("value", "rating: 1-10; measure: 0-10 pain or degrees (empty: set back to not measured); "
           "answer: 1 yes, 0 no", cells={"rating": "x.value", "measure": "x.value", "answer": "x.answer"}),
    Column("number", "rating: its number in the session, from 1, in the order given; undo of a rating: "
           "the rating undone", cells={"rating": "x.number", "undo": "x.rating"}),
    Column("corrects", "rating: the number of the rating it replaces (a second tap within the mis-tap "
           "window)", cells={"rating": "x.corrects"}),
    Column("standing", "rating: counts, corrected (a later tap replaced it) or undone",
           cells={"rating": "iif(u.n IS NOT NULL, 'undone', iif(c.n IS NOT NULL, 'corrected', 'counts'))"}),
    Column("in_target", "rating: within the step's target band (empty: the step has none)",
           cells={"rating": truth("x.in_target")}),
    Column("ease_off", "rating: above the step's ease-off level", cells={"rating": truth("x.ease_off")}),
    Column("acknowledged", "answer: a yes acknowledged before going ahead",
           cells={"answer": truth("x.acknowledged")}),
    Column("steps_in_protocol", "session: the protocol's steps (empty: not recorded, an older session)",
           cells={"session": "s.protocol_steps"}),
    Column("steps_done", "session: protocol steps done (run to their end, released or ended early)",
           cells={"session": "t.done"}),
    Column("visits", "session: visits made", cells={"session": "t.visits"}),
    Column("text", "session: the notes; answer: the question; tick: the checklist item",
           cells={"session": text("s.notes"), "answer": text("x.question"), "tick": text("x.text")}),
    Column("reason", "session: the reason given for ending early; answer: the reason for going ahead",
           cells={"session": text("s.end_note"), "answer": text("x.reason")}),
)  # fmt: skip

# Where each kind of row comes from (``?1``: the session id). Rows come kind by kind, each kind in the
# order it was recorded: nothing to sort, so the rows stream from the file straight into csv.writer.
_VISIT = "JOIN step_visits v ON v.session_id = s.id AND v.visit = x.visit"
_SOURCES: Final[dict[RowKind, tuple[str, str]]] = {
    "session": ("JOIN (SELECT count(*) AS visits, count(DISTINCT iif(end_reason IN (" + _DONE + "), "
                "step_index, NULL)) AS done FROM step_visits WHERE session_id = ?1) t", ""),
    "answer": ("JOIN screening_answers x ON x.session_id = s.id", "x.position"),
    "measure": ("JOIN measures x ON x.session_id = s.id", "x.position"),
    "visit": ("JOIN step_visits v ON v.session_id = s.id", "v.visit"),
    "rating": ("JOIN ratings x ON x.session_id = s.id " + _VISIT + " LEFT JOIN (SELECT DISTINCT "
               "corrects AS n FROM ratings WHERE session_id = ?1) c ON c.n = x.number LEFT JOIN (SELECT "
               "DISTINCT rating AS n FROM undos WHERE session_id = ?1 AND action = 'rating') u "
               "ON u.n = x.number",
               "x.visit, x.position"),
    "pause": ("JOIN pauses x ON x.session_id = s.id " + _VISIT, "x.id"),
    "tick": ("JOIN checklist_ticks x ON x.session_id = s.id " + _VISIT, "x.visit, x.position"),
    "undo": ("JOIN undos x ON x.session_id = s.id LEFT " + _VISIT, "x.position"),
    "ignored": ("JOIN ignored_taps x ON x.session_id = s.id LEFT " + _VISIT, "x.position"),
    "interruption": ("JOIN interruptions x ON x.session_id = s.id LEFT " + _VISIT, "x.position"),
}  # fmt: skip


def _query(kind: RowKind) -> str:
    """The statement for one kind of row of a session, its own columns left out (they lead every
    row alike)."""
    source, order = _SOURCES[kind]
    cells = ", ".join(c.sql(kind) for c in _ROW_COLUMNS)
    return f"SELECT {cells} FROM sessions s {source} WHERE s.id = ?1" + (
        f" ORDER BY {order}" if order else ""
    )


_HEAD_COLUMNS: Final = tuple(c for c in COLUMNS if c.every is not None)
_ROW_COLUMNS: Final = tuple(c for c in COLUMNS if c.every is None)
assert COLUMNS == _HEAD_COLUMNS + _ROW_COLUMNS, "the session's own columns come first"
HEAD_QUERY: Final = f"SELECT {', '.join(c.every or '' for c in _HEAD_COLUMNS)} FROM sessions s WHERE s.id = ?"
QUERIES: Final = tuple(_query(kind) for kind in ROW_KINDS)
HEADER: Final = tuple(c.name for c in COLUMNS)


class _Led:
    """What a csv.writer writes, each line led by the session's own cells (rendered once, by
    csv.writer too): the same text as writing the whole row, without rendering them on every row."""

    def __init__(self, out: TextIO, lead: str) -> None:
        self._write = out.write
        self._lead = lead

    def write(self, line: str) -> None:
        self._write(self._lead + line)


def render(cells: tuple[object, ...]) -> str:
    """Cells as csv.writer writes them, without a line end."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(cells)
    return buffer.getvalue()


PARALLEL_FROM: Final = 200  # sessions: from this many, two processes write half each (where they can)


def write_stored(
    store: SessionStore, session_ids: Iterable[str], out: TextIO, *, parallel_from: int = PARALLEL_FROM
) -> int:
    """Header and every row of the stored sessions to ``out`` (opened with ``newline=""``), in the
    order given; returns the number of rows. SessionNotFound for an id not in the store.

    A year of a busy clinic is some 370,000 rows: from ``parallel_from`` sessions on, a second
    process (a fork, where the system has it and no other thread runs) writes the second half into
    a temporary file while this one writes the first; its rows follow the first half's. If the
    second process fails, this one writes its half itself."""
    ids = list(session_ids)
    _check_stored(store, ids)
    csv.writer(out).writerow(HEADER)
    half = len(ids) // 2
    if len(ids) < max(2, parallel_from) or not _can_fork(store):
        return _write_sessions(store, ids, out)
    with tempfile.TemporaryFile("w+", encoding="utf-8", newline="") as second:
        pid, told = _fork(store.path, ids[half:], second)
        written = _write_sessions(store, ids[:half], out)
        _, status = os.waitpid(pid, 0)
        count = os.read(told, 32).decode()
        os.close(told)
        if status != 0 or not count.isdigit():
            return written + _write_sessions(store, ids[half:], out)
        second.seek(0)
        shutil.copyfileobj(second, out)
        return written + int(count)


def _check_stored(store: SessionStore, ids: list[str]) -> None:
    missing = [sid for sid in ids if not store.has_session(sid)]
    if missing:
        raise SessionNotFound(f"no session {missing[0]!r} in the records; `neck-guide sessions` lists them")


def _can_fork(store: SessionStore) -> bool:
    """A fork of this process is safe: the system forks, the records are a file (not in memory),
    and no other thread runs (a thread's locks would be held forever in the child)."""
    return hasattr(os, "fork") and store.on_disk and threading.active_count() == 1


def _fork(path: Path, ids: list[str], into: TextIO) -> tuple[int, int]:
    """A child process writing the rows of ``ids`` into ``into``; returns its pid and the read end of
    a pipe on which it says how many rows it wrote."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: its own read-only connection; never returns
        code = 1
        try:
            os.close(read)
            store = SessionStore.reader(path)
            n = _write_sessions(store, ids, into)
            if store.unreadable:  # the parent writes this half again, and names them
                os._exit(1)
            into.flush()
            os.write(write, str(n).encode())
            code = 0
        finally:
            os._exit(code)
    os.close(write)
    return pid, read


def _write_sessions(store: SessionStore, ids: Iterable[str], out: TextIO) -> int:
    """The rows of each session, read whole before any is written: a session with a damaged cell is
    left out (named in ``store.unreadable``), never half written."""
    written = 0
    for sid in ids:
        try:
            (head,) = store.query(HEAD_QUERY, (sid,))
            rows = [row for query in QUERIES for row in store.query(query, (sid,))]
        except StoreCorrupt as e:
            store.unreadable[sid] = str(e)
            continue
        csv.writer(_Led(out, render(head) + ",")).writerows(rows)
        written += len(rows)
    return written


def write_records(records: Iterable[SessionRecord], out: TextIO) -> int:
    """The same rows for records in memory (the session just run): they go through a scratch
    in-memory records file, so they come out exactly as stored ones would."""
    with SessionStore.scratch() as scratch:
        ids = []
        for record in records:
            scratch.save(record)
            ids.append(record.session_id)
        return write_stored(scratch, ids, out)


def columns_table() -> str:
    """The columns as a Markdown table (the README's "Exports" section shows it)."""
    lines = ["| column | holds |", "| --- | --- |"]
    lines += [f"| `{c.name}` | {c.meaning} |" for c in COLUMNS]
    return "\n".join(lines)


__all__ = [
    "COLUMNS",
    "HEADER",
    "ROW_KINDS",
    "Column",
    "columns_table",
    "render",
    "write_records",
    "write_stored",
]
