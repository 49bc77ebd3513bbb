"""kill -9 in the middle of a session loses nothing that was reported committed."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]


def _run_and_kill(db: Path, after_lines: int) -> list[dict[str, Any]]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(HERE)])}
    child = subprocess.Popen(
        [sys.executable, str(HERE / "crash_child.py"), str(db)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        text=True,
    )
    assert child.stdout is not None
    lines: list[str] = []
    try:
        while len(lines) < after_lines:
            line = child.stdout.readline()
            if not line:
                raise AssertionError(
                    f"the child stopped early: {child.stderr.read() if child.stderr else ''}"
                )
            lines.append(line)
        child.send_signal(signal.SIGKILL)
        lines += child.stdout.readlines()  # printed before the kill: committed as well
    finally:
        child.kill()
        child.wait(10)
    assert child.returncode == -signal.SIGKILL
    return [json.loads(line) for line in lines if line.endswith("\n")]


def _missing(conn: sqlite3.Connection, events: list[dict[str, Any]]) -> list[str]:
    """The reported events that the file does not hold."""
    missing: list[str] = []
    sid = ""
    args: tuple[Any, ...]
    for n, e in enumerate(events):
        kind = e["type"]
        if kind == "SessionStarted":
            sid = e["record"]["session_id"]
            query, args = "SELECT 1 FROM sessions WHERE id = ?", (sid,)
        elif kind == "StepStarted":
            query, args = (
                "SELECT 1 FROM step_visits WHERE session_id = ? AND visit = ?",
                (sid, e["visit"]["visit"]),
            )
        elif kind == "StepEnded":
            v = e["visit"]
            query = (
                "SELECT 1 FROM step_visits WHERE session_id = ? AND visit = ? AND ended_at = ? "
                "AND end_reason = ?"
            )
            args = (sid, v["visit"], v["ended_at"], v["end_reason"])
        elif kind == "RatingRecorded":
            r = e["rating"]
            query = "SELECT 1 FROM ratings WHERE session_id = ? AND visit = ? AND at = ? AND value = ?"
            args = (sid, r["visit"], r["at"], r["value"])
        elif kind == "Paused":
            query, args = "SELECT 1 FROM pauses WHERE session_id = ? AND started_at = ?", (sid, e["at"])
        elif kind == "PainRecorded":
            query = f"SELECT 1 FROM sessions WHERE id = ? AND {e['when']}_pain = ?"
            args = (sid, e["value"])
        elif kind == "SessionEnded":
            query, args = "SELECT 1 FROM sessions WHERE id = ? AND status = ?", (sid, e["record"]["status"])
        else:
            query, args = "SELECT 1 FROM sessions WHERE id = ? AND last_event_at >= ?", (sid, e["at"])
        if conn.execute(query, args).fetchone() is None:
            missing.append(f"#{n} {kind} {args}")
    return missing


@pytest.mark.slow
@pytest.mark.parametrize("after_lines", [37, 311, 1234])
def test_sigkill_mid_session_loses_no_committed_event(tmp_path: Path, after_lines: int) -> None:
    db = tmp_path / "sessions.sqlite3"
    events = _run_and_kill(db, after_lines)
    assert len(events) >= after_lines
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert _missing(conn, events) == []
        last_sid = [e for e in events if e["type"] == "SessionStarted"][-1]["record"]["session_id"]
        status = conn.execute("SELECT status FROM sessions WHERE id = ?", (last_sid,)).fetchone()
        assert status is not None
    finally:
        conn.close()


def test_the_killed_session_is_offered_for_recovery(tmp_path: Path) -> None:
    from neck_guide.store import SessionStore

    db = tmp_path / "sessions.sqlite3"
    events = _run_and_kill(db, 150)
    with SessionStore.open(db) as store:
        unfinished = store.unfinished()
        started = [e["record"]["session_id"] for e in events if e["type"] == "SessionStarted"]
        ended = {e["record"]["session_id"] for e in events if e["type"] == "SessionEnded"}
        if started[-1] not in ended:
            assert started[-1] in [r.session_id for r in unfinished]
        for record in unfinished:
            closed = store.close_out(record.session_id)
            assert closed.status == "interrupted" and closed.ended_at is not None
