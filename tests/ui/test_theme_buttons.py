"""Buttons, check boxes and combo boxes under the theme: looks and layout (real widgets, offscreen)."""

from __future__ import annotations

import math

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFontMetrics, QImage
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot

from neck_guide.ui.palette import DARK, HIGH_CONTRAST, LIGHT, Palette
from neck_guide.ui.theme import MIN_TOUCH_PX, apply_theme, disabled_text
from neck_guide.ui.widgets.common import button

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

ROLES = ["", "primary", "danger", "quiet"]


def _distance(a: QColor, b: QColor) -> float:
    return math.dist((a.red(), a.green(), a.blue()), (b.red(), b.green(), b.blue()))


def _show(qtbot: QtBot, widgets: list[QWidget], width: int, height: int) -> QWidget:
    window = QWidget()
    row = QHBoxLayout(window)
    row.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)  # the window keeps its size, as a page does
    for w in widgets:
        row.addWidget(w)
    qtbot.addWidget(window)
    window.resize(width, height)
    window.show()
    qtbot.waitExposed(window)
    return window


def _body_and_ink(b: QPushButton) -> tuple[QColor, QColor]:
    """The button's fill (just inside its edge, left of the text) and its text colour (the pixel
    farthest from the fill in the middle of the button)."""
    window = b.window()
    image: QImage = window.grab().toImage().copy(b.geometry())  # what shows through a clear button too
    body = image.pixelColor(8, b.height() // 2)
    middle = [
        image.pixelColor(x, y)
        for y in range(b.height() // 4, b.height() * 3 // 4)
        for x in range(b.width() // 4, b.width() * 3 // 4)
    ]
    return body, max(middle, key=lambda c: _distance(c, body))


@pytest.mark.parametrize("role", ROLES)
def test_a_disabled_button_looks_disabled_whatever_its_role(
    qtbot: QtBot, themed: QApplication, role: str
) -> None:
    enabled, disabled = button("Continue", role), button("Continue", role)
    disabled.setEnabled(False)
    window = _show(qtbot, [enabled, disabled], 600, 120)
    assert window.isVisible()
    on_body, on_ink = _body_and_ink(enabled)
    off_body, off_ink = _body_and_ink(disabled)
    ground = DARK.background if role == "quiet" else DARK.surface  # a quiet button stays without a box
    assert _distance(off_body, QColor(ground)) < 12, off_body.name()
    assert _distance(off_ink, QColor(disabled_text(DARK))) < 40, off_ink.name()
    assert _distance(off_ink, on_ink) > 40 or _distance(off_body, on_body) > 40  # told apart at a glance
    if role == "primary":
        assert _distance(on_body, QColor(DARK.accent)) < 12  # enabled, it is the accent
        assert _distance(off_body, QColor(DARK.accent)) > 80  # disabled, no longer


def test_a_checked_toggle_loses_its_accent_when_disabled(qtbot: QtBot, themed: QApplication) -> None:
    toggle = button("Auto-advance", checkable=True)
    toggle.setChecked(True)
    window = _show(qtbot, [toggle], 400, 120)
    assert window.isVisible()
    assert _distance(_body_and_ink(toggle)[0], QColor(DARK.accent)) < 12
    toggle.setEnabled(False)
    assert _distance(_body_and_ink(toggle)[0], QColor(DARK.surface)) < 12


@pytest.mark.parametrize("text_scale", [1.0, 1.5])
def test_buttons_keep_their_whole_text_when_a_row_is_tight(
    qtbot: QtBot, themed: QApplication, text_scale: float
) -> None:
    """As the runner's "Next: …" row: a wrapping line beside buttons. The line wraps; no button is
    squeezed below its text."""
    apply_theme(themed, "dark", text_scale)
    line = QLabel("Next: switch sides: Sternocleidomastoid, right · Pinch and roll")
    line.setWordWrap(True)
    texts = ["Continue to screening", "Auto-advance", "OK", "+"]
    buttons = [button(t) for t in texts] + [
        button("Mute", compact=True),
        button("End", "quiet", compact=True),
    ]
    window = _show(qtbot, [line, *buttons], round(1150 * text_scale), 160)
    assert window.isVisible()
    for b in buttons:
        text_w = QFontMetrics(b.font()).horizontalAdvance(b.text())
        assert b.width() >= text_w + 2 * 16, (b.text(), b.width(), text_w)
        assert b.width() >= MIN_TOUCH_PX and b.height() >= MIN_TOUCH_PX, b.text()
    assert line.width() < QFontMetrics(line.font()).horizontalAdvance(line.text())  # the line wraps instead


def test_compact_buttons_are_lower_but_still_finger_sized(qtbot: QtBot, themed: QApplication) -> None:
    normal, compact = button("Mute"), button("Mute", compact=True)
    window = _show(qtbot, [normal, compact], 400, 120)
    assert window.isVisible()
    assert MIN_TOUCH_PX <= compact.height() < normal.height()
    assert compact.width() >= MIN_TOUCH_PX


def _colour_share(image: QImage, colour: str, tolerance: float = 30) -> float:
    target = QColor(colour)
    pixels = [image.pixelColor(x, y) for y in range(image.height()) for x in range(image.width())]
    return sum(_distance(p, target) < tolerance for p in pixels) / len(pixels)


def test_check_boxes_read_at_a_glance(qtbot: QtBot, themed: QApplication) -> None:
    on, off = QCheckBox("Speak cues"), QCheckBox("Muted")
    on.setChecked(True)
    window = QWidget()
    column = QVBoxLayout(window)
    column.addWidget(on)
    column.addWidget(off)
    qtbot.addWidget(window)
    window.resize(300, 140)
    window.show()
    qtbot.waitExposed(window)

    def indicator(box: QCheckBox) -> QImage:
        return box.grab().toImage().copy(0, 0, 34, box.height())

    assert _colour_share(indicator(on), DARK.accent) > 0.2  # filled with the accent when on
    assert _colour_share(indicator(off), DARK.accent) == 0
    assert _colour_share(indicator(off), DARK.muted_text, 40) > 0.03  # a visible outline when off


def test_combo_boxes_show_a_clear_arrow(qtbot: QtBot, themed: QApplication) -> None:
    combo = QComboBox()
    combo.addItems(["Dark", "Light"])
    window = _show(qtbot, [combo], 400, 100)
    assert window.isVisible()
    image = combo.grab().toImage()
    arrow = image.copy(combo.width() - 48, 0, 44, combo.height())
    assert _colour_share(arrow, DARK.muted_text, 40) > 0.01  # the chevron
    assert _colour_share(arrow, "#000000", 30) == 0  # no dark bevelled box behind it


@pytest.mark.parametrize("palette", [DARK, LIGHT, HIGH_CONTRAST])
def test_disabled_text_is_fainter_than_any_enabled_text_yet_visible(palette: Palette) -> None:
    def luminance(colour: str) -> float:
        c = QColor(colour)
        return 0.2126 * c.redF() + 0.7152 * c.greenF() + 0.0722 * c.blueF()

    faint = disabled_text(palette)
    for ground in (palette.surface, palette.background):
        gap = abs(luminance(faint) - luminance(ground))
        assert 0.1 < gap < abs(luminance(palette.muted_text) - luminance(ground)), ground


def test_the_keyboard_focus_still_shows_on_a_primary_button(qtbot: QtBot, themed: QApplication) -> None:
    primary = button("Start session", "primary")
    window = _show(qtbot, [primary], 400, 120)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    primary.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(primary.hasFocus)
    edge = primary.grab().toImage().pixelColor(1, primary.height() // 2)
    assert _distance(edge, QColor(DARK.text)) < 60  # the focus ring of a primary button
