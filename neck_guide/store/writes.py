"""How each engine event changes the tables (called inside the store's one transaction per event).

Whole-record events (SessionStarted, SessionEnded, a resumed session) rewrite the session's rows
from the record they carry, so the file ends up equal to the runner's final record whatever the
order of the small events before; step events rewrite their visit from the visit snapshot.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

from neck_guide.engine.events import (
    Event,
    Extended,
    MaximumReached,
    MinimumReached,
    NoteAdded,
    PainRecorded,
    Paused,
    RatingRecorded,
    Resumed,
    ScreeningRecorded,
    SessionEnded,
    SessionStarted,
    StepEnded,
    StepStarted,
    VoiceChanged,
)
from neck_guide.engine.record import Rating, ScreeningAnswer, SessionRecord, StepRecord

SESSION_COLUMNS = (
    "id, protocol_id, protocol_version, protocol_title, client_code, practice, time_scale, voice, "
    "started_at, ended_at, status, pre_pain, post_pain, rotation_left_deg, rotation_right_deg, notes"
)
VISIT_COLUMNS = (
    "visit, step_index, key, phase_id, phase_title, step_id, title, technique, muscle, side, kind, "
    "repetition, repetitions, planned_min_s, planned_max_s, started_at, ended_at, actual_s, end_reason, "
    "extended_s, min_reached, max_reached"
)
_UPSERT_SESSION = (
    f"INSERT OR REPLACE INTO sessions ({SESSION_COLUMNS}, last_event_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_UPSERT_VISIT = (
    f"INSERT OR REPLACE INTO step_visits (session_id, {VISIT_COLUMNS}) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_INSERT_RATING = (
    "INSERT INTO ratings (session_id, visit, position, kind, value, at, ease_off, in_target) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)
_INSERT_PAUSE = (
    "INSERT INTO pauses (session_id, visit, started_at, ended_at, duration_s) VALUES (?, ?, ?, ?, ?)"
)
_INSERT_ANSWER = (
    "INSERT INTO screening_answers (session_id, position, item_id, kind, question, answer, acknowledged, "
    "reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)


def write_record(conn: sqlite3.Connection, record: SessionRecord, last_event_at: str) -> None:
    """Make the stored session equal to ``record`` (insert or replace all its rows)."""
    sid = record.session_id
    if record.client_code is not None:
        conn.execute(
            "INSERT INTO clients (code, first_seen) VALUES (?, ?) "
            "ON CONFLICT (code) DO UPDATE SET first_seen = min(first_seen, excluded.first_seen)",
            (record.client_code, record.started_at),
        )
    for table in ("screening_answers", "ratings", "pauses", "step_visits"):
        conn.execute(f"DELETE FROM {table} WHERE session_id = ?", (sid,))
    conn.execute(_UPSERT_SESSION, (*_session_row(record), last_event_at))
    _write_screening(conn, sid, record.screening)
    for visit in record.steps:
        write_visit(conn, sid, visit)


def write_visit(conn: sqlite3.Connection, sid: str, v: StepRecord) -> None:
    """Insert or replace one visit with its pauses and ratings."""
    conn.execute("DELETE FROM ratings WHERE session_id = ? AND visit = ?", (sid, v.visit))
    conn.execute("DELETE FROM pauses WHERE session_id = ? AND visit = ?", (sid, v.visit))
    conn.execute(_UPSERT_VISIT, (sid, *visit_row(v)))
    conn.executemany(_INSERT_RATING, [rating_row(sid, n, r) for n, r in enumerate(v.ratings)])
    conn.executemany(
        _INSERT_PAUSE, [(sid, v.visit, p.started_at, p.ended_at, p.duration_s) for p in v.pauses]
    )


def _session_row(r: SessionRecord) -> tuple[Any, ...]:
    return (
        r.session_id, r.protocol_id, r.protocol_version, r.protocol_title, r.client_code, r.practice,
        r.time_scale, r.voice, r.started_at, r.ended_at, r.status, r.pre_pain, r.post_pain,
        r.rotation_left_deg, r.rotation_right_deg, r.notes,
    )  # fmt: skip


def visit_row(v: StepRecord) -> tuple[Any, ...]:
    return (
        v.visit, v.index, v.key, v.phase_id, v.phase_title, v.step_id, v.title, v.technique, v.muscle,
        v.side, v.kind, v.repetition, v.repetitions, v.planned_min_s, v.planned_max_s, v.started_at,
        v.ended_at, v.actual_s, v.end_reason, v.extended_s, v.min_reached, v.max_reached,
    )  # fmt: skip


def rating_row(sid: str, position: int, r: Rating) -> tuple[Any, ...]:
    return (sid, r.visit, position, r.kind, r.value, r.at, r.ease_off, r.in_target)


def _write_screening(
    conn: sqlite3.Connection, sid: str, answers: list[ScreeningAnswer] | tuple[ScreeningAnswer, ...]
) -> None:
    conn.execute("DELETE FROM screening_answers WHERE session_id = ?", (sid,))
    conn.executemany(
        _INSERT_ANSWER,
        [
            (sid, n, a.item_id, a.kind, a.question, a.answer, a.acknowledged, a.reason)
            for n, a in enumerate(answers)
        ],
    )


# --- the small events: (connection, session id, event) -------------------------------------------


def _screening(conn: sqlite3.Connection, sid: str, e: ScreeningRecorded) -> None:
    _write_screening(conn, sid, e.answers)
    conn.execute(
        "UPDATE sessions SET pre_pain = ?, rotation_left_deg = ?, rotation_right_deg = ? WHERE id = ?",
        (e.pre_pain, e.rotation_left_deg, e.rotation_right_deg, sid),
    )


def _step(conn: sqlite3.Connection, sid: str, e: StepStarted | StepEnded) -> None:
    write_visit(conn, sid, e.visit)


def _rating(conn: sqlite3.Connection, sid: str, e: RatingRecorded) -> None:
    row = conn.execute(
        "SELECT coalesce(max(position) + 1, 0) FROM ratings WHERE session_id = ? AND visit = ?",
        (sid, e.rating.visit),
    ).fetchone()
    conn.execute(_INSERT_RATING, rating_row(sid, int(row[0]), e.rating))


def _paused(conn: sqlite3.Connection, sid: str, e: Paused) -> None:
    if e.visit is not None:  # a pause outside any step has no place in the record
        conn.execute(_INSERT_PAUSE, (sid, e.visit, e.at, None, None))


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


def _pain(conn: sqlite3.Connection, sid: str, e: PainRecorded) -> None:
    column = "pre_pain" if e.when == "pre" else "post_pain"
    conn.execute(f"UPDATE sessions SET {column} = ? WHERE id = ?", (e.value, sid))


def _note(conn: sqlite3.Connection, sid: str, e: NoteAdded) -> None:
    conn.execute("UPDATE sessions SET notes = ? WHERE id = ?", (e.notes, sid))


def _voice(conn: sqlite3.Connection, sid: str, e: VoiceChanged) -> None:
    conn.execute("UPDATE sessions SET voice = ? WHERE id = ?", (e.available, sid))


def _whole(conn: sqlite3.Connection, sid: str, e: SessionStarted | SessionEnded) -> None:
    write_record(conn, e.record, e.at)


Writer = Callable[[sqlite3.Connection, str, Any], None]

WRITERS: dict[type, Writer] = {
    SessionStarted: _whole,
    ScreeningRecorded: _screening,
    StepStarted: _step,
    StepEnded: _step,
    RatingRecorded: _rating,
    Paused: _paused,
    Resumed: _resumed,
    Extended: _extended,
    MinimumReached: _minimum,
    MaximumReached: _maximum,
    PainRecorded: _pain,
    NoteAdded: _note,
    VoiceChanged: _voice,
    SessionEnded: _whole,
}


def touch(conn: sqlite3.Connection, sid: str, at: str) -> None:
    conn.execute("UPDATE sessions SET last_event_at = ? WHERE id = ?", (at, sid))


def writer_for(event: Event) -> Writer | None:
    """The writer of ``event``, or None for events that change no record (cues)."""
    return WRITERS.get(type(event))
