"""Reading records back: whole sessions, summaries and histories."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from neck_guide.engine.outcome import status_from_text
from neck_guide.engine.record import (
    BodyMark,
    IgnoredTap,
    Interruption,
    MarkRemoved,
    Measure,
    Pause,
    Rating,
    ScreeningAnswer,
    SessionRecord,
    StepRecord,
    Tick,
    Undo,
    canonical_code,
)
from neck_guide.engine.steps import DONE_REASONS
from neck_guide.store.errors import SessionNotFound
from neck_guide.store.models import Client, SessionSummary, short_ids
from neck_guide.store.writes import MARK_COLUMNS, SESSION_COLUMNS, VISIT_COLUMNS


def load(conn: sqlite3.Connection, sid: str) -> SessionRecord:
    row = conn.execute(f"SELECT {SESSION_COLUMNS} FROM sessions WHERE id = ?", (sid,)).fetchone()
    if row is None:
        raise SessionNotFound(f"no session {sid!r} in the records; `neck-guide sessions` lists them")
    record = _session(row)
    record.screening = _screening(conn, sid)
    record.measures = [Measure(*r) for r in _all(conn, "kind, value, at", "measures", sid)]
    record.undos = [Undo(*r) for r in _all(conn, "at, action, visit, rating, seconds", "undos", sid)]
    record.ignored = [IgnoredTap(*r) for r in _all(conn, "at, action, visit, after_s", "ignored_taps", sid)]
    record.interruptions = [
        Interruption(*r) for r in _all(conn, "at, visit, found_at, handled", "interruptions", sid)
    ]
    record.body_marks = [
        BodyMark(*r)
        for r in conn.execute(
            f"SELECT {MARK_COLUMNS} FROM body_marks WHERE session_id = ? ORDER BY number", (sid,)
        )
    ]
    record.marks_removed = [MarkRemoved(*r) for r in _all(conn, "at, number", "body_marks_removed", sid)]
    ratings, pauses, ticks = _ratings(conn, sid), _pauses(conn, sid), _ticks(conn, sid)
    rows = conn.execute(
        f"SELECT {VISIT_COLUMNS} FROM step_visits WHERE session_id = ? ORDER BY visit", (sid,)
    ).fetchall()  # fetchall: a good deal quicker than stepping the cursor from Python
    record.steps = [
        _visit(row, pauses.get(row[0], []), ratings.get(row[0], []), ticks.get(row[0], [])) for row in rows
    ]
    return record


def _marks(conn: sqlite3.Connection, sid: str) -> tuple[list[BodyMark], list[MarkRemoved]]:
    sql = f"SELECT {MARK_COLUMNS} FROM body_marks WHERE session_id = ? ORDER BY number"
    marks = [BodyMark(*r) for r in conn.execute(sql, (sid,)).fetchall()]
    return marks, [MarkRemoved(*r) for r in _all(conn, "at, number", "body_marks_removed", sid)]


def _all(conn: sqlite3.Connection, columns: str, table: str, sid: str) -> list[tuple[Any, ...]]:
    sql = f"SELECT {columns} FROM {table} WHERE session_id = ? ORDER BY position"
    return conn.execute(sql, (sid,)).fetchall()


def _screening(conn: sqlite3.Connection, sid: str) -> list[ScreeningAnswer]:
    rows = conn.execute(
        "SELECT item_id, kind, question, answer, acknowledged, reason, at FROM screening_answers "
        "WHERE session_id = ? ORDER BY position",
        (sid,),
    ).fetchall()
    return [
        ScreeningAnswer(i, kind, q, bool(answer), bool(ack), reason, at)
        for i, kind, q, answer, ack, reason, at in rows
    ]


def _ratings(conn: sqlite3.Connection, sid: str) -> dict[int, list[Rating]]:
    ratings: defaultdict[int, list[Rating]] = defaultdict(list)
    for visit, kind, value, at, ease_off, in_target, number, corrects in conn.execute(
        "SELECT visit, kind, value, at, ease_off, in_target, number, corrects FROM ratings "
        "WHERE session_id = ? ORDER BY visit, position",
        (sid,),
    ).fetchall():
        ratings[visit].append(
            Rating(kind, value, at, visit, bool(ease_off), _bool(in_target), number, corrects)
        )
    return ratings


def _pauses(conn: sqlite3.Connection, sid: str) -> dict[int, list[Pause]]:
    pauses: defaultdict[int, list[Pause]] = defaultdict(list)
    for visit, started_at, ended_at, duration_s in conn.execute(
        "SELECT visit, started_at, ended_at, duration_s FROM pauses WHERE session_id = ? ORDER BY visit, id",
        (sid,),
    ).fetchall():
        pauses[visit].append(Pause(started_at, ended_at, duration_s))
    return pauses


def _ticks(conn: sqlite3.Connection, sid: str) -> dict[int, list[Tick]]:
    ticks: defaultdict[int, list[Tick]] = defaultdict(list)
    for visit, at, item, text, done in conn.execute(
        "SELECT visit, at, item, text, done FROM checklist_ticks WHERE session_id = ? "
        "ORDER BY visit, position",
        (sid,),
    ).fetchall():
        ticks[visit].append(Tick(at, item, text, bool(done)))
    return ticks


def _bool(value: int | None) -> bool | None:
    return None if value is None else bool(value)


def _session(row: tuple[Any, ...]) -> SessionRecord:
    (sid, protocol_id, version, title, client, practice, scale, voice,
     started, ended, status, pre, post, rot_l, rot_r, notes, steps, end_note, last) = row  # fmt: skip
    return SessionRecord(
        session_id=sid,
        protocol_id=protocol_id,
        protocol_version=version,
        protocol_title=title,
        client_code=client,
        practice=bool(practice),
        time_scale=scale,
        started_at=started,
        ended_at=ended,
        status=status_from_text(status, f"session {sid}"),
        voice=bool(voice),
        pre_pain=pre,
        post_pain=post,
        rotation_left_deg=rot_l,
        rotation_right_deg=rot_r,
        notes=notes,
        protocol_steps=steps,
        end_note=end_note,
        last_event_at=last,
    )


def _visit(row: tuple[Any, ...], pauses: list[Pause], ratings: list[Rating], ticks: list[Tick]) -> StepRecord:
    # VISIT_COLUMNS are StepRecord's fields in order; positional is markedly faster for a year's export
    *fields, min_reached, max_reached, carried_s, continues = row
    return _new_visit(
        *fields, bool(min_reached), bool(max_reached), pauses, ratings, carried_s, continues, ticks
    )


_new_visit: Callable[..., StepRecord] = StepRecord


_DONE = ", ".join(f"'{reason}'" for reason in sorted(DONE_REASONS))
_SUMMARY = f"""
SELECT s.id, s.client_code, s.protocol_id, s.protocol_version, s.protocol_title, s.started_at,
       s.ended_at, s.status, s.practice, s.pre_pain, s.post_pain,
       (SELECT count(*) FROM step_visits v WHERE v.session_id = s.id),
       (SELECT count(DISTINCT v.step_index) FROM step_visits v WHERE v.session_id = s.id
        AND v.end_reason IN ({_DONE})),
       s.protocol_steps,
       (SELECT count(*) FROM ratings r WHERE r.session_id = s.id),
       s.end_note
FROM sessions s"""


def summaries(
    conn: sqlite3.Connection, client: str | None = None, practice: bool | None = None
) -> list[SessionSummary]:
    """Sessions in time order; a client code is compared in its canonical spelling."""
    rows = conn.execute(*summary_query(client, practice)).fetchall()
    shorts = short_ids([str(r[0]) for r in conn.execute("SELECT id FROM sessions")])
    return [summary(row, shorts[row[0]]) for row in rows]


def summary_query(client: str | None, practice: bool | None) -> tuple[str, list[Any]]:
    """The summaries' SQL and its parameters (one session a row, in time order)."""
    where: list[str] = []
    params: list[Any] = []
    if client is not None:
        where.append("s.client_code = ?")
        params.append(canonical_code(client))
    if practice is not None:
        where.append("s.practice = ?")
        params.append(int(practice))
    sql = _SUMMARY + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY s.started_at, s.id"
    return sql, params


def summary(row: tuple[Any, ...], short: str) -> SessionSummary:
    (sid, client, protocol_id, version, title, started, ended, status,
     practice, pre, post, visits, done, steps, ratings, end_note) = row  # fmt: skip
    return SessionSummary(
        sid, client, protocol_id, version, title, started, ended,
        status_from_text(status, f"session {sid}"), bool(practice), pre, post,
        visits, done, steps, ratings, end_note, short,
    )  # fmt: skip


def clients(conn: sqlite3.Connection) -> list[Client]:
    rows = conn.execute(
        "SELECT c.code, c.first_seen, count(s.id), max(s.started_at) FROM clients c "
        "LEFT JOIN sessions s ON s.client_code = c.code GROUP BY c.code ORDER BY c.code"
    )
    return [Client(code, first, n, last) for code, first, n, last in rows]


def first_seen(conn: sqlite3.Connection, code: str) -> str | None:
    row = conn.execute("SELECT first_seen FROM clients WHERE code = ?", (canonical_code(code),)).fetchone()
    return None if row is None else str(row[0])


_SHOWN_CANDIDATES = 10


def find(conn: sqlite3.Connection, prefix: str) -> str:
    """The one session id starting with ``prefix`` (an exact id always wins). SessionNotFound for an
    empty id, an id that fits none, or a prefix that fits several (they are listed)."""
    prefix = prefix.strip()
    if not prefix:
        raise SessionNotFound("no session id given (it was empty); `neck-guide sessions` lists them")
    if conn.execute("SELECT 1 FROM sessions WHERE id = ?", (prefix,)).fetchone():
        return prefix
    rows = conn.execute(
        "SELECT id, started_at, coalesce(client_code, 'no client') FROM sessions "
        "WHERE substr(id, 1, ?) = ? ORDER BY started_at, id",
        (len(prefix), prefix),
    ).fetchall()
    if not rows:
        raise SessionNotFound(f"no session id starts with {prefix!r}; `neck-guide sessions` lists them")
    if len(rows) > 1:
        shown = [f"  {sid}  started {started[:16].replace('T', ' ')}, {who}" for sid, started, who in rows]
        more = len(rows) - _SHOWN_CANDIDATES
        listed = "\n".join(shown[:_SHOWN_CANDIDATES]) + (f"\n  … and {more} more" if more > 0 else "")
        raise SessionNotFound(f"{prefix!r} fits {len(rows)} sessions; give more of the id, one of:\n{listed}")
    return str(rows[0][0])


def session_ids(conn: sqlite3.Connection, status: str | None = None) -> list[str]:
    if status is None:
        rows = conn.execute("SELECT id FROM sessions ORDER BY started_at, id")
    else:
        rows = conn.execute("SELECT id FROM sessions WHERE status = ? ORDER BY started_at, id", (status,))
    return [str(r[0]) for r in rows]
