"""The text size in force: as asked, as far as the window has room (real window, real settings file)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from window_helpers import OFFSCREEN_NOISE, FakeDecisions, WindowOpener, with_text_scale

from neck_guide.engine.clock import FakeClock
from neck_guide.ui.text_fit import fitting_text_scale
from neck_guide.ui.theme import BASE_POINT_SIZE

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)


@pytest.mark.parametrize(
    ("wanted", "size", "in_force"),
    [
        (1.0, (1024, 600), 1.0),
        (0.75, (1024, 600), 0.75),  # smaller text is always honoured
        (1.5, (1024, 600), 1.5),
        (2.0, (1024, 600), 1.5),
        (2.0, (1280, 800), 2.0),
        (2.0, (1280, 720), 1.8),  # a wide screen: its height decides
        (2.0, (3840, 2160), 2.0),
        (1.75, (640, 360), 1.0),  # never below the normal size, however small the window
    ],
)
def test_the_scale_in_force_is_the_one_asked_for_as_far_as_the_window_holds_it(
    wanted: float, size: tuple[int, int], in_force: float
) -> None:
    assert fitting_text_scale(wanted, *size) == in_force


def _point_size(app: QApplication) -> float:
    return QFont(app.font()).pointSizeF()


def test_the_window_follows_its_room_and_the_setting(
    qtbot: QtBot, open_window: WindowOpener, themed: QApplication, tmp_path: Path
) -> None:
    home = with_text_scale(tmp_path / "home", 2.0)
    app = open_window(home, FakeClock(), FakeDecisions(), size=(1024, 600))
    assert app.text_fit.wanted == 2.0 and app.text_fit.in_force == 1.5
    assert _point_size(themed) == pytest.approx(BASE_POINT_SIZE * 1.5)
    app.window.open_settings()
    note = app.window.settings_page.text_scale_note
    assert note.isVisible() and "This window holds 1.5×: 2× returns" in note.text()
    app.window.resize(1280, 800)  # more room: the size asked for
    qtbot.waitUntil(lambda: app.text_fit.in_force == 2.0)
    assert _point_size(themed) == pytest.approx(BASE_POINT_SIZE * 2.0)
    assert not note.isVisible()
    app.preferences.set("text_scale", 1.25)  # as the settings page does
    assert app.text_fit.in_force == 1.25
    assert _point_size(themed) == pytest.approx(BASE_POINT_SIZE * 1.25)
    app.window.resize(1024, 600)  # 1.25 fits here too: nothing changes
    qtbot.waitUntil(lambda: app.window.size() == QSize(1024, 600))  # the resize was handled
    assert app.text_fit.in_force == 1.25
