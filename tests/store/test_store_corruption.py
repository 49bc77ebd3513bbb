"""A damaged records file is moved aside with a notice; a fresh file takes its place."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from store_driver import drive, new_runner

from neck_guide.store import SessionStore


def _filled(path: Path) -> bytes:
    """A real records file with several sessions; returns its bytes (WAL folded in)."""
    with SessionStore.open(path) as store:
        for n in range(4):
            runner, clock = new_runner(session_id=f"session-{n}")
            drive(runner, clock, seed=n, sink=store.apply)
        store.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path.read_bytes()


def _opened_fresh(path: Path, damaged: bytes) -> tuple[SessionStore, Path]:
    store = SessionStore.open(path)
    assert store.notice is not None
    (aside,) = path.parent.glob("sessions.sqlite3.corrupt-*[0-9]")
    assert str(aside) in store.notice and "damaged" in store.notice and "new, empty" in store.notice
    assert aside.read_bytes() == damaged  # kept as it was, nothing deleted
    assert store.sessions() == []
    runner, clock = new_runner()
    drive(runner, clock, max_steps=3, finish=False, sink=store.apply)
    assert store.load(runner.record.session_id) == runner.record  # the fresh file works
    return store, aside


def test_garbage_bytes_are_moved_aside(tmp_path: Path) -> None:
    path = tmp_path / "sessions.sqlite3"
    garbage = os.urandom(8192)
    path.write_bytes(garbage)
    store, _ = _opened_fresh(path, garbage)
    assert "not a database" in (store.notice or "")
    store.close()


def test_a_truncated_file_is_moved_aside(tmp_path: Path) -> None:
    path = tmp_path / "sessions.sqlite3"
    whole = _filled(path)
    half = whole[: len(whole) // 2]
    path.write_bytes(half)
    store, _ = _opened_fresh(path, half)
    store.close()


def test_a_file_cut_after_its_header_is_moved_aside(tmp_path: Path) -> None:
    path = tmp_path / "sessions.sqlite3"
    head = _filled(path)[:100]
    path.write_bytes(head)
    _opened_fresh(path, head)[0].close()


def test_damaged_pages_inside_a_valid_file_are_found_by_the_check(tmp_path: Path) -> None:
    path = tmp_path / "sessions.sqlite3"
    data = bytearray(_filled(path))
    page = 4096
    assert len(data) > 6 * page
    for p in range(2, len(data) // page):  # scribble over the page headers of every page but the first
        data[p * page : p * page + 12] = b"\xff" * 12
    path.write_bytes(bytes(data))
    store, _ = _opened_fresh(path, bytes(data))
    store.close()


def test_the_wal_goes_aside_with_its_file(tmp_path: Path) -> None:
    path = tmp_path / "sessions.sqlite3"
    path.write_bytes(b"this is not a database, but a shopping list" * 50)
    wal = Path(f"{path}-wal")
    wal.write_bytes(b"stale log")
    store, aside = _opened_fresh(path, path.read_bytes())
    assert Path(f"{aside}-wal").read_bytes() == b"stale log"
    store.close()


def test_a_healthy_file_gets_no_notice(tmp_path: Path) -> None:
    path = tmp_path / "sessions.sqlite3"
    _filled(path)
    with SessionStore.open(path) as store:
        assert store.notice is None
        assert len(store.sessions()) == 4
    assert not list(tmp_path.glob("*.corrupt-*"))


@pytest.mark.parametrize("damage", ["garbage", "truncated"])
def test_two_damaged_files_in_the_same_second_both_kept(tmp_path: Path, damage: str) -> None:
    path = tmp_path / "sessions.sqlite3"
    for _ in range(2):
        path.write_bytes(os.urandom(5000) if damage == "garbage" else _filled(path)[:3000])
        SessionStore.open(path).close()
    assert len(list(tmp_path.glob("sessions.sqlite3.corrupt-*[0-9]"))) == 2
