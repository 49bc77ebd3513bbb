"""The store keeps exactly what the runner recorded, and answers lists, histories and look-ups."""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from store_driver import drive, feed, new_runner

from neck_guide.engine.clock import FakeClock
from neck_guide.engine.events import CueDue, NoteAdded
from neck_guide.engine.runner import SessionRunner
from neck_guide.paths import resolve
from neck_guide.store import SessionNotFound, SessionStore, StoreError
from neck_guide.store.models import short_ids
from neck_guide.store.schema import SCHEMA_VERSION


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SessionStore]:
    s = SessionStore.open(tmp_path / "data" / "sessions.sqlite3")
    yield s
    s.close()


@pytest.mark.parametrize("protocol_id", ["trigger-point", "self-care", "clinical-neck"])
def test_stored_record_equals_the_runners_after_every_control(store: SessionStore, protocol_id: str) -> None:
    runner, clock = new_runner(protocol_id)
    differences: list[str] = []

    def compare() -> None:
        stored = store.load(runner.record.session_id).to_dict()
        live = runner.record.to_dict()
        differences.extend(k for k in live if stored[k] != live[k])

    drive(runner, clock, compare, sink=store.apply)
    assert runner.state == "finished"
    assert differences == []
    final = store.load(runner.record.session_id)
    assert final == runner.record
    assert final.status == "finished" and final.post_pain == 3 and final.pre_pain == 6
    assert any(v.pauses for v in final.steps) and any(v.extended_s for v in final.steps)
    assert {v.end_reason for v in final.steps} >= {"completed", "back"}
    assert {v.end_reason for v in final.steps} & {"released", "ended_early"}


def test_a_reopened_file_gives_the_same_record(tmp_path: Path) -> None:
    path = tmp_path / "sessions.sqlite3"
    with SessionStore.open(path) as store:
        runner, clock = new_runner()
        drive(runner, clock, sink=store.apply)
    with SessionStore.open(path) as again:
        assert again.load(runner.record.session_id) == runner.record


def test_cue_events_are_accepted_and_change_nothing(store: SessionStore) -> None:
    runner, clock = new_runner()
    drive(runner, clock, max_steps=3, finish=False, sink=store.apply)
    before = store.load(runner.record.session_id)
    cue = next(iter(runner.cues_for(0)))
    store.apply(CueDue("2026-01-05T09:10:00.000+00:00", 0, cue, 12.0))
    assert store.load(runner.record.session_id) == before


def test_a_session_that_lost_its_voice_says_so_at_once(store: SessionStore) -> None:
    runner, clock = new_runner()
    drive(runner, clock, max_steps=2, finish=False, sink=store.apply)
    assert store.load(runner.record.session_id).voice is True
    feed(store.apply, runner.set_voice(clock.monotonic(), False))
    assert store.load(runner.record.session_id).voice is False  # before the session ends


def test_an_event_before_any_session_is_refused(store: SessionStore) -> None:
    with pytest.raises(StoreError, match="before any session started"):
        store.apply(NoteAdded("2026-01-05T09:00:00.000+01:00", "hello"))


def test_file_is_wal_full_sync_and_current_schema(store: SessionStore) -> None:
    conn = store.connection
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_folder_and_files_are_owner_only(tmp_path: Path) -> None:
    os.umask(0o022)
    paths = resolve(tmp_path / "home")
    with SessionStore.open(paths.database) as store:
        runner, clock = new_runner()
        drive(runner, clock, max_steps=2, finish=False, sink=store.apply)
        files = [paths.database, Path(f"{paths.database}-wal"), Path(f"{paths.database}-shm")]
        assert all(f.exists() for f in files)
        assert stat.S_IMODE(paths.data.stat().st_mode) == 0o700
        for f in files:
            assert stat.S_IMODE(f.stat().st_mode) == 0o600, f


def _session(
    store: SessionStore,
    clock: FakeClock,
    sid: str,
    client: str | None,
    *,
    practice: bool,
    pre: int,
    post: int,
) -> SessionRunner:
    runner, _ = new_runner("self-care", client=client, practice=practice, session_id=sid, clock=clock)
    feed(store.apply, runner.begin(clock.advance(3600)))
    feed(store.apply, runner.record_pain(clock.advance(10), "pre", pre))
    feed(store.apply, runner.start(clock.advance(5)))
    feed(store.apply, runner.rate(clock.advance(5), "pressure", 5))
    feed(store.apply, runner.finish(clock.advance(60)))
    feed(store.apply, runner.record_pain(clock.advance(10), "post", post))
    return runner


def _three_sessions(store: SessionStore) -> None:
    clock = FakeClock()
    _session(store, clock, "aaaa1111-first", "C-1", practice=False, pre=7, post=5)
    _session(store, clock, "aaaa2222-practice", "C-1", practice=True, pre=2, post=2)
    _session(store, clock, "bbbb3333-other", "C-2", practice=False, pre=5, post=1)
    _session(store, clock, "cccc4444-anon", None, practice=True, pre=0, post=0)


def test_summaries_filter_by_client_and_practice(store: SessionStore) -> None:
    _three_sessions(store)
    every = store.sessions()
    assert [s.session_id for s in every] == [
        "aaaa1111-first", "aaaa2222-practice", "bbbb3333-other", "cccc4444-anon"
    ]  # fmt: skip
    first = every[0]
    assert (first.client_code, first.protocol_id, first.status, first.practice) == (
        "C-1",
        "self-care",
        "ended_early",
        False,
    )
    assert (first.pre_pain, first.post_pain, first.pain_change) == (7, 5, -2)
    assert (first.visits, first.steps_done, first.protocol_steps) == (1, 0, 53)
    assert first.ratings == 1 and first.short_id == "aaaa1111"
    assert [s.session_id for s in store.sessions(client="C-1")] == ["aaaa1111-first", "aaaa2222-practice"]
    assert [s.session_id for s in store.sessions(practice=False)] == ["aaaa1111-first", "bbbb3333-other"]
    assert [s.session_id for s in store.sessions(client="C-1", practice=True)] == ["aaaa2222-practice"]


def test_history_keeps_practice_apart_and_in_time_order(store: SessionStore) -> None:
    _three_sessions(store)
    history = store.history("C-1")
    assert [s.session_id for s in history.treatments] == ["aaaa1111-first"]
    assert [s.session_id for s in history.practice] == ["aaaa2222-practice"]
    assert history.first_seen == store.load("aaaa1111-first").started_at
    assert history.pain_series == [(history.treatments[0].started_at, 7, 5)]
    nobody = store.history("C-404")
    assert nobody.first_seen is None and nobody.treatments == [] and nobody.practice == []


def test_clients_are_listed_with_first_seen_and_counts(store: SessionStore) -> None:
    _three_sessions(store)
    clients = store.clients()
    assert [(c.code, c.sessions) for c in clients] == [("C-1", 2), ("C-2", 1)]
    assert clients[0].first_seen < clients[1].first_seen


def test_find_resolves_a_unique_prefix_and_refuses_others(store: SessionStore) -> None:
    _three_sessions(store)
    assert store.find("bbbb") == "bbbb3333-other"
    assert store.find("aaaa1111-first") == "aaaa1111-first"
    with pytest.raises(SessionNotFound, match="fits 2 sessions") as ambiguous:
        store.find("aaaa")
    assert "aaaa1111-first" in str(ambiguous.value) and "aaaa2222-practice" in str(ambiguous.value)
    with pytest.raises(SessionNotFound, match="no session id starts with 'zzz'"):
        store.find("zzz")
    for empty in ("", "  "):  # item 11: an empty id is refused, never "every session"
        with pytest.raises(SessionNotFound, match="no session id given"):
            store.find(empty)
    with pytest.raises(SessionNotFound):
        store.load("nope")


def test_unfinished_sessions_are_found_and_closed_out_at_their_last_event(store: SessionStore) -> None:
    runner, clock = new_runner()
    drive(runner, clock, max_steps=6, finish=False, sink=store.apply)
    feed(store.apply, runner.rate(clock.advance(4), "pressure", 6))
    last_event_at = runner.record.steps[-1].ratings[-1].at
    (left,) = store.unfinished()
    assert left == runner.record and left.status == "running"
    closed = store.close_out(left.session_id, at="2026-02-01T10:00:00.000+01:00")
    assert closed.status == "interrupted"
    assert closed.ended_at == last_event_at
    cut = closed.steps[-1]
    assert (cut.ended_at, cut.end_reason) == (last_event_at, "interrupted")
    assert cut.actual_s == runner.record.steps[-1].actual_s and cut.actual_s  # its last heartbeat
    (stop,) = closed.interruptions
    assert (stop.at, stop.visit, stop.found_at, stop.handled) == (
        last_event_at,
        cut.visit,
        "2026-02-01T10:00:00.000+01:00",
        "closed_out",
    )
    assert store.unfinished() == []
    assert store.close_out(left.session_id) == closed  # a second close-out changes nothing


def test_a_resumed_session_carries_on_in_the_same_record(tmp_path: Path) -> None:
    path = tmp_path / "sessions.sqlite3"
    with SessionStore.open(path) as store:
        runner, clock = new_runner()
        drive(runner, clock, max_steps=5, finish=False, sink=store.apply)
    with SessionStore.open(path) as store:
        (left,) = store.unfinished()
        resumed = SessionRunner.from_record(runner.plan, clock, left)
        store.save(resumed.record)  # the runner closed the visit cut off by the crash
        assert feed(store.apply, resumed.start(clock.advance(30)))
        feed(store.apply, resumed.finish(clock.advance(30)))
        assert store.load(left.session_id) == resumed.record
        assert store.load(left.session_id).status == "ended_early"  # finished 30 s into the next step


def test_the_store_refuses_a_folder_in_place_of_the_file(tmp_path: Path) -> None:
    (tmp_path / "sessions.sqlite3").mkdir()
    with pytest.raises(StoreError, match="is a folder"):
        SessionStore.open(tmp_path / "sessions.sqlite3")
    assert (tmp_path / "sessions.sqlite3").is_dir()


def test_every_commit_is_visible_to_another_connection_at_once(store: SessionStore) -> None:
    runner, clock = new_runner()
    other = sqlite3.connect(store.path)
    feed(store.apply, runner.begin(clock.advance(1)))
    assert other.execute("SELECT count(*) FROM sessions").fetchone()[0] == 1
    feed(store.apply, runner.start(clock.advance(1)))
    assert other.execute("SELECT count(*) FROM step_visits").fetchone()[0] == 1
    feed(store.apply, runner.record_pain(clock.advance(1), "pre", 4))
    assert other.execute("SELECT pre_pain FROM sessions").fetchone()[0] == 4
    other.close()


def test_short_ids_are_as_long_as_needed_to_tell_sessions_apart() -> None:
    ids = ["3f9a0c11d2e4", "3f9a0c11d9aa", "77b0e2c4aa01", "77b0"]
    assert short_ids(ids) == {
        "3f9a0c11d2e4": "3f9a0c11d2",
        "3f9a0c11d9aa": "3f9a0c11d9",
        "77b0e2c4aa01": "77b0e2c4",
        "77b0": "77b0",
    }


def test_listed_short_ids_are_unique_in_the_whole_file_not_just_the_list(store: SessionStore) -> None:
    """Item 11: a client's list must not show a prefix that also fits another client's session."""
    clock = FakeClock()
    _session(store, clock, "abcdef12345-one", "C-1", practice=False, pre=1, post=1)
    _session(store, clock, "abcdef12399-two", "C-2", practice=False, pre=1, post=1)
    (only,) = store.sessions(client="C-1")
    assert only.short_id == "abcdef1234"
    assert store.find(only.short_id) == "abcdef12345-one"
