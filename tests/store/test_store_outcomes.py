"""Outcome measures in the records file: questionnaire responses written whole and read back the
same, body marks as timed events (and taken back as new entries), through the store and the
journal, in a real SQLite file."""

from __future__ import annotations

from pathlib import Path

from store_driver import new_runner

from neck_guide.engine.events import Event
from neck_guide.engine.record import BodyMark
from neck_guide.engine.runner import SessionRunner
from neck_guide.paths import BUNDLED_QUESTIONNAIRES_DIR
from neck_guide.questionnaire.loader import QuestionnaireCatalog
from neck_guide.questionnaire.response import Answer, ResponseRecord
from neck_guide.questionnaire.scoring import score
from neck_guide.store import SessionStore
from neck_guide.store.journal import SessionJournal

CATALOG = QuestionnaireCatalog.load(BUNDLED_QUESTIONNAIRES_DIR, None)
WAIT_S = 10.0


def _ndi(rid: str, client: str, day: str, values: list[int | None]) -> ResponseRecord:
    ndi = CATALOG.get("ndi")
    record = ResponseRecord.begin(ndi, rid, client, "intake", f"{day}T09:00:00.000+01:00")
    for n, (item, value) in enumerate(zip(ndi.items, values, strict=True)):
        record.answers.append(Answer(item.id, value, f"{day}T09:00:{10 + n:02d}.000+01:00"))
    record.answers.append(Answer("lifting", 1, f"{day}T09:00:40.000+01:00"))  # changed after going back
    record.status, record.completed_at = "completed", f"{day}T09:01:00.000+01:00"
    record.set_score(score(ndi, record.values()))
    return record


def test_a_response_reads_back_exactly_as_written(tmp_path: Path) -> None:
    record = _ndi("r1", "c-0042", "2026-03-02", [3, 2, 2, 1, 2, 2, 2, None, 2, 2])
    record.session_id = "s-1"
    with SessionStore.open(tmp_path / "sessions.sqlite3") as store:
        store.save_response(record)
        record.client_code = "C-0042"  # stored in its one spelling
        assert store.responses(client="c-0042") == [record]
        assert store.responses(session_id="s-1") == [record]
        assert store.responses(session_id="s-2") == []
        assert [c.code for c in store.clients()] == ["C-0042"]
        (back,) = store.responses()
    assert back.values()["lifting"] == 1 and back.values()["driving"] is None
    assert (back.total, back.percent, back.answered, back.placeholder) == (
        18.9,
        37.8,
        9,
        True,
    )  # 17 of a possible 45


def test_saving_again_replaces_the_whole_response(tmp_path: Path) -> None:
    record = _ndi("r1", "C-1", "2026-03-02", [1] * 10)
    with SessionStore.open(tmp_path / "sessions.sqlite3") as store:
        store.save_response(record)
        record.answers.append(Answer("work", 4, "2026-03-02T09:02:00.000+01:00"))
        record.set_score(score(CATALOG.get("ndi"), record.values()))
        store.save_response(record)
        later = _ndi("r0", "C-1", "2026-04-02", [0] * 10)
        store.save_response(later)
        assert store.responses(client="C-1") == [record, later]  # in the order started


def _mark(view: str = "posterior", region: str = "neck", intensity: int = 6) -> BodyMark:
    return BodyMark(0, "", view, 180.5, 160.25, region, "left", "upper_trapezius", intensity, "local")  # type: ignore[arg-type]


def test_body_marks_and_their_removal_are_events_with_their_own_time(tmp_path: Path) -> None:
    runner, clock = new_runner("self-care")
    with SessionStore.open(tmp_path / "sessions.sqlite3") as store:

        def apply(events: list[Event]) -> None:
            for e in events:
                store.apply(e)

        apply(runner.begin(clock.advance(1)))
        apply(runner.mark_body(clock.advance(5), _mark(), given=clock.monotonic() - 2))
        apply(runner.mark_body(clock.advance(5), _mark("anterior", "chest", 3)))
        apply(runner.remove_mark(clock.advance(5), 1))
        apply(runner.mark_body(clock.advance(5), _mark(intensity=4)))
        stored = store.load(runner.record.session_id)
    assert stored == runner.record
    assert [(m.number, m.region, m.intensity) for m in stored.marks()] == [(2, "chest", 3), (3, "neck", 4)]
    assert [m.number for m in stored.body_marks] == [1, 2, 3]  # the one taken back is kept
    first = stored.body_marks[0]
    assert first.at < stored.body_marks[1].at and (first.x, first.y) == (180.5, 160.25)
    assert stored.marks_removed[0].number == 1


def test_a_whole_record_carries_its_body_marks(tmp_path: Path) -> None:
    runner, clock = new_runner("self-care")
    runner.begin(clock.advance(1))
    runner.mark_body(clock.advance(1), _mark())
    runner.remove_mark(clock.advance(1), 1)
    with SessionStore.open(tmp_path / "sessions.sqlite3") as store:
        store.save(runner.record)  # as a resumed session is written
        assert store.load(runner.record.session_id) == runner.record


def test_marks_out_of_range_are_refused_before_they_are_recorded() -> None:
    runner, clock = new_runner("self-care")
    runner.begin(clock.advance(1))
    for bad in (_mark(intensity=11), _mark(intensity=-1)):
        try:
            runner.mark_body(clock.advance(1), bad)
        except ValueError as e:
            assert "0..10" in str(e)
        else:
            raise AssertionError("an intensity out of range was recorded")
    try:
        runner.remove_mark(clock.advance(1), 7)
    except ValueError as e:
        assert "no body mark 7" in str(e)
    assert runner.record.body_marks == [] and runner.record.marks_removed == []


def test_the_journal_writes_responses_in_turn_with_the_session(tmp_path: Path) -> None:
    path = tmp_path / "sessions.sqlite3"
    journal = SessionJournal(path).start()
    runner: SessionRunner
    runner, clock = new_runner("self-care", client="C-0042")
    try:
        for e in runner.begin(clock.advance(1)):
            journal.append(e)
        record = _ndi("r1", "C-0042", "2026-03-02", [2] * 10)
        journal.save_response(record)
        record.session_id = runner.record.session_id  # linked once the session began
        journal.save_response(record)
        record.answers.append(Answer("work", 5, "2026-03-02T09:05:00.000+01:00"))  # not handed over
        assert journal.flush(WAIT_S)
    finally:
        assert journal.close()
    with SessionStore.open(path) as store:
        (stored,) = store.responses(session_id=runner.record.session_id)
    assert stored.values()["work"] == 2  # the copy handed over, not the record changed afterwards
