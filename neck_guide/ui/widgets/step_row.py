"""The middle of the runner page: what and where beside the time.

The step panel (technique, muscle and side, safety, cue, instructions), the countdown ring or the
breathing pacer, and the muscle drawing, side by side. Each column is no wider than it can use;
the width left over goes to the text.
"""

from __future__ import annotations

import math
from typing import Final

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QHBoxLayout, QStackedWidget, QVBoxLayout, QWidget

from neck_guide.diagram import Highlight
from neck_guide.ui.theme import current_palette
from neck_guide.ui.widgets.breathing_pacer import BreathingPacer
from neck_guide.ui.widgets.common import label
from neck_guide.ui.widgets.countdown_ring import DIGIT_HEIGHT_OF_DIAMETER, CountdownRing
from neck_guide.ui.widgets.diagram_view import DiagramView
from neck_guide.ui.widgets.runner_parts import StepPanel

RING_DIGITS_OF_WINDOW: Final = 0.16  # the countdown's digits never below this share of the window
SPACING_PX: Final = 16


class StepRow(QWidget):
    """The step panel, the timer (ring or pacer) and the drawing, fitted to the row's height."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(SPACING_PX)
        self._highlight: Highlight | None = None
        self.step_panel = StepPanel()
        self.step_panel.essentials_changed.connect(self.fit)
        row.addWidget(self.step_panel, 5)
        self.timer_stack = QStackedWidget()
        self.ring = CountdownRing()
        self.pacer = BreathingPacer()
        pacer_page = QWidget()
        pacer_column = QVBoxLayout(pacer_page)
        pacer_column.setContentsMargins(0, 0, 0, 0)
        pacer_column.addWidget(self.pacer, 1)
        self.pacer_left = label("", "cue")
        self.pacer_left.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        pacer_column.addWidget(self.pacer_left)
        self.timer_stack.addWidget(self.ring)
        self.timer_stack.addWidget(pacer_page)
        self.timer_stack.installEventFilter(self)
        row.addWidget(self.timer_stack, 4)
        self.diagram = DiagramView(theme="dark" if current_palette().is_dark else "light")
        row.addWidget(self.diagram, 3)

    def show_visuals(self, highlight: Highlight | None, *, breathing: bool) -> None:
        """The drawing's highlight (None: no drawing, the ring takes the room) and which timer shows."""
        self._highlight = highlight
        self.diagram.set_highlight(highlight)
        self.diagram.setVisible(highlight is not None)
        self.timer_stack.setCurrentIndex(1 if breathing else 0)
        self.fit()

    def set_pacer_left(self, text: str) -> None:
        """The line under the pacer (set on every repaint tick; fitted only when it changes)."""
        if text != self.pacer_left.text():
            self.pacer_left.setText(text)
            self.fit()  # the line must fit its column

    def fit(self) -> None:
        """No wider than they can use: the ring is round and the drawing has its shape, so the width
        they would leave empty goes to the text (whole lines of instructions, not half ones).

        When the step's title, side, safety and latest cue would not show whole beside them, the ring
        gives up width down to its smallest readable size, then the drawing steps aside (the cue may
        then be cut to whole lines; the title lines and the safety banner never are)."""
        height = self.timer_stack.height()
        page = self.timer_stack.currentWidget()
        timer_min = page.minimumSizeHint().width() if page is not None else 0
        timer_w = max(height, timer_min)
        hint = self.diagram.sizeHint()
        diagram_w = max(self.diagram.minimumSizeHint().width(), round(height * hint.width() / hint.height()))
        readable = timer_min
        if page is self.ring:
            window_h = self.window().height()
            readable = max(readable, math.ceil(window_h * RING_DIGITS_OF_WINDOW / DIGIT_HEIGHT_OF_DIAMETER))
        beside = diagram_w if self._highlight is not None else None
        small = min(timer_w, readable)
        choices = [(timer_w, beside), (small, beside), (small, None)]
        timer_w, beside = next(
            (c for c in choices if self._text_fits(*c, height, with_cue=True)),
            next((c for c in choices if self._text_fits(*c, height, with_cue=False)), choices[-1]),
        )
        self.diagram.setVisible(beside is not None)
        for widget, width in ((self.timer_stack, timer_w), (self.diagram, diagram_w)):
            if widget.maximumWidth() != width:
                widget.setMaximumWidth(width)

    def _text_fits(self, timer_w: int, diagram_w: int | None, height: int, *, with_cue: bool) -> bool:
        """Whether the step panel's essential lines fit beside a timer and a drawing this wide."""
        width = self.width() - timer_w - SPACING_PX
        if diagram_w is not None:
            width -= diagram_w + SPACING_PX
        return self.step_panel.essential_height(width, with_cue=with_cue) <= height

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if watched is self.timer_stack and event.type() == QEvent.Type.Resize:
            self.fit()
        return super().eventFilter(watched, event)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.PaletteChange:
            self.diagram.set_theme("dark" if current_palette().is_dark else "light")
        super().changeEvent(event)
