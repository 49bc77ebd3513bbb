"""A bar of buttons that never cuts one: what does not fit moves into a More menu.

QToolBar does the same with its extension button, but that button is a small arrow (not a touch
target), it pops the tool buttons themselves up rather than a menu, and tool bars belong in a
QMainWindow's tool bar area. This bar keeps the app's themed push buttons and a More button as
big as any other, and it is an ordinary widget.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from PySide6.QtCore import QEvent, QSize
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import QMenu, QPushButton, QWidget

from neck_guide.ui.theme import MIN_TOUCH_PX
from neck_guide.ui.widgets.common import NBSP, button

KEEP: Final = 1_000_000  # the priority of a button that never leaves the bar
# menu entries as tall as a button (the menu takes its colours from the theme's palette)
MENU_STYLE: Final = (
    "QMenu { background: palette(base); border: 2px solid palette(mid); padding: 4px; }"
    f"QMenu::item {{ padding: 10px 28px 10px 20px; min-height: {MIN_TOUCH_PX - 20}px; }}"
    "QMenu::item:selected { background: palette(highlight); color: palette(highlighted-text); }"
    "QMenu::indicator { width: 24px; height: 24px; }"
)


@dataclass
class _Entry:
    widget: QWidget
    priority: int
    in_menu: bool


class OverflowBar(QWidget):
    """A brand at the left, buttons at the right; when they do not all fit, the brand goes first,
    then the buttons from the lowest priority up move into the More menu (a button with priority
    KEEP never does). Buttons keep their order on the bar and in the menu; a menu entry clicks its
    button, and a checkable button's entry shows whether it is on."""

    def __init__(self, parent: QWidget | None = None, *, spacing: int = 8) -> None:
        super().__init__(parent)
        self._space = spacing
        self._brand: _Entry | None = None
        self._entries: list[_Entry] = []
        self.more = button(f"More{NBSP}▾", "quiet")  # the chevron says a menu opens
        self.more.setParent(self)
        self.more.setStyleSheet("QPushButton::menu-indicator { image: none; width: 0px; }")
        self.more.setAccessibleName("More")
        self.more.setToolTip("What does not fit on the bar")
        self.menu = QMenu(self.more)
        self.menu.setStyleSheet(MENU_STYLE)
        self.menu.aboutToShow.connect(self._fill_menu)
        self.more.setMenu(self.menu)
        self.more.hide()

    def set_brand(self, widget: QWidget) -> None:
        """The app's name at the left: the first thing to go when room is short."""
        widget.setParent(self)
        self._brand = _Entry(widget, -1, in_menu=False)
        self._arrange()

    def add_button(self, b: QPushButton, *, priority: int = 0) -> None:
        """Add ``b`` after the buttons already there; a higher priority stays on the bar longer."""
        b.setParent(self)
        self._entries.append(_Entry(b, priority, in_menu=True))
        self._arrange()

    def overflow(self) -> list[QPushButton]:
        """The buttons in the More menu now, in bar order."""
        return [e.widget for e in self._entries if e.widget.isHidden() and isinstance(e.widget, QPushButton)]

    # -- Qt ---------------------------------------------------------------------------------------
    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        """Room for everything, brand included."""
        return self._size([e.widget for e in self._all()])

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        """As narrow as the buttons that are kept, and More; as tall as everything: the bar gives
        up width, never height (a tall page's hint must not squeeze the brand out of its line)."""
        kept = self._size([e.widget for e in self._entries if e.priority >= KEEP] + [self.more])
        return QSize(kept.width(), self.sizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self._arrange()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        self._arrange()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.LayoutRequest:  # a button's text (or font) changed
            self._arrange()
            self.updateGeometry()
        return super().event(event)

    # -- working it out ---------------------------------------------------------------------------
    def _all(self) -> list[_Entry]:
        return ([self._brand] if self._brand is not None else []) + self._entries

    def _size(self, widgets: list[QWidget]) -> QSize:
        m = self.contentsMargins()
        width = sum(w.sizeHint().width() for w in widgets) + self._space * max(0, len(widgets) - 1)
        height = max((w.sizeHint().height() for w in [*widgets, self.more]), default=0)
        return QSize(width + m.left() + m.right(), height + m.top() + m.bottom())

    def _arrange(self) -> None:
        shown = self._all()
        for leaving in sorted(self._all(), key=lambda e: e.priority):
            if self._fits(shown) or leaving.priority >= KEEP:
                break
            shown.remove(leaving)
        for entry in self._all():
            entry.widget.setVisible(entry in shown)
        moved = self._moves_any(shown)
        self.more.setVisible(moved)
        self._place([e.widget for e in shown if e is not self._brand] + ([self.more] if moved else []))

    def _moves_any(self, shown: list[_Entry]) -> bool:
        return any(e.in_menu and e not in shown for e in self._entries)

    def _fits(self, shown: list[_Entry]) -> bool:
        widgets = [e.widget for e in shown] + ([self.more] if self._moves_any(shown) else [])
        m = self.contentsMargins()
        return self._size(widgets).width() - m.left() - m.right() <= self.contentsRect().width()

    def _place(self, right_side: list[QWidget]) -> None:
        area = self.contentsRect()
        if self._brand is not None and self._brand.widget.isVisibleTo(self):
            brand = self._brand.widget
            hint = brand.sizeHint()
            brand.setGeometry(
                area.x(), area.y() + (area.height() - hint.height()) // 2, hint.width(), hint.height()
            )
        x = area.right() + 1
        for widget in reversed(right_side):
            hint = widget.sizeHint()
            x -= hint.width()
            height = max(hint.height(), widget.minimumHeight())
            widget.setGeometry(x, area.y() + (area.height() - height) // 2, hint.width(), height)
            x -= self._space

    def _fill_menu(self) -> None:
        """The buttons off the bar as menu entries, with their text and state as they are now."""
        self.menu.clear()
        for b in self.overflow():
            action = self.menu.addAction(b.text())
            action.setCheckable(b.isCheckable())
            action.setChecked(b.isChecked())
            action.setToolTip(b.toolTip())
            action.triggered.connect(b.click)
