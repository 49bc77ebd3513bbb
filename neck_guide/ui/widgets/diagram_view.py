"""The anatomy diagram: one view's SVG with the current step's highlight, scaled to fit.

A thin painter around :mod:`neck_guide.diagram`: that module decides which elements light up and
whether the drawing is mirrored; this widget only renders the result, keeping the drawing's aspect
ratio and centring it.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QRectF, QSize, QSizeF, Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QSizePolicy, QWidget

from neck_guide.diagram import Highlight, Theme, highlighted_svg, needs_mirror

MINIMUM_SIZE = QSize(160, 176)
PREFERRED_SIZE = QSize(320, 352)


class DiagramView(QWidget):
    """Paints an anatomy diagram; shows nothing until it is given a highlight."""

    def __init__(self, parent: QWidget | None = None, *, theme: Theme = "dark") -> None:
        super().__init__(parent)
        self._renderer = QSvgRenderer(self)
        self._highlight: Highlight | None = None
        self._theme: Theme = theme
        self._loaded = False
        self._mirrored = False
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)

    # -- API ---------------------------------------------------------------------------------
    def highlight(self) -> Highlight | None:
        return self._highlight

    def theme(self) -> Theme:
        return self._theme

    def is_mirrored(self) -> bool:
        return self._mirrored

    def set_highlight(self, highlight: Highlight | None) -> None:
        """Show ``highlight``'s view with its elements lit; ``None`` clears the diagram.

        Raises :class:`neck_guide.diagram.DiagramError` (and keeps the current drawing) when the
        highlight names an element the view does not have.
        """
        self._show(highlight, self._theme)

    def set_theme(self, theme: Theme) -> None:
        if theme != self._theme:
            self._show(self._highlight, theme)

    # -- Qt ----------------------------------------------------------------------------------
    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return MINIMUM_SIZE

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return PREFERRED_SIZE

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        if not self._loaded:
            return
        target = self.drawing_rect()
        if target.isEmpty():
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        if self._mirrored:
            # Flip about the vertical line through the drawing's centre.
            painter.translate(2 * target.center().x(), 0)
            painter.scale(-1, 1)
        self._renderer.render(painter, target)
        painter.end()

    # -- internals ---------------------------------------------------------------------------
    def drawing_rect(self) -> QRectF:
        """Where the drawing goes: the largest rect of its aspect ratio, centred in the widget."""
        box = self._renderer.viewBoxF().size() if self._loaded else QSizeF()
        if box.isEmpty():
            return QRectF()
        size = box.scaled(QSizeF(self.size()), Qt.AspectRatioMode.KeepAspectRatio)
        return QRectF(
            (self.width() - size.width()) / 2,
            (self.height() - size.height()) / 2,
            size.width(),
            size.height(),
        )

    def _show(self, highlight: Highlight | None, theme: Theme) -> None:
        data = None if highlight is None else highlighted_svg(highlight, theme)
        self._highlight = highlight
        self._theme = theme
        self._loaded = data is not None and self._renderer.load(QByteArray(data))
        self._mirrored = highlight is not None and needs_mirror(highlight)
        self.update()
