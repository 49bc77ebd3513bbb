"""The square dial: what the countdown ring and the breathing pacer have in common.

Both are round drawings that fill whatever box the layout gives them, follow the application's
palette unless one was given to them, and never take the keyboard focus.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtWidgets import QSizePolicy, QWidget

from neck_guide.ui.palette import Palette
from neck_guide.ui.theme import current_palette


class SquareDial(QWidget):
    """A widget drawing a round dial centred in its box, in a palette that follows the application's."""

    def __init__(self, parent: QWidget | None = None, *, palette: Palette | None = None) -> None:
        super().__init__(parent)
        self._palette = palette or current_palette()
        self._palette_given = palette is not None
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)

    def set_palette(self, palette: Palette) -> None:
        """Paint in ``palette`` from now on, whatever the application's palette becomes."""
        self._palette = palette
        self._palette_given = True
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(320, 320)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(160, 160)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt override)
        # Square by nature (heightForWidth), but not announced to layouts: a vertical box layout takes
        # heightForWidth as a hard minimum, and a wide ring would then squeeze the rating pad to nothing.
        # The drawing stays square and centred in whatever box the layout gives.
        return False

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt override)
        return width

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.PaletteChange and not self._palette_given:
            self._palette = current_palette()
            self.update()
        super().changeEvent(event)
