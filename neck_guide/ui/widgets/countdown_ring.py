"""The countdown ring: how long a hold has left, readable from across the room.

The page feeds it from the engine's deadlines (``set_time``) as often as it likes; the ring keeps
no timer and derives nothing from ticks. Remaining whole seconds are rounded up, so the last
numbers shown are 3, 2, 1 exactly when the voice counts them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget

from neck_guide.ui.palette import Palette, blend
from neck_guide.ui.widgets.dial import SquareDial

DIGIT_HEIGHT_OF_DIAMETER = (
    0.43  # flat digits' height as a share of the ring's outer diameter (round ones overshoot)
)
RING_WIDTH_OF_DIAMETER = 0.07
DIGITS_RAISED_OF_DIAMETER = 0.025  # the digits sit a little above centre to leave room for the label
SECONDS_ONLY_BELOW_S = 100  # "95" rather than "1:35": holds are counted in seconds
LABEL_OF_DIAMETER = 0.064  # the small label's pixel size, as large as it fits
LABEL_GAP_OF_DIAMETER = 0.045  # between the digits' baseline and the label's top
LABEL_MIN_PX = 9  # the label shrinks to fit down to this, and is never cut short
MARK_CLEARANCE_OF_THICKNESS = 0.6  # how far the minimum mark reaches inside the ring, with its halo


@dataclass(frozen=True, slots=True)
class _Time:
    remaining_s: float | None = None
    elapsed_s: float = 0.0
    total_s: float | None = None
    min_s: float | None = None
    paused: bool = False
    overtime: bool = False

    @property
    def untimed(self) -> bool:
        return self.remaining_s is None or not self.total_s

    @property
    def past_minimum(self) -> bool:
        return self.min_s is not None and self.elapsed_s >= self.min_s


def whole_seconds_left(remaining_s: float) -> int:
    """Seconds left rounded up (2.1 s left shows 3), never below 0."""
    return max(0, math.ceil(remaining_s - 1e-6))


def clock_text(seconds: float) -> str:
    """``m:ss`` of whole seconds, e.g. 83 -> "1:23"."""
    whole = max(0, int(seconds))
    return f"{whole // 60}:{whole % 60:02d}"


def _seconds(seconds: float) -> str:
    whole = round(seconds)
    return str(whole) if whole < SECONDS_ONLY_BELOW_S else clock_text(whole)


class CountdownRing(SquareDial):
    """A thick ring filling as the step runs, with the seconds left in huge digits."""

    def __init__(self, parent: QWidget | None = None, *, palette: Palette | None = None) -> None:
        super().__init__(parent, palette=palette)
        self._time = _Time()
        self._refresh_accessible()

    # -- API ---------------------------------------------------------------------------------
    def set_time(
        self,
        *,
        remaining_s: float | None,
        elapsed_s: float,
        total_s: float | None,
        min_s: float | None = None,
        paused: bool = False,
        overtime: bool = False,
    ) -> None:
        """Show a moment of the step; ``remaining_s`` None means an untimed step (count up)."""
        new = _Time(remaining_s, elapsed_s, total_s, min_s, paused, overtime)
        if new != self._time:
            self._time = new
            self._refresh_accessible()
            self.update()

    def display_text(self) -> tuple[str, str]:
        """The big digits and the small label as painted, e.g. ("17", "min 10 · max 20")."""
        t = self._time
        if t.untimed:
            digits = clock_text(t.elapsed_s)
        elif t.overtime:
            digits = "0"
        else:
            left = whole_seconds_left(t.remaining_s or 0.0)
            digits = str(left) if left < SECONDS_ONLY_BELOW_S else clock_text(left)
        return digits, self._label_text()

    def _label_text(self) -> str:
        t = self._time
        if t.paused:
            return "PAUSED"
        if t.overtime and t.total_s:
            return f"OVERTIME +{clock_text(max(0.0, t.elapsed_s - t.total_s))}"
        if t.untimed:
            return "untimed"
        if t.min_s is not None and t.total_s:
            return f"min {_seconds(t.min_s)} · max {_seconds(t.total_s)}"
        return (
            f"of {_seconds(t.total_s or 0.0)} s"
            if (t.total_s or 0) < SECONDS_ONLY_BELOW_S
            else f"of {_seconds(t.total_s or 0.0)}"
        )

    def _refresh_accessible(self) -> None:
        digits, label = self.display_text()
        self.setAccessibleName(f"Timer {digits}, {label}")

    # -- Qt ------------------------------------------------------------------------------------
    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        side = min(self.width(), self.height())
        if side < 20:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        g = self._geometry()
        self._paint_ring(painter, g)
        self._paint_text(painter, g)
        painter.end()

    # -- painting --------------------------------------------------------------------------------
    def _geometry(self) -> _Geometry:
        diameter = min(self.width(), self.height()) * 0.94  # room for the minimum mark to stick out
        thickness = max(6.0, diameter * RING_WIDTH_OF_DIAMETER)
        return _Geometry(QPointF(self.width() / 2, self.height() / 2), diameter, thickness)

    def arc_color(self) -> QColor:
        """The colour of the progress arc now (fill, release once past the minimum, warning in overtime)."""
        p, t = self._palette, self._time
        if t.overtime:
            colour = p.warning
        elif t.past_minimum:
            colour = p.ring_release
        else:
            colour = p.ring_fill
        return QColor(blend(colour, p.ring_track, 0.45) if t.paused else colour)

    def _paint_ring(self, painter: QPainter, g: _Geometry) -> None:
        p, t = self._palette, self._time
        r = g.ring_r
        box = QRectF(g.centre.x() - r, g.centre.y() - r, 2 * r, 2 * r)
        track = blend(p.ring_track, p.background, 0.4) if t.untimed else p.ring_track
        painter.setPen(QPen(QColor(track), g.thickness, Qt.PenStyle.SolidLine, Qt.PenCapStyle.FlatCap))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(box)
        if t.untimed or not t.total_s:
            return
        fraction = 1.0 if t.overtime else min(1.0, max(0.0, t.elapsed_s / t.total_s))
        if fraction > 0:
            pen = QPen(self.arc_color(), g.thickness, Qt.PenStyle.SolidLine, Qt.PenCapStyle.FlatCap)
            painter.setPen(pen)
            painter.drawArc(box, 90 * 16, -round(fraction * 360 * 16))
        if t.min_s is not None and 0 < t.min_s < t.total_s:
            self._paint_min_mark(painter, g, t.min_s / t.total_s)

    def _paint_min_mark(self, painter: QPainter, g: _Geometry, fraction: float) -> None:
        angle = math.radians(90 - fraction * 360)
        direction = QPointF(math.cos(angle), -math.sin(angle))
        reach = g.thickness / 2 + max(3.0, g.thickness * 0.35)
        inner, outer = g.centre + direction * (g.ring_r - reach), g.centre + direction * (g.ring_r + reach)
        # a halo of the background first, so the mark reads on the track and on the arc alike
        for colour, width in ((self._palette.background, 0.42), (self._palette.ring_min_mark, 0.2)):
            pen = QPen(QColor(colour), max(2.0, g.thickness * width))
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            painter.setPen(pen)
            painter.drawLine(inner, outer)

    def _paint_text(self, painter: QPainter, g: _Geometry) -> None:
        p, t = self._palette, self._time
        digits, label = self.display_text()
        font, digit_h = _digit_font(self.font(), digits, g, marked=self._has_min_mark())
        metrics = QFontMetricsF(font)
        baseline = _baseline(g, digit_h)
        painter.setFont(font)
        painter.setPen(QColor(p.warning if t.overtime else (p.muted_text if t.paused else p.text)))
        painter.drawText(QPointF(g.centre.x() - metrics.horizontalAdvance(digits) / 2, baseline), digits)

        if t.paused or t.overtime:
            label_colour = p.warning
        elif t.past_minimum:
            label_colour = p.ring_release
        else:
            label_colour = p.muted_text
        painter.setPen(QColor(label_colour))
        top = baseline + g.diameter * LABEL_GAP_OF_DIAMETER
        label_font = self._label_font(label, g, top)
        label_metrics = QFontMetricsF(label_font)
        painter.setFont(label_font)
        painter.drawText(
            QPointF(g.centre.x() - label_metrics.horizontalAdvance(label) / 2, top + label_metrics.ascent()),
            label,
        )

    def _has_min_mark(self) -> bool:
        t = self._time
        return not t.untimed and t.min_s is not None and bool(t.total_s) and 0 < t.min_s < (t.total_s or 0)

    def label_font(self) -> QFont:
        """The font the small label is painted in at the ring's current size (always the whole label)."""
        g = self._geometry()
        digits, label = self.display_text()
        _font, digit_h = _digit_font(self.font(), digits, g, marked=self._has_min_mark())
        return self._label_font(label, g, _baseline(g, digit_h) + g.diameter * LABEL_GAP_OF_DIAMETER)

    def _label_font(self, label: str, g: _Geometry, top: float) -> QFont:
        """The label's font: a share of the ring, shrunk until the whole label fits between the ring's
        inner edges at its line (never below LABEL_MIN_PX; the label is never shortened)."""
        font = QFont(self.font())
        font.setWeight(QFont.Weight.DemiBold)
        pixel = max(float(LABEL_MIN_PX), g.diameter * LABEL_OF_DIAMETER)
        for _ in range(8):
            font.setPixelSize(max(LABEL_MIN_PX, math.floor(pixel)))
            metrics = QFontMetricsF(font)
            room = 2 * _half_chord(g.inner_r, top + metrics.height() - g.centre.y()) * 0.92
            width = metrics.horizontalAdvance(label)
            if width <= room or font.pixelSize() <= LABEL_MIN_PX:
                break
            pixel = min(pixel - 1, pixel * room / width)
        return font


@dataclass(frozen=True, slots=True)
class _Geometry:
    centre: QPointF
    diameter: float  # outer diameter of the ring
    thickness: float

    @property
    def ring_r(self) -> float:
        """Radius of the middle of the ring (where the pen runs)."""
        return (self.diameter - self.thickness) / 2

    @property
    def inner_r(self) -> float:
        return self.diameter / 2 - self.thickness


def _half_chord(radius: float, offset: float) -> float:
    """Half the width of a circle of ``radius`` at ``offset`` from its centre."""
    return math.sqrt(max(0.0, radius * radius - offset * offset))


def _baseline(g: _Geometry, digit_h: float) -> float:
    return g.centre.y() + digit_h / 2 - g.diameter * DIGITS_RAISED_OF_DIAMETER


def _digit_font(base: QFont, digits: str, g: _Geometry, *, marked: bool = False) -> tuple[QFont, float]:
    """A bold font whose digits are DIGIT_HEIGHT_OF_DIAMETER tall, smaller only if they would not fit
    (clear of the minimum mark too when ``marked``: it reaches inside the ring)."""
    font = QFont(base)
    font.setWeight(QFont.Weight.DemiBold)
    font.setStretch(QFont.Stretch.SemiCondensed)
    font.setPixelSize(100)
    probe = QFontMetricsF(font)
    per_px = probe.tightBoundingRect("147").height() / 100  # flat-topped digits: no overshoot
    width_per_px = probe.tightBoundingRect(digits).width() / 100
    height = g.diameter * DIGIT_HEIGHT_OF_DIAMETER
    pixel = height / per_px
    for _ in range(4):
        # the top corners of the digits' box touch the ring first; glyph corners are rounded or
        # empty (1, 7, 0, 8), so the box may reach a little past the inner edge at its very corners
        corner = pixel * per_px / 2 * 0.8 + g.diameter * DIGITS_RAISED_OF_DIAMETER
        inside = g.inner_r - g.thickness * MARK_CLEARANCE_OF_THICKNESS if marked else g.inner_r * 0.97
        room = 2 * _half_chord(inside, corner)
        if width_per_px * pixel <= room:
            break
        pixel = room / width_per_px
    font.setPixelSize(max(8, int(pixel)))
    return font, font.pixelSize() * per_px
