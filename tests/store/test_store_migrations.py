"""Files written by every earlier records format open, are migrated step by step, and keep a copy."""

from __future__ import annotations

import sqlite3
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from neck_guide.store import SessionStore, StoreUnavailable
from neck_guide.store.schema import SCHEMA_VERSION

# The records format as the first release wrote it (copied here on purpose: the test must not
# build old files with the code under test).
V1_SQL = """
CREATE TABLE clients (code TEXT PRIMARY KEY, first_seen TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE sessions (
    id TEXT PRIMARY KEY, protocol_id TEXT NOT NULL, protocol_version TEXT NOT NULL,
    protocol_title TEXT NOT NULL, client_code TEXT REFERENCES clients(code), practice INTEGER NOT NULL,
    time_scale REAL NOT NULL, voice INTEGER NOT NULL, started_at TEXT NOT NULL, ended_at TEXT,
    status TEXT NOT NULL CHECK (status IN ('running', 'finished', 'abandoned')), pre_pain INTEGER,
    post_pain INTEGER, rotation_left_deg INTEGER, rotation_right_deg INTEGER, notes TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;
CREATE TABLE screening_answers (
    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE, position INTEGER NOT NULL,
    item_id TEXT NOT NULL, kind TEXT NOT NULL, question TEXT NOT NULL, answer INTEGER NOT NULL,
    acknowledged INTEGER NOT NULL, reason TEXT NOT NULL, PRIMARY KEY (session_id, position)
) WITHOUT ROWID;
CREATE TABLE step_visits (
    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE, visit INTEGER NOT NULL,
    step_index INTEGER NOT NULL, key TEXT NOT NULL, phase_id TEXT NOT NULL, phase_title TEXT NOT NULL,
    step_id TEXT NOT NULL, title TEXT NOT NULL, technique TEXT NOT NULL, muscle TEXT, side TEXT,
    kind TEXT NOT NULL, repetition INTEGER NOT NULL, repetitions INTEGER NOT NULL, planned_min_s REAL,
    planned_max_s REAL, started_at TEXT NOT NULL, ended_at TEXT, actual_s REAL, end_reason TEXT,
    extended_s REAL NOT NULL DEFAULT 0, min_reached INTEGER NOT NULL DEFAULT 0,
    max_reached INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (session_id, visit)
) WITHOUT ROWID;
CREATE TABLE ratings (
    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE, visit INTEGER NOT NULL,
    position INTEGER NOT NULL, kind TEXT NOT NULL, value INTEGER NOT NULL, at TEXT NOT NULL,
    ease_off INTEGER NOT NULL, in_target INTEGER, PRIMARY KEY (session_id, visit, position)
) WITHOUT ROWID;
CREATE TABLE pauses (
    id INTEGER PRIMARY KEY, session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    visit INTEGER NOT NULL, started_at TEXT NOT NULL, ended_at TEXT, duration_s REAL
);
CREATE INDEX pauses_by_visit ON pauses (session_id, visit, id);
INSERT INTO clients VALUES ('C-7', '2025-03-01T10:00:00.000+01:00');
INSERT INTO sessions VALUES ('s-done', 'trigger-point', '1.0', 'Trigger points', 'C-7', 0, 1.0, 1,
    '2025-03-01T10:00:00.000+01:00', '2025-03-01T10:40:00.000+01:00', 'finished', 6, 2, 60, 55, 'fine');
INSERT INTO sessions VALUES ('s-crashed', 'trigger-point', '1.0', 'Trigger points', 'C-7', 0, 1.0, 1,
    '2025-03-08T10:00:00.000+01:00', NULL, 'running', 5, NULL, NULL, NULL, '');
INSERT INTO screening_answers VALUES ('s-done', 0, 'dizzy', 'red_flag', 'Dizzy?', 0, 0, '');
INSERT INTO step_visits VALUES ('s-crashed', 0, 0, 'intro', 'p1', 'Start', 'intro', 'Intro', 'Talk',
    NULL, NULL, 'untimed', 1, 1, NULL, NULL, '2025-03-08T10:01:00.000+01:00',
    '2025-03-08T10:02:00.000+01:00', 60.0, 'next', 0, 0, 0);
INSERT INTO step_visits VALUES ('s-crashed', 1, 1, 'ut-left', 'p1', 'Start', 'ut', 'Upper trapezius',
    'Compression', 'upper_trapezius', 'left', 'range', 1, 1, 30.0, 90.0, '2025-03-08T10:02:00.000+01:00',
    NULL, NULL, NULL, 0, 1, 0);
INSERT INTO ratings VALUES ('s-crashed', 1, 0, 'pressure', 7, '2025-03-08T10:02:40.000+01:00', 0, 1);
INSERT INTO pauses VALUES (1, 's-crashed', 1, '2025-03-08T10:02:45.000+01:00',
    '2025-03-08T10:02:51.500+01:00', 6.5);
PRAGMA user_version = 1;
"""


# The second format: v1 with the time of each session's last event and two indexes, holding what the
# app before the outcomes wrote (an early end said "finished", a close-out "abandoned", Next before a
# step's end "next") and a client code typed in two cases.
V2_SQL = (
    V1_SQL.replace("PRAGMA user_version = 1;", "")
    + """
ALTER TABLE sessions ADD COLUMN last_event_at TEXT;
CREATE INDEX sessions_by_client ON sessions (client_code, started_at);
CREATE INDEX sessions_by_start ON sessions (started_at);
UPDATE sessions SET last_event_at = started_at;
INSERT INTO clients VALUES ('C-0099', '2025-04-02T09:00:00.000+01:00');
INSERT INTO clients VALUES ('c-0099', '2025-04-01T09:00:00.000+01:00');
INSERT INTO sessions VALUES ('s-upper', 'self-care', '1.0', 'Self-care', 'C-0099', 0, 1.0, 1,
    '2025-04-02T09:00:00.000+01:00', '2025-04-02T09:01:00.000+01:00', 'finished', NULL, NULL, NULL, NULL,
    '', '2025-04-02T09:01:00.000+01:00');
INSERT INTO sessions VALUES ('s-lower', 'self-care', '1.0', 'Self-care', 'c-0099', 0, 1.0, 1,
    '2025-04-01T09:00:00.000+01:00', '2025-04-01T09:09:00.000+01:00', 'abandoned', NULL, NULL, NULL, NULL,
    '', '2025-04-01T09:09:00.000+01:00');
INSERT INTO step_visits VALUES ('s-upper', 0, 0, 'tuck', 'p1', 'Home', 'tuck', 'Chin tucks', 'Tuck',
    NULL, NULL, 'fixed', 1, 1, 30.0, 30.0, '2025-04-02T09:00:10.000+01:00',
    '2025-04-02T09:00:20.000+01:00', 10.0, 'next', 0, 0, 0);
INSERT INTO step_visits VALUES ('s-upper', 1, 1, 'stretch', 'p1', 'Home', 'stretch', 'Stretch', 'Hold',
    NULL, NULL, 'fixed', 1, 1, 30.0, 30.0, '2025-04-02T09:00:20.000+01:00',
    '2025-04-02T09:01:00.000+01:00', 40.0, 'session_ended', 0, 0, 0);
INSERT INTO ratings VALUES ('s-upper', 0, 0, 'pain', 3, '2025-04-02T09:00:12.000+01:00', 0, NULL);
INSERT INTO ratings VALUES ('s-upper', 0, 1, 'pain', 4, '2025-04-02T09:00:15.000+01:00', 0, NULL);
INSERT INTO ratings VALUES ('s-upper', 1, 0, 'pain', 5, '2025-04-02T09:00:30.000+01:00', 0, NULL);
PRAGMA user_version = 2;
"""
)


# The third format (records format v3, as the app wrote it before outcome measures): sessions
# rebuilt with their outcomes, the growing record's tables; one finished session with a measure.
V3_SQL = """
CREATE TABLE clients (code TEXT PRIMARY KEY, first_seen TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE screening_answers (
    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE, position INTEGER NOT NULL,
    item_id TEXT NOT NULL, kind TEXT NOT NULL, question TEXT NOT NULL, answer INTEGER NOT NULL,
    acknowledged INTEGER NOT NULL, reason TEXT NOT NULL, at TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (session_id, position)
) WITHOUT ROWID;
CREATE TABLE step_visits (
    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE, visit INTEGER NOT NULL,
    step_index INTEGER NOT NULL, key TEXT NOT NULL, phase_id TEXT NOT NULL, phase_title TEXT NOT NULL,
    step_id TEXT NOT NULL, title TEXT NOT NULL, technique TEXT NOT NULL, muscle TEXT, side TEXT,
    kind TEXT NOT NULL, repetition INTEGER NOT NULL, repetitions INTEGER NOT NULL, planned_min_s REAL,
    planned_max_s REAL, started_at TEXT NOT NULL, ended_at TEXT, actual_s REAL, end_reason TEXT,
    extended_s REAL NOT NULL DEFAULT 0, min_reached INTEGER NOT NULL DEFAULT 0,
    max_reached INTEGER NOT NULL DEFAULT 0, carried_s REAL NOT NULL DEFAULT 0, continues INTEGER,
    PRIMARY KEY (session_id, visit)
) WITHOUT ROWID;
CREATE TABLE ratings (
    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE, visit INTEGER NOT NULL,
    position INTEGER NOT NULL, kind TEXT NOT NULL, value INTEGER NOT NULL, at TEXT NOT NULL,
    ease_off INTEGER NOT NULL, in_target INTEGER, number INTEGER NOT NULL DEFAULT 0, corrects INTEGER,
    PRIMARY KEY (session_id, visit, position)
) WITHOUT ROWID;
CREATE TABLE pauses (
    id INTEGER PRIMARY KEY, session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    visit INTEGER NOT NULL, started_at TEXT NOT NULL, ended_at TEXT, duration_s REAL
);
CREATE INDEX pauses_by_visit ON pauses (session_id, visit, id);
CREATE TABLE sessions (
    id TEXT PRIMARY KEY, protocol_id TEXT NOT NULL, protocol_version TEXT NOT NULL,
    protocol_title TEXT NOT NULL, client_code TEXT REFERENCES clients(code), practice INTEGER NOT NULL,
    time_scale REAL NOT NULL, voice INTEGER NOT NULL, started_at TEXT NOT NULL, ended_at TEXT,
    status TEXT NOT NULL, pre_pain INTEGER, post_pain INTEGER, rotation_left_deg INTEGER,
    rotation_right_deg INTEGER, notes TEXT NOT NULL DEFAULT '', last_event_at TEXT, protocol_steps INTEGER,
    end_note TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;
CREATE INDEX sessions_by_client ON sessions (client_code, started_at);
CREATE INDEX sessions_by_start ON sessions (started_at);
CREATE TABLE measures (
    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE, position INTEGER NOT NULL,
    kind TEXT NOT NULL, value INTEGER, at TEXT NOT NULL, PRIMARY KEY (session_id, position)
) WITHOUT ROWID;
CREATE TABLE undos (
    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE, position INTEGER NOT NULL,
    at TEXT NOT NULL, action TEXT NOT NULL, visit INTEGER NOT NULL, rating INTEGER, seconds REAL,
    PRIMARY KEY (session_id, position)
) WITHOUT ROWID;
CREATE TABLE ignored_taps (
    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE, position INTEGER NOT NULL,
    at TEXT NOT NULL, action TEXT NOT NULL, visit INTEGER, after_s REAL NOT NULL,
    PRIMARY KEY (session_id, position)
) WITHOUT ROWID;
CREATE TABLE interruptions (
    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE, position INTEGER NOT NULL,
    at TEXT NOT NULL, visit INTEGER, found_at TEXT NOT NULL, handled TEXT NOT NULL,
    PRIMARY KEY (session_id, position)
) WITHOUT ROWID;
CREATE TABLE checklist_ticks (
    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE, visit INTEGER NOT NULL,
    position INTEGER NOT NULL, at TEXT NOT NULL, item INTEGER NOT NULL, text TEXT NOT NULL,
    done INTEGER NOT NULL, PRIMARY KEY (session_id, visit, position)
) WITHOUT ROWID;
INSERT INTO clients VALUES ('C-0300', '2025-06-02T09:00:00.000+02:00');
INSERT INTO sessions VALUES ('s-v3', 'self-care', '1.0', 'Self-care', 'C-0300', 0, 1.0, 1,
    '2025-06-02T09:00:00.000+02:00', '2025-06-02T09:20:00.000+02:00', 'finished', 5, 3, NULL, NULL,
    'v3 notes', '2025-06-02T09:20:00.000+02:00', 12, '');
INSERT INTO measures VALUES ('s-v3', 0, 'pre_pain', 5, '2025-06-02T09:00:30.000+02:00');
PRAGMA user_version = 3;
"""


def build_v0(path: Path) -> None:
    path.touch()  # an empty file: what a first start finds


def build_v1(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.executescript(V1_SQL)
    conn.close()


def build_v2(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.executescript(V2_SQL)
    conn.close()


def build_v3(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.executescript(V3_SQL)
    conn.close()


BUILDERS: dict[int, Callable[[Path], None]] = {0: build_v0, 1: build_v1, 2: build_v2, 3: build_v3}


def test_every_earlier_version_has_a_test_file() -> None:
    assert set(BUILDERS) == set(range(SCHEMA_VERSION)), "add a builder for the previous format"


@pytest.mark.parametrize("version", sorted(BUILDERS))
def test_an_old_file_is_brought_up_to_date(tmp_path: Path, version: int) -> None:
    path = tmp_path / "sessions.sqlite3"
    BUILDERS[version](path)
    with SessionStore.open(path) as store:
        assert store.migrated_from == version
        assert store.connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert store.connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    with SessionStore.open(path) as again:  # nothing left to do the second time
        assert again.migrated_from == SCHEMA_VERSION


def test_migrating_v1_keeps_every_record_and_a_copy(tmp_path: Path) -> None:
    path = tmp_path / "sessions.sqlite3"
    build_v1(path)
    original = path.read_bytes()
    with SessionStore.open(path) as store:
        done = store.load("s-done")
        assert (done.pre_pain, done.post_pain, done.notes, done.screening[0].question) == (
            6,
            2,
            "fine",
            "Dizzy?",
        )
        crashed = store.load("s-crashed")
        assert crashed.steps[1].ratings[0].value == 7 and crashed.steps[1].ratings[0].in_target is True
        assert crashed.steps[1].pauses[0].duration_s == 6.5
        history = store.history("C-7")
        assert [s.session_id for s in history.treatments] == ["s-done", "s-crashed"]
        # v2's last_event_at was filled in from the old rows: closing out uses it
        closed = store.close_out("s-crashed")
        assert closed.ended_at == "2025-03-08T10:02:51.500+01:00"
        indexes = {
            r[0] for r in store.connection.execute("SELECT name FROM sqlite_master WHERE type='index'")
        }
        assert "sessions_by_client" in indexes
    backup = tmp_path / "sessions.sqlite3.v1.bak"
    assert backup.exists() and stat.S_IMODE(backup.stat().st_mode) == 0o600
    copy = sqlite3.connect(backup)
    assert copy.execute("PRAGMA user_version").fetchone()[0] == 1
    assert copy.execute("SELECT count(*) FROM sessions").fetchone()[0] == 2
    assert "last_event_at" not in {r[1] for r in copy.execute("PRAGMA table_info(sessions)")}
    copy.close()
    assert original[:16] == b"SQLite format 3\x00"


def test_a_second_migration_keeps_the_first_copy(tmp_path: Path) -> None:
    path = tmp_path / "sessions.sqlite3"
    (tmp_path / "sessions.sqlite3.v1.bak").write_bytes(b"an older copy")
    build_v1(path)
    SessionStore.open(path).close()
    assert (tmp_path / "sessions.sqlite3.v1.bak").read_bytes() == b"an older copy"
    assert (tmp_path / "sessions.sqlite3.v1.2.bak").exists()


def test_a_file_from_a_newer_app_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "sessions.sqlite3"
    build_v1(path)
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StoreUnavailable, match="newer version of Neck Guide"):
        SessionStore.open(path)
    assert path.read_bytes() == before
    assert not list(tmp_path.glob("*.corrupt-*")) and not list(tmp_path.glob("*.bak"))


def test_migrating_v2_folds_client_codes_and_says_so(tmp_path: Path) -> None:
    """Item 7: c-0099 and C-0099 were two clients; they become one, and the user is told."""
    path = tmp_path / "sessions.sqlite3"
    build_v2(path)
    with SessionStore.open(path) as store:
        assert store.notice is not None and "c-0099 and C-0099" in store.notice and "C-0099" in store.notice
        assert [(c.code, c.sessions, c.first_seen) for c in store.clients() if "99" in c.code] == [
            ("C-0099", 2, "2025-04-01T09:00:00.000+01:00")
        ]
        history = store.history("c-0099")  # asked for in any case
        assert [s.session_id for s in history.treatments] == ["s-lower", "s-upper"]
        assert store.connection.execute("PRAGMA foreign_key_check").fetchall() == []
    with SessionStore.open(path) as again:
        assert again.notice is None  # said once


def test_migrating_v2_names_old_outcomes_and_numbers_the_ratings(tmp_path: Path) -> None:
    """Item 4: an early end recorded as "finished" is "ended_early"; a close-out is "interrupted"."""
    path = tmp_path / "sessions.sqlite3"
    build_v2(path)
    with SessionStore.open(path) as store:
        upper, lower = store.load("s-upper"), store.load("s-lower")
        assert (upper.status, lower.status, store.load("s-done").status) == (
            "ended_early",
            "interrupted",
            "finished",
        )
        assert [v.end_reason for v in upper.steps] == ["ended_early", "session_ended"]
        assert [(r.number, r.value) for r in upper.ratings()] == [(1, 3), (2, 4), (3, 5)]
        assert upper.protocol_steps is None and upper.end_note == ""
        assert store.load("s-crashed").screening == [] and store.load("s-done").screening[0].at == ""


def test_migrating_v3_keeps_the_sessions_and_adds_outcome_measures(tmp_path: Path) -> None:
    """v4: questionnaire responses and body marks, in tables of their own; nothing else changes."""
    path = tmp_path / "sessions.sqlite3"
    build_v3(path)
    with SessionStore.open(path) as store:
        record = store.load("s-v3")
        assert (record.pre_pain, record.notes, record.measures[0].at) == (
            5,
            "v3 notes",
            "2025-06-02T09:00:30.000+02:00",
        )
        assert (record.body_marks, record.marks_removed) == ([], [])
        assert store.responses(client="C-0300") == []
        tables = {r[0] for r in store.connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert {
            "responses",
            "response_items",
            "response_answers",
            "body_marks",
            "body_marks_removed",
        } <= tables
        assert store.connection.execute("PRAGMA foreign_key_check").fetchall() == []
    copy = sqlite3.connect(tmp_path / "sessions.sqlite3.v3.bak")
    assert copy.execute("PRAGMA user_version").fetchone()[0] == 3
    copy.close()
