"""The main window: a bar on top, a notice bar, and one page at a time.

The window owns the flow between pages (start → screening → runner → summary; history,
settings and recovery on the side) and the key bindings; each page is built the first time
it is shown, so the window opens fast. Voice, store and settings problems are shown in the notice
bar. Mute is the preference ``voice_muted``: the top bar's button, the runner's and the M key all
set it through the Preferences and show what they hold.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QHBoxLayout, QMainWindow, QPushButton, QStackedWidget, QVBoxLayout, QWidget

from neck_guide.engine.events import Event, SessionEnded
from neck_guide.engine.record import SessionRecord
from neck_guide.protocol.loader import Catalog, UnknownProtocol
from neck_guide.protocol.plan import expand
from neck_guide.questionnaire.loader import QuestionnaireCatalog
from neck_guide.session.launch import StartChoice
from neck_guide.session.recovery import Unfinished
from neck_guide.store import SessionStore
from neck_guide.store.journal import JournalStatus
from neck_guide.ui.body_map_flow import BodyMapFlow
from neck_guide.ui.keys import KeyBindings
from neck_guide.ui.outcomes_flow import OutcomesFlow
from neck_guide.ui.pages.start import StartPage
from neck_guide.ui.preferences import Preferences
from neck_guide.ui.session_model import SessionModel
from neck_guide.ui.widgets.common import Decisions, DialogDecisions, NoticeBar, button, label
from neck_guide.ui.widgets.overflow_bar import KEEP, OverflowBar

if TYPE_CHECKING:  # the other pages are imported when first shown: a faster start
    from neck_guide.ui.pages.history import HistoryPage
    from neck_guide.ui.pages.recovery import RecoveryPage
    from neck_guide.ui.pages.runner import RunnerPage
    from neck_guide.ui.pages.screening import ScreeningPage
    from neck_guide.ui.pages.settings import SettingsPage
    from neck_guide.ui.pages.summary import SummaryPage

P = TypeVar("P", bound=QWidget)
MIN_WIDTH_PX = 1000
MIN_HEIGHT_PX = 580
RECOVERED_NOTICE_MS = 15_000


class MainWindow(QMainWindow):
    """Neck Guide's window.

    Signals:
        close_out_requested(str): the id of an unfinished session to mark interrupted (confirmed
            on the recovery page; the records journal writes it).
    """

    close_out_requested = Signal(str)

    def __init__(
        self,
        catalog: Catalog,
        model: SessionModel,
        preferences: Preferences,
        store: SessionStore,
        *,
        decisions: Decisions | None = None,
        before_reading: Callable[[], object] | None = None,
        questionnaires: QuestionnaireCatalog | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Neck Guide")
        self.setMinimumSize(MIN_WIDTH_PX, MIN_HEIGHT_PX)
        self.catalog = catalog
        self.model = model
        self.preferences = preferences
        self.store = store
        self.decisions: Decisions = decisions or DialogDecisions(self)
        self._before_reading = before_reading or (lambda: None)
        self._notices: dict[str, str] = {}
        self._pages: dict[str, QWidget] = {}
        scale = preferences.current.text_scale
        self._text_scale = (scale, scale)  # asked for, in force (see show_text_scale)
        self._after_recovery: StartChoice | None = None
        self._screening_for: StartChoice | None = None
        self.setCentralWidget(self._build_central())
        self.outcomes = OutcomesFlow(
            questionnaires or QuestionnaireCatalog(),
            store,
            model,
            preferences,
            self.decisions,
            show=self._show_page,
            back_to_start=self.open_start,
            before_reading=self._before_reading,
            parent=self,
        )
        self.outcomes.client_mode_changed.connect(self._on_client_mode_changed)
        self.body_map = BodyMapFlow(
            store, model, show=self._show_page, before_reading=self._before_reading, parent=self
        )
        model.event_emitted.connect(self.outcomes.on_event)
        self.bindings = KeyBindings(preferences, self)
        self.bindings.activated.connect(self._on_key_activated)
        self.bindings.rating_key.connect(self._on_rating_key)
        self.bindings.changed.connect(self._on_bindings_changed)
        self._on_bindings_changed()
        model.event_emitted.connect(self._on_event_emitted)
        preferences.changed.connect(self._on_preference_changed)
        preferences.notice_changed.connect(lambda text: self.set_notice("settings", text))
        self.set_notice("settings", preferences.notice)
        self._show_muted()
        self.open_start()

    def _build_central(self) -> QWidget:
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        self.top_bar = self._build_top_bar()
        column.addWidget(self.top_bar)
        self.notice_bar = NoticeBar()
        self.notice_box = QWidget()
        notice_row = QHBoxLayout(self.notice_box)
        notice_row.setContentsMargins(16, 4, 16, 0)
        notice_row.addWidget(self.notice_bar)
        self.notice_box.hide()
        column.addWidget(self.notice_box)
        self.stack = QStackedWidget()
        column.addWidget(self.stack, 1)
        return central

    def _build_top_bar(self) -> OverflowBar:
        """New session and Mute always on the bar; the name, then Full screen, Settings and History
        give way to a More menu when the text is too large for the window."""
        bar = OverflowBar()
        bar.setContentsMargins(16, 8, 16, 0)
        self.brand = label("Neck Guide", "subtitle")
        bar.set_brand(self.brand)
        self.nav: dict[str, QPushButton] = {}
        for name, title, slot, priority in (
            ("start", "New session", self.open_start, KEEP),
            ("history", "History", self.open_history, 2),
            ("settings", "Settings", self.open_settings, 1),
        ):
            b = button(title, "quiet")
            b.clicked.connect(slot)
            self.nav[name] = b
            bar.add_button(b, priority=priority)
        self.mute_button = button("Mute", checkable=True)
        self.mute_button.clicked.connect(lambda on: self.preferences.set("voice_muted", bool(on)))
        bar.add_button(self.mute_button, priority=KEEP)
        self.full_screen_button = button("Full screen", "quiet")
        self.full_screen_button.clicked.connect(self.toggle_full_screen)
        bar.add_button(self.full_screen_button, priority=0)
        return bar

    # -- pages -------------------------------------------------------------------------------

    def page(self, name: str, build: Callable[[], P]) -> P:
        """The page called ``name``, built on first use."""
        found = self._pages.get(name)
        if found is None:
            found = build()
            self._pages[name] = found
            self.stack.addWidget(found)
        return found  # type: ignore[return-value]  # each name is built by one builder

    def current_page(self) -> QWidget | None:
        return self.stack.currentWidget()

    def _show(self, page: QWidget) -> None:
        self.stack.setCurrentWidget(page)
        in_session = page is self._pages.get("runner")
        # the session, the client (client mode) or the diagrams (the body map) get the whole height
        whole = in_session or page in (self.outcomes.page, self.body_map.page)
        self.top_bar.setVisible(not whole)
        self.notice_bar.set_compact(whole)

    def _show_page(self, page: QWidget) -> None:
        """Show a page built elsewhere (client mode), adding it to the stack the first time."""
        if self.stack.indexOf(page) < 0:
            self.stack.addWidget(page)
        self._show(page)

    def _on_client_mode_changed(self, shown: bool) -> None:
        """The window's keys are the therapist's: off while the client holds the tablet."""
        for action in self.bindings.actions.values():
            action.setEnabled(not shown)

    @property
    def start_page(self) -> StartPage:
        return self.page("start", self._build_start)

    @property
    def screening_page(self) -> ScreeningPage:
        return self.page("screening", self._build_screening)

    @property
    def runner_page(self) -> RunnerPage:
        return self.page("runner", self._build_runner)

    @property
    def summary_page(self) -> SummaryPage:
        return self.page("summary", self._build_summary)

    @property
    def history_page(self) -> HistoryPage:
        return self.page("history", self._build_history)

    @property
    def settings_page(self) -> SettingsPage:
        return self.page("settings", self._build_settings)

    @property
    def recovery_page(self) -> RecoveryPage:
        return self.page("recovery", self._build_recovery)

    def _build_start(self) -> StartPage:
        page = StartPage(self.catalog)
        page.start_requested.connect(self._on_start_requested)
        self.outcomes.watch(page)
        return page

    def _build_screening(self) -> ScreeningPage:
        from neck_guide.ui.pages.screening import ScreeningPage

        page = ScreeningPage(self.model)
        page.started.connect(self.body_map.record_pending)  # the marks made before it, at their times
        page.started.connect(lambda: self._show(self.runner_page))
        page.body_map_requested.connect(self._on_body_map_requested)
        page.cancelled.connect(self.open_start)
        return page

    def _build_runner(self) -> RunnerPage:
        from neck_guide.ui.pages.runner import RunnerPage

        page = RunnerPage(self.model, self.preferences)
        page.end_requested.connect(self._on_end_requested)
        page.set_key_hints({a: self.bindings.hint(a) for a in self.bindings.actions})
        return page

    def _build_summary(self) -> SummaryPage:
        from neck_guide.ui.pages.summary import SummaryPage

        page = SummaryPage(self.model, self.catalog, self.preferences, self.decisions)
        page.new_session_requested.connect(self._on_new_session_requested)
        page.history_requested.connect(self._on_history_requested)
        return page

    def _build_history(self) -> HistoryPage:
        from neck_guide.ui.pages.history import HistoryPage  # QtCharts: only when history is opened

        return HistoryPage(self.store, questionnaires=self.outcomes.questionnaires.scheduled)

    def _build_settings(self) -> SettingsPage:
        from neck_guide.ui.pages.settings import SettingsPage

        page = SettingsPage(self.preferences, self.bindings)
        page.show_text_scale(*self._text_scale)
        return page

    def show_text_scale(self, wanted: float, in_force: float) -> None:
        """The text size asked for and the one in force (less when the window has no room for it)."""
        self._text_scale = (wanted, in_force)
        if "settings" in self._pages:
            self.settings_page.show_text_scale(wanted, in_force)

    def _build_recovery(self) -> RecoveryPage:
        from neck_guide.ui.pages.recovery import RecoveryPage

        page = RecoveryPage(self.decisions)
        page.resume_requested.connect(self._on_resume_requested)
        page.close_out_requested.connect(lambda record: self.close_out_requested.emit(record.session_id))
        page.done.connect(self._on_recovery_done)
        return page

    # -- flow --------------------------------------------------------------------------------

    def open_start(self) -> None:
        if self._in_session():
            return
        self._show(self.start_page)

    def open_history(self, client_code: str | None = None) -> None:
        if self._in_session():
            return
        page = self.history_page
        self._before_reading()  # the records writer catches up first
        page.refresh(client_code)
        self._show(page)

    def open_settings(self) -> None:
        if self._in_session():
            return
        self._show(self.settings_page)

    def open_screening(self, choice: StartChoice) -> None:
        """Show the screening of ``choice.protocol_id``; UnknownProtocol when there is none."""
        plan = expand(self.catalog.get(choice.protocol_id))
        page = self.screening_page
        page.prepare(plan, choice)
        self._screening_for = choice
        self.body_map.pending.clear()
        self._show(page)

    def _on_body_map_requested(self) -> None:
        """The body map before the session begins: its marks wait for the screening's Start."""
        choice = self._screening_for
        client = choice.client_code if choice is not None else None
        self.body_map.open(client, lambda: self._show(self.screening_page), live=False)

    def offer_recovery(self, sessions: list[Unfinished], then: StartChoice | None = None) -> None:
        """Sessions left unfinished (a crash, a power cut): resume one or close them out; then
        the screening of ``then`` (``neck-guide run ID``) or the start page."""
        self._after_recovery = then
        if sessions and not self._in_session():
            page = self.recovery_page
            page.show_sessions(sessions)
            self._show(page)

    def _on_recovery_done(self) -> None:
        choice, self._after_recovery = self._after_recovery, None
        if choice is not None:
            self.open_screening(choice)
        else:
            self.open_start()

    def _in_session(self) -> bool:
        runner = self.model.runner
        return runner is not None and runner.state != "finished"

    def _on_start_requested(self, choice: StartChoice) -> None:
        try:
            self.open_screening(choice)
        except UnknownProtocol as e:
            self.decisions.inform("Protocol not found", str(e))

    def _on_resume_requested(self, record: SessionRecord) -> None:
        plan = expand(self.catalog.get(record.protocol_id))
        self.model.resume(plan, record)
        self._show(self.runner_page)

    def _on_end_requested(self) -> None:
        if self.decisions.confirm(
            "End the session?",
            "End the session now? The steps not done are left out of the record.",
            yes="End session",
            no="Keep going",
        ):
            self.model.finish()

    def _on_event_emitted(self, event: Event) -> None:
        if isinstance(event, SessionEnded):
            page = self.summary_page
            page.show_record(event.record)
            self._show(page)

    def _on_new_session_requested(self) -> None:
        self.model.close()
        self._show(self.start_page)

    def _on_history_requested(self, client_code: str | None) -> None:
        self.model.close()
        self.open_history(client_code)

    # -- keys, mute, full screen, notices ----------------------------------------------------

    def _on_key_activated(self, action: str) -> None:
        if action == "full_screen":
            self.toggle_full_screen()
        elif action == "leave_full_screen":
            if self.isFullScreen():
                self.showNormal()
        elif action == "mute":
            self.preferences.toggle("voice_muted")
        elif self.current_page() is self._pages.get("runner"):
            self.runner_page.act(action)

    def _on_rating_key(self, value: int) -> None:
        if self.current_page() is self._pages.get("runner"):
            self.runner_page.rate_from_key(value)

    def _on_bindings_changed(self) -> None:
        if "runner" in self._pages:
            self.runner_page.set_key_hints({a: self.bindings.hint(a) for a in self.bindings.actions})
        hint = self.bindings.hint("mute")
        self.mute_button.setToolTip(f"Key: {hint}" if hint else "")
        full = self.bindings.hint("full_screen")
        self.full_screen_button.setToolTip(f"Key: {full}" if full else "")
        self.set_notice("keys", self.bindings.problem)

    def _on_preference_changed(self, name: str) -> None:
        if name == "voice_muted":
            self._show_muted()

    def _show_muted(self) -> None:
        muted = self.preferences.current.voice_muted
        self.mute_button.setChecked(muted)
        self.mute_button.setText("Muted" if muted else "Mute")

    def come_forward(self) -> None:
        """Another start of Neck Guide on the same data: show this window on top, as it was."""
        if self.isMinimized():
            self.showNormal()
        self.raise_()
        self.activateWindow()

    def toggle_full_screen(self) -> None:
        if self.isFullScreen():
            self.showNormal()
        else:
            self.showFullScreen()

    def show_records_status(self, status: JournalStatus) -> None:
        """The records writer's news: failing (kept in memory), recovered, or a notice."""
        if status.state == "failing":
            self.set_notice("store", f"Records are kept in memory for now. {status.message}")
        elif status.state == "recovered":
            self.set_notice("store", status.message)
            # cleared a while later unless newer news replaced it (records held in memory again);
            # the window as context: no call after it is gone
            message = status.message
            QTimer.singleShot(RECOVERED_NOTICE_MS, self, lambda: self._clear_notice("store", message))
        else:
            self.set_notice("store", status.message)

    def set_notice(self, source: str, text: str) -> None:
        """Show (or clear, with "") a notice from ``source`` ("voice", "store", ...)."""
        if text:
            self._notices[source] = text
        else:
            self._notices.pop(source, None)
        self.notice_bar.set_notices(list(self._notices.values()))
        self.notice_box.setVisible(bool(self._notices))

    def _clear_notice(self, source: str, text: str) -> None:
        """Clear ``source``'s notice if it still says ``text``."""
        if self._notices.get(source) == text:
            self.set_notice(source, "")

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        runner = self.model.runner
        if (
            runner is not None
            and runner.state not in ("finished", "ready")
            and not self.decisions.confirm(
                "Close Neck Guide?",
                "A session is running. Close anyway? It stays in the records as unfinished and can be "
                "resumed next time.",
                yes="Close",
                no="Keep running",
            )
        ):
            event.ignore()
            return
        event.accept()
