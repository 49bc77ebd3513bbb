"""Opening the records file: owner-only, WAL with full sync, checked, migrated; or, for commands that
only read, read-only with no file changed.

The log (``-wal``) is checked before SQLite sees it (neck_guide.store.wal): a damaged one is copied
aside with the file and mended where it can be, and the user is told where the copy is. A damaged
file never stops the app: it is moved aside (``sessions.sqlite3.corrupt-<time>``, its
``-wal``/``-shm`` with it) and a fresh file is started, with a notice saying so. Everything else
that goes wrong (a folder where the file should be, no permission, a newer format) is raised:
nothing is moved or deleted for those.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from neck_guide.paths import PRIVATE_DIR_MODE, PRIVATE_FILE_MODE
from neck_guide.store import wal
from neck_guide.store.errors import StoreCorrupt, StoreUnavailable
from neck_guide.store.schema import SCHEMA_VERSION, check_version, migrate
from neck_guide.store.wal import SIDE_FILES, wal_path

_SQLITE_CORRUPT = 11
_SQLITE_NOTADB = 26


@dataclass(frozen=True, slots=True)
class Opened:
    conn: sqlite3.Connection
    notice: str | None
    migrated_from: int
    in_memory: bool = False  # a copy in memory (read-only: an older file, or a mended log)


def open_database(path: Path, *, busy_timeout_ms: int = 5000) -> Opened:
    """Open (creating if needed) the records file at ``path``."""
    _private_folder(path.parent)
    if path.is_dir():
        raise StoreUnavailable(
            f"{path} is a folder, not a records file. Move that folder away so the records file can be made.",
            reason="folder",
        )
    notice = mend_log(path)
    try:
        conn = _open_checked(path, busy_timeout_ms)
    except (sqlite3.DatabaseError, StoreCorrupt) as e:
        if not is_corruption(e):
            raise
        notice = " ".join(n for n in (notice, _set_aside(path, str(e))) if n)
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


def mend_log(path: Path) -> str | None:
    """Before a writing connection: a damaged log is copied aside with the file, then mended in
    place when one changed byte explains it (else SQLite would drop it, and every session in it);
    what happened, in words for the user, or None when the log is sound."""
    if wal.state(path) != "damaged":
        return None
    aside = wal.copy_aside(path, "wal-damaged")
    log = wal_path(path)
    fixed = wal.repaired(log.read_bytes())
    if fixed is None:
        return _unmendable(log, aside)
    tmp = log.with_name(f".{log.name}.mended")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, PRIVATE_FILE_MODE)
    with os.fdopen(fd, "wb") as f:
        f.write(fixed)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, log)
    with contextlib.suppress(FileNotFoundError):
        os.unlink(f"{path}-shm")  # SQLite's index of the log, made again from the mended log
    return (
        f"The log of the session records ({log}) was damaged in its header and was mended: no session "
        f"was lost. The records file and its log as they were are kept as {aside} (with -wal and -shm)."
    )


def _unmendable(log: Path, aside: Path) -> str:
    return (
        f"The log of the session records ({log}) is damaged and could not be mended: the sessions saved "
        f"since it was last folded into the records file may be missing from the list. The records file "
        f"and its log as they were are kept as {aside} (with -wal and -shm): keep them, and ask your IT "
        "support to recover them."
    )


def open_read_only(path: Path, *, busy_timeout_ms: int = 5000) -> Opened:
    """For commands that only read: the file, its log and its folder are left as they are (SQLite
    may refresh the ``-shm`` index it keeps beside the log). A damaged log is copied aside and, when
    it can be mended, read mended from a copy in memory; an older file is read brought up to date
    in memory (the file keeps its format until the app opens it)."""
    notice: str | None = None
    source = path
    with contextlib.ExitStack() as stack:
        if wal.state(path) == "damaged":
            aside = wal.copy_aside(path, "wal-damaged")
            fixed = wal.repaired(wal_path(path).read_bytes())
            if fixed is None:
                notice = _unmendable(wal_path(path), aside)
            else:
                source = stack.enter_context(_mended_copy(path, fixed))
                notice = (
                    f"The log of the session records ({wal_path(path)}) is damaged in its header; it was "
                    f"read mended (a copy is kept as {aside}). Start Neck Guide to mend the file itself."
                )
        conn = _connect(source, busy_timeout_ms, read_only=True)
        version = check_version(conn, path, reading=True)
        copied = source != path or version < SCHEMA_VERSION
        if copied:
            conn = _in_memory(conn)
    return Opened(conn, notice, version, copied)


@contextlib.contextmanager
def _mended_copy(path: Path, log: bytes) -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="neck-guide-") as folder:
        copy = Path(folder) / path.name
        shutil.copyfile(path, copy)
        Path(f"{copy}-wal").write_bytes(log)
        yield copy


def _in_memory(conn: sqlite3.Connection) -> sqlite3.Connection:
    """A copy of ``conn``'s database in memory, brought up to date (read-only commands on an older
    file, or on a mended log)."""
    memory = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    try:
        conn.backup(memory)
        migrate(memory, Path(":memory:"))
    except BaseException:
        memory.close()
        raise
    finally:
        conn.close()
    return memory
