"""The text size in force: the one asked for in the settings, as far as the window has room for it.

Large text is for reading from across the room, but a 1024×600 screen holds only so much of it: the
runner page fits its step, countdown, rating pad and controls at up to 1.5× there, 2× at 1280×800,
2.7× at 1920×1080 and 3× at 3840×2160 (``tests/ui/test_runner_text.py`` walks every step at these
sizes and scales, ``tests/ui/test_page_looks.py`` every other page). Asked for more than the window
holds, the app uses the largest size that fits, never less than the normal size, and goes
back up when the window grows (full screen on a larger display, a resized window).
"""

from __future__ import annotations

import math
from typing import Final

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtWidgets import QApplication, QWidget

from neck_guide.ui.preferences import Preferences
from neck_guide.ui.theme import apply_theme

# window pixels per 1× of text scale: 1024×600 holds 1.5×, 1280×800 holds 2×
WIDTH_PX_PER_SCALE: Final = 640
HEIGHT_PX_PER_SCALE: Final = 400
STEP: Final = 0.05


def fitting_text_scale(wanted: float, width: int, height: int) -> float:
    """``wanted``, or the largest scale (in steps of 0.05, at least 1×) a window this size holds."""
    room = min(width / WIDTH_PX_PER_SCALE, height / HEIGHT_PX_PER_SCALE)
    room = math.floor(room / STEP + 1e-9) * STEP
    return round(min(wanted, max(1.0, room)), 2)


class TextFit(QObject):
    """Applies the theme at the text scale the window has room for; again whenever that changes.

    Installed on the main window (it watches its resizes); the theme and the text size asked for are
    the preferences' (it follows their changes).

    Signals:
        applied(float, float): the scale asked for and the scale now in force.
    The theme is expected in force at ``wanted`` already (applied before the window was built, so its
    widgets are styled once); the first resize that leaves no room for it scales it down.
    """

    applied = Signal(float, float)

    def __init__(self, app: QApplication, window: QWidget, preferences: Preferences) -> None:
        super().__init__(window)
        self._app, self._window, self._preferences = app, window, preferences
        settings = preferences.current
        self._applied: tuple[str, float] | None = (settings.theme, settings.text_scale)
        window.installEventFilter(self)
        preferences.changed.connect(self._on_preference_changed)

    @property
    def wanted(self) -> float:
        return self._preferences.current.text_scale

    @property
    def in_force(self) -> float:
        """The scale applied now (less than :attr:`wanted` when the window has no room for it)."""
        return self._applied[1] if self._applied is not None else self.wanted

    def _on_preference_changed(self, name: str) -> None:
        if name in ("theme", "text_scale"):
            self._applied = None  # the theme itself may have changed: apply it whatever the scale
            self.apply()

    def apply(self) -> None:
        theme, wanted = self._preferences.current.theme, self.wanted
        scale = fitting_text_scale(wanted, self._window.width(), self._window.height())
        if (theme, scale) != self._applied:
            self._applied = (theme, scale)
            apply_theme(self._app, theme, scale)
            self.applied.emit(wanted, scale)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if watched is self._window and event.type() == QEvent.Type.Resize:
            self.apply()
        return False
