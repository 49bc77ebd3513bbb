"""Where the window was: its size, place and full-screen state, kept between runs with QSettings.

Not a preference (nothing to edit in Settings): an INI file in the config folder
(``Paths.window_file``), written as the app closes. A place no current screen shows enough of (a
monitor unplugged since, a file edited by hand) is not restored: the window then opens as on a
first run. A window bigger than the screen it is on is shrunk to that screen.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Final

from PySide6.QtCore import QRect, QSettings, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

log = logging.getLogger(__name__)

GROUP: Final = "window"
MIN_VISIBLE_PX: Final = (200, 120)  # at least this much of the window on one screen, or it is placed anew
MAX_COORDINATE_PX: Final = 1 << 20  # beyond any screen: a hand-edited file


def save_place(window: QWidget, path: Path) -> None:
    """Remember ``window``'s place; a failure is logged (the window is closing: nobody to tell)."""
    full_screen, maximized = window.isFullScreen(), window.isMaximized()
    rect = window.normalGeometry() if full_screen or maximized else window.geometry()
    if rect.isEmpty():
        rect = window.geometry()
    store = QSettings(str(path), QSettings.Format.IniFormat)
    store.beginGroup(GROUP)
    for name, value in (("x", rect.x()), ("y", rect.y()), ("width", rect.width()), ("height", rect.height())):
        store.setValue(name, value)
    store.setValue("full_screen", full_screen)
    store.setValue("maximized", maximized)
    store.endGroup()
    store.sync()
    if store.status() != QSettings.Status.NoError:
        log.warning("the window's place could not be saved to %s (%s)", path, store.status().name)


def restore_place(window: QWidget, path: Path) -> bool:
    """Put ``window`` where it was last time; False (and nothing done) when there is no usable place."""
    saved = _read(path)
    if saved is None:
        return False
    rect, full_screen, maximized = saved
    fitted = on_a_screen(rect, [s.availableGeometry() for s in QGuiApplication.screens()])
    if fitted is None:
        return False
    window.setGeometry(fitted)
    if full_screen:
        window.setWindowState(window.windowState() | Qt.WindowState.WindowFullScreen)
    elif maximized:
        window.setWindowState(window.windowState() | Qt.WindowState.WindowMaximized)
    return True


def on_a_screen(rect: QRect, screens: list[QRect]) -> QRect | None:
    """``rect`` as it can be shown on the screen that shows most of it (shrunk and moved inside
    when larger); None when no screen shows at least MIN_VISIBLE_PX of it."""
    best: tuple[int, QRect] | None = None
    for screen in screens:
        seen = rect.intersected(screen)
        if seen.width() >= MIN_VISIBLE_PX[0] and seen.height() >= MIN_VISIBLE_PX[1]:
            area = seen.width() * seen.height()
            if best is None or area > best[0]:
                best = (area, screen)
    if best is None:
        return None
    screen = best[1]
    fitted = QRect(rect.x(), rect.y(), min(rect.width(), screen.width()), min(rect.height(), screen.height()))
    fitted.moveLeft(max(screen.left(), min(fitted.left(), screen.right() - fitted.width() + 1)))
    fitted.moveTop(max(screen.top(), min(fitted.top(), screen.bottom() - fitted.height() + 1)))
    return fitted


def _read(path: Path) -> tuple[QRect, bool, bool] | None:
    if not path.is_file():
        return None
    store = QSettings(str(path), QSettings.Format.IniFormat)
    store.beginGroup(GROUP)
    try:
        x, y, width, height = (int(str(store.value(n))) for n in ("x", "y", "width", "height"))
        flags = [str(store.value(n, "false")).lower() == "true" for n in ("full_screen", "maximized")]
    except (TypeError, ValueError):
        return None  # missing or hand-edited: placed as on a first run
    finally:
        store.endGroup()
    if width <= 0 or height <= 0 or max(abs(x), abs(y), width, height) > MAX_COORDINATE_PX:
        return None
    return QRect(x, y, width, height), flags[0], flags[1]
