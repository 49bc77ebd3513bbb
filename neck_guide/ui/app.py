"""The composition root: build the parts, wire them, show the window, run.

Paths, settings and the protocol catalog first (a bad protocol file is reported, never fatal),
then Qt: the theme, the records (a reading store and the crash-safe journal), the voice, the
session model and the window. Everything slow (speech rendering, unfinished-session checks,
opening a protocol asked for on the command line) waits until the window is on screen.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QMessageBox

from neck_guide.engine.clock import Clock, SystemClock
from neck_guide.logfile import start_log
from neck_guide.paths import (
    BUNDLED_PROTOCOLS_DIR,
    BUNDLED_QUESTIONNAIRES_DIR,
    BundledDataError,
    Paths,
    check_bundled,
    resolve,
)
from neck_guide.protocol.loader import Catalog
from neck_guide.questionnaire.loader import QuestionnaireCatalog
from neck_guide.session import recovery
from neck_guide.session.clients import client_code_problem
from neck_guide.session.launch import LaunchOptions, StartChoice
from neck_guide.settings import SETTINGS, Settings
from neck_guide.store import SessionStore, StoreError
from neck_guide.store.journal import SessionJournal
from neck_guide.ui.collector import CycleCollector
from neck_guide.ui.main_window import MainWindow
from neck_guide.ui.preferences import Preferences
from neck_guide.ui.session_model import SessionModel
from neck_guide.ui.single import FirstWindow, raise_running
from neck_guide.ui.text_fit import TextFit
from neck_guide.ui.theme import apply_theme
from neck_guide.ui.widgets.common import Decisions
from neck_guide.ui.window_place import restore_place, save_place

if TYPE_CHECKING:  # QtMultimedia loads with the voice, once the command line has been checked
    from neck_guide.voice.playback.controller import VoiceController

EXIT_USAGE: Final = 2
EXIT_RECORDS: Final = 1
EXIT_INCOMPLETE_INSTALL: Final = 3
DEFAULT_SIZE: Final = (1280, 800)
FLUSH_S: Final = 2.0  # wait at most this long for the records writer before reading history
VOICE_SETTINGS: Final = frozenset(s.name for s in SETTINGS if s.section == "Voice")  # routed to the voice


class JournalRelay(QObject):
    """Carries the journal's status from its writer thread to the window (a queued signal).

    Signals:
        status(object): a JournalStatus.
    """

    status = Signal(object)


@dataclass
class App:
    """Every part of a running Neck Guide, as built by :func:`build`."""

    paths: Paths
    preferences: Preferences
    catalog: Catalog
    store: SessionStore
    journal: SessionJournal
    voice: VoiceController
    model: SessionModel
    window: MainWindow
    relay: JournalRelay
    text_fit: TextFit
    collector: CycleCollector
    start_with: StartChoice | None = None
    closed: bool = field(default=False)

    def close(self) -> None:
        """Write what is pending and let go of files and threads."""
        if self.closed:
            return
        self.closed = True
        save_place(self.window, self.paths.window_file)
        self.voice.close()
        self.journal.close()
        self.store.close()
        self.collector.stop()


class UsageError(Exception):
    """The command line asked for something that does not exist (the message lists what does)."""


def start_choice(options: LaunchOptions, catalog: Catalog) -> StartChoice | None:
    """The protocol to open at once (``neck-guide run ID``), checked; None for the plain window."""
    protocol_id = options.protocol_id
    if protocol_id is None:
        return None
    if protocol_id not in catalog:
        known = ", ".join(catalog.ids) or "none (no protocol could be loaded)"
        raise UsageError(f"neck-guide: no protocol has the id {protocol_id!r}. Known ids: {known}.")
    client = options.client_code
    problem = client_code_problem(client or "")
    if problem is not None:
        raise UsageError(f"neck-guide: --client {client!r}: {problem}")
    return StartChoice(protocol_id, client, options.practice)


def build(
    options: LaunchOptions,
    *,
    clock: Clock | None = None,
    make_voice: Callable[[Paths, Settings, Clock], VoiceController] | None = None,
    decisions: Decisions | None = None,
) -> App:
    """Build and wire everything (the window is not shown). Raises UsageError, StoreError,
    BundledDataError."""
    check_bundled()
    paths = resolve(options.data_dir).ensure()
    start_log(paths.logs)
    preferences = Preferences.load(paths.settings_file)
    catalog = Catalog.load(BUNDLED_PROTOCOLS_DIR, paths.user_protocols)
    choice = start_choice(options, catalog)
    qapp = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(qapp, QApplication)
    qapp.setApplicationName("Neck Guide")
    collector = CycleCollector()  # before any thread starts: cycles are freed on the GUI thread only
    settings = preferences.current
    apply_theme(qapp, settings.theme, settings.text_scale)  # before any widget: each is styled once
    store = SessionStore.open(paths.database)
    relay = JournalRelay()
    journal = SessionJournal(paths.database, on_status=relay.status.emit).start()
    model = SessionModel(clock or SystemClock(), preferences, time_scale=options.time_scale)
    if make_voice is None:
        from neck_guide.voice.playback.controller import VoiceController

        make_voice = VoiceController.create
    voice = make_voice(paths, settings, model.clock)
    questionnaires = QuestionnaireCatalog.load(BUNDLED_QUESTIONNAIRES_DIR, paths.user_questionnaires)
    window = MainWindow(
        catalog,
        model,
        preferences,
        store,
        decisions=decisions,
        before_reading=lambda: journal.flush(FLUSH_S),
        questionnaires=questionnaires,
    )
    text_fit = TextFit(qapp, window, preferences)
    text_fit.applied.connect(window.show_text_scale)
    app = App(
        paths, preferences, catalog, store, journal, voice, model, window, relay, text_fit, collector, choice
    )
    _wire(app)
    return app


def _wire(app: App) -> None:
    window, model, journal, voice = app.window, app.model, app.journal, app.voice
    model.event_emitted.connect(journal.append)  # the records first, before any view reacts
    model.event_emitted.connect(voice.on_event)
    voice.report_to(model.set_voice)
    model.resumed.connect(journal.attach)
    window.close_out_requested.connect(journal.close_out)  # written in turn by the one writer
    window.outcomes.response_changed.connect(journal.save_response)  # each answer, as it is given
    app.relay.status.connect(window.show_records_status)  # a window method: queued from the writer thread
    voice.notice_changed.connect(lambda text: window.set_notice("voice", text))
    app.preferences.changed.connect(lambda name: _route_to_voice(app, name))
    if app.store.notice:
        window.set_notice("store", app.store.notice)
    problems = window.outcomes.questionnaires.errors
    if problems:  # a clinic's questionnaire or wording file: the bundled ones stay in use
        window.set_notice("questionnaires", "Questionnaire files left out: " + "; ".join(map(str, problems)))


def _route_to_voice(app: App, name: str) -> None:
    """A voice setting to the voice (pure below its Qt player, it does not know the preferences)."""
    if name in VOICE_SETTINGS:
        app.voice.apply_settings(app.preferences.current)


def after_show(app: App) -> None:
    """The work that waits for the window: recovery offer, the protocol asked for, speech."""
    try:
        unfinished = app.store.unfinished()
    except StoreError as e:
        app.window.set_notice("store", f"Could not look for unfinished sessions: {e}")
        unfinished = []
    elsewhere = app.journal.locks.elsewhere(r.session_id for r in unfinished)
    assessed = recovery.assess(unfinished, app.catalog, elsewhere)
    app.window.set_notice("elsewhere", recovery.elsewhere_notice(assessed))
    offered = [u for u in assessed if u.standing != "running-elsewhere"]
    if offered:
        app.window.offer_recovery(offered, then=app.start_with)
    elif app.start_with is not None:
        app.window.open_screening(app.start_with)
    notice = app.voice.notice  # looks for an audio output: after the window is up
    if notice:
        app.window.set_notice("voice", notice)
    app.voice.prepare(app.catalog)


def place(window: MainWindow) -> None:
    """The first run's place: fill a small screen; on a large one a comfortable size in the middle."""
    screen = window.screen().availableGeometry()
    width, height = DEFAULT_SIZE
    if screen.width() <= width or screen.height() <= height:
        window.setGeometry(screen)
    else:
        window.resize(width, height)
        window.move(screen.center() - window.rect().center())


def run(options: LaunchOptions) -> int:
    """``neck-guide`` / ``neck-guide run ID``: the window, until it is closed. A window already open
    on the same data folder is raised instead (neck_guide.ui.single)."""
    if QApplication.instance() is None:
        QApplication(sys.argv)
    data = resolve(options.data_dir).data
    if raise_running(data):
        print(f"Neck Guide is already open on {data}: its window was brought to the front.")
        return 0
    first = FirstWindow(data)
    try:
        app = build(options)
    except UsageError as e:
        print(e, file=sys.stderr)
        return EXIT_USAGE
    except BundledDataError as e:
        return _cannot_start(str(e), EXIT_INCOMPLETE_INSTALL)
    except StoreError as e:  # says what and what to do (a newer app's file is not a folder problem)
        return _cannot_start(f"Neck Guide cannot open its session records: {e}", EXIT_RECORDS)
    except OSError as e:
        return _cannot_start(
            f"Neck Guide cannot make its folders: {e}\n"
            "Check that the data folder can be written (see --data-dir / NECK_GUIDE_HOME).",
            EXIT_RECORDS,
        )
    qapp = QApplication.instance()
    assert isinstance(qapp, QApplication)
    if not restore_place(app.window, app.paths.window_file):
        place(app.window)
    app.window.show()
    app.window.activateWindow()  # keys and pedals reach it at once, even with no window manager
    first.raise_requested.connect(app.window.come_forward)
    QTimer.singleShot(0, lambda: after_show(app))
    try:
        return qapp.exec()
    finally:
        app.close()


def _cannot_start(message: str, status: int) -> int:
    """Say why on stderr and, for whoever started the app from a menu, in a dialog."""
    print(message, file=sys.stderr)
    if QApplication.instance() is None:
        QApplication(sys.argv)
    QMessageBox.critical(None, "Neck Guide", message)
    return status
