"""Crash recovery: sessions the app left running (a crash, a power cut) — resume or close out.

What may be done with each, and why not, is decided by neck_guide.session.recovery; this page
shows it and relays the choice (the window resumes; the records journal writes a close-out).
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QVBoxLayout, QWidget

from neck_guide.engine.record import SessionRecord
from neck_guide.engine.steps import tally
from neck_guide.session.recovery import Unfinished
from neck_guide.ui.widgets.common import NBSP, Decisions, button, dotted, label
from neck_guide.ui.widgets.fitted_text import FadingScrollArea


class UnfinishedSession(QFrame):
    """One unfinished session with Resume and Close out.

    Signals:
        resume(object), close_out(object): the SessionRecord.
    """

    resume = Signal(object)
    close_out = Signal(object)

    def __init__(self, unfinished: Unfinished, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        record = unfinished.record
        self.record = record
        self.setObjectName("unfinished")
        self.setStyleSheet(
            "QFrame#unfinished { background: palette(base); border: 2px solid palette(mid);"
            " border-radius: 14px; }"
        )
        row = QHBoxLayout(self)
        row.setContentsMargins(16, 10, 16, 10)
        text = QVBoxLayout()
        title = label(record.protocol_title, "subtitle", wrap=True)
        title.setStyleSheet("color: palette(window-text);")  # a card's title, not a muted heading
        text.addWidget(title)
        text.addWidget(label(describe(record), "muted", wrap=True))
        if unfinished.why_not:
            text.addWidget(label(unfinished.why_not, "muted", wrap=True))
        row.addLayout(text, 1)
        self.resume_button = button("Resume", "primary")
        self.resume_button.setEnabled(unfinished.can_resume)
        self.resume_button.clicked.connect(lambda: self.resume.emit(record))
        self.close_button = button("Close out")
        self.close_button.setEnabled(unfinished.can_close_out)
        self.close_button.clicked.connect(lambda: self.close_out.emit(record))
        row.addWidget(self.resume_button)
        row.addWidget(self.close_button)


def describe(record: SessionRecord) -> str:
    who = f"client{NBSP}{record.client_code}" if record.client_code else "no client code"
    when = record.started_at[:16].replace("T", " ")
    last = record.steps[-1].title if record.steps else "before the first step"
    mode = f"{NBSP}· practice" if record.practice else ""
    counts = tally(record)
    return dotted(f"Started {when}", who + mode, counts.steps_text(), counts.visits_text(), f"last: {last}")


class RecoveryPage(QWidget):
    """Offer what to do with unfinished sessions.

    Signals:
        resume_requested(object): the SessionRecord to take up again.
        close_out_requested(object): the SessionRecord to mark interrupted (confirmed).
        done(): nothing left to decide (or decide later).
    """

    resume_requested = Signal(object)
    close_out_requested = Signal(object)
    done = Signal()

    def __init__(self, decisions: Decisions, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._decisions = decisions
        self.rows: list[UnfinishedSession] = []
        page = QVBoxLayout(self)
        page.setContentsMargins(24, 16, 24, 16)
        page.setSpacing(10)
        page.addWidget(label("Unfinished sessions", "title"))
        page.addWidget(
            label(
                "Neck Guide stopped while these sessions were running. Resume one where it stopped "
                "(a step cut off carries on from its last recorded second), or close it out: it is kept "
                "in the records as interrupted.",
                "instructions",
                wrap=True,
            )
        )
        page.addWidget(self._build_list(), 1)
        row = QHBoxLayout()
        row.addStretch(1)
        self.later = button("Decide later")
        self.later.clicked.connect(self.done)
        row.addWidget(self.later)
        page.addLayout(row)

    def _build_list(self) -> FadingScrollArea:
        holder = QWidget()
        self._list = QVBoxLayout(holder)
        self._list.setContentsMargins(0, 0, 8, 0)
        self._list.addStretch(1)
        return FadingScrollArea(holder)

    def show_sessions(self, sessions: list[Unfinished]) -> None:
        for old in self.rows:
            old.setParent(None)
            old.deleteLater()
        self.rows = []
        for unfinished in sessions:
            row = UnfinishedSession(unfinished)
            row.resume.connect(self.resume_requested)
            row.close_out.connect(self._on_close_out)
            self._list.insertWidget(self._list.count() - 1, row)
            self.rows.append(row)

    def _on_close_out(self, record: SessionRecord) -> None:
        if not self._decisions.confirm(
            "Close out this session?",
            f"{describe(record)}\n\nIt stays in the records as interrupted and cannot be resumed after.",
            yes="Close out",
            no="Keep it",
        ):
            return
        self.close_out_requested.emit(record)
        for row in [r for r in self.rows if r.record.session_id == record.session_id]:
            self.rows.remove(row)
            row.setParent(None)
            row.deleteLater()
        if not self.rows:
            self.done.emit()
