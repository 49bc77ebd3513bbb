"""One writer per session: a live session is owned by the process running it.

Each running session has a lock file, ``locks/<session id>.lock`` beside the records, held with
``flock`` for as long as the session is this process's. Why a lock and not a lease row with a
heartbeat in the database: the kernel lets go of a lock the moment its process ends, however it
ends (a crash, ``kill -9``, a power cut), so there is no timeout to guess and no clock to trust,
and holding it writes nothing to the records (a heartbeat row would grow the log every few
seconds). ``flock`` locks belong to the open file, not the process, so this process never lets
go of one by looking at another. The file says who holds it, for the message the other window
shows. (SQLite's WAL needs a local disk anyway, where these locks hold.)
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import socket
from collections.abc import Iterable
from pathlib import Path

from neck_guide.paths import PRIVATE_DIR_MODE, PRIVATE_FILE_MODE

LOCKS_FOLDER = "locks"


class SessionLocks:
    """The locks of the records file at ``database``: the ones this process holds, and a look at
    who holds the others. Safe to use from one thread at a time."""

    def __init__(self, database: Path) -> None:
        self.folder = database.parent / LOCKS_FOLDER
        self._held: dict[str, int] = {}

    def _file(self, session_id: str) -> Path:
        safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in session_id)
        return self.folder / f"{safe}.lock"

    def take(self, session_id: str) -> str | None:
        """Own ``session_id``: None when taken (or already ours), else who holds it, in words."""
        if session_id in self._held:
            return None
        self.folder.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)
        fd = os.open(self._file(session_id), os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, PRIVATE_FILE_MODE)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            who = _holder(fd)
            os.close(fd)
            return who
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()} {socket.gethostname()}\n".encode())
        self._held[session_id] = fd
        return None

    def release(self, session_id: str) -> None:
        fd = self._held.pop(session_id, None)
        if fd is not None:
            with contextlib.suppress(OSError):
                os.unlink(self._file(session_id))
            os.close(fd)

    def release_all(self) -> None:
        for session_id in list(self._held):
            self.release(session_id)

    def holds(self, session_id: str) -> bool:
        return session_id in self._held

    def elsewhere(self, session_ids: Iterable[str]) -> dict[str, str]:
        """Of ``session_ids``, those another process runs now, with who that is."""
        found = {}
        for session_id in session_ids:
            if session_id in self._held:
                continue
            try:
                fd = os.open(self._file(session_id), os.O_RDONLY | os.O_CLOEXEC)
            except OSError:
                continue  # no lock file: nobody runs it
            try:
                fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
            except OSError:
                found[session_id] = _holder(fd)
            finally:
                os.close(fd)  # a shared lock taken here goes with it
        return found


def _holder(fd: int) -> str:
    try:
        words = os.pread(fd, 200, 0).decode("utf-8", "replace").split()
    except OSError:
        words = []
    if len(words) >= 2 and words[0].isdigit():
        return f"another Neck Guide window (process {words[0]} on {words[1]})"
    return "another Neck Guide window"
