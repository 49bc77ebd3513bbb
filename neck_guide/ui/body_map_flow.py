"""The body map around a session: marks made before it begins wait, marks made after are recorded.

From the screening page the session does not exist yet: marks wait in
:class:`~neck_guide.session.body_chart.PendingMarks`, each with the instant it was made, and are
recorded with those times as the session begins (the window calls :meth:`BodyMapFlow.record_pending`
when the screening starts it). From the summary the session is open: each mark is recorded at
once. Either way the earlier sessions of the client that have marks are shown beside today's.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from neck_guide.engine.record import BodyMark, SessionRecord
from neck_guide.session.body_chart import PendingMarks, earlier_charts
from neck_guide.store import SessionStore, StoreError
from neck_guide.ui.pages.body_map import BodyMapPage
from neck_guide.ui.session_model import SessionModel


class BodyMapFlow(QObject):
    """Opens the body map for the session being set up or the session open, and records its marks."""

    def __init__(
        self,
        store: SessionStore,
        model: SessionModel,
        *,
        show: Callable[[QWidget], None],
        before_reading: Callable[[], object],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._store, self._model, self._show, self._before_reading = store, model, show, before_reading
        self.pending = PendingMarks()
        self.page: BodyMapPage | None = None
        self._back: Callable[[], None] = lambda: None
        self._live = False

    def open(self, client_code: str | None, back: Callable[[], None], *, live: bool) -> None:
        """The map for ``client_code``'s session; ``live``: the session is open (marks are recorded
        now), else it is about to begin (marks wait); ``back`` when Done is tapped."""
        self._back, self._live = back, live
        page = self._page()
        current = self._model.runner.record.session_id if live and self._model.runner else None
        page.show_earlier(
            earlier_charts(self._earlier(client_code), current), client_code or "no client code"
        )
        page.show_marks(self._marks())
        self._show(page)

    def _page(self) -> BodyMapPage:
        if self.page is None:
            self.page = BodyMapPage()
            self.page.mark_made.connect(self._on_mark_made)
            self.page.mark_removed.connect(self._on_mark_removed)
            self.page.done.connect(self._on_done)
        return self.page

    def _on_done(self) -> None:
        self._back()

    def _earlier(self, client_code: str | None) -> list[SessionRecord]:
        if client_code is None:
            return []
        self._before_reading()
        try:
            summaries = self._store.sessions(client=client_code, practice=False)
            return [self._store.load(s.session_id) for s in summaries[-12:]]
        except StoreError:
            return []  # nothing to compare with; the records problem is in the notice bar

    def _marks(self) -> list[BodyMark]:
        runner = self._model.runner
        if self._live and runner is not None:
            return runner.record.marks()
        return self.pending.marks()

    def _on_mark_made(self, mark: BodyMark) -> None:
        if self._live and self._model.runner is not None:
            self._model.mark_body(mark)
        else:
            self.pending.add(mark, self._model.now())
        self._refresh()

    def _on_mark_removed(self, number: int) -> None:
        if self._live and self._model.runner is not None:
            self._model.remove_mark(number)
        else:
            self.pending.remove(number)
        self._refresh()

    def _refresh(self) -> None:
        if self.page is not None:
            self.page.show_marks(self._marks())

    def record_pending(self) -> None:
        """The session has begun: the marks made before it are recorded, each at its own time."""
        for mark, given in self.pending.take():
            self._model.mark_body(mark, given)

    @property
    def waiting(self) -> int:
        return len(self.pending.marks())
