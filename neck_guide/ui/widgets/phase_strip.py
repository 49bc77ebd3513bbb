"""The phase strip: where the session is, at a glance — phases done, the current one, those to come."""

from __future__ import annotations

import math
from collections.abc import Sequence

from PySide6.QtCore import QEvent, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from neck_guide.ui.palette import Palette, blend
from neck_guide.ui.theme import current_palette

SEGMENT_GAP_PX = 6
SEGMENT_MIN_PX = 36.0  # a glance, not a touch target: the height goes to the step's text


def remaining_text(seconds: float) -> str:
    """A rough, calm estimate: "about 18 min left", "about 1 h 05 min left", "under a minute left"."""
    if seconds < 60:
        return "under a minute left"
    minutes = math.ceil(seconds / 60 - 0.25)  # 18 min 10 s reads "about 18", 18 min 50 s "about 19"
    if minutes < 60:
        return f"about {minutes} min left"
    return f"about {minutes // 60} h {minutes % 60:02d} min left"


class PhaseStrip(QWidget):
    """A row of phase segments and a line "Step 12 of 40 · about 18 min left" under it; dense (a short
    window at a large text size): the line beside the segments, in one row."""

    def __init__(self, parent: QWidget | None = None, *, palette: Palette | None = None) -> None:
        super().__init__(parent)
        self._palette = palette or current_palette()
        self._palette_given = palette is not None
        self._titles: tuple[str, ...] = ()
        self._phase_index = 0
        self._step_number = 0
        self._step_count = 0
        self._remaining_s = 0.0
        self._dense = False
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)

    # -- API ---------------------------------------------------------------------------------
    def set_palette(self, palette: Palette) -> None:
        self._palette = palette
        self._palette_given = True
        self.update()

    def set_phases(self, titles: Sequence[str]) -> None:
        self._titles = tuple(titles)
        self.setAccessibleName(self.status_text())
        self.update()

    def set_position(
        self, phase_index: int, step_number: int, step_count: int, overall_remaining_s: float
    ) -> None:
        """The current phase (0-based), step (1-based) of the count, and the session time left."""
        self._phase_index = phase_index
        self._step_number = step_number
        self._step_count = step_count
        self._remaining_s = overall_remaining_s
        self.setAccessibleName(self.status_text())
        self.update()

    def set_dense(self, dense: bool) -> None:
        """One row instead of two: the status line beside the segments."""
        if dense != self._dense:
            self._dense = dense
            self.updateGeometry()
            self.update()

    @property
    def dense(self) -> bool:
        return self._dense

    def status_text(self) -> str:
        if not self._step_count:
            return ""
        return f"Step {self._step_number} of {self._step_count} · {remaining_text(self._remaining_s)}"

    def phase_state(self, index: int) -> str:
        """ "done", "current" or "upcoming" for phase ``index``."""
        if index < self._phase_index:
            return "done"
        return "current" if index == self._phase_index else "upcoming"

    # -- Qt ------------------------------------------------------------------------------------
    def _fonts(self) -> tuple[QFont, QFont]:
        segment = QFont(self.font())
        segment.setPointSizeF(segment.pointSizeF() * 0.95)
        status = QFont(self.font())
        status.setWeight(QFont.Weight.DemiBold)
        status.setPointSizeF(status.pointSizeF() * 1.05)
        return segment, status

    def _segment_height(self) -> float:
        # dense: a tighter segment, though never shorter than the status line beside it
        return max(SEGMENT_MIN_PX, QFontMetricsF(self._fonts()[0]).height() * (1.3 if self._dense else 1.7))

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        status = QFontMetricsF(self._fonts()[1]).height()
        if self._dense:
            return QSize(800, math.ceil(max(self._segment_height(), status) + 2))
        return QSize(800, math.ceil(self._segment_height() + 10 + status + 2))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(320, self.sizeHint().height())

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.PaletteChange and not self._palette_given:
            self._palette = current_palette()
            self.update()
        if event.type() == QEvent.Type.FontChange:
            self.updateGeometry()
        super().changeEvent(event)

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        segment_font, status_font = self._fonts()
        height = self._segment_height()
        status_box = self._status_box()
        if self._titles:
            painter.setFont(segment_font)
            x = 1.0
            for index, width in enumerate(self._segment_widths()):
                self._paint_segment(painter, QRectF(x, 1, width, height - 2), index)
                x += width + SEGMENT_GAP_PX
        painter.setFont(status_font)
        painter.setPen(QColor(self._palette.text))
        text = QFontMetricsF(status_font).elidedText(
            self.status_text(), Qt.TextElideMode.ElideRight, status_box.width()
        )
        across = Qt.AlignmentFlag.AlignRight if self._dense else Qt.AlignmentFlag.AlignLeft
        down = Qt.AlignmentFlag.AlignVCenter if self._dense else Qt.AlignmentFlag.AlignTop
        painter.drawText(status_box, across | down, text)
        painter.end()

    def _status_box(self) -> QRectF:
        """Where the status line goes: under the segments, or (dense) at their right, as wide as it is."""
        height = self._segment_height()
        if not self._dense:
            return QRectF(2, height + 10, self.width() - 4, self.height() - height - 10)
        wide = QFontMetricsF(self._fonts()[1]).horizontalAdvance(self.status_text()) + 4
        wide = min(wide, self.width() * 0.6)
        return QRectF(self.width() - wide - 2, 0, wide, self.height())

    def _segments_width(self) -> float:
        if not self._dense:
            return self.width() - 2
        return self._status_box().left() - 2 - 2 * SEGMENT_GAP_PX

    def _segment_widths(self) -> list[float]:
        """Equal shares, except that the current phase gets room for its whole title (up to 40%)."""
        count = len(self._titles)
        total = self._segments_width() - SEGMENT_GAP_PX * (count - 1)
        equal = total / count
        if count < 2 or not 0 <= self._phase_index < count:
            return [equal] * count
        bold = QFont(self._fonts()[0])
        bold.setWeight(QFont.Weight.Bold)
        wanted = QFontMetricsF(bold).horizontalAdvance(self._titles[self._phase_index]) + 28
        current = min(max(equal, wanted), total * 0.4)
        rest = (total - current) / (count - 1)
        return [current if i == self._phase_index else rest for i in range(count)]

    def _paint_segment(self, painter: QPainter, box: QRectF, index: int) -> None:
        p, state = self._palette, self.phase_state(index)
        if state == "current":
            fill, edge, ink = p.accent, p.accent, p.on_accent
        elif state == "done":
            fill, edge, ink = blend(p.surface, p.accent, 0.22), p.border, p.text
        else:
            fill, edge, ink = p.surface, p.border, p.muted_text
        painter.setPen(QPen(QColor(edge), 1.5))
        painter.setBrush(QColor(fill))
        painter.drawRoundedRect(box, 10, 10)
        font = QFont(painter.font())
        font.setWeight(QFont.Weight.Bold if state == "current" else QFont.Weight.Normal)
        painter.setFont(font)
        text_box = box.adjusted(10, 0, -10, 0)
        painter.setPen(QColor(ink))
        text = self._fitted(index, QFontMetricsF(font), text_box.width())
        # a lone tick or number sits in the middle of its segment
        across = Qt.AlignmentFlag.AlignLeft if len(text) > 2 else Qt.AlignmentFlag.AlignHCenter
        painter.drawText(text_box, Qt.AlignmentFlag.AlignVCenter | across, text)

    def _fitted(self, index: int, metrics: QFontMetricsF, width: float) -> str:
        """The title elided to ``width``; a bare tick (done) or the phase number when no word fits."""
        title, state = self._titles[index], self.phase_state(index)
        prefix = "✓ " if state == "done" else ""
        text = metrics.elidedText(prefix + title, Qt.TextElideMode.ElideRight, width)
        if len(text) - len(prefix) >= 4 or text == prefix + title:
            return text
        if state == "done":
            return "✓"
        number = str(index + 1)
        return number if metrics.horizontalAdvance(number) <= width else ""
