"""The journal never blocks or fails the caller; when the disk fails it keeps events and writes them later.

The failures are real SQLite failures that also happen as root: a page limit (SQLITE_FULL),
query_only (a read-only database), a lock held by another connection, and the file removed with
a folder put in its place.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import threading
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest
from store_driver import drive, feed, new_runner

from neck_guide.engine.events import NoteAdded
from neck_guide.engine.record import SessionRecord
from neck_guide.engine.runner import SessionRunner
from neck_guide.store import SessionStore
from neck_guide.store.journal import JournalStatus, SessionJournal

WAIT_S = 10.0


class Disk:
    """Opens stores for the journal and can make the next ones fail the way a sick disk would."""

    def __init__(self) -> None:
        self.fault: str | None = None
        self.opened: list[SessionStore] = []

    def open(self, path: Path) -> SessionStore:
        store = SessionStore.open(path, busy_timeout_ms=20)
        self._apply(store)
        self.opened.append(store)
        return store

    def break_now(self, fault: str) -> None:
        """Make the store in use fail from its next write on (call while the writer is idle)."""
        self.fault = fault
        self._apply(self.opened[-1])

    def _apply(self, store: SessionStore) -> None:
        conn = store.connection
        if self.fault == "full":
            pages = conn.execute("PRAGMA page_count").fetchone()[0]
            conn.execute(f"PRAGMA max_page_count = {pages}")
        elif self.fault == "read-only":
            conn.execute("PRAGMA query_only = 1")


class Statuses:
    def __init__(self) -> None:
        self.seen: list[JournalStatus] = []
        self._events = {s: threading.Event() for s in ("ok", "failing", "recovered", "error")}

    def __call__(self, status: JournalStatus) -> None:
        self.seen.append(status)
        self._events[status.state].set()

    def wait_for(self, state: str) -> JournalStatus:
        assert self._events[state].wait(WAIT_S), f"no {state!r} status; seen: {self.seen}"
        return [s for s in self.seen if s.state == state][-1]


@pytest.fixture
def disk() -> Disk:
    return Disk()


@pytest.fixture
def statuses() -> Statuses:
    return Statuses()


@pytest.fixture
def journal(tmp_path: Path, disk: Disk, statuses: Statuses) -> Iterator[SessionJournal]:
    j = SessionJournal(
        tmp_path / "sessions.sqlite3",
        on_status=statuses,
        retry_s=0.005,
        max_retry_s=0.02,
        open_store=disk.open,
    ).start()
    yield j
    j.close()


def _session_with_failure(
    journal: SessionJournal,
    fail: Callable[[SessionRunner], object],
    mend: Callable[[], object],
    statuses: Statuses,
) -> SessionRunner:
    """Run a session; after a few steps ``fail`` the disk, go on, then ``mend`` it and finish."""
    runner, clock = new_runner()
    calls = 0

    def between_controls() -> None:
        nonlocal calls
        calls += 1
        if calls == 12:
            assert journal.flush(WAIT_S)
            fail(runner)
        if calls == 40:
            statuses.wait_for("failing")
            assert journal.pending > 0
            assert not journal.flush(0.05)  # still failing: kept in memory
            mend()

    drive(runner, clock, between_controls, sink=journal.append)
    assert calls > 40
    assert journal.flush(WAIT_S), f"not written: {journal.pending}; statuses: {statuses.seen}"
    return runner


def _stored(path: Path, session_id: str) -> SessionRecord:
    with SessionStore.open(path) as store:
        return store.load(session_id)


def test_a_full_disk_keeps_events_in_memory_and_writes_them_in_order_later(
    journal: SessionJournal, disk: Disk, statuses: Statuses
) -> None:
    def fail(runner: SessionRunner) -> None:
        disk.break_now("full")
        feed(journal.append, runner.set_notes(runner.clock.monotonic(), "a long note " * 20000))  # new pages

    def mend() -> None:
        disk.fault = None

    runner = _session_with_failure(journal, fail, mend, statuses)
    failing = statuses.wait_for("failing")
    assert "disk is full" in failing.message and "kept in memory" in failing.message
    assert "Free some disk space" in failing.message and str(journal.path) in failing.message
    recovered = statuses.wait_for("recovered")
    assert recovered.written > 0 and "written" in recovered.message
    assert _stored(journal.path, runner.record.session_id) == runner.record


def test_a_read_only_database_keeps_events_until_it_is_writable(
    journal: SessionJournal, disk: Disk, statuses: Statuses
) -> None:
    def mend() -> None:
        disk.fault = None

    runner = _session_with_failure(journal, lambda _: disk.break_now("read-only"), mend, statuses)
    assert "read-only" in statuses.wait_for("failing").message
    assert _stored(journal.path, runner.record.session_id) == runner.record


def test_a_lock_held_by_another_program_delays_but_loses_nothing(
    journal: SessionJournal, statuses: Statuses
) -> None:
    other = sqlite3.connect(journal.path, isolation_level=None)

    def fail(_: SessionRunner) -> None:
        other.execute("BEGIN IMMEDIATE")

    runner = _session_with_failure(journal, fail, lambda: other.execute("COMMIT"), statuses)
    other.close()
    assert "another program" in statuses.wait_for("failing").message
    assert _stored(journal.path, runner.record.session_id) == runner.record


def test_a_removed_file_is_made_again_with_the_whole_session(
    journal: SessionJournal, statuses: Statuses
) -> None:
    path = journal.path

    def fail(_: SessionRunner) -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        path.mkdir()  # and something in the way: the file cannot be made again yet

    def mend() -> None:
        shutil.rmtree(path)

    runner = _session_with_failure(journal, fail, mend, statuses)
    failing = [s.message for s in statuses.seen if s.state == "failing"]
    assert any("removed or replaced" in m for m in failing) and any("is a folder" in m for m in failing)
    assert path.is_file()
    assert _stored(path, runner.record.session_id) == runner.record


def test_append_returns_at_once_while_failing_and_after_close(
    tmp_path: Path, disk: Disk, statuses: Statuses
) -> None:
    path = tmp_path / "sessions.sqlite3"
    path.mkdir()  # cannot even open
    journal = SessionJournal(path, on_status=statuses, retry_s=0.005, open_store=disk.open).start()
    runner, clock = new_runner()
    drive(runner, clock, max_steps=4, finish=False, sink=journal.append)
    statuses.wait_for("failing")
    assert journal.pending > 0
    assert not journal.close(timeout=WAIT_S)  # left unwritten: close says so
    journal.append(NoteAdded("2026-01-05T09:00:00.000+01:00", "after close"))  # no error


def test_a_refused_event_is_reported_and_the_rest_still_written(
    journal: SessionJournal, statuses: Statuses
) -> None:
    journal.append(NoteAdded("2026-01-05T09:00:00.000+01:00", "before any session"))  # a bug: no session
    runner, clock = new_runner()
    drive(runner, clock, sink=journal.append)
    assert journal.flush(WAIT_S)
    assert "error in Neck Guide" in statuses.wait_for("error").message
    assert _stored(journal.path, runner.record.session_id) == runner.record


def test_a_resumed_session_is_attached_and_carried_on(tmp_path: Path, statuses: Statuses) -> None:
    path = tmp_path / "sessions.sqlite3"
    first = SessionJournal(path, on_status=statuses).start()
    runner, clock = new_runner()
    drive(runner, clock, max_steps=5, finish=False, sink=first.append)
    assert first.close()
    with SessionStore.open(path) as store:
        (left,) = store.unfinished()
    resumed = SessionRunner.from_record(runner.plan, clock, left)
    second = SessionJournal(path, on_status=statuses).start()
    second.attach(resumed.record)
    feed(second.append, resumed.start(clock.advance(60)))
    feed(second.append, resumed.rate(clock.advance(5), "pressure", 5))
    feed(second.append, resumed.finish(clock.advance(60)))
    assert second.close()
    assert _stored(path, left.session_id) == resumed.record
    assert [s.state for s in statuses.seen] == []


def test_files_made_by_the_journal_are_owner_only(tmp_path: Path) -> None:
    journal = SessionJournal(tmp_path / "records" / "sessions.sqlite3").start()
    runner, clock = new_runner()
    drive(runner, clock, max_steps=2, finish=False, sink=journal.append)
    assert journal.flush(WAIT_S)
    for suffix in ("", "-wal", "-shm"):
        assert os.stat(f"{journal.path}{suffix}").st_mode & 0o777 == 0o600
    assert os.stat(tmp_path / "records").st_mode & 0o777 == 0o700
    journal.close()


def test_a_close_out_is_written_in_turn_and_kept_while_another_program_holds_the_file(
    tmp_path: Path, journal: SessionJournal, statuses: Statuses
) -> None:
    """The recovery page hands a close-out to the journal: it never waits on the disk itself, and a
    close-out met by a locked file is kept and written once the file is free."""
    path = tmp_path / "sessions.sqlite3"
    runner, clock = new_runner()
    drive(runner, clock, max_steps=3, finish=False)  # left running, as after a crash
    with SessionStore.open(path) as store:
        store.save(runner.record)
    other = sqlite3.connect(path, timeout=0)
    other.execute("BEGIN IMMEDIATE")  # another program writing
    journal.close_out(runner.record.session_id)  # recorded as asked for now, written later
    journal.close_out("no-such-session")  # closed out already elsewhere: nothing to do, no error
    assert "holding the records file" in statuses.wait_for("failing").message
    clock_after_lock = datetime.now().astimezone().isoformat(timespec="milliseconds")
    other.rollback()
    other.close()
    assert statuses.wait_for("recovered").written == 2
    assert journal.flush(WAIT_S)
    assert not [s for s in statuses.seen if s.state == "error"]
    with SessionStore.open(path) as store:
        closed = store.load(runner.record.session_id)
    assert closed.status == "interrupted" and closed.ended_at is not None
    assert closed.steps[-1].end_reason == "interrupted"
    (interruption,) = closed.interruptions
    assert interruption.handled == "closed_out" and interruption.found_at < clock_after_lock
