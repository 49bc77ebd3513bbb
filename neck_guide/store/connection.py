"""Opening the records file: owner-only, WAL with full sync, checked, migrated.

A damaged file never stops the app: it is moved aside (``sessions.sqlite3.corrupt-<time>``,
its ``-wal``/``-shm`` with it) and a fresh file is started, with a notice saying so. Everything
else that goes wrong (a folder where the file should be, no permission, a newer format) is
raised: nothing is moved or deleted for those.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from neck_guide.paths import PRIVATE_DIR_MODE, PRIVATE_FILE_MODE
from neck_guide.store.errors import StoreCorrupt, StoreUnavailable
from neck_guide.store.schema import check_version, migrate

SIDE_FILES = ("-wal", "-shm")
_SQLITE_CORRUPT = 11
_SQLITE_NOTADB = 26


@dataclass(frozen=True, slots=True)
class Opened:
    conn: sqlite3.Connection
    notice: str | None
    migrated_from: int


def open_database(path: Path, *, busy_timeout_ms: int = 5000) -> Opened:
    """Open (creating if needed) the records file at ``path``."""
    _private_folder(path.parent)
    if path.is_dir():
        raise StoreUnavailable(
            f"{path} is a folder, not a records file. Move that folder away so the records file can be made.",
            reason="folder",
        )
    notice = None
    try:
        conn = _open_checked(path, busy_timeout_ms)
    except (sqlite3.DatabaseError, StoreCorrupt) as e:
        if not is_corruption(e):
            raise
        notice = _set_aside(path, str(e))
        conn = _open_checked(path, busy_timeout_ms)
    try:
        old, notes = migrate(conn, path)
    except BaseException:
        conn.close()
        raise
    private_files(path)
    told = " ".join(n for n in (notice, *notes) if n)
    return Opened(conn, told or None, old)


def is_corruption(error: Exception) -> bool:
    """A damaged file (not a database, malformed, failed its check), as opposed to one out of reach."""
    if isinstance(error, StoreCorrupt):
        return True
    code = getattr(error, "sqlite_errorcode", None)
    return code is not None and code & 0xFF in (_SQLITE_CORRUPT, _SQLITE_NOTADB)


def private_files(path: Path) -> None:
    """The file and its write-ahead log and shared-memory files: owner read/write only."""
    for suffix in ("", *SIDE_FILES):
        with contextlib.suppress(FileNotFoundError):
            os.chmod(f"{path}{suffix}", PRIVATE_FILE_MODE)


def _private_folder(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR_MODE)
    os.chmod(folder, PRIVATE_DIR_MODE)


def _open_checked(path: Path, busy_timeout_ms: int) -> sqlite3.Connection:
    if not path.exists():
        # Made here, owner-only, so SQLite gives its -wal and -shm files the same mode.
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE))
    _check(path, busy_timeout_ms)
    conn = _connect(path, busy_timeout_ms)
    try:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
    except BaseException:
        conn.close()
        raise
    return conn


def _check(path: Path, busy_timeout_ms: int) -> None:
    """Version and page check through a read-only connection, which never changes the file or its
    -wal (a writing connection would fold a log into a damaged file, or delete it, on closing)."""
    conn = _connect(path, busy_timeout_ms, read_only=True)
    try:
        check_version(conn, path)  # a newer app's file stays untouched
        problems = [str(r[0]) for r in conn.execute("PRAGMA integrity_check(5)")]
        if problems != ["ok"]:
            raise StoreCorrupt("failed its check: " + "; ".join(problems))
    finally:
        conn.close()


def _connect(path: Path, busy_timeout_ms: int, *, read_only: bool = False) -> sqlite3.Connection:
    target = f"{path.resolve().as_uri()}?mode={'ro' if read_only else 'rw'}"
    conn = sqlite3.connect(
        target, uri=True, isolation_level=None, check_same_thread=False, timeout=busy_timeout_ms / 1000
    )
    conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
    return conn


def _set_aside(path: Path, reason: str) -> str:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    aside = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while aside.exists():
        n += 1
        aside = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
    os.replace(path, aside)
    for suffix in SIDE_FILES:
        with contextlib.suppress(FileNotFoundError):
            os.replace(f"{path}{suffix}", f"{aside}{suffix}")
    return (
        f"The session records file {path} is damaged and could not be read ({reason}). "
        f"It was moved to {aside} (nothing was deleted) and a new, empty records file was started. "
        "Sessions recorded before are not listed until that file is repaired: keep it, and ask your "
        f"IT support to recover it (for example: sqlite3 {aside.name} .recover)."
    )
