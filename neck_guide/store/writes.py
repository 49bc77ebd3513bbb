"""How each engine event changes the tables (called inside the store's one transaction per event).

Whole-record events (SessionStarted, SessionEnded, a resumed session) rewrite the session's rows
from the record they carry, so the file ends up equal to the runner's final record whatever the
order of the small events before; step events rewrite their visit from the visit snapshot. The
record only grows, so a rewrite never loses a row: a correction, an undo or a changed measure is
a row of its own (``ratings.corrects``, ``undos``, ``measures``), never an edit of an earlier one.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from typing import Any

from neck_guide.engine.events import (
    BodyMarked,
    BodyMarkRemoved,
    Event,
    Extended,
    Heartbeat,
    MaximumReached,
    Measured,
    MinimumReached,
    NoteAdded,
    Paused,
    RatingRecorded,
    Resumed,
    ScreeningAnswered,
    SessionEnded,
    SessionStarted,
    StepEnded,
    StepStarted,
    TapIgnored,
    Ticked,
    Undone,
    VoiceChanged,
)
from neck_guide.engine.record import (
    BodyMark,
    IgnoredTap,
    Interruption,
    MarkRemoved,
    Measure,
    Rating,
    ScreeningAnswer,
    SessionRecord,
    StepRecord,
    Tick,
    Undo,
    canonical_code,
)

SESSION_COLUMNS = (
    "id, protocol_id, protocol_version, protocol_title, client_code, practice, time_scale, voice, "
    "started_at, ended_at, status, pre_pain, post_pain, rotation_left_deg, rotation_right_deg, notes, "
    "protocol_steps, end_note, last_event_at"
)
VISIT_COLUMNS = (
    "visit, step_index, key, phase_id, phase_title, step_id, title, technique, muscle, side, kind, "
    "repetition, repetitions, planned_min_s, planned_max_s, started_at, ended_at, actual_s, end_reason, "
    "extended_s, min_reached, max_reached, carried_s, continues"
)
RATING_COLUMNS = "visit, position, kind, value, at, ease_off, in_target, number, corrects"
ANSWER_COLUMNS = "position, item_id, kind, question, answer, acknowledged, reason, at"


def _insert(table: str, columns: str, replace: bool = False) -> str:
    marks = ", ".join("?" * (len(columns.split(",")) + 1))
    return f"INSERT {'OR REPLACE ' if replace else ''}INTO {table} (session_id, {columns}) VALUES ({marks})"


_UPSERT_SESSION = f"INSERT OR REPLACE INTO sessions ({SESSION_COLUMNS}) VALUES ({', '.join('?' * 19)})"
_UPSERT_VISIT = _insert("step_visits", VISIT_COLUMNS, replace=True)
_INSERT_RATING = _insert("ratings", RATING_COLUMNS)
_INSERT_PAUSE = _insert("pauses", "visit, started_at, ended_at, duration_s")
_UPSERT_ANSWER = _insert("screening_answers", ANSWER_COLUMNS, replace=True)
_INSERT_MEASURE = _insert("measures", "position, kind, value, at")
_INSERT_UNDO = _insert("undos", "position, at, action, visit, rating, seconds")
_INSERT_IGNORED = _insert("ignored_taps", "position, at, action, visit, after_s")
_INSERT_INTERRUPTION = _insert("interruptions", "position, at, visit, found_at, handled")
_INSERT_TICK = _insert("checklist_ticks", "visit, position, at, item, text, done")
MARK_COLUMNS = "number, at, view, x, y, region, side, muscle, intensity, pattern"
_INSERT_MARK = _insert("body_marks", MARK_COLUMNS)
_INSERT_MARK_REMOVED = _insert("body_marks_removed", "position, at, number")
_SESSION_TABLES = ("screening_answers", "ratings", "pauses", "checklist_ticks", "step_visits", "measures",
                   "undos", "ignored_taps", "interruptions", "body_marks", "body_marks_removed")  # fmt: skip


def write_record(conn: sqlite3.Connection, record: SessionRecord, last_event_at: str) -> None:
    """Make the stored session equal to ``record`` (insert or replace all its rows)."""
    sid = record.session_id
    code = canonical_code(record.client_code)
    if code is not None:
        conn.execute(
            "INSERT INTO clients (code, first_seen) VALUES (?, ?) "
            "ON CONFLICT (code) DO UPDATE SET first_seen = min(first_seen, excluded.first_seen)",
            (code, record.started_at),
        )
    for table in _SESSION_TABLES:
        conn.execute(f"DELETE FROM {table} WHERE session_id = ?", (sid,))
    latest = max(last_event_at, record.last_event_at or "")
    conn.execute(_UPSERT_SESSION, (*_session_row(record), latest))
    conn.executemany(_UPSERT_ANSWER, [(sid, *answer_row(n, a)) for n, a in enumerate(record.screening)])
    _rows(conn, _INSERT_MEASURE, sid, record.measures, _measure_row)
    _rows(conn, _INSERT_UNDO, sid, record.undos, _undo_row)
    _rows(conn, _INSERT_IGNORED, sid, record.ignored, _ignored_row)
    _rows(conn, _INSERT_INTERRUPTION, sid, record.interruptions, _interruption_row)
    conn.executemany(_INSERT_MARK, [(sid, *mark_row(m)) for m in record.body_marks])
    _rows(conn, _INSERT_MARK_REMOVED, sid, record.marks_removed, _removed_row)
    for visit in record.steps:
        write_visit(conn, sid, visit)


def _rows(
    conn: sqlite3.Connection, sql: str, sid: str, items: Sequence[Any], row: Callable[..., Any]
) -> None:
    conn.executemany(sql, [(sid, n, *row(item)) for n, item in enumerate(items)])


def write_visit(conn: sqlite3.Connection, sid: str, v: StepRecord) -> None:
    """Insert or replace one visit with its pauses, ratings and checklist ticks."""
    for table in ("ratings", "pauses", "checklist_ticks"):
        conn.execute(f"DELETE FROM {table} WHERE session_id = ? AND visit = ?", (sid, v.visit))
    conn.execute(_UPSERT_VISIT, (sid, *visit_row(v)))
    conn.executemany(_INSERT_RATING, [(sid, *rating_row(n, r)) for n, r in enumerate(v.ratings)])
    conn.executemany(
        _INSERT_PAUSE, [(sid, v.visit, p.started_at, p.ended_at, p.duration_s) for p in v.pauses]
    )
    conn.executemany(_INSERT_TICK, [(sid, v.visit, n, *_tick_row(t)) for n, t in enumerate(v.ticks)])


def _session_row(r: SessionRecord) -> tuple[Any, ...]:
    return (
        r.session_id, r.protocol_id, r.protocol_version, r.protocol_title, canonical_code(r.client_code),
        r.practice, r.time_scale, r.voice, r.started_at, r.ended_at, r.status, r.pre_pain, r.post_pain,
        r.rotation_left_deg, r.rotation_right_deg, r.notes, r.protocol_steps, r.end_note,
    )  # fmt: skip


def visit_row(v: StepRecord) -> tuple[Any, ...]:
    return (
        v.visit, v.index, v.key, v.phase_id, v.phase_title, v.step_id, v.title, v.technique, v.muscle,
        v.side, v.kind, v.repetition, v.repetitions, v.planned_min_s, v.planned_max_s, v.started_at,
        v.ended_at, v.actual_s, v.end_reason, v.extended_s, v.min_reached, v.max_reached, v.carried_s,
        v.continues,
    )  # fmt: skip


def rating_row(position: int, r: Rating) -> tuple[Any, ...]:
    return (r.visit, position, r.kind, r.value, r.at, r.ease_off, r.in_target, r.number, r.corrects)


def answer_row(position: int, a: ScreeningAnswer) -> tuple[Any, ...]:
    return (position, a.item_id, a.kind, a.question, a.answer, a.acknowledged, a.reason, a.at)


def _measure_row(m: Measure) -> tuple[Any, ...]:
    return (m.kind, m.value, m.at)


def _undo_row(u: Undo) -> tuple[Any, ...]:
    return (u.at, u.action, u.visit, u.rating, u.seconds)


def _ignored_row(i: IgnoredTap) -> tuple[Any, ...]:
    return (i.at, i.action, i.visit, i.after_s)


def _interruption_row(i: Interruption) -> tuple[Any, ...]:
    return (i.at, i.visit, i.found_at, i.handled)


def _tick_row(t: Tick) -> tuple[Any, ...]:
    return (t.at, t.item, t.text, t.done)


def mark_row(m: BodyMark) -> tuple[Any, ...]:
    return (m.number, m.at, m.view, m.x, m.y, m.region, m.side, m.muscle, m.intensity, m.pattern)


def _removed_row(r: MarkRemoved) -> tuple[Any, ...]:
    return (r.at, r.number)


# --- the small events: (connection, session id, event) -------------------------------------------


def _next_position(conn: sqlite3.Connection, table: str, sid: str, visit: int | None = None) -> int:
    where = "session_id = ?" + ("" if visit is None else " AND visit = ?")
    params = (sid,) if visit is None else (sid, visit)
    row = conn.execute(f"SELECT coalesce(max(position) + 1, 0) FROM {table} WHERE {where}", params).fetchone()
    return int(row[0])


def _answered(conn: sqlite3.Connection, sid: str, e: ScreeningAnswered) -> None:
    conn.execute(_UPSERT_ANSWER, (sid, *answer_row(e.position, e.answer)))


_MEASURE_COLUMNS = {
    "pre_pain": "pre_pain",
    "post_pain": "post_pain",
    "rotation_left": "rotation_left_deg",
    "rotation_right": "rotation_right_deg",
}


def _measured(conn: sqlite3.Connection, sid: str, e: Measured) -> None:
    m = e.measure
    conn.execute(_INSERT_MEASURE, (sid, _next_position(conn, "measures", sid), *_measure_row(m)))
    conn.execute(f"UPDATE sessions SET {_MEASURE_COLUMNS[m.kind]} = ? WHERE id = ?", (m.value, sid))


def _marked(conn: sqlite3.Connection, sid: str, e: BodyMarked) -> None:
    conn.execute(_INSERT_MARK, (sid, *mark_row(e.mark)))


def _unmarked(conn: sqlite3.Connection, sid: str, e: BodyMarkRemoved) -> None:
    position = _next_position(conn, "body_marks_removed", sid)
    conn.execute(_INSERT_MARK_REMOVED, (sid, position, *_removed_row(e.removed)))


def _step(conn: sqlite3.Connection, sid: str, e: StepStarted | StepEnded) -> None:
    write_visit(conn, sid, e.visit)


def _rating(conn: sqlite3.Connection, sid: str, e: RatingRecorded) -> None:
    position = _next_position(conn, "ratings", sid, e.rating.visit)
    conn.execute(_INSERT_RATING, (sid, *rating_row(position, e.rating)))


def _undone(conn: sqlite3.Connection, sid: str, e: Undone) -> None:
    conn.execute(_INSERT_UNDO, (sid, _next_position(conn, "undos", sid), *_undo_row(e.undo)))
    if e.extended_s is not None:
        conn.execute(
            "UPDATE step_visits SET extended_s = ? WHERE session_id = ? AND visit = ?",
            (e.extended_s, sid, e.undo.visit),
        )


def _ignored(conn: sqlite3.Connection, sid: str, e: TapIgnored) -> None:
    conn.execute(_INSERT_IGNORED, (sid, _next_position(conn, "ignored_taps", sid), *_ignored_row(e.tap)))


def _ticked(conn: sqlite3.Connection, sid: str, e: Ticked) -> None:
    position = _next_position(conn, "checklist_ticks", sid, e.visit)
    conn.execute(_INSERT_TICK, (sid, e.visit, position, *_tick_row(e.tick)))


def _ran(conn: sqlite3.Connection, sid: str, visit: int | None, actual_s: float | None) -> None:
    """A live visit's time so far (a heartbeat, a pause): kept if the app stops before its end."""
    if visit is not None and actual_s is not None:
        conn.execute(
            "UPDATE step_visits SET actual_s = ? WHERE session_id = ? AND visit = ? AND ended_at IS NULL",
            (actual_s, sid, visit),
        )


def _heartbeat(conn: sqlite3.Connection, sid: str, e: Heartbeat) -> None:
    _ran(conn, sid, e.visit, e.actual_s)


def _paused(conn: sqlite3.Connection, sid: str, e: Paused) -> None:
    if e.visit is not None:  # a pause outside any step has no place in the record
        conn.execute(_INSERT_PAUSE, (sid, e.visit, e.at, None, None))
        _ran(conn, sid, e.visit, e.actual_s)


def _resumed(conn: sqlite3.Connection, sid: str, e: Resumed) -> None:
    if e.visit is not None:
        conn.execute(
            "UPDATE pauses SET ended_at = ?, duration_s = ? WHERE id = (SELECT max(id) FROM pauses "
            "WHERE session_id = ? AND visit = ? AND ended_at IS NULL)",
            (e.at, e.paused_s, sid, e.visit),
        )


def _extended(conn: sqlite3.Connection, sid: str, e: Extended) -> None:
    conn.execute(
        "UPDATE step_visits SET extended_s = ? WHERE session_id = ? AND visit = ?",
        (e.extended_s, sid, e.visit),
    )


def _minimum(conn: sqlite3.Connection, sid: str, e: MinimumReached) -> None:
    conn.execute("UPDATE step_visits SET min_reached = 1 WHERE session_id = ? AND visit = ?", (sid, e.visit))


def _maximum(conn: sqlite3.Connection, sid: str, e: MaximumReached) -> None:
    conn.execute("UPDATE step_visits SET max_reached = 1 WHERE session_id = ? AND visit = ?", (sid, e.visit))


def _note(conn: sqlite3.Connection, sid: str, e: NoteAdded) -> None:
    conn.execute("UPDATE sessions SET notes = ? WHERE id = ?", (e.notes, sid))


def _voice(conn: sqlite3.Connection, sid: str, e: VoiceChanged) -> None:
    conn.execute("UPDATE sessions SET voice = ? WHERE id = ?", (e.available, sid))


def _whole(conn: sqlite3.Connection, sid: str, e: SessionStarted | SessionEnded) -> None:
    write_record(conn, e.record, e.at)


Writer = Callable[[sqlite3.Connection, str, Any], None]

WRITERS: dict[type, Writer] = {
    SessionStarted: _whole,
    ScreeningAnswered: _answered,
    Measured: _measured,
    BodyMarked: _marked,
    BodyMarkRemoved: _unmarked,
    StepStarted: _step,
    StepEnded: _step,
    Heartbeat: _heartbeat,
    RatingRecorded: _rating,
    Undone: _undone,
    TapIgnored: _ignored,
    Ticked: _ticked,
    Paused: _paused,
    Resumed: _resumed,
    Extended: _extended,
    MinimumReached: _minimum,
    MaximumReached: _maximum,
    NoteAdded: _note,
    VoiceChanged: _voice,
    SessionEnded: _whole,
}


def touch(conn: sqlite3.Connection, sid: str, at: str) -> None:
    """The session's last moment recorded (never moved back by an event stamped earlier)."""
    conn.execute(
        "UPDATE sessions SET last_event_at = max(coalesce(last_event_at, ''), ?) WHERE id = ?", (at, sid)
    )


def writer_for(event: Event) -> Writer | None:
    """The writer of ``event``, or None for events that change no record (cues)."""
    return WRITERS.get(type(event))
