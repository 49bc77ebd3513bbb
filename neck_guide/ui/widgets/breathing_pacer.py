"""The breathing pacer: a circle to breathe with, for the client and the therapist alike.

The circle grows while breathing in, stays full while holding, shrinks while breathing out and
stays small while resting. The page feeds it (``set_phase``) about 30 times a second from the
engine's deadlines; the pacer keeps no timer.
"""

from __future__ import annotations

import math
from typing import Final, Literal

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPaintEvent, QPen, QRadialGradient
from PySide6.QtWidgets import QWidget

from neck_guide.ui.palette import Palette, blend
from neck_guide.ui.widgets.dial import SquareDial

BreathPhase = Literal["inhale", "hold", "exhale", "rest"]

WORDS: Final[dict[str, str]] = {
    "inhale": "Breathe in",
    "hold": "Hold",
    "exhale": "Breathe out",
    "rest": "Rest",
}
SMALLEST_OF_LARGEST: Final = 0.45  # the circle at rest, as a share of the full circle
WORD_OF_RADIUS: Final = 0.24  # the word's pixel size as a share of the full circle's radius, if it fits
SECONDS_OF_RADIUS: Final = 0.2
WORD_ABOVE_CENTRE: Final = 0.85  # share of the word's line height above the centre
WORD_MIN_PX: Final = 9


def _ease(fraction: float) -> float:
    """Slow at both ends, like a breath."""
    f = min(1.0, max(0.0, fraction))
    return (1 - math.cos(math.pi * f)) / 2


def circle_scale(phase: BreathPhase | None, fraction: float) -> float:
    """The circle's radius as a share of the full circle (SMALLEST_OF_LARGEST to 1)."""
    span = 1 - SMALLEST_OF_LARGEST
    if phase == "inhale":
        return SMALLEST_OF_LARGEST + span * _ease(fraction)
    if phase == "hold":
        return 1.0
    if phase == "exhale":
        return 1.0 - span * _ease(fraction)
    return SMALLEST_OF_LARGEST


class BreathingPacer(SquareDial):
    """A growing and shrinking circle with the word to breathe by and the seconds left."""

    def __init__(self, parent: QWidget | None = None, *, palette: Palette | None = None) -> None:
        super().__init__(parent, palette=palette)
        self._phase: BreathPhase | None = None
        self._fraction = 0.0
        self._seconds_left = 0.0

    def set_phase(self, phase: BreathPhase | None, fraction: float, seconds_left: float) -> None:
        """Show ``fraction`` (0–1) of ``phase`` done, ``seconds_left`` in it; None: the pacer idles."""
        state = (phase, fraction, seconds_left)
        if state != (self._phase, self._fraction, self._seconds_left):
            self._phase, self._fraction, self._seconds_left = state
            self.setAccessibleName(WORDS[phase] if phase else "Breathing pacer")
            self.update()

    def word(self) -> str:
        """The word shown now ("Breathe in"…), empty when idle."""
        return WORDS[self._phase] if self._phase else ""

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        largest = min(self.width(), self.height()) / 2 * 0.94
        if largest < 10:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        centre = QPointF(self.width() / 2, self.height() / 2)
        self._paint_circles(painter, centre, largest)
        if self._phase is not None:
            self._paint_words(painter, centre, largest)
        painter.end()

    def _paint_circles(self, painter: QPainter, centre: QPointF, largest: float) -> None:
        p = self._palette
        painter.setPen(QPen(QColor(p.ring_track), max(2.0, largest * 0.015)))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(centre, largest, largest)

        radius = largest * circle_scale(self._phase, self._fraction)
        colour = QColor(p.muted_text if self._phase in (None, "rest") else p.accent)
        gradient = QRadialGradient(centre, radius)
        inner, outer = QColor(colour), QColor(colour)
        inner.setAlphaF(0.18 if p.is_dark else 0.14)
        outer.setAlphaF(0.42 if p.is_dark else 0.34)
        gradient.setColorAt(0.0, inner)
        gradient.setColorAt(1.0, outer)
        painter.setBrush(gradient)
        painter.setPen(QPen(colour, max(2.0, largest * 0.02)))
        painter.drawEllipse(centre, radius, radius)

    def _paint_words(self, painter: QPainter, centre: QPointF, largest: float) -> None:
        """The word and the seconds, as large as the full circle allows and shrunk with the circle when
        it is smaller, so they never spill over its edge (they breathe with it)."""
        p = self._palette
        font = QFont(self.font())
        font.setWeight(QFont.Weight.DemiBold)
        font.setPixelSize(max(WORD_MIN_PX, round(largest * WORD_OF_RADIUS)))
        metrics = QFontMetricsF(font)
        seconds = QFont(font)
        seconds.setPixelSize(max(WORD_MIN_PX, round(largest * SECONDS_OF_RADIUS)))
        seconds_h = QFontMetricsF(seconds).height()
        scale = word_scale(metrics.horizontalAdvance(self.word()), metrics.height(), seconds_h, self.radius())
        painter.save()
        painter.translate(centre)
        painter.scale(scale, scale)
        width = metrics.horizontalAdvance(self.word()) + 2 * metrics.height()  # a box wider than the word
        word_box = QRectF(-width / 2, -metrics.height() * WORD_ABOVE_CENTRE, width, metrics.height())
        painter.setFont(font)
        painter.setPen(QColor(p.text))
        painter.drawText(word_box, Qt.AlignmentFlag.AlignCenter, self.word())
        painter.setFont(seconds)
        painter.setPen(QColor(blend(p.text, p.muted_text, 0.5)))
        left = max(0, math.ceil(self._seconds_left - 1e-6))
        painter.drawText(
            QRectF(word_box.left(), word_box.bottom(), width, seconds_h),
            Qt.AlignmentFlag.AlignCenter,
            str(left),
        )
        painter.restore()

    def radius(self) -> float:
        """The circle's radius now, in pixels."""
        largest = min(self.width(), self.height()) / 2 * 0.94
        return largest * circle_scale(self._phase, self._fraction)


def word_scale(word_w: float, word_h: float, seconds_h: float, radius: float) -> float:
    """How much to shrink the word (``word_w`` × ``word_h`` px, the seconds ``seconds_h`` below it) so
    both sit inside a circle of ``radius``, with a margin; 1 when they fit as they are."""
    inside = radius * 0.9

    def fits(scale: float) -> bool:
        top = word_h * WORD_ABOVE_CENTRE * scale  # the word's top edge, above the centre
        bottom = (word_h * (1 - WORD_ABOVE_CENTRE) + seconds_h) * scale
        chord = 2 * math.sqrt(max(0.0, inside**2 - top**2))
        return word_w * scale <= chord and bottom <= inside

    scale = 1.0
    while scale > 0.05 and not fits(scale):
        scale *= 0.97
    return scale
