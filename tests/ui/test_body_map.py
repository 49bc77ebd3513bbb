"""Marking the body on the real window: taps on the diagrams, an intensity, local or referred, a mark
taken back, the marks recorded as the session begins at the times they were made, an earlier
session's marks beside today's."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget
from window_helpers import OFFSCREEN_NOISE, FakeDecisions, WindowOpener

from neck_guide.engine.clock import FakeClock
from neck_guide.engine.record import BodyMark
from neck_guide.engine.runner import SessionRunner
from neck_guide.paths import BUNDLED_PROTOCOLS_DIR
from neck_guide.protocol.loader import Catalog
from neck_guide.protocol.plan import expand
from neck_guide.session.launch import StartChoice
from neck_guide.store import SessionStore
from neck_guide.ui.widgets.body_canvas import BodyCanvas

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)


def tap_body(canvas: BodyCanvas, x: float, y: float) -> None:
    point = canvas.to_widget(x, y)
    QTest.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=QPoint(round(point.x()), round(point.y())))


def _earlier_session(home: Path) -> str:
    """A finished session of C-0042 a week before, with two marks (written as the engine does)."""
    clock = FakeClock(start=10.0)
    plan = expand(Catalog.load(BUNDLED_PROTOCOLS_DIR, None).get("self-care"))
    runner = SessionRunner(plan, clock, client_code="C-0042")
    runner.begin(clock.advance(1))
    mark = BodyMark(0, "", "posterior", 160, 230, "shoulder", "left", "upper_trapezius", 8, "local")
    runner.mark_body(clock.advance(1), mark)
    runner.finish(clock.advance(60))
    (home / "data").mkdir(parents=True, exist_ok=True)
    with SessionStore.open(home / "data" / "sessions.sqlite3") as store:
        store.save(runner.record)
    return f"{datetime.fromisoformat(runner.record.started_at):%d %b %Y}"


def test_marking_the_body_before_the_session_and_comparing(open_window: WindowOpener, tmp_path: Path) -> None:
    earlier_day = _earlier_session(tmp_path)
    clock = FakeClock(start=100_000.0)
    app = open_window(tmp_path, clock, FakeDecisions())
    app.window.open_screening(StartChoice("self-care", "C-0042", False))
    screening = app.window.screening_page
    QTest.mouseClick(screening.body_map, Qt.MouseButton.LeftButton)
    page = app.window.body_map.page
    assert page is not None and app.window.current_page() is page
    assert page.earlier_title.text() == f"Earlier: {earlier_day}"
    assert page.earlier_title.toolTip() == "Neck self-care routine"
    assert [(m.region, m.intensity) for m in page.earlier_canvas.marks] == [("shoulder", 8)]

    clock.advance(5)
    tap_body(page.canvas, 180, 170)  # the left side of the neck, seen from behind
    assert "Now tap how much it hurts" in page.status.text()
    QTest.mouseClick(page.scale.button_for(6), Qt.MouseButton.LeftButton)
    QTest.mouseClick(page.views.buttons()[1], Qt.MouseButton.LeftButton)  # Front
    assert page.earlier_canvas.marks == []  # the earlier mark is on the back
    QTest.mouseClick(page.referred, Qt.MouseButton.LeftButton)
    clock.advance(5)
    tap_body(page.canvas, 180, 300)  # the chest, the client's right
    QTest.mouseClick(page.scale.button_for(3), Qt.MouseButton.LeftButton)
    tap_body(page.canvas, 20, 20)  # off the body: nothing
    assert "off the body" in page.status.text()
    QTest.mouseClick(page.views.buttons()[0], Qt.MouseButton.LeftButton)  # Back again
    tap_body(page.canvas, 182, 172)  # on the first mark: picks it
    assert page.status.text().startswith("Mark 1, Neck, left (Upper trapezius): 6/10, local.")
    QTest.mouseClick(page.remove, Qt.MouseButton.LeftButton)
    QTest.mouseClick(page.local, Qt.MouseButton.LeftButton)  # the choice stays until changed
    clock.advance(5)
    tap_body(page.canvas, 130, 225)
    QTest.mouseClick(page.scale.button_for(5), Qt.MouseButton.LeftButton)
    assert [(m.number, m.region, m.intensity) for m in page.canvas.marks] == [(3, "shoulder", 5)]
    QTest.mouseClick(page.done_button, Qt.MouseButton.LeftButton)
    assert app.window.current_page() is screening

    clock.advance(5)
    screening.all_no.click()
    clock.advance(5)
    screening.start.click()
    runner = app.model.runner
    assert runner is not None
    app.journal.flush(10)
    with SessionStore.open(app.paths.database) as store:
        record = store.load(runner.record.session_id)
    marks = record.marks()
    assert [(m.number, m.view, m.region, m.side, m.muscle, m.intensity, m.pattern) for m in marks] == [
        (1, "anterior", "chest", "right", "pectoralis_major", 3, "referred"),
        (2, "posterior", "shoulder", "left", "upper_trapezius", 5, "local"),
    ]
    assert record.started_at < marks[0].at < marks[1].at  # each at the time it was made
    assert marks[1].at < record.screening[0].at  # made before the screening was answered


def test_every_part_of_the_map_shows_at_1024x600(open_window: WindowOpener, tmp_path: Path) -> None:
    from window_helpers import text_problems

    app = open_window(tmp_path, size=(1024, 600))
    app.window.open_screening(StartChoice("self-care", None, False))
    app.window.screening_page.body_map.click()
    page = app.window.body_map.page
    assert page is not None
    problems = [p for w in page.findChildren(QWidget) if w.isVisible() for p in (text_problems(w) or [])]
    assert problems == []
    assert page.canvas.height() > 150 and page.earlier_canvas.height() > 150
