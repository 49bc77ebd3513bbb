"""Text that is never sliced through the middle of a line.

FittedLabel shows as many whole lines as its height holds, the last one ending in "…" when the
text goes on (the whole text is in the tooltip); FittedColumn stacks such labels by importance;
FadingScrollArea fades scrolled content out at an edge instead of slicing it.

A word-wrapped QLabel in a box too short for it (or a scroll area cut at any pixel) shows the
last line sliced through the middle, which nobody can read from across the room. This label
lays the text out itself, paints only lines that fit whole, and asks the layout for its full
height while accepting any height down to ``min_lines`` lines.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from PySide6.QtCore import QEvent, QPointF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFontMetricsF,
    QLinearGradient,
    QPainter,
    QPaintEvent,
    QPalette,
    QResizeEvent,
    QTextLayout,
    QTextOption,
)
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QSizePolicy, QWidget

from neck_guide.ui.theme import current_palette

ELLIPSIS: Final = "…"
HINT_WIDTH_CHARS: Final = 30
FADE_PX: Final = 44
FADE_SOLID: Final = 0.4  # share of the fade, at the edge, that is fully the background
_LINE_BREAK: Final = "\u2028"  # QTextLayout keeps a line separator; "\n" would be a single glyph


class FittedLabel(QLabel):
    """Word-wrapped text shown in whole lines only; themed by role like any QLabel."""

    def __init__(
        self, text: str = "", role: str = "", *, min_lines: int = 1, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        if role:
            self.setProperty("role", role)
        self._min_lines = min_lines
        self._max_lines: int | None = None
        self._shown: list[str] = []
        self._laid_out_for: tuple[str, int, int, str] | None = None
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.set_full_text(text)

    def set_full_text(self, text: str) -> None:
        """The whole text (``text()`` keeps it too, for accessibility)."""
        self.setText(text)
        self._laid_out_for = None
        self.updateGeometry()
        self.update()

    def set_max_lines(self, count: int | None) -> None:
        """Ask the layout for no more than ``count`` lines (None: as many as the text has)."""
        if count != self._max_lines:
            self._max_lines = count
            self.updateGeometry()

    # -- what is shown ---------------------------------------------------------------------------
    def lines(self, width: int) -> list[str]:
        """The text wrapped at ``width`` pixels, one string per line."""
        text = self.text().replace("\n", _LINE_BREAK)
        if not text or width <= 0:
            return []
        layout = QTextLayout(text, self.font())
        option = QTextOption()
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        layout.setTextOption(option)
        layout.beginLayout()
        out = []
        while True:
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(width)
            out.append(
                text[line.textStart() : line.textStart() + line.textLength()].rstrip(f" {_LINE_BREAK}")
            )
        layout.endLayout()
        return out

    def shown_lines(self) -> list[str]:
        """The lines painted now, the last ending in "…" when some were left out."""
        rect = self.contentsRect()
        key = (self.text(), rect.width(), rect.height(), self.font().key())
        if key != self._laid_out_for:
            self._laid_out_for = key
            self._shown = self._fit(rect.width(), rect.height())
            self.setToolTip(self.text() if self.is_elided() else "")
        return self._shown

    def is_elided(self) -> bool:
        return self._shown != self.lines(self.contentsRect().width())

    def line_height(self) -> int:
        return round(QFontMetricsF(self.font()).lineSpacing())

    def _fit(self, width: int, height: int) -> list[str]:
        lines = self.lines(width)
        room = max(0, height // max(1, self.line_height()))
        if len(lines) <= room:
            return lines
        if room == 0:
            return []
        shown = lines[:room]
        shown[-1] = self._with_ellipsis(shown[-1], width)
        return shown

    def _with_ellipsis(self, line: str, width: int) -> str:
        """``line`` with "…" after its last whole word that leaves room for it."""
        metrics = QFontMetricsF(self.font())
        words = line.split(" ")
        while words:
            candidate = " ".join(words).rstrip(" ,;:·—-") + ELLIPSIS
            if metrics.horizontalAdvance(candidate) <= width:
                return candidate
            words.pop()
        return metrics.elidedText(line, Qt.TextElideMode.ElideRight, width)

    # -- Qt ----------------------------------------------------------------------------------------
    def _height_for_lines(self, count: int) -> int:
        margins = self.contentsMargins()
        return count * self.line_height() + margins.top() + margins.bottom()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        """The whole text at the current width; a modest width wish (the text wraps to any width)."""
        metrics = QFontMetricsF(self.font())
        one_line = max((metrics.horizontalAdvance(line) for line in self.text().split("\n")), default=0.0)
        width = min(round(one_line) + 1, HINT_WIDTH_CHARS * round(metrics.averageCharWidth()))
        count = len(self.lines(max(1, self.contentsRect().width())))
        if self._max_lines is not None:
            count = min(count, self._max_lines)
        return QSize(
            width + self.contentsMargins().left() + self.contentsMargins().right(),
            self._height_for_lines(count),
        )

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        wanted = len(self.lines(max(1, self.contentsRect().width())))
        return QSize(0, self._height_for_lines(min(self._min_lines, wanted)))

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt override)
        return False  # the full height is only a wish: any whole number of lines will do

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():
            self.updateGeometry()  # the wish depends on the width

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.FontChange:
            self._laid_out_for = None
            self.updateGeometry()
        super().changeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        QFrame.paintEvent(self, event)  # background and border from the style sheet, no text
        rect = self.contentsRect()
        painter = QPainter(self)
        painter.setFont(self.font())
        group = QPalette.ColorGroup.Active if self.isEnabled() else QPalette.ColorGroup.Disabled
        painter.setPen(self.palette().color(group, self.foregroundRole()))
        metrics = QFontMetricsF(self.font())
        y = rect.top() + metrics.ascent()
        for line in self.shown_lines():
            painter.drawText(QPointF(rect.left(), y), line)
            y += self.line_height()
        painter.end()


class FittedColumn(QWidget):
    """Fitted labels one under another, in order of importance: the first gets every line it wants,
    the next what is left, and so on; each shows whole lines only."""

    def __init__(
        self, labels: Sequence[FittedLabel], *, spacing: int = 6, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._labels = tuple(labels)
        self._spacing = spacing
        for label in self._labels:
            label.setParent(self)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)

    def _shown(self) -> list[FittedLabel]:
        return [label for label in self._labels if not label.isHidden()]

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        shown = self._shown()
        if not shown:
            return QSize(0, 0)
        heights = [self._wanted(label) for label in shown]
        width = max(label.sizeHint().width() for label in shown)
        return QSize(width, sum(heights) + self._spacing * (len(shown) - 1))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        shown = self._shown()
        return QSize(0, shown[0].minimumSizeHint().height() if shown else 0)

    def _wanted(self, label: FittedLabel) -> int:
        if label.width() != self.width():
            label.resize(self.width(), label.height())  # the lines wanted depend on the width
        return label.sizeHint().height()

    def place(self) -> None:
        """Lay the labels out again (after their texts or visibility changed)."""
        top, left = 0, self.height()
        for label in self._shown():
            wanted = self._wanted(label)
            margins = label.contentsMargins().top() + label.contentsMargins().bottom()
            lines = max(0, min(wanted, left) - margins) // max(1, label.line_height())
            height = lines * label.line_height() + margins if lines else 0
            label.setGeometry(0, top, self.width(), height)
            top += height + self._spacing
            left = max(0, self.height() - top)
        self.updateGeometry()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self.place()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.LayoutRequest:  # a label's text or font changed
            self.place()
        return super().event(event)


class FadingScrollArea(QScrollArea):
    """A vertical scroll area whose content fades out at an edge where more is hidden: a line the
    edge cuts through is faded rather than sliced, and the fade says "more this way"."""

    def __init__(self, content: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWidget(content)
        self._fades = (_Fade(self.viewport(), at_top=True), _Fade(self.viewport(), at_top=False))
        bar = self.verticalScrollBar()
        bar.valueChanged.connect(self._refresh)
        bar.rangeChanged.connect(self._refresh)

    def fades_shown(self) -> tuple[bool, bool]:
        """Whether the top and the bottom fade are shown (more content above, below)."""
        top, bottom = self._fades
        return not top.isHidden(), not bottom.isHidden()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self._refresh()

    def _refresh(self) -> None:
        bar, viewport = self.verticalScrollBar(), self.viewport()
        height = min(FADE_PX, viewport.height() // 3)
        top, bottom = self._fades
        top.setGeometry(0, 0, viewport.width(), height)
        bottom.setGeometry(0, viewport.height() - height, viewport.width(), height)
        top.setVisible(bar.value() > bar.minimum())
        bottom.setVisible(bar.value() < bar.maximum())
        for fade in self._fades:
            fade.raise_()


class _Fade(QWidget):
    """A strip over the edge of a scroll area's viewport: from clear to the page's background."""

    def __init__(self, parent: QWidget, *, at_top: bool) -> None:
        super().__init__(parent)
        self._at_top = at_top
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.hide()

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        solid = QColor(current_palette().background)
        clear = QColor(solid)
        clear.setAlpha(0)
        gradient = QLinearGradient(0, 0, 0, self.height())
        # solid over the part nearest the edge, where a cut line's sliced glyphs would be
        stops = ((0.0, solid), (FADE_SOLID, solid), (1.0, clear))
        for at, colour in stops:
            gradient.setColorAt(at if self._at_top else 1.0 - at, colour)
        painter = QPainter(self)
        painter.fillRect(self.rect(), gradient)
        painter.end()
