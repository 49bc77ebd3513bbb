"""What can go wrong with the session records, and the only errors that leave the store.

    StoreError                 anything the records file could not do; a bare StoreError is a
    │                          fault in Neck Guide (reason "bug"), never the disk's
    ├── StoreCorrupt           the file is damaged (not a database, malformed, failed its check)
    ├── StoreUnavailable       the file cannot be used now: a folder in its place, removed underneath,
    │                          made by a newer version of the app, disk full, read-only, locked
    └── SessionNotFound        no session with that id (or an id prefix that fits none or several)

SQLite's errors and the disk's (``sqlite3.Error``, ``OSError``) are translated where they happen
(:func:`translated`), the original kept as ``__cause__``, so no caller imports sqlite3. Each error
says what happened, to which file, and what to do; ``reason`` says it for code: the journal keeps
records in memory and tries again for every reason but "bug" and "not-found".
"""

from __future__ import annotations

import errno
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Final, Literal

from neck_guide.logfile import log_location

Reason = Literal[
    "full",
    "locked",
    "read-only",
    "missing",
    "io",
    "damaged",
    "newer",
    "folder",
    "replaced",
    "not-found",
    "bug",
]

# what each reason means for the user, and what they can do about it
ADVICE: Final[dict[Reason, tuple[str, str]]] = {
    "full": ("the disk is full", "Free some disk space."),
    "locked": ("another program is holding the records file", "Close other programs that use it."),
    "read-only": (
        "the records file cannot be written (read-only)",
        "Check that the disk and folder are writable.",
    ),
    "missing": (
        "the records file or its folder cannot be opened",
        "Check that the folder exists and that this user may open it.",
    ),
    "io": ("the disk reported an error", "Check the disk and the folder of the records file."),
    "damaged": ("the records file is damaged", "Keep the file and ask your IT support to recover it."),
    "newer": ("a newer version of Neck Guide made the records file", "Update Neck Guide to open it."),
    "folder": ("a folder is where the records file should be", "Move that folder away."),
    "replaced": (
        "the records file was removed or replaced while Neck Guide was running",
        "It is made again at the same place when possible.",
    ),
    "not-found": ("no such session", "`neck-guide sessions` lists them."),
    "bug": ("an error in Neck Guide", "Please report it with the log."),
}

# SQLite's primary result codes (https://sqlite.org/rescode.html)
_SQLITE_PERM, _SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_READONLY = 3, 5, 6, 8
_SQLITE_IOERR, _SQLITE_CORRUPT, _SQLITE_FULL, _SQLITE_CANTOPEN, _SQLITE_NOTADB = 10, 11, 13, 14, 26
_SQLITE_REASONS: Final[dict[int, Reason]] = {
    _SQLITE_PERM: "read-only",
    _SQLITE_BUSY: "locked",
    _SQLITE_LOCKED: "locked",
    _SQLITE_READONLY: "read-only",
    _SQLITE_IOERR: "io",
    _SQLITE_CORRUPT: "damaged",
    _SQLITE_FULL: "full",
    _SQLITE_CANTOPEN: "missing",
    _SQLITE_NOTADB: "damaged",
}
_OS_REASONS: Final[dict[int, Reason]] = {
    errno.ENOSPC: "full",
    errno.EDQUOT: "full",
    errno.EROFS: "read-only",
    errno.EACCES: "read-only",
    errno.EPERM: "read-only",
    errno.ENOENT: "missing",
    errno.ENOTDIR: "missing",
    errno.EISDIR: "folder",
}


class StoreError(Exception):
    """Base of the records errors; ``reason`` says what kind (see ADVICE)."""

    reason: Reason = "bug"

    def __init__(self, message: str, *, reason: Reason | None = None) -> None:
        super().__init__(message)
        if reason is not None:
            self.reason = reason


class StoreCorrupt(StoreError):  # noqa: N818 - names fixed by the records spec
    """The records file is damaged."""

    reason: Reason = "damaged"


class StoreUnavailable(StoreError):  # noqa: N818
    """The records file cannot be used at the moment (or by this version of the app)."""

    reason: Reason = "io"


class SessionNotFound(StoreError, LookupError):  # noqa: N818
    """No session fits the id asked for."""

    reason: Reason = "not-found"


def reason_of(error: sqlite3.Error | OSError) -> Reason:
    """What kind of trouble SQLite or the disk reported."""
    if isinstance(error, OSError):
        return _OS_REASONS.get(error.errno or 0, "io")
    code = getattr(error, "sqlite_errorcode", None)
    operational = isinstance(error, sqlite3.OperationalError)
    if code is not None:
        return _SQLITE_REASONS.get(code & 0xFF, "io" if operational else "bug")
    text = str(error).lower()  # errors raised without a code (e.g. by the sqlite3 module itself)
    if operational:
        for words, reason in (("full", "full"), ("locked", "locked"), ("readonly", "read-only")):
            if words in text:
                return reason  # type: ignore[return-value]  # each is a Reason
        return "io"
    return "damaged" if isinstance(error, sqlite3.DatabaseError) and "malformed" in text else "bug"


def translate(error: sqlite3.Error | OSError, path: Path, doing: str) -> StoreError:
    """The store's own error for ``error``, met while ``doing`` something with the file at ``path``:
    what happened, where, what to do (SQLite's or the system's words in brackets)."""
    reason = reason_of(error)
    what, todo = ADVICE[reason]
    if reason == "bug":
        todo = f"Please report it; the details are in {log_location()}."
    detail = (error.strerror or str(error)) if isinstance(error, OSError) else str(error)
    message = f"Could not {doing} {path}: {what} ({detail}). {todo}"
    kind = StoreCorrupt if reason == "damaged" else StoreError if reason == "bug" else StoreUnavailable
    return kind(message, reason=reason)


@contextmanager
def translated(path: Path, doing: str) -> Iterator[None]:
    """Raise the store's own errors for SQLite's and the disk's, e.g. ``with translated(path,
    "read the sessions in"):``."""
    try:
        yield
    except (sqlite3.Error, OSError) as e:
        raise translate(e, path, doing) from e
