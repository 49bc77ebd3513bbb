"""Marks made before the session waits, an earlier session's chart to compare (session.body_chart)."""

from __future__ import annotations

from neck_guide.engine.record import BodyMark, SessionRecord
from neck_guide.session.body_chart import PendingMarks, describe, earlier_charts, mark_at, new_mark


def test_a_tap_on_the_body_is_a_mark_and_off_it_none() -> None:
    mark = new_mark("posterior", 180.04, 170.0, 6, "local")
    assert mark is not None
    assert (mark.region, mark.side, mark.muscle, mark.x) == ("neck", "left", "upper_trapezius", 180.0)
    assert describe(mark) == "Neck, left (Upper trapezius): 6/10, local"
    assert new_mark("posterior", 5, 5, 6, "local") is None


def test_a_tap_near_a_mark_picks_it_on_its_own_view() -> None:
    a = BodyMark(1, "t", "posterior", 100, 100, "shoulder", "left", None, 5, "local")
    b = BodyMark(2, "t", "posterior", 120, 100, "shoulder", "left", None, 5, "local")
    front = BodyMark(3, "t", "anterior", 100, 100, "chest", "right", None, 5, "local")
    assert mark_at([a, b, front], "posterior", 108, 101) is a
    assert mark_at([a, b, front], "posterior", 113, 100) is b
    assert mark_at([a, b, front], "posterior", 100, 130) is None
    assert mark_at([a, b, front], "anterior", 101, 99) is front


def test_pending_marks_are_numbered_as_the_record_will_and_taken_once() -> None:
    pending = PendingMarks()
    first = new_mark("posterior", 180, 170, 6, "local")
    second = new_mark("anterior", 180, 300, 3, "referred")
    assert first is not None and second is not None
    assert pending.add(first, 5.0).number == 1
    assert pending.add(second, 9.0).number == 2
    pending.remove(1)
    assert [m.number for m in pending.marks()] == [2]
    assert [(m.region, given) for m, given in pending.take()] == [("chest", 9.0)]
    assert pending.take() == [] and pending.marks() == []


def _record(sid: str, day: str, marks: int, practice: bool = False) -> SessionRecord:
    record = SessionRecord(sid, "p", "1", "Clinical neck", "C-1", practice, 1.0, f"{day}T10:00:00.000+01:00")
    for n in range(marks):
        record.body_marks.append(BodyMark(n + 1, "t", "posterior", 100, 100, "neck", None, None, 4, "local"))
    return record


def test_earlier_charts_are_the_treatments_with_marks_newest_first() -> None:
    records = [
        _record("a", "2026-01-05", 2),
        _record("b", "2026-01-12", 0),
        _record("c", "2026-01-19", 1, practice=True),
        _record("d", "2026-01-26", 1),
        _record("now", "2026-02-02", 3),
    ]
    charts = earlier_charts(records, current="now")
    assert [(c.session_id, c.label, len(c.marks)) for c in charts] == [
        ("d", "26 Jan 2026", 1),
        ("a", "05 Jan 2026", 2),
    ]
    assert charts[0].title == "Clinical neck"
