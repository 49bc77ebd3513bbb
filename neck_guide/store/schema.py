"""The tables of the records file and the steps that bring an older file up to date.

``PRAGMA user_version`` holds the schema version. ``MIGRATIONS[n]`` takes a file from version
``n`` to ``n + 1``; each step runs in its own transaction together with the new version number,
so a file is never left half-way. Before the first step a copy of the file is kept beside it
(``sessions.sqlite3.v1.bak``). A file from a newer app is refused, never touched.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

from neck_guide.paths import PRIVATE_FILE_MODE
from neck_guide.store.errors import StoreUnavailable

Migration = Callable[[sqlite3.Connection], "str | None"]  # what the user should hear of it, if anything

_V1_TABLES = (
    """CREATE TABLE clients (
        code TEXT PRIMARY KEY,
        first_seen TEXT NOT NULL
    ) WITHOUT ROWID""",
    """CREATE TABLE sessions (
        id TEXT PRIMARY KEY,
        protocol_id TEXT NOT NULL,
        protocol_version TEXT NOT NULL,
        protocol_title TEXT NOT NULL,
        client_code TEXT REFERENCES clients(code),
        practice INTEGER NOT NULL,
        time_scale REAL NOT NULL,
        voice INTEGER NOT NULL,
        started_at TEXT NOT NULL,
        ended_at TEXT,
        status TEXT NOT NULL CHECK (status IN ('running', 'finished', 'abandoned')),
        pre_pain INTEGER,
        post_pain INTEGER,
        rotation_left_deg INTEGER,
        rotation_right_deg INTEGER,
        notes TEXT NOT NULL DEFAULT ''
    ) WITHOUT ROWID""",
    """CREATE TABLE screening_answers (
        session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        item_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        question TEXT NOT NULL,
        answer INTEGER NOT NULL,
        acknowledged INTEGER NOT NULL,
        reason TEXT NOT NULL,
        PRIMARY KEY (session_id, position)
    ) WITHOUT ROWID""",
    """CREATE TABLE step_visits (
        session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        visit INTEGER NOT NULL,
        step_index INTEGER NOT NULL,
        key TEXT NOT NULL,
        phase_id TEXT NOT NULL,
        phase_title TEXT NOT NULL,
        step_id TEXT NOT NULL,
        title TEXT NOT NULL,
        technique TEXT NOT NULL,
        muscle TEXT,
        side TEXT,
        kind TEXT NOT NULL,
        repetition INTEGER NOT NULL,
        repetitions INTEGER NOT NULL,
        planned_min_s REAL,
        planned_max_s REAL,
        started_at TEXT NOT NULL,
        ended_at TEXT,
        actual_s REAL,
        end_reason TEXT,
        extended_s REAL NOT NULL DEFAULT 0,
        min_reached INTEGER NOT NULL DEFAULT 0,
        max_reached INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (session_id, visit)
    ) WITHOUT ROWID""",
    """CREATE TABLE ratings (
        session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        visit INTEGER NOT NULL,
        position INTEGER NOT NULL,
        kind TEXT NOT NULL,
        value INTEGER NOT NULL,
        at TEXT NOT NULL,
        ease_off INTEGER NOT NULL,
        in_target INTEGER,
        PRIMARY KEY (session_id, visit, position)
    ) WITHOUT ROWID""",
    """CREATE TABLE pauses (
        id INTEGER PRIMARY KEY,
        session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        visit INTEGER NOT NULL,
        started_at TEXT NOT NULL,
        ended_at TEXT,
        duration_s REAL
    )""",
    "CREATE INDEX pauses_by_visit ON pauses (session_id, visit, id)",
)


def _v1(conn: sqlite3.Connection) -> None:
    for statement in _V1_TABLES:
        conn.execute(statement)


# Timestamps of one session share one UTC offset (one wall anchor), so their text order is
# their time order and max() finds the latest.
_BACKFILL_LAST_EVENT = """
UPDATE sessions SET last_event_at = max(
    started_at,
    coalesce(ended_at, ''),
    coalesce((SELECT max(coalesce(v.ended_at, v.started_at)) FROM step_visits v
              WHERE v.session_id = sessions.id), ''),
    coalesce((SELECT max(r.at) FROM ratings r WHERE r.session_id = sessions.id), ''),
    coalesce((SELECT max(coalesce(p.ended_at, p.started_at)) FROM pauses p
              WHERE p.session_id = sessions.id), '')
)"""


def _v2(conn: sqlite3.Connection) -> None:
    """The time of a session's last event (closing out a crashed session), and a client index (history)."""
    conn.execute("ALTER TABLE sessions ADD COLUMN last_event_at TEXT")
    conn.execute(_BACKFILL_LAST_EVENT)
    conn.execute("CREATE INDEX sessions_by_client ON sessions (client_code, started_at)")
    conn.execute("CREATE INDEX sessions_by_start ON sessions (started_at)")


# v3: the outcomes of engine/outcome.py (no fixed list of statuses in the file: an outcome added
# there needs no migration), the record that only grows (rating numbers and corrections, undos,
# ignored taps, interruptions, measures at their own time, checklist ticks, continued visits),
# one spelling per client code.
_V3_SESSIONS = """CREATE TABLE sessions_v3 (
        id TEXT PRIMARY KEY,
        protocol_id TEXT NOT NULL,
        protocol_version TEXT NOT NULL,
        protocol_title TEXT NOT NULL,
        client_code TEXT REFERENCES clients(code),
        practice INTEGER NOT NULL,
        time_scale REAL NOT NULL,
        voice INTEGER NOT NULL,
        started_at TEXT NOT NULL,
        ended_at TEXT,
        status TEXT NOT NULL,
        pre_pain INTEGER,
        post_pain INTEGER,
        rotation_left_deg INTEGER,
        rotation_right_deg INTEGER,
        notes TEXT NOT NULL DEFAULT '',
        last_event_at TEXT,
        protocol_steps INTEGER,
        end_note TEXT NOT NULL DEFAULT ''
    ) WITHOUT ROWID"""
_V3_TABLES = (
    """CREATE TABLE measures (
        session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        kind TEXT NOT NULL,
        value INTEGER,
        at TEXT NOT NULL,
        PRIMARY KEY (session_id, position)
    ) WITHOUT ROWID""",
    """CREATE TABLE undos (
        session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        at TEXT NOT NULL,
        action TEXT NOT NULL,
        visit INTEGER NOT NULL,
        rating INTEGER,
        seconds REAL,
        PRIMARY KEY (session_id, position)
    ) WITHOUT ROWID""",
    """CREATE TABLE ignored_taps (
        session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        at TEXT NOT NULL,
        action TEXT NOT NULL,
        visit INTEGER,
        after_s REAL NOT NULL,
        PRIMARY KEY (session_id, position)
    ) WITHOUT ROWID""",
    """CREATE TABLE interruptions (
        session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        at TEXT NOT NULL,
        visit INTEGER,
        found_at TEXT NOT NULL,
        handled TEXT NOT NULL,
        PRIMARY KEY (session_id, position)
    ) WITHOUT ROWID""",
    """CREATE TABLE checklist_ticks (
        session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        visit INTEGER NOT NULL,
        position INTEGER NOT NULL,
        at TEXT NOT NULL,
        item INTEGER NOT NULL,
        text TEXT NOT NULL,
        done INTEGER NOT NULL,
        PRIMARY KEY (session_id, visit, position)
    ) WITHOUT ROWID""",
    "ALTER TABLE ratings ADD COLUMN number INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE ratings ADD COLUMN corrects INTEGER",
    "ALTER TABLE step_visits ADD COLUMN carried_s REAL NOT NULL DEFAULT 0",
    "ALTER TABLE step_visits ADD COLUMN continues INTEGER",
    "ALTER TABLE screening_answers ADD COLUMN at TEXT NOT NULL DEFAULT ''",
)
# What the app before v3 wrote, in today's words: a close-out after a crash was "abandoned" (now
# "interrupted"); "End" left the steps after it "session_ended" yet said "finished" (now "ended_early");
# Next before a step's end was "next" (now "ended_early").
_V3_FIXES = (
    "UPDATE sessions SET status = 'interrupted' WHERE status = 'abandoned'",
    "UPDATE sessions SET status = 'ended_early' WHERE status = 'finished' AND EXISTS (SELECT 1 FROM "
    "step_visits v WHERE v.session_id = sessions.id AND v.end_reason = 'session_ended')",
    "UPDATE step_visits SET end_reason = 'ended_early' WHERE end_reason = 'next'",
    "UPDATE ratings SET number = (SELECT count(*) FROM ratings r WHERE r.session_id = ratings.session_id "
    "AND (r.visit < ratings.visit OR (r.visit = ratings.visit AND r.position <= ratings.position)))",
)


def _v3(conn: sqlite3.Connection) -> str | None:
    """Outcomes, the growing record, canonical client codes (see above)."""
    conn.execute(_V3_SESSIONS)
    conn.execute(
        "INSERT INTO sessions_v3 SELECT id, protocol_id, protocol_version, protocol_title, client_code, "
        "practice, time_scale, voice, started_at, ended_at, status, pre_pain, post_pain, rotation_left_deg, "
        "rotation_right_deg, notes, last_event_at, NULL, '' FROM sessions"
    )
    conn.execute("DROP TABLE sessions")  # foreign keys are off while migrating: nothing cascades
    conn.execute("ALTER TABLE sessions_v3 RENAME TO sessions")
    conn.execute("CREATE INDEX sessions_by_client ON sessions (client_code, started_at)")
    conn.execute("CREATE INDEX sessions_by_start ON sessions (started_at)")
    for statement in (*_V3_TABLES, *_V3_FIXES):
        conn.execute(statement)
    return fold_client_codes(conn)


def fold_client_codes(conn: sqlite3.Connection) -> str | None:
    """Store every client code in upper case, merging codes that differed only in case; says which."""
    spellings: dict[str, list[str]] = {}
    for (code,) in conn.execute("SELECT code FROM clients ORDER BY code"):
        spellings.setdefault(code.strip().upper(), []).append(code)
    merged = [(code, " and ".join(sorted(s, reverse=True))) for code, s in spellings.items() if len(s) > 1]
    conn.execute(
        "CREATE TEMP TABLE folded AS SELECT upper(trim(code)) AS code, min(first_seen) AS first_seen "
        "FROM clients GROUP BY upper(trim(code))"
    )
    conn.execute("DELETE FROM clients")
    conn.execute("INSERT INTO clients SELECT code, first_seen FROM folded")
    conn.execute("DROP TABLE folded")
    conn.execute("UPDATE sessions SET client_code = upper(trim(client_code)) WHERE client_code IS NOT NULL")
    if not merged:
        return None
    told = "; ".join(f"{names} are now one client, {code}" for code, names in merged)
    return (
        f"Client codes are now compared without regard to case, and stored in capitals: {told}. "
        "Their sessions were kept and put together."
    )


# v4: outcome measures. Questionnaire responses (a client's, linked to a session when filled for
# one), each with the items as shown and every answer at its own time; body marks of a session
# (where it hurts) and the marks taken back.
_V4_TABLES = (
    """CREATE TABLE responses (
        id TEXT PRIMARY KEY,
        questionnaire_id TEXT NOT NULL,
        questionnaire_version TEXT NOT NULL,
        title TEXT NOT NULL,
        short_title TEXT NOT NULL,
        client_code TEXT REFERENCES clients(code),
        occasion TEXT NOT NULL,
        started_at TEXT NOT NULL,
        wording TEXT NOT NULL,
        placeholder INTEGER NOT NULL,
        status TEXT NOT NULL,
        completed_at TEXT,
        session_id TEXT,
        total REAL,
        percent REAL,
        band TEXT NOT NULL DEFAULT '',
        answered INTEGER NOT NULL DEFAULT 0,
        score_note TEXT NOT NULL DEFAULT '',
        total_title TEXT NOT NULL DEFAULT '',
        total_loinc TEXT,
        loinc TEXT
    ) WITHOUT ROWID""",
    "CREATE INDEX responses_by_client ON responses (client_code, started_at)",
    "CREATE INDEX responses_by_session ON responses (session_id)",
    """CREATE TABLE response_items (
        response_id TEXT NOT NULL REFERENCES responses(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        item_id TEXT NOT NULL,
        title TEXT NOT NULL,
        loinc TEXT,
        lowest INTEGER NOT NULL,
        highest INTEGER NOT NULL,
        PRIMARY KEY (response_id, position)
    ) WITHOUT ROWID""",
    """CREATE TABLE response_answers (
        response_id TEXT NOT NULL REFERENCES responses(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        item_id TEXT NOT NULL,
        value INTEGER,
        name TEXT NOT NULL DEFAULT '',
        at TEXT NOT NULL,
        PRIMARY KEY (response_id, position)
    ) WITHOUT ROWID""",
    """CREATE TABLE body_marks (
        session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        number INTEGER NOT NULL,
        at TEXT NOT NULL,
        view TEXT NOT NULL,
        x REAL NOT NULL,
        y REAL NOT NULL,
        region TEXT NOT NULL,
        side TEXT,
        muscle TEXT,
        intensity INTEGER NOT NULL,
        pattern TEXT NOT NULL,
        PRIMARY KEY (session_id, number)
    ) WITHOUT ROWID""",
    """CREATE TABLE body_marks_removed (
        session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        at TEXT NOT NULL,
        number INTEGER NOT NULL,
        PRIMARY KEY (session_id, position)
    ) WITHOUT ROWID""",
)


def _v4(conn: sqlite3.Connection) -> None:
    """Questionnaire responses and body marks (see above)."""
    for statement in _V4_TABLES:
        conn.execute(statement)


MIGRATIONS: tuple[Migration, ...] = (_v1, _v2, _v3, _v4)
SCHEMA_VERSION = len(MIGRATIONS)


def version_of(conn: sqlite3.Connection) -> int:
    row = conn.execute("PRAGMA user_version").fetchone()
    return int(row[0])


def check_version(conn: sqlite3.Connection, path: Path, *, reading: bool = False) -> int:
    """The file's schema version; StoreUnavailable if a newer app wrote it, unless only ``reading``
    (a newer format adds to what this version reads: it is read as far as it is known)."""
    version = version_of(conn)
    if version > SCHEMA_VERSION and not reading:
        raise StoreUnavailable(newer_message(path, version), reason="newer")
    return version


def newer_message(path: Path, version: int) -> str:
    return (
        f"{path} was written by a newer version of Neck Guide (records format {version}; this version "
        f"writes format {SCHEMA_VERSION}). The file was not changed: its sessions can be listed and "
        "exported, but new ones cannot be recorded in it. Update Neck Guide to record sessions again."
    )


def migrate(conn: sqlite3.Connection, path: Path) -> tuple[int, list[str]]:
    """Bring the file at ``path`` (open as ``conn``) to SCHEMA_VERSION; returns the version it had
    and what the user should be told of the steps (merged client codes…).

    Foreign keys are off while migrating (SQLite's way to rebuild a table: with them on, dropping
    the old table would delete every row that refers to it) and checked before each commit."""
    old = check_version(conn, path)
    if old == SCHEMA_VERSION:
        return old, []
    if old > 0:
        backup(conn, backup_path(path, old))
    notes: list[str] = []
    conn.execute("PRAGMA foreign_keys = OFF")
    try:
        for version in range(old, SCHEMA_VERSION):
            conn.execute("BEGIN IMMEDIATE")
            try:
                note = MIGRATIONS[version](conn)
                _check_references(conn, path, version + 1)
                conn.execute(f"PRAGMA user_version = {version + 1}")
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            notes += [note] if note else []
    finally:
        conn.execute("PRAGMA foreign_keys = ON")
    return old, notes


def _check_references(conn: sqlite3.Connection, path: Path, version: int) -> None:
    broken = conn.execute("PRAGMA foreign_key_check").fetchall()
    if broken:
        raise StoreUnavailable(
            f"{path}: bringing the records to format {version} left {len(broken)} row(s) pointing at "
            f"nothing (first: {broken[0]!r}); nothing was changed. Please report this."
        )


def backup_path(path: Path, version: int) -> Path:
    """``sessions.sqlite3.v1.bak``; an older copy of the same name is kept (a number is added)."""
    candidate = path.with_name(f"{path.name}.v{version}.bak")
    n = 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.name}.v{version}.{n}.bak")
    return candidate


def backup(conn: sqlite3.Connection, target: Path) -> None:
    """A consistent copy of the open database (the write-ahead log included), owner-only."""
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE)
    os.close(fd)
    copy = sqlite3.connect(target)
    try:
        conn.backup(copy)
    finally:
        copy.close()
    os.chmod(target, PRIVATE_FILE_MODE)
