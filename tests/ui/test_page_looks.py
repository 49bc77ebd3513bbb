"""The pages around a session at 1024×600 and 1280×800: whole text, buttons that look what they are.

Real window, real store in a temp folder, FakeClock, the silent voice (see window_helpers).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QWidget
from pytestqt.qtbot import QtBot
from window_helpers import (
    OFFSCREEN_NOISE,
    FakeDecisions,
    button_problems,
    clipped,
    in_scroll_area,
    label_problems,
    open_app,
    rect_in_window,
)

from neck_guide.engine.clock import FakeClock
from neck_guide.ui.app import App
from neck_guide.ui.pages.fitted_text import FADE_PX, FadingScrollArea
from neck_guide.ui.pages.start import StartChoice
from neck_guide.ui.theme import current_palette

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)

SIZES = [(1024, 600), (1280, 800)]


def page_problems(page: QWidget) -> list[str]:
    """Cut text on ``page``: outside scroll areas nothing may be cut; inside one, only the scroll
    area's own top and bottom edges may cut (and they fade), never its sides."""
    QApplication.processEvents()
    problems = []
    widgets: list[QLabel | QPushButton] = [*page.findChildren(QLabel), *page.findChildren(QPushButton)]
    for w in widgets:
        if not w.isVisible():
            continue
        own = label_problems(w) if isinstance(w, QLabel) else button_problems(w)
        problems += [f"{type(page).__name__}: {p}" for p in own]
        if in_scroll_area(w):
            scroll = w.parentWidget()
            while scroll is not None and not isinstance(scroll, FadingScrollArea):
                scroll = scroll.parentWidget()
            assert scroll is not None, f"{w!r} scrolls without a fade"
            viewport = rect_in_window(scroll.viewport())
            box = rect_in_window(w)
            if box.left() < viewport.left() or box.right() > viewport.right():
                problems.append(f"{type(page).__name__}: {w.objectName() or type(w).__name__} cut at a side")
        else:
            problems += [f"{type(page).__name__}: {c}" for c in [clipped(w)] if c]
    return problems


def _broken_protocol(home: Path) -> None:
    user = home / "data" / "protocols"
    user.mkdir(parents=True)
    (user / "mine.toml").write_text('schema_version = 1\nid = "mine"\ntitle = \n', encoding="utf-8")


def _through_a_session(app: App) -> None:
    window = app.window
    window.open_screening(StartChoice("clinical-neck", "C-0042", False))
    page = window.screening_page
    QTest.mouseClick(page.questions[0].yes, Qt.MouseButton.LeftButton)
    assert not problems_of(app, page)
    page.questions[0].reason.setText("Seen by her GP last week")
    page.questions[0].acknowledge.setChecked(True)
    QTest.mouseClick(page.all_no, Qt.MouseButton.LeftButton)
    QTest.mouseClick(page.start, Qt.MouseButton.LeftButton)
    QTest.keyClick(window, Qt.Key.Key_Space)
    QTest.keyClick(window, Qt.Key.Key_Right)
    app.model.finish()


def problems_of(app: App, page: QWidget) -> list[str]:
    assert app.window.current_page() is page
    return page_problems(page)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_page_shows_whole_text(qtbot: QtBot, tmp_path: Path, size: tuple[int, int]) -> None:
    _broken_protocol(tmp_path / "home")
    app = open_app(qtbot, tmp_path / "home", FakeClock(), FakeDecisions(), size=size)
    window = app.window
    try:
        QTest.mouseClick(window.start_page.problems_button, Qt.MouseButton.LeftButton)  # details open
        problems = problems_of(app, window.start_page)
        _through_a_session(app)
        problems += problems_of(app, window.summary_page)
        QTest.mouseClick(window.summary_page.history, Qt.MouseButton.LeftButton)
        problems += problems_of(app, window.history_page)
        window.open_settings()
        problems += problems_of(app, window.settings_page)
        assert not problems, "\n".join(problems)
    finally:
        app.close()


def test_a_primary_button_stays_primary_and_looks_disabled_until_it_can_be_used(
    qtbot: QtBot, tmp_path: Path
) -> None:
    app = open_app(qtbot, tmp_path / "home", FakeClock(), FakeDecisions(), size=(1024, 600))
    try:
        page = app.window.start_page
        go = page.continue_button
        p = current_palette()

        def body() -> QColor:
            return (
                app.window.grab()
                .toImage()
                .pixelColor(rect_in_window(go).left() + 8, rect_in_window(go).center().y())
            )

        assert not go.isEnabled() and go.property("role") == "primary"  # the role stays: no page workaround
        assert body() == QColor(p.surface)  # the theme greys it out
        page.choose("clinical-neck")
        assert go.isEnabled() and body() == QColor(p.accent)
    finally:
        app.close()


def test_settings_fit_the_width_of_a_small_screen(qtbot: QtBot, tmp_path: Path) -> None:
    app = open_app(qtbot, tmp_path / "home", FakeClock(), FakeDecisions(), size=(1024, 600))
    try:
        app.window.open_settings()
        page = app.window.settings_page
        QApplication.processEvents()
        scroll = page.findChild(FadingScrollArea)
        assert scroll is not None
        content = scroll.widget()
        assert content is not None and content.width() <= scroll.viewport().width()  # nothing sideways
        assert scroll.fades_shown() == (False, True)  # the keys are further down, and it shows
        assert not page_problems(page)
    finally:
        app.close()


def test_a_yes_scrolls_its_acknowledgement_clear_of_the_fade(qtbot: QtBot, tmp_path: Path) -> None:
    app = open_app(qtbot, tmp_path / "home", FakeClock(), FakeDecisions(), size=(1024, 600))
    try:
        app.window.open_screening(StartChoice("clinical-neck", "C-0042", False))
        page = app.window.screening_page
        QTest.mouseClick(page.questions[0].yes, Qt.MouseButton.LeftButton)
        scroll = page.findChild(FadingScrollArea)
        assert scroll is not None
        box = page.questions[0].acknowledge
        viewport = rect_in_window(scroll.viewport())

        def clear_of_the_fade() -> bool:
            return rect_in_window(box).bottom() <= viewport.bottom() - FADE_PX

        qtbot.waitUntil(clear_of_the_fade)
        assert rect_in_window(box).top() >= viewport.top()
    finally:
        app.close()
