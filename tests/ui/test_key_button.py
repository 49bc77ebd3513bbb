"""A control button shows its key under the title only where the key line fits whole."""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from neck_guide.ui.theme import MIN_TOUCH_PX
from neck_guide.ui.widgets.runner_parts import KeyButton


def test_the_key_line_is_drawn_only_when_it_fits(qtbot: QtBot, themed: QApplication) -> None:
    """In the app's theme (its font size): alone, or after a test that restored Qt's own font, the
    button's default font was too small for 1.5x to spill, and the test failed."""
    button = KeyButton("Next")
    qtbot.addWidget(button)
    button.set_key("→")
    button.resize(120, 80)
    assert button.key_shown()
    big = QFont(button.font())
    big.setPointSizeF(big.pointSizeF() * 1.5)  # a large text size…
    button.setFont(big)
    button.resize(120, MIN_TOUCH_PX)  # …in a short window: the key would spill out of the button
    assert button.lines_height() > MIN_TOUCH_PX
    assert not button.key_shown()
    button.set_key("")
    button.resize(120, 200)
    assert not button.key_shown()  # nothing to show
