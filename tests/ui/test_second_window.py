"""One writer per session (issue 10, case 1).

Observed before: starting the app again on the same data offered to Resume or Close out the
first window's running session; after Resume two ratings never reached the records and a third
landed on the first window's step; Close out from a third window marked the live session while
it kept recording. Here the first window is a real second process holding its session's lock.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from window_helpers import FakeDecisions, WindowOpener

from neck_guide.paths import PROJECT_DIR
from neck_guide.store import SessionStore

FAULTS = Path(__file__).resolve().parents[1] / "faults"


@pytest.fixture
def live(tmp_path: Path) -> Iterator[tuple[Path, str, subprocess.Popen[str]]]:
    """A data folder whose records hold a session another process is running now."""
    db = tmp_path / "home" / "data" / "sessions.sqlite3"
    db.parent.mkdir(parents=True)
    env = {**os.environ, "PYTHONPATH": str(PROJECT_DIR)}
    child = subprocess.Popen(
        [sys.executable, str(FAULTS / "live_session.py"), str(db)], stdout=subprocess.PIPE, text=True, env=env
    )
    assert child.stdout is not None
    session_id = child.stdout.readline().strip()
    assert session_id, "the other window did not start its session"
    try:
        yield tmp_path / "home", session_id, child
    finally:
        child.kill()
        child.wait(10)


def test_a_second_window_offers_nothing_for_a_live_session_and_says_why(
    live: tuple[Path, str, subprocess.Popen[str]], open_window: WindowOpener
) -> None:
    home, session_id, child = live
    app = open_window(home)
    assert app.window.current_page() is app.window.start_page  # no recovery page
    told = " ".join(app.window._notices.values())
    assert f"process {child.pid}" in told and "does not offer to resume or close it out" in told
    app.journal.close_out(session_id)  # even if asked, the one writer leaves it be
    assert app.journal.flush(10)
    with SessionStore.open_read_only(home / "data" / "sessions.sqlite3") as store:
        assert store.load(session_id).status == "running"
        assert [s.session_id for s in store.sessions()] == [session_id]  # History lists it
    # the other window dies (kill -9): its lock goes with it, and the session can be taken up
    child.send_signal(signal.SIGKILL)
    child.wait(10)
    decisions = FakeDecisions()
    again = open_window(home, decisions=decisions)
    assert again.window.current_page() is again.window.recovery_page
    (row,) = again.window.recovery_page.rows
    assert row.record.session_id == session_id and row.resume_button.isEnabled()
