"""Questionnaire responses in the records file: each written whole, read back whole.

A response is saved as a whole record (its answers only grow, so a rewrite never loses one) in
one transaction, every time an answer is given: a crash keeps every answer given before it. The
client it belongs to is added to ``clients`` like a session's.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from typing import Any

from neck_guide.engine.record import canonical_code
from neck_guide.questionnaire.response import Answer, ItemShown, ResponseRecord

RESPONSE_COLUMNS = (
    "id, questionnaire_id, questionnaire_version, title, short_title, client_code, occasion, started_at, "
    "wording, placeholder, status, completed_at, session_id, total, percent, band, answered, score_note, "
    "total_title, total_loinc, loinc"
)
_UPSERT = f"INSERT OR REPLACE INTO responses ({RESPONSE_COLUMNS}) VALUES ({', '.join('?' * 21)})"
_ITEM = (
    "INSERT INTO response_items (response_id, position, item_id, title, loinc, lowest, highest) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)"
)
_ANSWER = (
    "INSERT INTO response_answers (response_id, position, item_id, value, name, at) VALUES (?, ?, ?, ?, ?, ?)"
)


def write_response(conn: sqlite3.Connection, record: ResponseRecord) -> None:
    """Make the stored response equal to ``record`` (insert or replace all its rows)."""
    rid = record.response_id
    code = canonical_code(record.client_code)
    if code is not None:
        conn.execute(
            "INSERT INTO clients (code, first_seen) VALUES (?, ?) "
            "ON CONFLICT (code) DO UPDATE SET first_seen = min(first_seen, excluded.first_seen)",
            (code, record.started_at),
        )
    for table in ("response_items", "response_answers"):
        conn.execute(f"DELETE FROM {table} WHERE response_id = ?", (rid,))
    conn.execute(_UPSERT, _row(record, code))
    items = [(rid, n, i.item_id, i.title, i.loinc, i.lowest, i.highest) for n, i in enumerate(record.items)]
    conn.executemany(_ITEM, items)
    answers = [(rid, n, a.item_id, a.value, a.name, a.at) for n, a in enumerate(record.answers)]
    conn.executemany(_ANSWER, answers)


def _row(r: ResponseRecord, code: str | None) -> tuple[Any, ...]:
    return (
        r.response_id, r.questionnaire_id, r.questionnaire_version, r.title, r.short_title, code, r.occasion,
        r.started_at, r.wording, r.placeholder, r.status, r.completed_at, r.session_id, r.total, r.percent,
        r.band, r.answered, r.score_note, r.total_title, r.total_loinc, r.loinc,
    )  # fmt: skip


def read_responses(
    conn: sqlite3.Connection, *, client: str | None = None, session_id: str | None = None
) -> list[ResponseRecord]:
    """Responses in the order they were started: a client's (any case), a session's, or all."""
    where, params = ["1"], []
    if client is not None:
        where.append("client_code = ?")
        params.append(canonical_code(client))
    if session_id is not None:
        where.append("session_id = ?")
        params.append(session_id)
    chosen = " AND ".join(where)
    rows = conn.execute(
        f"SELECT {RESPONSE_COLUMNS} FROM responses WHERE {chosen} ORDER BY started_at, id", params
    ).fetchall()
    items: defaultdict[str, list[ItemShown]] = defaultdict(list)
    for rid, *fields in _parts(
        conn, "response_items", "item_id, title, loinc, lowest, highest", chosen, params
    ):
        items[rid].append(ItemShown(*fields))
    answers: defaultdict[str, list[Answer]] = defaultdict(list)
    for rid, item_id, value, name, at in _parts(
        conn, "response_answers", "item_id, value, name, at", chosen, params
    ):
        answers[rid].append(Answer(item_id, value, at, name))
    return [_record(row, items[row[0]], answers[row[0]]) for row in rows]


def _parts(
    conn: sqlite3.Connection, table: str, columns: str, chosen: str, params: list[Any]
) -> list[tuple[Any, ...]]:
    """The rows of ``table`` (items or answers) of the chosen responses, in order."""
    sql = (
        f"SELECT response_id, {columns} FROM {table} WHERE response_id IN "
        f"(SELECT id FROM responses WHERE {chosen}) ORDER BY response_id, position"
    )
    return conn.execute(sql, params).fetchall()


def _record(row: tuple[Any, ...], items: list[ItemShown], answers: list[Answer]) -> ResponseRecord:
    # RESPONSE_COLUMNS are ResponseRecord's fields in order, items and answers left out
    fields: list[Any] = [*row[:9], bool(row[9]), items, answers, *row[10:]]
    return ResponseRecord(*fields)
