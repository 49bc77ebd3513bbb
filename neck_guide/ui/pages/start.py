"""The start page: choose a protocol, a client code (optional) and a mode.

Protocol files that could not be read are listed in a discreet banner (which file, what is
wrong); they never stop the app and the other protocols stay usable.
"""

from __future__ import annotations

from typing import Final

from PySide6.QtCore import QCoreApplication, QEvent, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QFontMetricsF, QKeyEvent, QMouseEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from neck_guide.protocol.anatomy import MUSCLES
from neck_guide.protocol.loader import Catalog
from neck_guide.protocol.model import Protocol
from neck_guide.protocol.plan import duration_range, expand, minutes_range
from neck_guide.session.clients import client_code_problem
from neck_guide.session.launch import StartChoice
from neck_guide.ui.layouts import ColumnFlow, WrapRow, longest_word_px
from neck_guide.ui.widgets.common import NBSP, PlaceholderEdit, button, dotted, label
from neck_guide.ui.widgets.fitted_text import FadingScrollArea
from neck_guide.ui.widgets.scrolling import ScrollsWhenShort

CARD_COLUMNS: Final = 3  # at most; fewer when the titles' longest words do not fit three across
ZERO_WIDTH_SPACE: Final = "\u200b"


def breakable_paths(text: str) -> str:
    """``text`` with a zero-width space after each path separator: a long file path wraps there
    instead of running past the edge of a word-wrapped label."""
    return text.replace("/", "/" + ZERO_WIDTH_SPACE).replace("\\", "\\" + ZERO_WIDTH_SPACE)


def first_sentence(text: str) -> str:
    head, dot, _ = " ".join(text.split()).partition(". ")
    return head + ("." if dot else "")


class ProtocolCard(QFrame):
    """A tappable card: title, planned duration (shortest to longest), the muscles worked.

    Signals:
        clicked(str): the card was chosen (its protocol id).
    """

    clicked = Signal(str)

    def __init__(self, protocol: Protocol, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.protocol_id = protocol.id
        self.setObjectName("card")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setMinimumHeight(120)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setAccessibleName(protocol.title)
        self.setStyleSheet(
            "QFrame#card { background: palette(base); border: 2px solid palette(mid); border-radius: 14px; }"
            'QFrame#card[selected="true"] { border: 4px solid palette(highlight); }'
            "QFrame#card:focus { border-color: palette(highlight); }"
        )
        muscles = dotted(*(MUSCLES[m].short_name for m in protocol.muscles)) or "General"
        plan = expand(protocol)
        planned = minutes_range(*duration_range(protocol)).replace(" ", NBSP)
        column = self._column = QVBoxLayout(self)
        column.setContentsMargins(18, 14, 18, 14)
        self.title = label(protocol.title, "subtitle", wrap=True)
        self.title.setStyleSheet("color: palette(window-text);")
        column.addWidget(self.title)
        self.duration = label(dotted(planned, f"{len(plan.steps)} steps"), "instructions", wrap=True)
        column.addWidget(self.duration)
        self.muscles = label(muscles, "muted", wrap=True)
        column.addWidget(self.muscles)
        self.summary = label(first_sentence(protocol.summary), "muted", wrap=True)
        column.addWidget(self.summary)
        column.addStretch(1)
        self.set_selected(False)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        """As narrow as the longest word of its texts allows (the title's, in the title's font)."""
        hint = super().minimumSizeHint()
        texts = (self.title, self.duration, self.muscles, self.summary)
        words = max(longest_word_px(t.text(), QFontMetricsF(t.font())) for t in texts)
        m, inner = self.contentsMargins(), self._column.contentsMargins()
        return QSize(words + m.left() + m.right() + inner.left() + inner.right(), hint.height())

    def set_selected(self, on: bool) -> None:
        self.setProperty("selected", "true" if on else "false")
        self.style().unpolish(self)
        self.style().polish(self)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit(self.protocol_id)
        super().mousePressEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Select):
            self.clicked.emit(self.protocol_id)
            return
        super().keyPressEvent(event)


class StartPage(QWidget):
    """Choose what to run.

    Signals:
        start_requested(object): a StartChoice, when the therapist continues to screening.
        client_code_changed(str): the client code typed, when it is a usable one ("" for none).
        questionnaires_requested(str): the client's questionnaires, to hand the tablet over.
    """

    start_requested = Signal(object)
    client_code_changed = Signal(str)
    questionnaires_requested = Signal(str)

    def __init__(self, catalog: Catalog, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._catalog = catalog
        self.cards: dict[str, ProtocolCard] = {}
        self._chosen: str | None = None
        page = QVBoxLayout(self)
        page.setContentsMargins(24, 16, 24, 16)
        page.setSpacing(12)
        page.addWidget(label("Choose a protocol", "title"))
        page.addWidget(self._build_cards(), 1)
        page.addLayout(self._build_form())
        page.addLayout(self._build_outcomes())
        self.code_problem = label("", "notice", wrap=True)
        self.code_problem.hide()
        page.addWidget(self.code_problem)
        page.addWidget(self._build_problems())
        # below the form; above the cards, scrolling with them, when the page is too short
        self._problems_dock = ScrollsWhenShort(self.problems_box, self._cards_scroll, self._cards_column, 0)
        self._update_continue()

    # -- building --------------------------------------------------------------------------

    def _build_cards(self) -> FadingScrollArea:
        """The cards in as many columns as their words allow; more rows scroll."""
        holder, cards = QWidget(), QWidget()
        self._cards_column = QVBoxLayout(holder)
        self._cards_column.setContentsMargins(0, 0, 0, 0)
        self._cards_column.setSpacing(12)
        self._cards_column.addWidget(cards)
        self._cards_column.addStretch(1)
        grid = ColumnFlow(cards, spacing=12, max_columns=CARD_COLUMNS)
        for protocol in self._catalog.protocols:
            card = ProtocolCard(protocol)
            card.clicked.connect(self._on_card_clicked)
            self.cards[protocol.id] = card
            grid.addWidget(card)
        if not self.cards:
            grid.addWidget(label("No protocol could be loaded: see the problems below.", "notice", wrap=True))
        self._cards_scroll = FadingScrollArea(holder)
        return self._cards_scroll

    def _build_form(self) -> WrapRow:
        """Client code and mode, then Continue at the right; on two rows when one is too narrow."""
        row = WrapRow(spacing=12)
        self.client_code = PlaceholderEdit()
        self.client_code.setPlaceholderText("Client code (optional)")
        self.client_code.setToolTip("A pseudonymous code such as C-0042, never a name")
        self.client_code.setMaxLength(24)
        self.client_code.setMinimumWidth(250)
        self.client_code.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.client_code.setAccessibleName("Client code")
        self.client_code.textChanged.connect(self._on_client_code_changed)
        self.mode_group = QButtonGroup(self)
        self.treatment = button("&Treatment", checkable=True)
        self.practice = button("&Practice", checkable=True)
        self.treatment.setToolTip("A session with a client: recorded as treatment.")
        self.practice.setToolTip("Training: each hold is scored against its range; recorded as practice.")
        self.treatment.setChecked(True)
        for b in (self.treatment, self.practice):
            self.mode_group.addButton(b)
        row.add_group(self.client_code, self.treatment, self.practice)
        row.add_stretch()
        self.continue_button = button("&Continue to screening", "primary")
        self.continue_button.clicked.connect(self._on_continue_clicked)
        row.addWidget(self.continue_button)
        return row

    def _build_outcomes(self) -> WrapRow:
        """When the client's questionnaires are due, and the way to hand them over (with a code)."""
        row = WrapRow(spacing=12)
        self.due = label("", "muted", wrap=True)
        self.questionnaires = button("Client &questionnaires…", "quiet")
        self.questionnaires.setToolTip("Hand the tablet to the client: one large question per screen")
        self.questionnaires.clicked.connect(self._on_questionnaires_clicked)
        row.addWidget(self.due)
        row.add_stretch()
        row.addWidget(self.questionnaires)
        self.questionnaires.setEnabled(False)
        return row

    def show_due(self, text: str) -> None:
        """When the client's questionnaires are due, in one line (see session.outcome_schedule)."""
        self.due.setText(text)

    def _on_questionnaires_clicked(self) -> None:
        code = self.client_code.text().strip()
        if code and client_code_problem(code) is None:
            self.questionnaires_requested.emit(code)

    def _build_problems(self) -> QWidget:
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        errors = [str(e) for e in self._catalog.errors]
        notices = [str(n) for n in self._catalog.notices]
        row = QHBoxLayout()
        summary = []
        if errors:
            summary.append(f"{len(errors)} protocol file{'s' if len(errors) > 1 else ''} could not be loaded")
        if notices:
            summary.append(f"{len(notices)} note{'s' if len(notices) > 1 else ''} about protocol files")
        self.problems_summary = label("; ".join(summary) + ".", "muted", wrap=True)
        self.problems_button = button("Details", "quiet", checkable=True)
        row.addWidget(self.problems_summary, 1)
        row.addWidget(self.problems_button)
        column.addLayout(row)
        self.problems = label(breakable_paths("\n".join(errors + notices)), "notice", wrap=True)
        self.problems.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problems.hide()
        self.problems_button.toggled.connect(self._on_details_toggled)
        column.addWidget(self.problems)
        box.setVisible(bool(errors or notices))
        self.problems_box = box
        return box

    # -- reacting ---------------------------------------------------------------------------

    def choose(self, protocol_id: str) -> None:
        """Select a protocol card (as a tap on it does)."""
        self._chosen = protocol_id
        for pid, card in self.cards.items():
            card.set_selected(pid == protocol_id)
        self._update_continue()

    def choice(self) -> StartChoice | None:
        code = self.client_code.text().strip()
        if self._chosen is None or client_code_problem(code) is not None:
            return None
        return StartChoice(self._chosen, code or None, self.practice.isChecked())

    def _on_details_toggled(self, shown: bool) -> None:
        self.problems.setVisible(shown)
        if shown:
            QTimer.singleShot(0, self, self._reveal_problems)

    def _reveal_problems(self) -> None:
        """In a short page the details open above the cards: scroll up to them."""
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)  # placed first
        if self._problems_dock.scrolls():
            bar = self._cards_scroll.verticalScrollBar()
            bar.setValue(bar.minimum())

    def _on_card_clicked(self, protocol_id: str) -> None:
        self.choose(protocol_id)

    def _on_client_code_changed(self, text: str) -> None:
        code = text.strip()
        problem = client_code_problem(code)
        self.code_problem.setText(problem or "")
        self.code_problem.setVisible(problem is not None)
        self._update_continue()
        usable = bool(code) and problem is None
        self.questionnaires.setEnabled(usable)
        if not usable:
            self.show_due("")
        self.client_code_changed.emit(code if usable else "")

    def _update_continue(self) -> None:
        self.continue_button.setEnabled(self.choice() is not None)

    def _on_continue_clicked(self) -> None:
        choice = self.choice()
        if choice is not None:
            self.start_requested.emit(choice)
