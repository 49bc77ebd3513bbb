"""The log: a rotating, owner-only file in the logs folder with warnings, errors and tracebacks (the
logs folder used to be made and never written), never a client code or a note, and the messages
that send the user to it say where it is."""

from __future__ import annotations

import logging
import os
import stat
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from neck_guide.cli import main
from neck_guide.engine.clock import FakeClock
from neck_guide.engine.events import NoteAdded
from neck_guide.engine.runner import SessionRunner
from neck_guide.logfile import BACKUPS, LOG_NAME, MAX_BYTES, log_location, start_log
from neck_guide.paths import BUNDLED_PROTOCOLS_DIR
from neck_guide.protocol.loader import Catalog
from neck_guide.protocol.plan import expand
from neck_guide.store.journal import JournalStatus, SessionJournal

CLIENT = "C-9137"
NOTE = "Tender over the left levator; prefers lighter pressure"


@pytest.fixture
def logs(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "logs"
    start_log(folder)
    yield folder
    for handler in logging.getLogger("neck_guide").handlers:
        handler.flush()


def _text(folder: Path) -> str:
    for handler in logging.getLogger("neck_guide").handlers:
        handler.flush()
    return (folder / LOG_NAME).read_text(encoding="utf-8")


def test_warnings_errors_and_tracebacks_go_to_an_owner_only_file_whatever_the_umask(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        folder = tmp_path / "logs"
        path = start_log(folder)
        assert not folder.exists()  # made only when there is something to write
        log = logging.getLogger("neck_guide.store.journal")
        log.info("an ordinary moment")  # not kept
        log.warning("records not written: the disk is full")
        try:
            raise ValueError("a fault")
        except ValueError:
            log.exception("a record was refused and dropped: RatingRecorded")
    finally:
        os.umask(old)
    text = _text(folder)
    assert path == folder / LOG_NAME
    assert "ordinary moment" not in text
    assert "WARNING neck_guide.store.journal [MainThread]: records not written: the disk is full" in text
    assert "Traceback (most recent call last)" in text and "ValueError: a fault" in text
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")  # pytest hears it too
def test_an_uncaught_exception_in_a_thread_is_logged_with_its_traceback(logs: Path) -> None:
    def fail() -> None:
        raise RuntimeError("the speech list broke")

    worker = threading.Thread(target=fail, name="voice-list")
    worker.start()
    worker.join()
    text = _text(logs)
    assert "CRITICAL neck_guide.crash" in text and "uncaught RuntimeError in thread voice-list" in text
    assert "RuntimeError: the speech list broke" in text


def test_the_log_stays_small(logs: Path) -> None:
    log = logging.getLogger("neck_guide.voice")
    for n in range(4 * MAX_BYTES // 100):
        log.warning("speech engine: a failure worth a line of about a hundred characters, number %06d", n)
    files = sorted(logs.iterdir())
    assert [f.name for f in files] == [LOG_NAME] + [f"{LOG_NAME}.{n}" for n in range(1, BACKUPS + 1)]
    assert all(f.stat().st_size <= MAX_BYTES for f in files)
    assert all(stat.S_IMODE(f.stat().st_mode) == 0o600 for f in files)


def test_nothing_in_the_log_names_a_client_and_a_refused_record_says_where_the_log_is(
    tmp_path: Path, logs: Path
) -> None:
    seen: list[JournalStatus] = []
    path = tmp_path / "data" / "sessions.sqlite3"
    clock = FakeClock()
    plan = expand(Catalog.load(BUNDLED_PROTOCOLS_DIR, None).get("self-care"))
    runner = SessionRunner(plan, clock, client_code=CLIENT)
    journal = SessionJournal(path, on_status=seen.append, retry_s=0.01).start()
    journal.append(NoteAdded("2026-01-05T09:00:00.000+01:00", NOTE))  # refused: before any session
    for events in (runner.begin(clock.advance(1)), runner.set_notes(clock.advance(1), NOTE)):
        for event in events:
            journal.append(event)
    assert journal.flush(10)
    path.rename(path.with_name("moved-away.sqlite3"))  # the file goes: the session is written again
    path.mkdir()  # and a folder is in the way for a while
    for event in runner.start(clock.advance(1)):
        journal.append(event)
    assert not journal.flush(0.2)
    path.rmdir()
    assert journal.flush(10)
    journal.close()
    text = _text(logs)
    assert "refused and dropped: NoteAdded" in text and "records not written" in text
    assert CLIENT not in text and NOTE not in text
    (error,) = [s for s in seen if s.state == "error"]
    assert f"Details are in the log ({logs / LOG_NAME})" in error.message
    assert log_location() == f"the log ({logs / LOG_NAME})"


def test_a_command_with_nothing_to_report_makes_no_log_file(tmp_path: Path) -> None:
    assert main(["--data-dir", str(tmp_path / "home"), "protocols"]) == 0
    assert not (tmp_path / "home" / "logs").exists()
