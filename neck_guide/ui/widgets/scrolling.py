"""Pages too short for their text (large text, a small window) scroll instead of squeezing it.

A QBoxLayout short of height squeezes every item below its minimum, and text is cut. Here the parts
of a page that can scroll do: :class:`ScrollColumn` is a column that scrolls (with the fades of
FadingScrollArea), and :class:`ScrollsWhenShort` moves a part that normally stays in view (under
the questions, below the cards) into the page's scroll area while the page is too short for it.
"""

from __future__ import annotations

from typing import Final

from PySide6.QtCore import QEvent, QObject, QSize
from PySide6.QtWidgets import QBoxLayout, QLayoutItem, QScrollArea, QWidget

from neck_guide.ui.widgets.fitted_text import FadingScrollArea

KEEP_SHARE: Final = 1 / 3  # of a page's height, kept for its scroll area before a docked part joins it


class ScrollColumn(FadingScrollArea):
    """A column of a page that scrolls when the window is too short for it, and is never narrower
    than its content can be (with room for the scroll bar while it shows): a QScrollArea's own
    minimum size ignores its content, so beside another column its content would be cut at the side."""

    def __init__(self, content: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(content, parent)
        self.verticalScrollBar().rangeChanged.connect(self.updateGeometry)  # the bar came or went

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        hint = super().minimumSizeHint()
        content = self.widget()
        if content is None:
            return hint
        m = self.contentsMargins()
        bar = self.verticalScrollBar()
        narrowest = max(content.minimumSizeHint().width(), content.minimumWidth()) + m.left() + m.right()
        if bar.maximum() > bar.minimum():
            narrowest += bar.sizeHint().width()
        return QSize(max(hint.width(), narrowest), hint.height())

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.LayoutRequest:  # the content's minimum may have changed
            self.updateGeometry()
        return super().event(event)


class ScrollsWhenShort(QObject):
    """Keeps ``part`` in view, where it is in its page's layout, while the page leaves its scroll
    area ``keep_share`` of its height; in a shorter page it moves the part into the scroll area's
    content (at ``index`` of ``content``), and back when the page has room again.

    Make it once ``part`` is in the page's layout (a QBoxLayout)."""

    def __init__(
        self,
        part: QWidget,
        scroll: QScrollArea,
        content: QBoxLayout,
        index: int,
        *,
        keep_share: float = KEEP_SHARE,
    ) -> None:
        page = part.parentWidget()
        layout = page.layout() if page is not None else None
        assert page is not None and isinstance(layout, QBoxLayout), "the part goes in its page first"
        super().__init__(page)
        self._page, self._layout, self._part = page, layout, part
        self._scroll, self._content, self._index = scroll, content, index
        self._keep_share = keep_share
        self._home = layout.indexOf(part)
        page.installEventFilter(self)

    def scrolls(self) -> bool:
        """Whether the part is in the scroll area now."""
        return self._part.parentWidget() is not self._page

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if watched is self._page and event.type() in (QEvent.Type.Resize, QEvent.Type.LayoutRequest):
            self.place()
        return False

    def place(self) -> None:
        """Put the part where the page's height has room for it."""
        if self._part.isHidden():
            return
        short = self._page.height() - self._height_without_scroll() < self._page.height() * self._keep_share
        if short == self.scrolls():
            return
        if short:
            self._layout.removeWidget(self._part)
            self._content.insertWidget(self._index, self._part)
        else:
            self._content.removeWidget(self._part)
            self._layout.insertWidget(self._home, self._part)

    def _height_without_scroll(self) -> int:
        """The page's height for everything but its scroll area, the part in place."""
        layout = self._layout
        m = layout.contentsMargins()
        width = self._page.width() - m.left() - m.right()
        items = [layout.itemAt(n) for n in range(layout.count())]
        shown = [i for i in items if i is not None and not i.isEmpty() and i.widget() is not self._part]
        heights = [_height(i, width) for i in shown if i.widget() is not self._scroll]
        part = self._part.heightForWidth(width)
        heights.append(part if part >= 0 else self._part.sizeHint().height())
        return sum(heights) + layout.spacing() * len(shown) + m.top() + m.bottom()


def _height(item: QLayoutItem, width: int) -> int:
    return item.heightForWidth(width) if item.hasHeightForWidth() else item.sizeHint().height()
