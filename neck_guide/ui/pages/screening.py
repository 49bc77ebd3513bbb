"""The screening gate: red flags and contraindications, pre-session pain, rotation range.

Every question needs an answer. A "yes" blocks the start until the therapist acknowledges it
with a reason (recorded with the session) or cancels. Starting opens the session on the model
and records the screening as its first facts.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QPoint, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from neck_guide.engine.record import MeasureKind, ScreeningAnswer
from neck_guide.protocol.model import ScreeningItem
from neck_guide.protocol.plan import Plan
from neck_guide.session.launch import StartChoice
from neck_guide.ui.layouts import WrapRow
from neck_guide.ui.session_model import SessionModel
from neck_guide.ui.widgets.common import NBSP, PainScale, Stepper, WrappingCheckBox, button, dotted, label
from neck_guide.ui.widgets.fitted_text import FADE_PX, FadingScrollArea
from neck_guide.ui.widgets.scrolling import ScrollsWhenShort

ACKNOWLEDGEMENT = "Go ahead anyway: I have checked this and take responsibility"
MAX_ROTATION_DEG = 90


class ScreeningQuestion(QFrame):
    """One question: No / Yes, and for a yes what to do plus the acknowledgement.

    Signals:
        changed(): the answer, the reason or the acknowledgement changed.
    """

    changed = Signal()

    def __init__(self, item: ScreeningItem, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.item = item
        self.setObjectName("question")
        self.setStyleSheet("QFrame#question { border-bottom: 1px solid palette(mid); }")
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 6, 0, 10)
        row = QHBoxLayout()
        text = label(item.question, "instructions", wrap=True)
        row.addWidget(text, 1)
        row.addWidget(label(item.kind_words.capitalize(), "muted"))
        self._group = QButtonGroup(self)
        self.no = button("No", checkable=True)
        self.yes = button("Yes", checkable=True)
        for b in (self.no, self.yes):
            self._group.addButton(b)
            row.addWidget(b)
        column.addLayout(row)
        column.addWidget(self._build_acknowledgement())
        self._group.buttonToggled.connect(self._on_answer_changed)

    def _build_acknowledgement(self) -> QWidget:
        self.ack_panel = QWidget()
        column = QVBoxLayout(self.ack_panel)
        column.setContentsMargins(0, 4, 0, 0)
        column.addWidget(label(self.item.action, "banner-safety", wrap=True))
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("Reason to go ahead (recorded with the session)")
        self.reason.setAccessibleName(f"Reason to go ahead despite: {self.item.question}")
        self.reason.textChanged.connect(self.changed)
        self.acknowledge_row = WrappingCheckBox(ACKNOWLEDGEMENT)
        self.acknowledge = self.acknowledge_row.box
        self.acknowledge.toggled.connect(self.changed)
        column.addWidget(self.reason)
        column.addWidget(self.acknowledge_row)
        self.ack_panel.hide()
        return self.ack_panel

    def answer(self) -> bool | None:
        if self.yes.isChecked():
            return True
        return False if self.no.isChecked() else None

    def set_answer(self, yes: bool) -> None:
        (self.yes if yes else self.no).setChecked(True)

    def cleared(self) -> bool:
        """Answered no, or answered yes and acknowledged with a reason."""
        answer = self.answer()
        if answer is None:
            return False
        return not answer or (self.acknowledge.isChecked() and bool(self.reason.text().strip()))

    def record(self) -> ScreeningAnswer:
        yes = self.answer() is True
        return ScreeningAnswer(
            item_id=self.item.id,
            kind=self.item.kind,
            question=self.item.question,
            answer=yes,
            acknowledged=yes and self.cleared(),
            reason=self.reason.text().strip() if yes else "",
        )

    def _on_answer_changed(self) -> None:
        self.ack_panel.setVisible(self.answer() is True)
        self.changed.emit()


class ScreeningPage(QWidget):
    """Ask before touching: the protocol's screening, pre-session pain and rotation.

    Signals:
        started(): the session was opened on the model with its screening recorded.
        cancelled(): the therapist went back without starting.
        body_map_requested(): the therapist wants to mark where it hurts (the body map).
    """

    started = Signal()
    cancelled = Signal()
    body_map_requested = Signal()

    def __init__(self, model: SessionModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self._plan: Plan | None = None
        self._choice: StartChoice | None = None
        self._opened_at: float | None = None
        self._given_at: dict[str, float] = {}  # question id or measure -> monotonic instant given
        self.questions: list[ScreeningQuestion] = []
        page = QVBoxLayout(self)
        page.setContentsMargins(24, 16, 24, 16)
        page.setSpacing(10)
        self.title = label("", "title", wrap=True)
        self.subtitle = label("", "subtitle", wrap=True)
        heading = WrapRow(spacing=16)
        heading.addWidget(self.title)
        heading.addWidget(self.subtitle)
        heading.setAlignment(self.subtitle, Qt.AlignmentFlag.AlignBottom)
        page.addLayout(heading)
        body = QWidget()
        self._body = QVBoxLayout(body)
        self._body.setContentsMargins(0, 0, 12, 0)
        self._questions_box = QVBoxLayout()
        self._body.addLayout(self._questions_box)
        self._body.addStretch(1)
        self._scroll = FadingScrollArea(body)
        page.addWidget(self._scroll, 1)
        self.measures = self._build_measures()
        page.addWidget(self.measures)
        # in view below the questions; with them in the scroll area when the page is too short
        self._measures_dock = ScrollsWhenShort(self.measures, self._scroll, self._body, 1)
        page.addLayout(self._build_bottom())

    def measures_scroll(self) -> bool:
        """Whether pain and rotation are under the questions, in their scroll area (a short page)."""
        return self._measures_dock.scrolls()

    def _build_measures(self) -> QWidget:
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 4, 0, 0)
        column.setSpacing(6)
        pain_row = WrapRow(spacing=6)
        pain_row.addWidget(label("Pain now\n0 (none) – 10 (worst)", wrap=False))
        self.pre_pain = PainScale()
        self.pre_pain.chosen.connect(lambda _: self._given("pre_pain"))
        self.pre_pain.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        pain_row.addWidget(self.pre_pain)
        column.addLayout(pain_row)
        row = WrapRow(spacing=6)
        row.addWidget(label("Rotation (optional):"))
        self.rotation_left = self._rotation_box("Turning left")
        self.rotation_right = self._rotation_box("Turning right")
        self.rotation_left.valueChanged.connect(lambda _: self._given("rotation_left"))
        self.rotation_right.valueChanged.connect(lambda _: self._given("rotation_right"))
        row.add_group(label("left"), Stepper(self.rotation_left))
        row.add_group(label("right"), Stepper(self.rotation_right))
        column.addLayout(row)
        return box

    @staticmethod
    def _rotation_box(name: str) -> QSpinBox:
        box = QSpinBox()
        box.setRange(-1, MAX_ROTATION_DEG)
        box.setValue(-1)
        box.setSpecialValueText("not measured")  # the Stepper makes the box wide enough for it
        box.setSuffix("°")
        box.setSingleStep(5)
        box.setAccessibleName(f"{name}, degrees")
        return box

    def _build_bottom(self) -> WrapRow:
        """What stops the start beside the buttons; above them when it would take over two lines."""
        row = WrapRow(spacing=12)
        self.status = label("", "instructions", wrap=True)
        row.addWidget(self.status)
        row.add_stretch()
        self.all_no = button("&All no")
        self.all_no.setToolTip("Answer no to every question not answered yet")
        self.all_no.clicked.connect(self._on_all_no_clicked)
        self.body_map = button("&Body map…")
        self.body_map.setToolTip("Mark where it hurts on the diagrams, and compare with earlier sessions")
        self.body_map.clicked.connect(self.body_map_requested)
        self.cancel = button("Cancel", "quiet")
        self.cancel.clicked.connect(self.cancelled)
        self.start = button("&Start session", "primary")
        self.start.clicked.connect(self._on_start_clicked)
        row.add_group(self.body_map, self.all_no, self.cancel, self.start)
        return row

    # -- the protocol in front ---------------------------------------------------------------

    def prepare(self, plan: Plan, choice: StartChoice) -> None:
        """Show the screening of ``plan`` with nothing answered yet."""
        self._plan = plan
        self._choice = choice
        protocol = plan.protocol
        self.title.setText("Screening")
        who = f"client{NBSP}{choice.client_code}" if choice.client_code else "no client code"
        mode = "practice" if choice.practice else "treatment"
        self.subtitle.setText(dotted(protocol.title, who, mode))
        for q in self.questions:
            q.setParent(None)
            q.deleteLater()
        self.questions = []
        self._opened_at, self._given_at = self._model.now(), {}
        for item in protocol.screening:
            q = ScreeningQuestion(item)
            q.changed.connect(self._on_answers_changed)
            q.changed.connect(lambda i=item.id: self._given(i))
            q.yes.clicked.connect(lambda _=False, q=q: self._reveal(q))
            self._questions_box.addWidget(q)
            self.questions.append(q)
        self.all_no.setVisible(bool(self.questions))
        self.pre_pain.set_value(None)
        self.rotation_left.setValue(-1)
        self.rotation_right.setValue(-1)
        self._on_answers_changed()

    def _reveal(self, question: ScreeningQuestion) -> None:
        """Scroll so the acknowledgement of a "yes" is in view, clear of the fade at the bottom."""
        QTimer.singleShot(0, lambda: self._scroll_to(question))

    def _scroll_to(self, question: ScreeningQuestion) -> None:
        # lay out now: the panel just shown, and the scroll area's range, must be in place before
        # the scroll position is worked out from them
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        body, ack = self._scroll.widget(), question.acknowledge_row
        if body is None:
            return
        # by hand: ensureWidgetVisible leaves a box alone that shows, even under the fade
        bottom = ack.mapTo(body, QPoint(0, ack.height())).y() + FADE_PX
        bar = self._scroll.verticalScrollBar()
        shown_to = bar.value() + self._scroll.viewport().height()
        if bottom > shown_to:
            bar.setValue(bar.value() + bottom - shown_to)

    def blockers(self) -> list[str]:
        """What stops the start, in words (empty: ready)."""
        unanswered = sum(q.answer() is None for q in self.questions)
        flagged = [q for q in self.questions if q.answer() is True and not q.cleared()]
        out = []
        if unanswered:
            out.append(f"Answer {unanswered} more question{'s' if unanswered > 1 else ''}.")
        for q in flagged:
            out.append(f"{q.item.kind_words.capitalize()}: give a reason and acknowledge it, or cancel.")
        return out

    def _on_answers_changed(self) -> None:
        blockers = self.blockers()
        self.start.setEnabled(not blockers)
        if blockers:
            self.status.setText(blockers[0])
        elif any(q.answer() for q in self.questions):
            self.status.setText("Acknowledged: the reason is recorded with the session.")
        else:
            self.status.setText("Ready to start.")

    def _on_all_no_clicked(self) -> None:
        for q in self.questions:
            if q.answer() is None:
                q.set_answer(False)

    def _given(self, what: str) -> None:
        """Note when ``what`` (a question id or a measure) was given: its record carries that time."""
        self._given_at[what] = self._model.now()

    def _on_start_clicked(self) -> None:
        if self._plan is None or self._choice is None or self.blockers():
            return
        model, choice, given = self._model, self._choice, self._given_at
        model.begin(
            self._plan, client_code=choice.client_code, practice=choice.practice, given=self._opened_at
        )
        for q in self.questions:
            model.answer(q.record(), given.get(q.item.id))
        measures: tuple[tuple[MeasureKind, int | None], ...] = (
            ("pre_pain", self.pre_pain.value()),
            ("rotation_left", _degrees(self.rotation_left)),
            ("rotation_right", _degrees(self.rotation_right)),
        )
        for kind, value in measures:
            if value is not None:
                model.measure(kind, value, given.get(kind))
        self.started.emit()


def _degrees(box: QSpinBox) -> int | None:
    return box.value() if box.value() >= 0 else None
