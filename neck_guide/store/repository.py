"""The session records: one SQLite file, one committed transaction per engine event.

The UI never calls ``apply`` itself: it hands events to the :class:`SessionJournal`, whose
writer thread owns a store. Reads (lists, histories, exports) use a store of their own; SQLite's
write-ahead log lets them run while the writer commits.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from neck_guide.engine.events import Event, SessionStarted
from neck_guide.engine.record import SessionRecord, canonical_code
from neck_guide.engine.resume import interrupt, last_moment
from neck_guide.questionnaire.response import ResponseRecord
from neck_guide.store import reads, responses, writes
from neck_guide.store.connection import open_database, open_read_only
from neck_guide.store.errors import SessionNotFound, StoreCorrupt, StoreError, StoreUnavailable, translated
from neck_guide.store.models import Client, ClientHistory, SessionSummary
from neck_guide.store.salvage import DAMAGE, damaged_session, readable_summaries
from neck_guide.store.schema import migrate
from neck_guide.store.wal import copy_aside, wal_path


class SessionStore:
    """Repository of sessions and clients. Use from one thread at a time.

    ``notice`` is set when opening had to do something the user should hear about (a damaged
    file was moved aside); ``migrated_from`` is the schema version the file had. Every method
    raises only the store's own errors (neck_guide.store.errors), never SQLite's or the disk's.
    """

    def __init__(
        self, conn: sqlite3.Connection, path: Path, notice: str | None = None, migrated_from: int = 0
    ) -> None:
        self._conn = conn
        self.path = path
        self.notice = notice
        self.migrated_from = migrated_from
        self._identity = _identity(path)
        self._log_identity = _identity(wal_path(path))
        self._index_identity = _identity(Path(f"{path}-shm"))
        self._fold_each_commit = False  # the log was lost: every commit goes straight into the file
        self.log_notice: str | None = None  # what the user should hear of a lost log (the journal tells)
        self._current: str | None = None
        self.unreadable: dict[str, str] = {}  # sessions found damaged while reading: id -> why
        self.on_disk = path.is_file()  # False: a copy in memory (scratch, or read-only and mended)
        self.read_only = False

    @classmethod
    def open(cls, path: str | os.PathLike[str], *, busy_timeout_ms: int = 5000) -> SessionStore:
        p = Path(path)
        with translated(p, "open the records file"):
            opened = open_database(p, busy_timeout_ms=busy_timeout_ms)
        return cls(opened.conn, p, opened.notice, opened.migrated_from)

    @classmethod
    def open_read_only(cls, path: str | os.PathLike[str], *, busy_timeout_ms: int = 5000) -> SessionStore:
        """For commands that only read: nothing is written, moved or checked into (see
        connection.open_read_only); ``notice`` says what was found wrong and where a copy is."""
        p = Path(path)
        with translated(p, "open the records file to read"):
            opened = open_read_only(p, busy_timeout_ms=busy_timeout_ms)
        store = cls(opened.conn, p, opened.notice, opened.migrated_from)
        store.on_disk, store.read_only = not opened.in_memory, True
        return store

    @classmethod
    def scratch(cls) -> SessionStore:
        """A records file in memory (nothing on disk), with every table: records saved into it read
        back exactly as from the real file (the CSV of the session just run is made this way)."""
        conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA foreign_keys = ON")
        where = Path(":memory:")
        migrate(conn, where)
        return cls(conn, where)

    @classmethod
    def reader(cls, path: Path) -> SessionStore:
        """A read-only connection to a records file this process has opened and checked already (a
        helper process reading it alongside): no check, no migration, nothing written."""
        with translated(path, "open the records file to read"):
            conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False)
        store = cls(conn, path)
        store.read_only = True
        return store

    @property
    def connection(self) -> sqlite3.Connection:
        return self._conn

    @property
    def current(self) -> str | None:
        """The session that events without an id (all but SessionStarted) go to: the last one
        started or saved (post pain and notes may come after its SessionEnded)."""
        return self._current

    def close(self) -> None:
        with translated(self.path, "close the records file"):
            self._conn.close()

    def __enter__(self) -> SessionStore:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # --- writing -------------------------------------------------------------------------------

    def apply(self, event: Event) -> None:
        """Persist one event, committed before this returns. Cue events are accepted and not stored."""
        writer = writes.writer_for(event)
        if writer is None:
            return
        if isinstance(event, SessionStarted):
            sid = event.record.session_id
        elif self._current is None:
            raise StoreError(
                f"{type(event).__name__} arrived before any session started; it belongs to no session "
                "(this is a bug in Neck Guide: please report it)"
            )
        else:
            sid = self._current
        with translated(self.path, "save an event to"), self._transaction():
            writer(self._conn, sid, event)
            writes.touch(self._conn, sid, event.at)
        self._current = sid  # post pain and notes may follow SessionEnded

    def save(self, record: SessionRecord) -> None:
        """Store a whole record (replacing what was there); later events go to this session.

        Used to carry on a session after a crash, and to import records.
        """
        with translated(self.path, "save a session to"), self._transaction():
            writes.write_record(self._conn, record, _latest_time(record))
        self._current = record.session_id

    def save_response(self, record: ResponseRecord) -> None:
        """Store a questionnaire response whole (replacing what was there), in one transaction."""
        with translated(self.path, "save a questionnaire response to"), self._transaction():
            responses.write_response(self._conn, record)

    def use_session(self, session_id: str) -> None:
        """Send later events to this stored session (a new connection carrying on a session)."""
        if not self.has_session(session_id):
            raise SessionNotFound(f"no session {session_id!r} in {self.path}")
        self._current = session_id

    def close_out(self, session_id: str, at: str | None = None) -> SessionRecord:
        """End a session the app left running (a crash, a close) as "interrupted", ``at`` (wall time,
        ISO 8601; default now) being when it was found and closed out.

        The visit still open keeps the time of its last heartbeat and ends at the last moment
        recorded; the interruption is recorded (see engine.resume, the same rule as resuming).
        """
        record = self.load(session_id)
        if record.status != "running":
            return record
        found_at = at or datetime.now().astimezone().isoformat(timespec="milliseconds")
        interrupt(record, found_at, "closed_out")
        record.status = "interrupted"
        record.ended_at = last_moment(record)
        with translated(self.path, "close out a session in"), self._transaction():
            writes.write_record(self._conn, record, record.ended_at)
        if self._current == session_id:
            self._current = None
        return self.load(session_id)

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        self._check_file()
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            yield
            self._conn.execute("COMMIT")
            if self._fold_each_commit:
                self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            else:
                self._log_identity = _identity(wal_path(self.path))
        except BaseException:
            # SQLite may have rolled back by itself (disk full, I/O error); report the first error
            with contextlib.suppress(sqlite3.Error):
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
            raise

    def _check_file(self) -> None:
        """SQLite goes on writing to a file, or a log, deleted underneath it; catch that before a
        commit is lost (the journal then writes the session under way again, from memory)."""
        if _identity(self.path) != self._identity:
            raise StoreUnavailable(
                f"the records file {self.path} was removed or replaced while Neck Guide was running",
                reason="replaced",
            )
        if self._log_identity is not None and _identity(wal_path(self.path)) != self._log_identity:
            with translated(self.path, "fold the log into"):
                self._fold_lost_log()

    def _fold_lost_log(self) -> None:
        """The log was removed or replaced under this connection, which still writes to the one it
        opened (now nameless: lost at a crash). What it holds is folded into the file at once, and
        so is every commit after; a log put in its place is kept aside and never applied."""
        log = wal_path(self.path)
        aside = copy_aside(self.path, "wal-lost")
        found = _identity(log) is not None
        if found:
            log.unlink()
        self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self._log_identity, self._fold_each_commit = None, True
        what = "replaced by another file" if found else "removed"
        self.log_notice = (
            f"The log of the session records ({log}) was {what} while Neck Guide was running. Nothing was "
            f"lost: what it held was written into {self.path.name}, the session under way was written "
            f"again from memory, and every record now goes straight into the file. A copy of what was "
            f"found is kept as {aside}."
        )

    # --- reading -------------------------------------------------------------------------------

    def load(self, session_id: str) -> SessionRecord:
        """The whole record; StoreCorrupt naming the session when its rows cannot be read."""
        with self._reading(), damaged_session(session_id, self.path):
            return reads.load(self._conn, session_id)

    def query(self, sql: str, params: Sequence[object]) -> list[tuple[Any, ...]]:
        """The rows of a read-only statement of an export's own (the CSV reads its rows straight
        from the file); failures come as the store's errors, a damaged row as StoreCorrupt naming
        the session (the first parameter)."""
        with self._reading(), damaged_session(str(params[0]) if params else "?", self.path):
            return self._conn.execute(sql, params).fetchall()

    def has_session(self, session_id: str) -> bool:
        with self._reading():
            row = self._conn.execute("SELECT 1 FROM sessions WHERE id = ?", (session_id,)).fetchone()
        return row is not None

    def sessions(self, client: str | None = None, practice: bool | None = None) -> list[SessionSummary]:
        """Summaries in time order; ``practice`` True/False keeps only practice/treatment sessions.
        A session whose row cannot be read is left out and named in ``unreadable``."""
        with self._reading():
            try:
                return reads.summaries(self._conn, client, practice)
            except DAMAGE:
                rows, bad = readable_summaries(self._conn, client, practice)
        self.unreadable.update(bad)
        return rows

    def records(self, session_ids: Iterable[str] | None = None) -> Iterator[SessionRecord]:
        """Whole records one at a time (all sessions in time order by default), for exports."""
        with self._reading():
            ids = reads.session_ids(self._conn) if session_ids is None else session_ids
        for sid in ids:
            try:
                record = self.load(sid)
            except StoreCorrupt as e:
                self.unreadable[sid] = str(e)
                continue
            yield record

    def unfinished(self) -> list[SessionRecord]:
        """Sessions still marked running: the app stopped without ending them."""
        with self._reading():
            ids = reads.session_ids(self._conn, "running")
        return list(self.records(ids))  # a damaged one is left out and named in ``unreadable``

    def clients(self) -> list[Client]:
        with self._reading():
            return reads.clients(self._conn)

    def history(self, client: str) -> ClientHistory:
        """A client's sessions (the code in any case: codes are kept in capitals)."""
        with self._reading():
            rows = reads.summaries(self._conn, client)
            first = reads.first_seen(self._conn, client)
        return ClientHistory(
            client_code=canonical_code(client) or client,
            first_seen=first,
            treatments=[s for s in rows if not s.practice],
            practice=[s for s in rows if s.practice],
        )

    def responses(self, *, client: str | None = None, session_id: str | None = None) -> list[ResponseRecord]:
        """Questionnaire responses in the order started: a client's (the code in any case), the ones
        filled for a session, or all."""
        with self._reading():
            return responses.read_responses(self._conn, client=client, session_id=session_id)

    def find(self, prefix: str) -> str:
        """The full id of the one session whose id starts with ``prefix``; SessionNotFound otherwise."""
        with self._reading():
            return reads.find(self._conn, prefix)

    def side_files_as_opened(self) -> dict[str, tuple[int, int] | None]:
        """The log and index files this connection knew (see wal.drop_stale)."""
        return {"-wal": self._log_identity, "-shm": self._index_identity}

    def _reading(self) -> contextlib.AbstractContextManager[None]:
        return translated(self.path, "read the sessions in")


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


def _latest_time(record: SessionRecord) -> str:
    times = [record.started_at, record.ended_at or ""]
    for v in record.steps:
        times.append(v.ended_at or v.started_at)
        times.extend(r.at for r in v.ratings)
    return max(times)


__all__ = ["SessionNotFound", "SessionStore"]
