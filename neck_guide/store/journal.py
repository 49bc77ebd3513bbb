"""The app's way to keep records: ``append`` hands an event to a writer thread and returns at once.

The writer applies events to a :class:`SessionStore` in order, one committed transaction each.
When the disk fails (full, read-only, locked, the file removed) it keeps the events in memory,
in order, tells the app through ``on_status`` and tries again with a growing interval; when the
disk works again it writes them all. If the records file was lost, the events of the session
under way are written again from its start into the new file.

``on_status`` is called on the writer thread: a Qt app relays it through a queued signal.
"""

from __future__ import annotations

import contextlib
import copy
import itertools
import logging
import queue
import sqlite3
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal

from neck_guide.engine.events import Event, SessionStarted
from neck_guide.engine.record import SessionRecord
from neck_guide.logfile import log_location
from neck_guide.questionnaire.response import ResponseRecord
from neck_guide.store.errors import (
    ADVICE,
    SessionNotFound,
    StoreCorrupt,
    StoreError,
    StoreUnavailable,
    reason_of,
)
from neck_guide.store.ownership import SessionLocks
from neck_guide.store.repository import SessionStore
from neck_guide.store.wal import copy_aside, drop_stale

log = logging.getLogger(__name__)

JournalState = Literal["ok", "failing", "recovered", "error"]
Opener = Callable[[Path], SessionStore]
# the disk's troubles, kept in memory and tried again (raw SQLite and OS errors do not leave the
# store; they are listed in case one ever does)
_RETRYABLE = (StoreUnavailable, StoreCorrupt, sqlite3.OperationalError, OSError)


@dataclass(frozen=True, slots=True)
class JournalStatus:
    """ok: writing (message: a notice from opening, if any); failing: records kept in memory;
    recovered: the kept records were written (``written`` of them); error: a record was refused
    because of a bug, and dropped (details in the log)."""

    state: JournalState
    message: str = ""
    pending: int = 0
    written: int = 0


@dataclass(frozen=True, slots=True)
class _Item:
    seq: int
    event: Event | None = None
    record: SessionRecord | None = None  # carry on with a stored session (after a crash)
    close_out: str | None = None  # the id of a session left unfinished, to mark interrupted
    at: str | None = None  # when the close-out was asked for (wall time, ISO 8601)
    response: ResponseRecord | None = None  # a questionnaire response, written whole

    @property
    def kind(self) -> str:
        """What the item is, with no client data in it (for the log)."""
        if self.event is not None:
            return type(self.event).__name__
        if self.response is not None:
            return "a questionnaire response"
        return "a whole session record" if self.record is not None else "a close-out"

    @property
    def session_id(self) -> str | None:
        if isinstance(self.event, SessionStarted):
            return self.event.record.session_id
        return self.record.session_id if self.record is not None else None


_STOP = object()


class SessionJournal:
    """Crash-safe, non-blocking event writer. ``start()`` before use, ``close()`` at the end."""

    def __init__(
        self,
        path: Path,
        *,
        on_status: Callable[[JournalStatus], None] | None = None,
        retry_s: float = 1.0,
        max_retry_s: float = 30.0,
        open_store: Opener = SessionStore.open,
    ) -> None:
        self.path = Path(path)
        self.locks = SessionLocks(self.path)  # the sessions this process runs (one writer each)
        self._on_status = on_status
        self._retry_s = retry_s
        self._max_retry_s = max_retry_s
        self._open_store = open_store
        self._queue: queue.SimpleQueue[_Item | object] = queue.SimpleQueue()
        self._seq = itertools.count(1)
        self._last_seq = 0
        self._done_seq = 0
        self._done = threading.Condition()
        self._thread = threading.Thread(target=self._run, name="records-writer", daemon=True)
        # writer-thread state
        self._store: SessionStore | None = None
        self._backlog: deque[_Item] = deque()
        self._session_log: list[_Item] = []  # written items of the session under way
        self._delay_s = retry_s
        self._retry_at = 0.0
        self._failures = 0
        self._kept = 0  # items written since the failing started
        self._rewrite = False  # the file or its log was replaced: write the session under way again
        self._rewritten = ""  # what the user is told of it once done
        self.status = JournalStatus("ok")

    def start(self) -> SessionJournal:
        """Start the writer thread (it opens the store); returns self."""
        self._thread.start()
        return self

    # --- the caller's side: never blocks, never raises ---------------------------------------

    def append(self, event: Event) -> None:
        """Queue ``event`` for writing; returns at once. A session started is this process's own
        from then on (see neck_guide.store.ownership)."""
        if isinstance(event, SessionStarted):
            self._own(event.record.session_id)
        self._put(event=event)

    def attach(self, record: SessionRecord) -> None:
        """Carry on a stored session: its record is written whole, later events go to it."""
        self._own(record.session_id)
        self._put(record=record)

    def _own(self, session_id: str) -> None:
        self.locks.release_all()  # one session at a time: the one before is done with
        try:
            holder = self.locks.take(session_id)
        except OSError as e:  # the folder cannot be written: the records will say why soon enough
            log.warning("could not lock session %s: %s", session_id, e)
            return
        if holder is not None:  # recovery offers no session running elsewhere: a race
            log.error("session %s is also run by %s", session_id, holder)

    def save_response(self, record: ResponseRecord) -> None:
        """Write a questionnaire response whole (a copy of it as it is now), in turn with everything
        else; returns at once."""
        self._put(response=copy.deepcopy(record))

    def close_out(self, session_id: str) -> None:
        """Mark a session left unfinished as interrupted (``SessionStore.close_out``), in turn with
        everything else written; returns at once. The time recorded is now, when it was asked for,
        however late the disk lets it be written. A session no longer in the records is left be."""
        self._put(close_out=session_id, at=datetime.now().astimezone().isoformat(timespec="milliseconds"))

    def _put(
        self,
        event: Event | None = None,
        record: SessionRecord | None = None,
        close_out: str | None = None,
        at: str | None = None,
        response: ResponseRecord | None = None,
    ) -> None:
        try:
            seq = next(self._seq)
            self._last_seq = seq
            self._queue.put(_Item(seq, event, record, close_out, at, response))
        except Exception:  # pragma: no cover - SimpleQueue.put does not fail; never let it reach the UI
            log.exception("could not queue a record")

    @property
    def pending(self) -> int:
        """Records handed over and not written yet."""
        return max(0, self._last_seq - self._done_seq)

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until everything appended so far is written; False if ``timeout`` ran out first."""
        target = self._last_seq
        with self._done:
            return self._done.wait_for(lambda: self._done_seq >= target, timeout)

    def close(self, timeout: float | None = 10.0) -> bool:
        """Write what can be written, stop the writer; True if nothing was left unwritten."""
        if self._thread.is_alive():
            self._queue.put(_STOP)
            self._thread.join(timeout)
        self.locks.release_all()
        return self.pending == 0

    # --- the writer thread ---------------------------------------------------------------------

    def _run(self) -> None:
        stopping = False
        while not stopping or self._backlog:
            wait = None if not self._backlog else max(0.0, self._retry_at - time.monotonic())
            try:
                item = self._queue.get(timeout=wait)
            except queue.Empty:
                item = None
            if item is _STOP:
                stopping = True
            elif isinstance(item, _Item):
                self._backlog.append(item)
                if self._failures and time.monotonic() < self._retry_at:
                    continue
            if not self._write_backlog() and stopping:
                break
        if self._store is not None:
            self._store.close()

    def _write_backlog(self) -> bool:
        """Write items in order until done or the disk fails; True when nothing is left."""
        while self._backlog:
            try:
                store = self._store or self._reopen()  # may put a lost session back in front
            except Exception as e:  # opening is all disk: keep everything and try again later
                self._failed(e)
                return False
            item = self._backlog[0]
            try:
                _write(store, item, self.locks)
            except _RETRYABLE as e:
                self._failed(e)
                return False
            except Exception:
                log.exception("a record was refused and dropped: %s", item.kind)  # no client data
                self._report(JournalStatus("error", _bug(), self.pending))
            self._backlog.popleft()
            self._finished(item)
            if store.log_notice:
                self._log_lost(store)
        return True

    def _log_lost(self, store: SessionStore) -> None:
        """The store folded a lost log into the file: write the session under way again from
        memory, and say what happened and where the copy is."""
        notice, store.log_notice = store.log_notice or "", None
        log.warning("the log of the records file was lost; session written again")
        self._backlog.extendleft(reversed(self._session_log))
        self._session_log = []
        self._report(JournalStatus("ok", notice, len(self._backlog)))

    def _reopen(self) -> SessionStore:
        store = self._open_store(self.path)
        self._store = store  # closed by _failed if what follows fails
        if self._session_log:
            sid = self._session_log[0].session_id
            if sid is not None and (self._rewrite or not store.has_session(sid)):
                # the file or its log was lost: write the session under way again from its start
                self._backlog.extendleft(reversed(self._session_log))
                self._session_log = []
            elif sid is not None:
                store.use_session(sid)
        self._rewrite = False
        if store.notice:
            self._report(JournalStatus("ok", store.notice, self.pending))
        return store

    def _finished(self, item: _Item) -> None:
        if item.session_id is not None:
            self._session_log = [item]
        elif self._session_log and item.close_out is None and item.response is None:
            self._session_log.append(item)
        if self._failures:
            self._kept += 1
            if not self._backlog:
                self._recovered()
        with self._done:
            self._done_seq = max(self._done_seq, item.seq)
            self._done.notify_all()

    def _failed(self, error: Exception) -> None:
        replaced = isinstance(error, StoreError) and error.reason == "replaced"
        if replaced and not self._rewrite:
            self._keep_what_was_found()
        if self._store is not None:
            stale = self._store.side_files_as_opened()
            with contextlib.suppress(sqlite3.Error, StoreError):
                self._store.close()
            self._store = None
            if replaced:  # SQLite's index of the lost log would keep every new connection from reading
                drop_stale(self.path, stale)
        self._failures += 1
        self._retry_at = time.monotonic() + self._delay_s
        message = failing_message(self.path, error, len(self._backlog), self._delay_s)
        self._delay_s = min(self._delay_s * 2, self._max_retry_s)
        log.warning("records not written: %s", error)
        self._report(JournalStatus("failing", message, len(self._backlog)))

    def _keep_what_was_found(self) -> None:
        """The file or its log was replaced or removed: keep a copy of what is there, and write the
        session under way again from memory."""
        self._rewrite = True
        aside: Path | str
        try:
            aside = copy_aside(self.path, "replaced")
        except OSError as e:
            aside = f"not kept: {e.strerror or e}"
        self._rewritten = (
            " The records file or its log was removed or replaced while Neck Guide was running: the "
            f"session under way was written again from memory (a copy of what was there: {aside})."
        )

    def _recovered(self) -> None:
        n, note, self._rewritten = self._kept, self._rewritten, ""
        self._failures = self._kept = 0
        self._delay_s = self._retry_s
        self._report(
            JournalStatus(
                "recovered",
                f"Session records are being saved again: the {n} record(s) kept in memory were written "
                f"to {self.path}.{note}",
                0,
                n,
            )
        )

    def _report(self, status: JournalStatus) -> None:
        self.status = status
        if self._on_status is None:
            return
        try:
            self._on_status(status)
        except Exception:
            log.exception("the records status listener failed")


def _write(store: SessionStore, item: _Item, locks: SessionLocks) -> None:
    if item.response is not None:
        store.save_response(item.response)
    elif item.record is not None:
        store.save(item.record)
    elif item.event is not None:
        store.apply(item.event)
    elif item.close_out is not None:
        if locks.elsewhere([item.close_out]):  # running in another window: only it may end it
            log.warning("not closing out a session another window runs: %s", item.close_out)
            return
        try:
            store.close_out(item.close_out, item.at)
        except SessionNotFound:  # gone with a damaged file set aside: nothing left to close
            log.warning("a session to close out is no longer in the records: %s", item.close_out)


def _bug() -> str:
    return (
        "A record could not be saved because of an error in Neck Guide; it was left out and the "
        f"session goes on. Details are in {log_location()}: please report them."
    )


def failing_message(path: Path, error: Exception, pending: int, retry_s: float) -> str:
    """What happened, that the records are safe in memory for now, and what to do."""
    what, todo = _diagnose(error)
    return (
        f"Session records cannot be saved to {path}: {what}. {pending} record(s) are kept in memory and "
        f"will be written as soon as the disk works again (next try in {retry_s:g} s). {todo} "
        "Keep Neck Guide open until this message clears: records kept in memory are lost if it is closed."
    )


def _diagnose(error: Exception) -> tuple[str, str]:
    if isinstance(error, StoreError) and not isinstance(error.__cause__, sqlite3.Error | OSError):
        # found by the store itself (a folder in the way, the file replaced, a newer format): its words
        return str(error), "If the file was moved, it is made again at the same place when possible."
    if isinstance(error, StoreError):
        return ADVICE[error.reason]
    if isinstance(error, sqlite3.Error | OSError):  # the store translates these; kept for safety
        return ADVICE[reason_of(error)]
    return f"the disk reported an error ({error})", "Check the disk and the folder of the records file."
