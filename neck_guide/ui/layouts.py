"""Layouts that give way to large text instead of cutting it: a row that wraps, columns that reflow.

At a large text size a row of buttons no longer fits a small window; a QHBoxLayout then squeezes
every button below its text. :class:`WrapRow` is a QHBoxLayout that breaks onto another row
instead (the flow layout of Qt's examples, with a stretch, groups that stay together and text that
may wrap beside the buttons). :class:`ColumnFlow` lays cards out in as many equal columns as their
longest words allow, one row under another. :class:`ScrollColumn` is a column of a page that
scrolls when the window is too short for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from PySide6.QtCore import QRect, QSize, Qt, QTextBoundaryFinder
from PySide6.QtGui import QFontMetricsF
from PySide6.QtWidgets import QHBoxLayout, QLayout, QLayoutItem, QSizePolicy, QWidget

_WIDE: Final = 100_000  # a width at which any text of ours fits on one line


def longest_word_px(text: str, metrics: QFontMetricsF) -> int:
    """The width of the widest piece of ``text`` that a line cannot break (Qt's own line breaking:
    spaces, after hyphens, never at a no-break space), in pixels."""
    finder = QTextBoundaryFinder(QTextBoundaryFinder.BoundaryType.Line, text)
    widest, start = 0.0, 0
    while (end := finder.toNextBoundary()) != -1:
        widest = max(widest, metrics.horizontalAdvance(text[start:end].rstrip()))
        start = end
    return int(widest) + 1


class _ItemList(QLayout):
    """A layout over a plain list of items, as Qt's custom layouts keep them; subclasses place them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []

    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802 (Qt override)
        self._items.append(item)
        self.invalidate()

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 (Qt override)
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 (Qt override)
        if not 0 <= index < len(self._items):
            return None
        item = self._items.pop(index)
        self.invalidate()
        return item


@dataclass
class _Placed:
    item: QLayoutItem
    width: int
    right: bool


class WrapRow(_ItemList):
    """Items left to right like a QHBoxLayout while they fit, on more rows when they do not.

    Nothing is squeezed below its size hint (unless it is alone on its row and still too wide):
    the order stays, and the row breaks between items. ``add_stretch`` once puts what follows at
    the right; when the row breaks, that part starts a row of its own, right-aligned (the primary
    button stays bottom right). ``add_group`` keeps widgets together on one row. A word-wrapped
    label (any height-for-width item) stays on a row while it needs at most ``max_lines`` lines
    there. Widgets added with a top or bottom alignment (``setAlignment``) keep to that edge.
    """

    def __init__(self, parent: QWidget | None = None, *, spacing: int = 12, max_lines: int = 2) -> None:
        super().__init__(parent)
        self._right_from: int | None = None
        self._space = spacing
        self._max_lines = max_lines
        self._cache: dict[int, list[list[_Placed]]] = {}
        self.setContentsMargins(0, 0, 0, 0)

    # -- building -------------------------------------------------------------------------------
    def add_stretch(self) -> None:
        """What is added after this goes to the right."""
        self._right_from = len(self._items)

    def add_group(self, *widgets: QWidget) -> QHBoxLayout:
        """``widgets`` side by side, never split over two rows."""
        group = QHBoxLayout()
        group.setContentsMargins(0, 0, 0, 0)
        group.setSpacing(self._space)
        self.addChildLayout(group)
        for widget in widgets:
            group.addWidget(widget)
        self.addItem(group)
        return group

    # -- QLayout ----------------------------------------------------------------------------------
    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 (Qt override)
        if self._right_from is not None and 0 <= index < min(len(self._items), self._right_from):
            self._right_from -= 1
        return super().takeAt(index)

    def invalidate(self) -> None:
        self._cache.clear()
        super().invalidate()

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802 (Qt override)
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt override)
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt override)
        m = self.contentsMargins()
        lines = self._lines(width - m.left() - m.right())
        heights = [self._line_height(line) for line in lines]
        return sum(heights) + self._space * max(0, len(heights) - 1) + m.top() + m.bottom()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        """Everything on one row."""
        shown = self._shown()
        m = self.contentsMargins()
        width = sum(item.sizeHint().width() for _, item in shown) + self._space * max(0, len(shown) - 1)
        height = max((item.sizeHint().height() for _, item in shown), default=0)
        return QSize(width + m.left() + m.right(), height + m.top() + m.bottom())

    def minimumSize(self) -> QSize:  # noqa: N802 (Qt override)
        """As narrow as the widest item; the height for a width comes from heightForWidth."""
        shown = self._shown()
        m = self.contentsMargins()
        width = max((item.minimumSize().width() for _, item in shown), default=0)
        height = max((item.minimumSize().height() for _, item in shown), default=0)
        return QSize(width + m.left() + m.right(), height + m.top() + m.bottom())

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802 (Qt override)
        super().setGeometry(rect)
        area = rect.marginsRemoved(self.contentsMargins())
        y = area.y()
        for line in self._lines(area.width()):
            height = self._line_height(line)
            x = area.x()
            widths = self._grown(line, area.width())
            first_right = next((k for k, p in enumerate(line) if p.right), None)
            for k, (placed, width) in enumerate(zip(line, widths, strict=True)):
                if k == first_right:  # the right part ends at the right edge
                    x = max(x, area.right() + 1 - sum(widths[k:]) - self._space * (len(line) - 1 - k))
                placed.item.setGeometry(self._in_line(placed.item, QRect(x, y, width, height)))
                x += width + self._space
            y += height + self._space

    # -- working it out ---------------------------------------------------------------------------
    def _shown(self) -> list[tuple[int, QLayoutItem]]:
        return [(n, item) for n, item in enumerate(self._items) if not item.isEmpty()]

    def _lines(self, width: int) -> list[list[_Placed]]:
        if width in self._cache:
            return self._cache[width]
        shown = [(n, item, min(width, self._wanted(item, width))) for n, item in self._shown()]
        right_total = sum(w for n, _, w in shown if self._is_right(n))
        right_total += self._space * max(0, sum(self._is_right(n) for n, _, _ in shown) - 1)
        lines: list[list[_Placed]] = [[]]
        used = 0
        for n, item, wanted in shown:
            right = self._is_right(n)
            first_right = right and not any(p.right for line in lines for p in line)
            need = min(width, right_total) if first_right else wanted
            if lines[-1] and used + self._space + need > width:
                lines.append([])
            used = (used + self._space if lines[-1] else 0) + wanted
            lines[-1].append(_Placed(item, wanted, right))
        self._cache[width] = [line for line in lines if line]
        return self._cache[width]

    def _is_right(self, index: int) -> bool:
        return self._right_from is not None and index >= self._right_from

    def _wanted(self, item: QLayoutItem, width: int) -> int:
        """The width ``item`` takes on a row: its size hint; for text that wraps, the narrowest
        width at which it needs at most ``max_lines`` lines."""
        if not item.hasHeightForWidth():
            return item.sizeHint().width()
        low = max(1, item.minimumSize().width())
        allowed = item.heightForWidth(_WIDE) * self._max_lines
        if item.heightForWidth(width) > allowed:
            return width
        high = width
        while low < high:
            middle = (low + high) // 2
            if item.heightForWidth(middle) <= allowed:
                high = middle
            else:
                low = middle + 1
        return low

    def _grown(self, line: list[_Placed], width: int) -> list[int]:
        """The widths on a row once its spare width is shared out: to the widgets whose own size
        policy expands, else to the last text that wraps, else none (the stretch takes it)."""
        widths = [p.width for p in line]
        spare = width - sum(widths) - self._space * (len(line) - 1)
        growing = [n for n, p in enumerate(line) if _expands(p.item)]
        growing = growing or [n for n, p in enumerate(line) if p.item.hasHeightForWidth()][-1:]
        for k, n in enumerate(growing):
            share = spare // (len(growing) - k)
            added = max(0, min(share, line[n].item.maximumSize().width() - widths[n]))
            widths[n] += added
            spare -= added
        return widths

    def _in_line(self, item: QLayoutItem, line: QRect) -> QRect:
        """Where ``item`` goes in its part of a row: as tall as the row if it may grow, else
        centred, or at the top or bottom if it was added with that alignment."""
        own = self._item_height(item, line.width())
        vertical = item.alignment() & Qt.AlignmentFlag.AlignVertical_Mask
        height = own if vertical else max(own, min(line.height(), item.maximumSize().height()))
        if vertical & Qt.AlignmentFlag.AlignBottom:
            return QRect(line.x(), line.bottom() + 1 - height, line.width(), height)
        if vertical & Qt.AlignmentFlag.AlignTop:
            return QRect(line.x(), line.y(), line.width(), height)
        return QRect(line.x(), line.y() + (line.height() - height) // 2, line.width(), height)

    def _item_height(self, item: QLayoutItem, width: int) -> int:
        if item.hasHeightForWidth():
            return item.heightForWidth(width)
        return item.sizeHint().height()

    def _line_height(self, line: list[_Placed]) -> int:
        return max(self._item_height(p.item, p.width) for p in line)


class ColumnFlow(_ItemList):
    """Equal columns, as many as fit (each at least as wide as its widest item's minimum, at most
    ``max_columns``), filled row by row; each row as tall as its tallest item at that width."""

    def __init__(self, parent: QWidget | None = None, *, spacing: int = 12, max_columns: int = 3) -> None:
        super().__init__(parent)
        self._space = spacing
        self._max_columns = max_columns
        self.setContentsMargins(0, 0, 0, 0)

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802 (Qt override)
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt override)
        return True

    def columns(self, width: int) -> int:
        """How many columns fit in ``width`` (the margins taken off already)."""
        shown = self._shown()
        narrowest = max((item.minimumSize().width() for item in shown), default=1)
        fit = (width + self._space) // max(1, narrowest + self._space)
        return max(1, min(self._max_columns, len(shown), fit))

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt override)
        m = self.contentsMargins()
        rows = self._rows(width - m.left() - m.right())
        return sum(h for h, _ in rows) + self._space * max(0, len(rows) - 1) + m.top() + m.bottom()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        shown = self._shown()
        columns = max(1, min(self._max_columns, len(shown)))
        wide = max((item.sizeHint().width() for item in shown), default=0)
        width = columns * wide + self._space * (columns - 1)
        m = self.contentsMargins()
        return QSize(width + m.left() + m.right(), self.heightForWidth(width + m.left() + m.right()))

    def minimumSize(self) -> QSize:  # noqa: N802 (Qt override)
        shown = self._shown()
        m = self.contentsMargins()
        width = max((item.minimumSize().width() for item in shown), default=0)
        height = max((item.minimumSize().height() for item in shown), default=0)
        return QSize(width + m.left() + m.right(), height + m.top() + m.bottom())

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802 (Qt override)
        super().setGeometry(rect)
        area = rect.marginsRemoved(self.contentsMargins())
        y = area.y()
        for height, row in self._rows(area.width()):
            x = area.x()
            for item, width in row:
                item.setGeometry(QRect(x, y, width, height))
                x += width + self._space
            y += height + self._space

    def _shown(self) -> list[QLayoutItem]:
        return [item for item in self._items if not item.isEmpty()]

    def _rows(self, width: int) -> list[tuple[int, list[tuple[QLayoutItem, int]]]]:
        shown = self._shown()
        columns = self.columns(width)
        room = width - self._space * (columns - 1)
        widths = [room // columns + (1 if n < room % columns else 0) for n in range(columns)]
        rows = []
        for start in range(0, len(shown), columns):
            row = list(zip(shown[start : start + columns], widths, strict=False))
            height = max(max(_height(item, w), item.minimumSize().height()) for item, w in row)
            rows.append((height, row))
        return rows


def _expands(item: QLayoutItem) -> bool:
    widget = item.widget()
    policy = widget.sizePolicy().horizontalPolicy() if widget is not None else QSizePolicy.Policy.Fixed
    return bool(policy.value & QSizePolicy.PolicyFlag.ExpandFlag.value)


def _height(item: QLayoutItem, width: int) -> int:
    return item.heightForWidth(width) if item.hasHeightForWidth() else item.sizeHint().height()
