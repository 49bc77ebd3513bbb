"""The log is never deleted or trusted blindly; damage SQLite's check passes is set apart (issue 10,
cases 3, 7 and 10).

Observed on main before: one flipped byte in the ``-wal`` header made every session vanish ("No
sessions."), and the read-only ``sessions`` command then deleted the 1.97 MB log that held them;
the log removed under a running session, then a crash, lost the whole session; one bad byte in a
text cell made ``sessions`` and ``export`` stop with a traceback; a newer file was refused even for
reading. Files here are real records files with real sessions, as a crash leaves them (the log
not folded in).
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from store_driver import drive, new_runner

from neck_guide.cli import main
from neck_guide.engine.events import Event
from neck_guide.engine.record import SessionRecord
from neck_guide.store import SessionStore, StoreUnavailable, wal
from neck_guide.store.journal import JournalStatus, SessionJournal

SESSIONS = 5


def crashed_copy(folder: Path, sessions: int = SESSIONS) -> Path:
    """``folder/home/data/sessions.sqlite3`` as a crash leaves it: its sessions partly in the log."""
    data = folder / "home" / "data"
    data.mkdir(parents=True)
    live = folder / "live.sqlite3"
    store = SessionStore.open(live)
    store.connection.execute("PRAGMA wal_autocheckpoint = 0")  # everything stays in the log
    for n in range(sessions):
        runner, clock = new_runner(session_id=f"session-{n:02d}-{'x' * 20}")
        drive(runner, clock, seed=n, sink=store.apply)
    for suffix in ("", "-wal", "-shm"):  # the files as they are at this moment: a crash image
        shutil.copyfile(f"{live}{suffix}", data / f"sessions.sqlite3{suffix}")
    store.close()
    return data / "sessions.sqlite3"


def digest(path: Path) -> dict[str, str]:
    """The bytes of the records file and its log (not SQLite's -shm index)."""
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(path.parent.iterdir())
        if p.is_file() and not p.name.endswith("-shm")
    }


def flip(path: Path, at: int, bit: int = 2) -> None:
    data = bytearray(path.read_bytes())
    data[at] ^= 1 << bit
    path.write_bytes(bytes(data))


def listed(db: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str], str]:
    code = main(["--data-dir", str(db.parent.parent), "sessions"])
    out = capsys.readouterr()
    return code, [line.split()[0] for line in out.out.splitlines()[1:] if line.strip()], out.err


@pytest.fixture
def crashed(tmp_path: Path) -> Iterator[Path]:
    yield crashed_copy(tmp_path)


def test_the_log_holds_the_sessions_in_these_tests(crashed: Path) -> None:
    assert wal.wal_path(crashed).stat().st_size > 100_000 and wal.state(crashed) == "ok"


@pytest.mark.parametrize("at", [0, 5, 9, 13, 17, 22, 26, 31])
def test_a_flipped_byte_in_the_log_header_loses_no_session(
    crashed: Path, at: int, capsys: pytest.CaptureFixture[str]
) -> None:
    flip(wal.wal_path(crashed), at)
    damaged = wal.wal_path(crashed).read_bytes()
    assert wal.state(crashed) == "damaged"
    before = digest(crashed)
    code, ids, err = listed(crashed, capsys)
    assert code == 0 and len(ids) == SESSIONS, err
    (copy,) = crashed.parent.glob("sessions.sqlite3.wal-damaged-*[0-9]")
    assert str(copy) in err and "read mended" in err
    after = digest(crashed)
    assert {k: v for k, v in after.items() if not k.startswith("sessions.sqlite3.wal-damaged")} == before
    # the app mends the file itself, and says where the copy is
    with SessionStore.open(crashed) as store:
        assert len(store.sessions()) == SESSIONS
        assert store.notice is not None and "was mended: no session was lost" in store.notice
    assert Path(f"{copy}-wal").read_bytes() == damaged  # the copy keeps the log as it was


def test_a_log_that_cannot_be_mended_is_kept_and_named(
    crashed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = wal.wal_path(crashed)
    flip(log, 40)  # the first frame's salt: SQLite would take the log as empty
    damaged = log.read_bytes()
    code, _, err = listed(crashed, capsys)
    assert code == 0 and "could not be mended" in err
    (copy,) = crashed.parent.glob("sessions.sqlite3.wal-damaged-*[0-9]")
    assert Path(f"{copy}-wal").read_bytes() == damaged and log.read_bytes() == damaged


def test_reading_commands_change_no_file(crashed: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = digest(crashed)
    home = str(crashed.parent.parent)
    assert main(["--data-dir", home, "sessions"]) == 0
    out = crashed.parent.parent / "out.json"
    assert main(["--data-dir", home, "export", "--all", "--format", "json", "-o", str(out)]) == 0
    assert digest(crashed) == before  # the log is still there, whole
    assert len(capsys.readouterr().out.splitlines()) >= SESSIONS


def _journal_session(path: Path, remove_log_after: int) -> tuple[SessionJournal, SessionRecord, list[str]]:
    told: list[str] = []

    def status(s: JournalStatus) -> None:
        told.append(f"{s.state}: {s.message}")

    journal = SessionJournal(path, on_status=status, retry_s=0.01).start()
    runner, clock = new_runner(session_id="live-session")
    events: list[Event] = []

    def sink(event: Event) -> None:
        events.append(event)
        journal.append(event)
        if len(events) == remove_log_after:
            assert journal.flush(10)
            wal.wal_path(path).unlink()  # removed under the running session

    drive(runner, clock, sink=sink)
    assert journal.flush(10), told[-1][80:500]
    return journal, runner.record, told


def test_a_log_removed_under_a_running_session_is_noticed_and_the_session_written_again(
    tmp_path: Path,
) -> None:
    path = tmp_path / "sessions.sqlite3"
    with SessionStore.open(path) as reader:  # the app keeps a reading connection open too
        journal, expected, told = _journal_session(path, remove_log_after=60)
        journal.close()
        del reader
    with SessionStore.open(path) as store:
        assert store.load("live-session") == expected
    assert any("was removed while Neck Guide was running. Nothing was lost" in t for t in told), told
    assert any("written again from memory" in t for t in told), told
    assert list(tmp_path.glob("sessions.sqlite3.wal-lost-*[0-9]"))


def test_a_bad_byte_in_a_text_cell_costs_that_session_only(
    crashed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    conn = sqlite3.connect(crashed)
    bad = "CAST(x'4e6fff7465' AS TEXT)"  # "No?te" with a byte that is not UTF-8
    conn.execute(f"UPDATE sessions SET protocol_title = {bad} WHERE id LIKE 'session-02%'")
    conn.execute("UPDATE ratings SET kind = CAST(x'70ff' AS TEXT) WHERE session_id LIKE 'session-03%'")
    conn.commit()
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]  # SQLite sees nothing wrong
    conn.close()
    code, ids, err = listed(crashed, capsys)
    assert code == 0 and len(ids) == SESSIONS - 1 and "session-02" in err and "damaged" in err
    home = str(crashed.parent.parent)
    for fmt in ("json", "csv", "pdf", "fhir"):
        out = crashed.parent.parent / f"all.{fmt}"
        assert main(["--data-dir", home, "export", "--all", "--format", fmt, "-o", str(out)]) == 0, fmt
        err = capsys.readouterr().err
        assert "session-02" in err and "session-03" in err, (fmt, err)
        text = out.read_bytes()
        if fmt != "pdf":
            assert b"session-04" in text and b"session-02" not in text and b"session-03" not in text
    with SessionStore.open(crashed) as store:  # the app starts on it, and History lists the rest
        assert len(store.sessions()) == SESSIONS - 1 and list(store.unreadable) == ["session-02-" + "x" * 20]


def test_a_newer_file_is_read_not_written(crashed: Path, capsys: pytest.CaptureFixture[str]) -> None:
    conn = sqlite3.connect(crashed)
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()
    before = digest(crashed)
    code, ids, _ = listed(crashed, capsys)
    assert code == 0 and len(ids) == SESSIONS
    with pytest.raises(StoreUnavailable) as refused:
        SessionStore.open(crashed)
    assert refused.value.reason == "newer" and "records format 99" in str(refused.value)
    assert "listed and exported" in str(refused.value)
    # the file is as it was (with no log left, reading makes SQLite's empty -wal and -shm beside it)
    assert digest(crashed)["sessions.sqlite3"] == before["sessions.sqlite3"]
