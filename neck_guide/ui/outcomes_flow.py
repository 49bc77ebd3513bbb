"""The client's questionnaires around a session: when they are due, client mode, and the link to
the session that follows.

Once a usable client code is typed on the start page, the line under it says when the client's
questionnaires are due (intake, then the clinic's interval). "Client questionnaires…" hands the
tablet over: the client mode page shows a :class:`~neck_guide.session.filling.ClientFilling`, each
change of a response goes to the records journal at once (``response_changed``), and the window's
keys are off while the client holds the tablet. The responses filled are linked to the session
started next for the same client (their ``session_id``), and saved again with it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from neck_guide.engine.events import Event, SessionStarted
from neck_guide.engine.record import canonical_code
from neck_guide.questionnaire.loader import QuestionnaireCatalog
from neck_guide.questionnaire.response import ResponseRecord
from neck_guide.session.filling import ClientFilling, previous_names
from neck_guide.session.outcome_schedule import due, due_line, occasion
from neck_guide.store import SessionStore, StoreError
from neck_guide.ui.pages.client_mode import ClientModePage
from neck_guide.ui.pages.start import StartPage
from neck_guide.ui.preferences import Preferences
from neck_guide.ui.session_model import SessionModel
from neck_guide.ui.widgets.common import Decisions


class OutcomesFlow(QObject):
    """Questionnaires for the client typed on the start page.

    Signals:
        response_changed(object): a ResponseRecord to save whole (the window relays it to the journal).
        client_mode_changed(bool): client mode shown (the window turns its keys off) or left.
    """

    response_changed = Signal(object)
    client_mode_changed = Signal(bool)

    def __init__(
        self,
        questionnaires: QuestionnaireCatalog,
        store: SessionStore,
        model: SessionModel,
        preferences: Preferences,
        decisions: Decisions,
        *,
        show: Callable[[QWidget], None],
        back_to_start: Callable[[], None],
        before_reading: Callable[[], object],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.questionnaires = questionnaires
        self._store, self._model, self._preferences, self._decisions = store, model, preferences, decisions
        self._show, self._back_to_start, self._before_reading = show, back_to_start, before_reading
        self._start: StartPage | None = None
        self.page: ClientModePage | None = None
        self.filling: ClientFilling | None = None
        self.unlinked: list[ResponseRecord] = []  # filled for the client of the next session
        self._client = ""

    def watch(self, start: StartPage) -> None:
        self._start = start
        start.client_code_changed.connect(self._on_client_code_changed)
        start.questionnaires_requested.connect(self.open_client_mode)

    # -- the start page's line ------------------------------------------------------------------

    def _on_client_code_changed(self, code: str) -> None:
        self._client = code
        self._show_due()

    def _show_due(self) -> None:
        if self._start is None:
            return
        code = self._client
        if not code:
            self._start.show_due("")
            return
        weeks = self._preferences.current.questionnaires_every_weeks
        today = self._model.clock.wall().date()
        dues = due(self.questionnaires.scheduled, self._responses(code), today, weeks)
        self._start.show_due(due_line(dues, today, weeks))

    def _responses(self, code: str) -> list[ResponseRecord]:
        self._before_reading()  # the records writer catches up first
        try:
            return self._store.responses(client=code)
        except StoreError:
            return []  # the due line stays quiet; the records problem is in the notice bar

    # -- client mode ----------------------------------------------------------------------------

    def open_client_mode(self, code: str) -> None:
        client = canonical_code(code)
        scheduled = self.questionnaires.scheduled
        if client is None or not scheduled:
            return
        responses = self._responses(client)
        weeks = self._preferences.current.questionnaires_every_weeks
        dues = due(scheduled, responses, self._model.clock.wall().date(), weeks)
        self.filling = ClientFilling(
            scheduled,
            client_code=client,
            occasion=occasion(dues),
            clock=self._model.clock,
            save=self.response_changed.emit,
            previous_names=previous_names(responses),
        )
        page = self._page()
        page.start(self.filling)
        self._show(page)
        page.setFocus()
        self.client_mode_changed.emit(True)

    def _page(self) -> ClientModePage:
        if self.page is None:
            self.page = ClientModePage()
            self.page.done.connect(self._leave)
            self.page.stop_requested.connect(self._on_stop_requested)
        return self.page

    def _on_stop_requested(self) -> None:
        if self.filling is not None and self._decisions.confirm(
            "Stop the questionnaires?",
            "Stop now? The answers given so far are kept; the questionnaires left are not filled.",
            yes="Stop",
            no="Go on",
        ):
            self.filling.stop()
            self._leave()

    def _leave(self) -> None:
        filling, self.filling = self.filling, None
        if filling is not None:
            self.unlinked = [r for r in filling.records if r is not None]
        self.client_mode_changed.emit(False)
        self._back_to_start()
        self._show_due()

    # -- the session that follows ---------------------------------------------------------------

    def on_event(self, event: Event) -> None:
        """A session begun for the same client takes the responses just filled."""
        if not isinstance(event, SessionStarted) or not self.unlinked:
            return
        record = event.record
        for response in self.unlinked:
            if response.client_code == record.client_code and not record.practice:
                response.session_id = record.session_id
                self.response_changed.emit(response)
        self.unlinked = []
