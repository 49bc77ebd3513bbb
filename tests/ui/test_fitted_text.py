"""Text that is never sliced through a line: FittedLabel, FittedColumn, FadingScrollArea (real widgets)."""

from __future__ import annotations

import math

import pytest
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from neck_guide.ui.palette import DARK
from neck_guide.ui.widgets.fitted_text import ELLIPSIS, FadingScrollArea, FittedColumn, FittedLabel

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

TEXT = (
    "Lift the muscle gently between thumb and fingers and roll it, working along its length. "
    "Pressure stays light to moderate, and the client says when it is too much."
)


def _inked_rows(image: QImage, colour: str, tolerance: float = 140) -> list[int]:
    """Rows with a pixel nearer ``colour`` than the background (text, antialiased edges too)."""
    ink, ground = QColor(colour), QColor(DARK.background)

    def nearer(c: QColor) -> bool:
        d_ink = math.dist((c.red(), c.green(), c.blue()), (ink.red(), ink.green(), ink.blue()))
        d_ground = math.dist((c.red(), c.green(), c.blue()), (ground.red(), ground.green(), ground.blue()))
        return d_ink < tolerance and d_ink < d_ground

    return [
        y for y in range(image.height()) if any(nearer(image.pixelColor(x, y)) for x in range(image.width()))
    ]


def _in_window(qtbot: QtBot, widget: QWidget, width: int, height: int) -> QWidget:
    window = QWidget()
    column = QVBoxLayout(window)
    column.setContentsMargins(0, 0, 0, 0)
    column.addWidget(widget)
    qtbot.addWidget(window)
    window.resize(width, height)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_a_label_too_short_for_its_text_shows_whole_lines_and_an_ellipsis(
    qtbot: QtBot, themed: QApplication
) -> None:
    label = FittedLabel(TEXT, "instructions")
    window = _in_window(qtbot, label, 320, 100)
    line_h = label.line_height()
    label.setFixedHeight(round(line_h * 2.6))  # room for two lines and a half
    qtbot.waitUntil(lambda: label.height() == round(line_h * 2.6))
    shown = label.shown_lines()
    assert len(shown) == 2 and len(label.lines(label.contentsRect().width())) > 2
    assert shown[-1].endswith(ELLIPSIS) and not shown[-1].endswith(" " + ELLIPSIS)
    assert label.is_elided() and label.toolTip() == TEXT  # the whole text is a hover away
    assert label.text() == TEXT  # and read out by a screen reader
    rows = _inked_rows(window.grab().toImage(), DARK.text)
    assert rows and max(rows) < 2 * line_h + 2, "nothing is painted below the second line: no half line"


def test_a_label_with_room_shows_all_of_its_text(qtbot: QtBot, themed: QApplication) -> None:
    label = FittedLabel(TEXT, "instructions")
    window = _in_window(qtbot, label, 320, 400)
    assert window.isVisible()
    assert label.shown_lines() == label.lines(label.contentsRect().width())
    assert not label.is_elided() and label.toolTip() == ""
    assert " ".join(label.shown_lines()) == " ".join(TEXT.split())


def test_its_height_wish_is_the_whole_text_and_any_whole_line_will_do(
    qtbot: QtBot, themed: QApplication
) -> None:
    label = FittedLabel(TEXT, "instructions", min_lines=1)
    window = _in_window(qtbot, label, 320, 400)
    assert window.isVisible()
    lines = len(label.lines(label.contentsRect().width()))
    assert label.sizeHint().height() == lines * label.line_height()
    assert label.minimumSizeHint().height() == label.line_height()
    assert not label.hasHeightForWidth()  # a wish, not a demand the layout must meet


def test_a_column_gives_the_first_label_its_lines_before_the_next(qtbot: QtBot, themed: QApplication) -> None:
    first = FittedLabel(TEXT, "instructions")
    second = FittedLabel("\n".join(f"☐  Check item {n}" for n in range(1, 7)), "muted")
    column = FittedColumn([first, second], spacing=6)
    window = _in_window(qtbot, column, 360, 200)
    assert window.isVisible()
    first_lines = len(first.lines(first.contentsRect().width()))
    assert len(first.shown_lines()) == first_lines and not first.is_elided()
    assert 0 < len(second.shown_lines()) < 6 and second.is_elided()
    for label in (first, second):  # each shows whole lines in the height it was given
        assert len(label.shown_lines()) * label.line_height() <= label.height()
        assert label.geometry().bottom() < column.height()


def test_a_column_lays_out_again_when_a_text_changes(qtbot: QtBot, themed: QApplication) -> None:
    first, second = FittedLabel("Short.", "instructions"), FittedLabel("Below.", "muted")
    column = FittedColumn([first, second])
    window = _in_window(qtbot, column, 360, 300)
    assert window.isVisible()
    top = second.geometry().top()
    first.set_full_text(TEXT)
    column.place()
    assert second.geometry().top() > top + first.line_height()


def test_a_scroll_area_fades_out_instead_of_slicing_a_line(qtbot: QtBot, themed: QApplication) -> None:
    text = QLabel("\n\n".join(f"•  Aftercare item number {n}, a line to read." for n in range(1, 20)))
    text.setProperty("role", "instructions")
    scroll = FadingScrollArea(text)
    window = _in_window(qtbot, scroll, 420, 300)
    assert window.isVisible()
    assert scroll.fades_shown() == (False, True)  # more below
    image = scroll.viewport().grab().toImage()
    bottom = image.height() - 1
    assert all(image.pixelColor(x, bottom) == QColor(DARK.background) for x in range(0, image.width(), 3))
    bar = scroll.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)
    assert scroll.fades_shown() == (True, True)
    bar.setValue(bar.maximum())
    assert scroll.fades_shown() == (True, False)  # all read: no fade at the bottom


def test_a_scroll_area_whose_content_fits_shows_no_fade(qtbot: QtBot, themed: QApplication) -> None:
    scroll = FadingScrollArea(QLabel("One short line."))
    window = _in_window(qtbot, scroll, 420, 300)
    assert window.isVisible()
    assert scroll.fades_shown() == (False, False)
