"""The layouts that give way to large text (neck_guide.ui.layouts) and the top bar's More menu, on
their own: real widgets, offscreen, the dark theme."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTabBar,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot
from window_helpers import OFFSCREEN_NOISE, text_problems

from neck_guide.ui.layouts import ColumnFlow, WrapRow
from neck_guide.ui.widgets.common import button, label
from neck_guide.ui.widgets.overflow_bar import KEEP, OverflowBar

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)


def _shown(qtbot: QtBot, widget: QWidget, width: int) -> None:
    qtbot.addWidget(widget)
    height = widget.heightForWidth(width)
    widget.resize(width, height if height > 0 else widget.sizeHint().height())
    widget.show()
    qtbot.waitExposed(widget)
    QApplication.processEvents()


def _row(*names: str) -> tuple[QWidget, WrapRow, dict[str, QPushButton]]:
    """Buttons in a WrapRow; a "|" among the names is the stretch."""
    holder = QWidget()
    row = WrapRow(holder, spacing=10)
    buttons = {}
    for name in names:
        if name == "|":
            row.add_stretch()
        else:
            buttons[name] = button(name)
            row.addWidget(buttons[name])
    return holder, row, buttons


def _one_line_width(buttons: dict[str, QPushButton]) -> int:
    return sum(b.sizeHint().width() for b in buttons.values()) + 10 * (len(buttons) - 1)


def test_a_wrap_row_is_one_row_while_it_fits_and_never_squeezes_a_button(
    qtbot: QtBot, themed: QApplication
) -> None:
    holder, row, buttons = _row("Export", "CSV", "|", "History", "New session")
    wide = _one_line_width(buttons)
    _shown(qtbot, holder, wide + 40)
    assert len({b.y() for b in buttons.values()}) == 1
    assert buttons["New session"].geometry().right() == holder.width() - 1  # the right part at the right
    assert buttons["CSV"].geometry().right() < buttons["History"].x() - 10  # the stretch between
    holder.resize(wide - 20, row.heightForWidth(wide - 20))
    QApplication.processEvents()
    first, second = (
        {buttons["Export"].y(), buttons["CSV"].y()},
        {buttons["History"].y(), buttons["New session"].y()},
    )
    assert len(first) == 1 and len(second) == 1 and first != second  # the right part moves as one
    assert buttons["New session"].geometry().right() == holder.width() - 1
    assert all(b.width() >= b.sizeHint().width() for b in buttons.values())
    assert row.heightForWidth(wide - 20) > row.heightForWidth(wide + 40)


def test_text_beside_buttons_wraps_up_to_two_lines_then_takes_a_row_of_its_own(
    qtbot: QtBot, themed: QApplication
) -> None:
    holder = QWidget()
    row = WrapRow(holder, spacing=10)
    status = label("Red flag: give a reason and acknowledge it, or cancel.", "instructions", wrap=True)
    row.addWidget(status)
    row.add_stretch()
    go = button("Start session")
    row.addWidget(go)
    one_line = status.sizeHint().height()
    _shown(qtbot, holder, 900)
    assert status.y() < go.geometry().bottom() and go.y() < status.geometry().bottom()  # side by side
    holder.resize(520, row.heightForWidth(520))
    QApplication.processEvents()
    assert status.geometry().bottom() < go.y()  # above the button now
    assert status.height() < 2 * one_line  # and on one line again
    assert status.heightForWidth(status.width()) <= status.height()


def test_columns_are_as_many_as_the_widest_minimum_allows(qtbot: QtBot, themed: QApplication) -> None:
    holder = QWidget()
    grid = ColumnFlow(holder, spacing=12, max_columns=3)
    cards = [QLabel(text) for text in ("one", "two", "three", "four")]
    for card in cards:
        card.setMinimumWidth(200)
        grid.addWidget(card)
    _shown(qtbot, holder, 3 * 200 + 2 * 12)
    assert [c.y() for c in cards] == [cards[0].y()] * 3 + [cards[3].y()]  # three across, then one
    assert len({c.width() for c in cards}) == 1  # equal columns
    holder.resize(3 * 200 + 2 * 12 - 1, 400)
    QApplication.processEvents()
    assert grid.columns(holder.width()) == 2
    assert cards[0].y() == cards[1].y() < cards[2].y() == cards[3].y()
    assert all(c.width() >= 200 for c in cards)
    assert grid.columns(150) == 1


def test_the_bar_gives_way_brand_first_then_by_priority_and_more_holds_the_rest(
    qtbot: QtBot, themed: QApplication
) -> None:
    bar = OverflowBar()
    brand = label("Neck Guide", "subtitle")
    bar.set_brand(brand)
    buttons = {name: button(name) for name in ("New session", "History", "Settings", "Mute", "Full screen")}
    priorities = {"New session": KEEP, "History": 2, "Settings": 1, "Mute": KEEP, "Full screen": 0}
    for name, b in buttons.items():
        bar.add_button(b, priority=priorities[name])
    _shown(qtbot, bar, bar.sizeHint().width())
    assert brand.isVisible() and not bar.more.isVisible() and not bar.overflow()
    seen: list[list[str]] = []
    for width in range(bar.sizeHint().width(), bar.minimumSizeHint().width() - 1, -20):
        bar.resize(width, bar.height())
        QApplication.processEvents()
        moved = [b.text() for b in bar.overflow()]
        if not seen or seen[-1] != moved:
            seen.append(moved)
        assert bar.more.isVisible() == bool(moved)
        shown = [w for w in (brand, *buttons.values(), bar.more) if w.isVisible()]
        assert all(bar.rect().contains(w.geometry()) for w in shown)
    assert not brand.isVisible()
    assert seen == [[], ["Full screen"], ["Settings", "Full screen"], ["History", "Settings", "Full screen"]]
    assert buttons["New session"].isVisible() and buttons["Mute"].isVisible()


def test_the_text_checks_of_the_page_tests_see_cut_text(qtbot: QtBot, themed: QApplication) -> None:
    """window_helpers.text_problems, which the page tests rely on, against controls cut on purpose."""
    holder = QWidget()
    column = QVBoxLayout(holder)
    edit = QLineEdit()
    edit.setPlaceholderText("Client code (optional)")
    spin = QSpinBox()
    spin.setRange(-1, 90)
    spin.setSpecialValueText("not measured")
    spin.setValue(-1)  # shows the special-value text
    combo = QComboBox()
    combo.addItems(["Follow the system"])
    box = QCheckBox("Go ahead anyway: I have checked this")
    tabs = QTabBar()
    tabs.addTab("Treatment (5)")
    tabs.addTab("Practice (0)")
    words = label("Neuromuscular trigger point session", "subtitle", wrap=True)
    controls: list[QWidget] = [edit, spin, combo, box, tabs, words]
    for control in controls:
        column.addWidget(control)
    _shown(qtbot, holder, 700)
    assert [text_problems(c) for c in controls] == [[]] * len(controls)
    for control in controls:
        control.setFixedWidth(60)
    QApplication.processEvents()
    assert [bool(text_problems(c)) for c in controls] == [True] * len(controls)
