"""The runner page's dense layout: a short window at a large text size gives the step the height.

Real widgets offscreen; the whole-page walks over every step are in test_runner_text.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot
from window_helpers import OFFSCREEN_NOISE, FakeDecisions, WindowOpener, key_a_moment_later, with_text_scale

from neck_guide.engine.clock import FakeClock
from neck_guide.session.launch import StartChoice
from neck_guide.ui.theme import MIN_TOUCH_PX
from neck_guide.ui.widgets.phase_strip import PhaseStrip
from neck_guide.ui.widgets.rating_pad import RatingPad

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)


def _shown(qtbot: QtBot, widget: QWidget, width: int, height: int) -> None:
    qtbot.addWidget(widget)
    widget.resize(width, height)
    widget.show()
    qtbot.waitExposed(widget)


def test_a_dense_phase_strip_is_one_row_with_the_status_at_its_right(
    qtbot: QtBot, themed: QApplication
) -> None:
    strip = PhaseStrip()
    strip.set_phases(["Assessment", "Warm-up", "Key muscles", "Finish"])
    strip.set_position(2, 12, 40, 600)
    two_rows = strip.sizeHint().height()
    strip.set_dense(True)
    assert strip.sizeHint().height() < two_rows * 0.7
    _shown(qtbot, strip, 1000, strip.sizeHint().height())
    image = strip.grab().toImage()
    # the current phase is filled with the accent at the left; the right holds the status text
    assert strip.status_text() == "Step 12 of 40 · about 10 min left"
    right = [image.pixelColor(x, y) for x in range(600, 1000, 3) for y in range(0, strip.height(), 3)]
    assert len({c.name() for c in right}) > 2  # text is painted there, not an empty band


def test_a_dense_pad_asks_beside_its_buttons_and_marks_ease_off_on_them(
    qtbot: QtBot, themed: QApplication
) -> None:
    pad = RatingPad()
    pad.set_spec("Pressure", (3, 5), 6)
    stacked = pad.sizeHint().height()
    pad.set_dense(True)
    _shown(qtbot, pad, 1000, pad.sizeHint().height())
    assert pad.sizeHint().height() < stacked * 0.8
    ask = pad.ask_label.mapTo(pad, QPoint(0, 0))
    first = pad.buttons[0].mapTo(pad, QPoint(0, 0))
    assert ask.x() + pad.ask_label.width() <= first.x()  # beside, not above
    assert pad.target_label.isVisible() and not pad.ease_off_label.isVisible()
    assert [b.property("ease_off") for b in pad.buttons] == [False] * 6 + [True] * 4  # amber edges
    assert all(b.height() >= MIN_TOUCH_PX and b.width() >= MIN_TOUCH_PX for b in pad.buttons)
    pad.set_dense(False)
    assert pad.ease_off_label.isVisible()


@pytest.mark.parametrize(
    ("text_scale", "size", "dense"),
    [
        (1.0, (1024, 600), False),
        (1.5, (1024, 600), True),
        (1.5, (1280, 800), False),
        (2.0, (1280, 800), True),
    ],
)
def test_the_page_goes_dense_only_when_short_for_its_text(
    open_window: WindowOpener,
    themed: QApplication,
    tmp_path: Path,
    *,
    text_scale: float,
    size: tuple[int, int],
    dense: bool,
) -> None:
    home = with_text_scale(tmp_path / "home", text_scale)
    app = open_window(home, FakeClock(), FakeDecisions(), size=size)
    app.window.open_screening(StartChoice("clinical-neck", None, False))
    page = app.window.screening_page
    QTest.mouseClick(page.all_no, Qt.MouseButton.LeftButton)
    QTest.mouseClick(page.start, Qt.MouseButton.LeftButton)
    runner = app.window.runner_page
    QApplication.processEvents()
    assert runner.dense == dense
    assert runner.phase_strip.dense == dense and runner.rating_pad.dense == dense
    assert runner.auto_advance.text() == ("Auto" if dense else "Auto-advance")
    app.model.finish()


def test_the_drawing_steps_aside_only_when_the_safety_text_needs_its_room(
    open_window: WindowOpener, themed: QApplication, tmp_path: Path
) -> None:
    """SCM pinch and roll at 1.5× in 1024×600: the banner is long, so the ring shrinks to its readable
    minimum and the drawing goes; the title lines and the banner are whole."""
    home = with_text_scale(tmp_path / "home", 1.5)
    app = open_window(home, FakeClock(), FakeDecisions(), size=(1024, 600))
    app.window.open_screening(StartChoice("clinical-neck", None, False))
    page = app.window.screening_page
    QTest.mouseClick(page.all_no, Qt.MouseButton.LeftButton)
    QTest.mouseClick(page.start, Qt.MouseButton.LeftButton)
    QTest.keyClick(app.window, Qt.Key.Key_Space)
    runner, model = app.window.runner_page, app.model.active
    first_drawn = None
    while not (model.current.step.safety and model.current.timed):
        QApplication.processEvents()
        if model.current.step.diagram is not None and first_drawn is None:
            first_drawn = runner.diagram.isVisible()
        key_a_moment_later(app)
    QApplication.processEvents()
    assert first_drawn  # a step without a long banner keeps its drawing
    panel = runner.step_panel
    assert not runner.diagram.isVisible()
    assert panel.safety.heightForWidth(panel.safety.width()) <= panel.safety.height()
    assert runner.ring.width() >= 0.15 * app.window.height() / 0.43 - 1
    app.model.finish()
