"""Nothing but the store's own errors leave the store: each says what happened, to which file, and
what to do, keeps SQLite's or the system's error as its cause, and says its kind in ``reason``.
(Before, SQLite's errors came out as they were, and every page caught ``sqlite3.Error`` itself.)"""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

import pytest
from store_driver import drive, new_runner

from neck_guide.store import SessionStore, StoreCorrupt, StoreError, StoreUnavailable
from neck_guide.store.errors import translate
from neck_guide.store.journal import failing_message


def _filled(path: Path) -> None:
    with SessionStore.open(path) as store:
        for n in range(3):
            runner, clock = new_runner(session_id=f"session-{n}")
            drive(runner, clock, seed=n)
            store.save(runner.record)
        store.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def test_a_file_locked_by_another_program_is_named_with_what_to_do(tmp_path: Path) -> None:
    path = tmp_path / "sessions.sqlite3"
    runner, clock = new_runner()
    with SessionStore.open(path, busy_timeout_ms=50) as store:
        other = sqlite3.connect(path, timeout=0)
        other.execute("BEGIN IMMEDIATE")  # another program in the middle of writing
        try:
            with pytest.raises(StoreUnavailable) as caught:
                for event in runner.begin(clock.monotonic()):
                    store.apply(event)
        finally:
            other.rollback()
            other.close()
    error = caught.value
    assert error.reason == "locked"
    assert str(path) in str(error) and "Close other programs that use it." in str(error)
    assert isinstance(error.__cause__, sqlite3.OperationalError)


def test_damage_found_while_reading_is_store_corrupt_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "sessions.sqlite3"
    _filled(path)
    with SessionStore.open(path) as store:  # opened whole: its check passed
        root = store.connection.execute("SELECT rootpage FROM sqlite_master WHERE name = 'sessions'")
        page = int(root.fetchone()[0])
        with open(path, "r+b") as f:  # then the sessions table is damaged on disk
            f.seek((page - 1) * 4096)
            f.write(b"\xff" * 64)
        with pytest.raises(StoreCorrupt) as caught:
            store.sessions()
    assert caught.value.reason == "damaged"
    assert f"Could not read the sessions in {path}: the records file is damaged" in str(caught.value)
    assert isinstance(caught.value.__cause__, sqlite3.DatabaseError)


@pytest.mark.parametrize(
    ("error", "reason", "kind", "words"),
    [
        (OSError(errno.ENOSPC, "No space left on device"), "full", StoreUnavailable, "Free some disk space"),
        (OSError(errno.EROFS, "Read-only file system"), "read-only", StoreUnavailable, "writable"),
        (OSError(errno.ENOENT, "No such file or directory"), "missing", StoreUnavailable, "folder exists"),
        (sqlite3.OperationalError("database or disk is full"), "full", StoreUnavailable, "disk is full"),
        (sqlite3.OperationalError("attempt to write a readonly database"), "read-only", StoreUnavailable, ""),
        (sqlite3.DatabaseError("database disk image is malformed"), "damaged", StoreCorrupt, "recover"),
        (sqlite3.ProgrammingError("Cannot operate on a closed database."), "bug", StoreError, "report"),
    ],
)
def test_each_kind_of_trouble_gets_its_reason_and_advice(
    tmp_path: Path, error: Exception, reason: str, kind: type[StoreError], words: str
) -> None:
    path = tmp_path / "sessions.sqlite3"
    assert isinstance(error, sqlite3.Error | OSError)
    ours = translate(error, path, "save an event to")
    assert type(ours) is kind and ours.reason == reason
    assert str(ours).startswith(f"Could not save an event to {path}: ") and words in str(ours)
    if reason != "bug":  # the journal's notice names the same cause
        assert words in failing_message(path, ours, 3, 1.0)
