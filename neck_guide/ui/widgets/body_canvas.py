"""A muscle diagram that shows body marks and turns a tap into the drawing's own coordinates.

Built on :class:`~neck_guide.ui.widgets.diagram_view.DiagramView` (the plain view, nothing
highlighted): marks are painted over it, each a disc in the colour of its intensity with the number
in it (local pain) or a ring (referred pain). A tap reports where it fell in the drawing's units
(the SVG's viewBox), which is what the records keep, whatever the widget's size.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QMouseEvent, QPainter, QPaintEvent, QPen

from neck_guide.body_sites import MapView
from neck_guide.diagram import Highlight
from neck_guide.engine.record import BodyMark
from neck_guide.ui.theme import current_palette
from neck_guide.ui.widgets.diagram_view import DiagramView

MARK_UNITS: Final = 11.0  # a mark's radius in drawing units (the drawings are 400 units wide)


class BodyCanvas(DiagramView):
    """One view of the body with marks.

    Signals:
        tapped(float, float): a tap at this point of the drawing (its viewBox units).
    """

    tapped = Signal(float, float)

    def __init__(self, view: MapView, *, tappable: bool = True) -> None:
        super().__init__()
        self.marks: list[BodyMark] = []
        self.selected: int | None = None
        self.pending: tuple[float, float] | None = None
        self._tappable = tappable
        self.setCursor(Qt.CursorShape.CrossCursor if tappable else Qt.CursorShape.ArrowCursor)
        self.show_view(view)

    def show_view(self, view: MapView) -> None:
        self.set_highlight(Highlight(view))
        self.update()

    @property
    def view(self) -> MapView:
        highlight = self.highlight()
        return "anterior" if highlight is not None and highlight.view == "anterior" else "posterior"

    def show_marks(self, marks: Sequence[BodyMark], selected: int | None = None) -> None:
        self.marks = [m for m in marks if m.view == self.view]
        self.selected = selected
        self.update()

    def to_drawing(self, point: QPointF) -> tuple[float, float] | None:
        """A widget point in drawing units (None off the drawing)."""
        rect, box = self.drawing_rect(), self._renderer.viewBoxF()
        if rect.isEmpty() or not rect.contains(point):
            return None
        return (
            box.x() + (point.x() - rect.x()) * box.width() / rect.width(),
            box.y() + (point.y() - rect.y()) * box.height() / rect.height(),
        )

    def to_widget(self, x: float, y: float) -> QPointF:
        rect, box = self.drawing_rect(), self._renderer.viewBoxF()
        return QPointF(
            rect.x() + (x - box.x()) * rect.width() / box.width(),
            rect.y() + (y - box.y()) * rect.height() / box.height(),
        )

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        if self._tappable and event.button() == Qt.MouseButton.LeftButton:
            found = self.to_drawing(event.position())
            if found is not None:
                self.tapped.emit(*found)
                return
        super().mousePressEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        super().paintEvent(event)
        rect, box = self.drawing_rect(), self._renderer.viewBoxF()
        if rect.isEmpty() or box.isEmpty():
            return
        radius = MARK_UNITS * rect.width() / box.width()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        font = QFont(self.font())
        font.setPixelSize(max(9, round(radius * 1.1)))
        font.setBold(True)
        painter.setFont(font)
        for mark in self.marks:
            self._paint_mark(painter, mark, radius)
        if self.pending is not None:
            p = current_palette()
            painter.setPen(QPen(QColor(p.focus), 3, Qt.PenStyle.DashLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(self.to_widget(*self.pending), radius, radius)
        painter.end()

    def _paint_mark(self, painter: QPainter, mark: BodyMark, radius: float) -> None:
        p = current_palette()
        centre = self.to_widget(mark.x, mark.y)
        colour = intensity_colour(mark.intensity)
        area = QRectF(centre.x() - radius, centre.y() - radius, 2 * radius, 2 * radius)
        if mark.pattern == "local":
            painter.setPen(QPen(QColor(p.background), 2))
            painter.setBrush(colour)
            painter.drawEllipse(area)
            painter.setPen(QColor("#15181c") if colour.lightness() > 140 else QColor("#ffffff"))
        else:  # referred: a ring, the number in the ring's colour
            painter.setPen(QPen(colour, max(3.0, radius / 3.5)))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(area)
            painter.setPen(colour)
        painter.drawText(area, Qt.AlignmentFlag.AlignCenter, str(mark.intensity))
        if mark.number == self.selected:
            painter.setPen(QPen(QColor(p.focus), 3))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(area.adjusted(-5, -5, 5, 5))


def intensity_colour(intensity: int) -> QColor:
    """Yellow for mild pain through orange to deep red for the worst (0-10)."""
    share = max(0.0, min(1.0, intensity / 10))
    return QColor.fromHsvF(0.14 * (1 - share), 0.55 + 0.4 * share, 1.0 - 0.25 * share)
