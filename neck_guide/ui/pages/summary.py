"""The summary page: post-session pain, notes, aftercare, the practice score, export.

Post pain and notes go back to the session through the model (so they are recorded like
everything else); notes are saved a moment after typing stops and before leaving the page.
Export asks for a file name through ``Decisions.ask_path`` and writes through the one list of
formats (neck_guide.session.exports).
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from neck_guide.engine.outcome import outcome_title
from neck_guide.engine.record import SessionRecord
from neck_guide.engine.steps import tally
from neck_guide.export.errors import ExportError
from neck_guide.protocol.loader import Catalog
from neck_guide.session.exports import FORMATS, Sessions, export
from neck_guide.session.practice import practice_lines
from neck_guide.ui.layouts import WrapRow
from neck_guide.ui.preferences import Preferences
from neck_guide.ui.session_model import SessionModel
from neck_guide.ui.widgets.common import NBSP, Decisions, PainScale, button, dotted, format_minutes, label
from neck_guide.ui.widgets.fitted_text import FadingScrollArea
from neck_guide.ui.widgets.scrolling import ScrollColumn

NOTES_SAVE_MS: Final = 700


class SummaryPage(QWidget):
    """What happened, what the client takes home, and what to do next.

    Signals:
        new_session_requested()
        history_requested(object): the client code (or None) whose history to show.
    """

    new_session_requested = Signal()
    history_requested = Signal(object)

    def __init__(
        self,
        model: SessionModel,
        catalog: Catalog,
        preferences: Preferences,
        decisions: Decisions,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._model = model
        self._catalog = catalog
        self._preferences = preferences
        self._decisions = decisions
        self._record: SessionRecord | None = None
        self._notes_timer = QTimer(self)
        self._notes_timer.setSingleShot(True)
        self._notes_timer.setInterval(NOTES_SAVE_MS)
        self._notes_timer.timeout.connect(self.save_notes)
        page = QVBoxLayout(self)
        page.setContentsMargins(24, 12, 24, 12)
        page.setSpacing(8)
        self.title = label("", "title", wrap=True)
        self.facts = label("", "muted", wrap=True)
        page.addWidget(self.title)
        page.addWidget(self.facts)
        columns = QHBoxLayout()
        columns.setSpacing(24)
        columns.addWidget(self._build_left(), 3)
        columns.addWidget(self._build_right(), 2)
        page.addLayout(columns, 1)
        page.addLayout(self._build_buttons())

    def _build_left(self) -> ScrollColumn:
        """Pain and notes; they scroll when the window is too short for them (large text)."""
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(8)
        self.pain_label = label("Pain now: 0 none … 10 worst imaginable", "subtitle", wrap=True)
        column.addWidget(self.pain_label)
        self.post_pain = PainScale()
        self.post_pain.chosen.connect(self._on_post_pain_chosen)
        column.addWidget(self.post_pain)
        column.addWidget(label("Notes", "subtitle"))
        self.notes = QPlainTextEdit()
        self.notes.setPlaceholderText("How it went, what to do next time (saved with the session)")
        self.notes.setAccessibleName("Session notes")
        self.notes.textChanged.connect(self._on_notes_changed)
        self.notes.setMinimumHeight(96)
        column.addWidget(self.notes, 1)
        return ScrollColumn(box)

    def _build_right(self) -> FadingScrollArea:
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 8, 0)
        self.practice = label("", "notice", wrap=True)
        self.practice.hide()
        column.addWidget(self.practice)
        column.addWidget(label("Aftercare for the client", "subtitle", wrap=True))
        self.aftercare = label("", "instructions", wrap=True)
        column.addWidget(self.aftercare)
        column.addStretch(1)
        return FadingScrollArea(box)

    def _build_buttons(self) -> WrapRow:
        """Export at the left, what comes next at the right; on two rows when one is too narrow."""
        row = WrapRow(spacing=8)
        self.export_buttons = {}
        for name, fmt in FORMATS.items():
            b = button(fmt.title)
            b.clicked.connect(lambda _=False, f=name: self.export(f))
            self.export_buttons[name] = b
        row.add_group(label("Export:", "muted"), *self.export_buttons.values())
        row.add_stretch()
        self.history = button("History")
        self.history.clicked.connect(self._on_history_clicked)
        self.new_session = button("New session", "primary")
        self.new_session.clicked.connect(self._on_new_session_clicked)
        row.add_group(self.history, self.new_session)
        return row

    # -- showing a finished session ----------------------------------------------------------

    def show_record(self, record: SessionRecord) -> None:
        self._record = record
        self.title.setText(f"Session {outcome_title(record.status).lower()}")
        self.facts.setText(_facts(record))
        self.post_pain.set_value(record.post_pain)
        self.notes.blockSignals(True)
        self.notes.setPlainText(record.notes)
        self.notes.blockSignals(False)
        self.aftercare.setText(self._aftercare_text(record.protocol_id))
        lines = practice_lines(record) if record.practice else []
        self.practice.setText("\n".join(lines))
        self.practice.setVisible(bool(lines))

    def _aftercare(self, protocol_id: str) -> tuple[str, ...]:
        return self._catalog.get(protocol_id).aftercare if protocol_id in self._catalog else ()

    def _aftercare_text(self, protocol_id: str) -> str:
        if protocol_id not in self._catalog:
            return "This protocol is no longer in the catalog."
        items = self._aftercare(protocol_id)
        return "\n\n".join(f"•  {a}" for a in items) if items else "No aftercare listed for this protocol."

    # -- the therapist's input ---------------------------------------------------------------

    def _live(self) -> bool:
        runner = self._model.runner
        return (
            runner is not None
            and self._record is not None
            and runner.record.session_id == self._record.session_id
        )

    def _on_post_pain_chosen(self, value: int) -> None:
        if self._live():
            self._model.record_pain("post", value)

    def _on_notes_changed(self) -> None:
        self._notes_timer.start()

    def save_notes(self) -> None:
        """Record the notes now (also done by itself shortly after typing stops)."""
        self._notes_timer.stop()
        if self._live():
            self._model.set_notes(self.notes.toPlainText().strip())

    def _current_record(self) -> SessionRecord | None:
        runner = self._model.runner
        return runner.record if self._live() and runner is not None else self._record

    def export(self, name: str) -> Path | None:
        """Ask where, then write this session in the format ``name``; returns the file written."""
        self.save_notes()
        record = self._current_record()
        if record is None:
            return None
        fmt = FORMATS[name]
        suggested = Path.home() / fmt.file_name([record.session_id])
        path = self._decisions.ask_path(f"Export this session as {fmt.title}", suggested, fmt.file_filter)
        if path is None:
            return None
        sessions = Sessions.in_memory(
            [record],
            aftercare=lambda r: self._aftercare(r.protocol_id),
            clinic_name=self._preferences.current.clinic_name,
        )
        try:
            done = export(name, sessions, path, force=True)  # the file dialog has asked already
        except ExportError as e:
            self._decisions.inform("Export failed", str(e))
            return None
        self.facts.setText(f"{_facts(record)}\n{done.message}")
        return path

    def _on_history_clicked(self) -> None:
        self.save_notes()
        record = self._current_record()
        self.history_requested.emit(record.client_code if record is not None else None)

    def _on_new_session_clicked(self) -> None:
        self.save_notes()
        self.new_session_requested.emit()


def _facts(record: SessionRecord) -> str:
    counts = tally(record)  # the same words and numbers as every export (engine/steps.py)
    run_s = sum(s.actual_s or 0.0 for s in record.steps)
    ratings = sum(len(s.ratings) for s in record.steps)
    who = f"Client{NBSP}{record.client_code}" if record.client_code else "No client code"
    mode = "practice" if record.practice else "treatment"
    pre = f"{NBSP}· pain before {record.pre_pain}" if record.pre_pain is not None else ""
    counted = f"{ratings} rating{'' if ratings == 1 else 's'}"
    facts = [
        record.protocol_title,
        who,
        mode,
        counts.steps_text(),
        counts.visits_text(),
        format_minutes(run_s),
        counted,
    ]
    return dotted(*facts) + pre
