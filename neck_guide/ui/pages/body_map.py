"""The body map: where it hurts, tapped on the diagrams, beside an earlier session's marks.

Tap the body (the back or the front), then how much it hurts (0-10): that is a mark, local pain
unless *Referred* is chosen first. Tap a mark to pick it, then *Remove mark* takes it back (a new
entry in the record; the mark stays in it, no longer standing). On the right, the same view of an
earlier session's marks, to compare; the arrows step through the earlier sessions that have marks.
The page shows marks and relays what is tapped; what is recorded, and when, is the window's
(before the session begins the marks wait, with the time each was made).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QVBoxLayout, QWidget

from neck_guide.body_sites import MapView
from neck_guide.diagram import Theme
from neck_guide.engine.record import BodyMark, PainPattern
from neck_guide.session.body_chart import Chart, describe, mark_at, new_mark
from neck_guide.ui.layouts import WrapRow
from neck_guide.ui.theme import current_palette
from neck_guide.ui.widgets.body_canvas import BodyCanvas
from neck_guide.ui.widgets.common import PainScale, button, dotted, label

VIEW_WORDS: dict[MapView, str] = {"posterior": "Back view", "anterior": "Front view"}


class BodyMapPage(QWidget):
    """Today's marks on one view, and an earlier session's beside them.

    Signals:
        mark_made(object): a new BodyMark (not numbered yet) to record.
        mark_removed(int): the number of a mark to take back.
        done(): the therapist is finished with the map.
    """

    mark_made = Signal(object)
    mark_removed = Signal(int)
    done = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._marks: list[BodyMark] = []
        self._charts: list[Chart] = []
        self._earlier = 0
        self._view: MapView = "posterior"
        self._pending: tuple[float, float] | None = None
        self._selected: int | None = None
        page = QVBoxLayout(self)
        page.setContentsMargins(24, 12, 24, 12)
        page.setSpacing(10)
        page.addLayout(self._build_top())
        page.addLayout(self._build_diagrams(), 1)
        self.status = label("", "instructions", wrap=True)
        page.addWidget(self.status)
        page.addLayout(self._build_editor())
        self._refresh()

    def _build_top(self) -> WrapRow:
        row = WrapRow(spacing=12)
        self.title = label("Where does it hurt?", "title")
        row.addWidget(self.title)
        row.add_stretch()
        self.views = QButtonGroup(self)
        for view, words in VIEW_WORDS.items():
            b = button(words, checkable=True)
            b.setChecked(view == self._view)
            b.clicked.connect(lambda _=False, v=view: self.show_view(v))
            self.views.addButton(b)
            row.addWidget(b)
        self.done_button = button("&Done", "primary")
        self.done_button.clicked.connect(self.done)
        row.addWidget(self.done_button)
        return row

    def _build_diagrams(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(16)
        today, earlier = QVBoxLayout(), QVBoxLayout()
        self.today_title = label("Today", "subtitle")
        self.canvas = BodyCanvas(self._view)
        self.canvas.tapped.connect(self._on_tapped)
        today.addWidget(self.today_title)
        today.addWidget(self.canvas, 1)
        head = QHBoxLayout()
        self.older = button("◀", compact=True)
        self.newer = button("▶", compact=True)
        self.older.setAccessibleName("An earlier session")
        self.newer.setAccessibleName("A later session")
        self.older.clicked.connect(lambda: self._step_earlier(1))
        self.newer.clicked.connect(lambda: self._step_earlier(-1))
        self.earlier_title = label("", "subtitle", wrap=True)
        head.addWidget(self.earlier_title, 1)
        head.addWidget(self.older)
        head.addWidget(self.newer)
        self.earlier_canvas = BodyCanvas(self._view, tappable=False)
        earlier.addLayout(head)
        earlier.addWidget(self.earlier_canvas, 1)
        row.addLayout(today, 1)
        row.addLayout(earlier, 1)
        return row

    def _build_editor(self) -> WrapRow:
        row = WrapRow(spacing=10)
        self.patterns = QButtonGroup(self)
        self.local = button("&Local", checkable=True, compact=True)
        self.referred = button("&Referred", checkable=True, compact=True)
        self.local.setToolTip("Pain felt where it starts")
        self.referred.setToolTip("Pain felt away from where it starts (a trigger point's referral)")
        self.local.setChecked(True)
        for b in (self.local, self.referred):
            self.patterns.addButton(b)
        self.scale = PainScale()
        self.scale.chosen.connect(self._on_intensity)
        self.remove = button("Remove", "danger", compact=True)
        self.remove.setToolTip("Take back the mark picked (tap a mark to pick it)")
        self.remove.clicked.connect(self._on_remove)
        row.add_group(self.local, self.referred)
        row.addWidget(self.scale)
        row.addWidget(self.remove)
        return row

    # -- what to show ----------------------------------------------------------------------------

    def show_marks(self, marks: Sequence[BodyMark]) -> None:
        """Today's standing marks (the window's to give: recorded, or waiting for the session)."""
        self._marks = list(marks)
        if self._selected not in {m.number for m in self._marks}:
            self._selected = None
        self._refresh()

    def show_earlier(self, charts: Sequence[Chart], subtitle: str = "") -> None:
        """The earlier sessions that have marks, newest first."""
        self._charts, self._earlier = list(charts), 0
        self.today_title.setText(dotted("Today", subtitle))
        self._refresh()

    def show_view(self, view: MapView) -> None:
        self._view, self._pending = view, None
        for b in self.views.buttons():
            b.setChecked(b.text() == VIEW_WORDS[view])
        for canvas in (self.canvas, self.earlier_canvas):
            canvas.show_view(view)
        self._refresh()

    def _refresh(self) -> None:
        theme: Theme = "dark" if current_palette().is_dark else "light"
        for canvas in (self.canvas, self.earlier_canvas):
            canvas.set_theme(theme)
        self.canvas.pending = self._pending
        self.canvas.show_marks(self._marks, self._selected)
        chart = self._charts[self._earlier] if self._charts else None
        self.earlier_title.setText(f"Earlier: {chart.label}" if chart else "No earlier session with marks")
        self.earlier_title.setToolTip(chart.title if chart else "")
        self.earlier_canvas.show_marks(chart.marks if chart else [])
        self.older.setEnabled(self._earlier + 1 < len(self._charts))
        self.newer.setEnabled(self._earlier > 0)
        self.remove.setEnabled(self._selected is not None)
        self.scale.set_value(None)
        self.status.setText(self._status())

    def _status(self) -> str:
        picked = next((m for m in self._marks if m.number == self._selected), None)
        if picked is not None:
            return f"Mark {picked.number}, {describe(picked)}. Remove it, or tap the body for a new one."
        if self._pending is not None:
            return "Now tap how much it hurts there, 0 (none) to 10 (the worst)."
        count = len(self._marks)
        said = f"{count} mark{'s' if count != 1 else ''} today. " if count else ""
        return said + "Tap where it hurts, then how much (0-10). A ring is referred pain."

    # -- taps ------------------------------------------------------------------------------------

    def _on_tapped(self, x: float, y: float) -> None:
        picked = mark_at(self._marks, self._view, x, y)
        if picked is not None:
            self._selected, self._pending = picked.number, None
        elif new_mark(self._view, x, y, 0, "local") is None:
            self._pending = self._selected = None
            self._refresh()
            self.status.setText("That is off the body: tap on the drawing of the body.")
            return
        else:
            self._pending, self._selected = (x, y), None
        self._refresh()

    def _on_intensity(self, value: int) -> None:
        if self._pending is None:
            self.status.setText("Tap where it hurts first, then how much.")
            self.scale.set_value(None)
            return
        pattern: PainPattern = "referred" if self.referred.isChecked() else "local"
        mark = new_mark(self._view, *self._pending, value, pattern)
        self._pending = None
        if mark is not None:
            self.mark_made.emit(mark)
        self._refresh()

    def _on_remove(self) -> None:
        if self._selected is not None:
            number, self._selected = self._selected, None
            self.mark_removed.emit(number)

    def _step_earlier(self, by: int) -> None:
        self._earlier = max(0, min(len(self._charts) - 1, self._earlier + by))
        self._refresh()
