"""Client mode: the tablet handed to the client to fill in the questionnaires.

One question per screen in the largest text of the app, and nothing clinical on it (no scores,
bands or notes): a questionnaire's introduction, then each question with its answers as big
buttons (one tap answers and moves on), Back to change an answer, Skip where a question does not
apply, and a thank-you that asks to hand the tablet back. What to show and what a tap does is
:class:`neck_guide.session.filling.ClientFilling`'s; this page only shows it and relays.

Keys: the digits choose an answer (1 … 6 the answers in order; 0 … 9 on a 0-10 scale), Enter
presses the button with the focus (Tab and the arrows move it), Backspace or Page Up goes back,
Page Down goes on past a question already answered.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QHBoxLayout, QLineEdit, QPushButton, QVBoxLayout, QWidget

from neck_guide.questionnaire.model import Item
from neck_guide.session.filling import ClientFilling
from neck_guide.ui.layouts import WrapRow
from neck_guide.ui.widgets.answers import AnswerList, RatingRow
from neck_guide.ui.widgets.common import button, label
from neck_guide.ui.widgets.scrolling import ScrollColumn

BACK_KEYS = (Qt.Key.Key_Backspace, Qt.Key.Key_PageUp)
ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class ClientModePage(QWidget):
    """Questionnaires for the client, one screen at a time.

    Signals:
        done(): the client tapped Done on the thank-you screen (the tablet goes back).
        stop_requested(): Stop was tapped before the end (the window asks, then stops).
    """

    done = Signal()
    stop_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.filling: ClientFilling | None = None
        self.answers: AnswerList | None = None
        self.rating: RatingRow | None = None
        self.name_edit: QLineEdit | None = None
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        page = QVBoxLayout(self)
        page.setContentsMargins(32, 16, 32, 16)
        page.setSpacing(12)
        top = QHBoxLayout()
        self.progress = label("", "muted", wrap=True)
        top.addWidget(self.progress, 1)
        self.stop = button("Stop", "quiet", compact=True)
        self.stop.setToolTip("For the therapist: stop the questionnaires (the answers given are kept)")
        self.stop.clicked.connect(self.stop_requested)
        top.addWidget(self.stop)
        page.addLayout(top)
        self._holder = QVBoxLayout()
        page.addLayout(self._holder, 1)
        page.addLayout(self._build_bottom())
        self._body: QWidget | None = None

    def _build_bottom(self) -> WrapRow:
        row = WrapRow(spacing=12)
        self.back = button("←  Back")
        self.back.clicked.connect(self._on_back)
        self.skip = button("Skip this question", "quiet")
        self.skip.clicked.connect(self._on_skip)
        self.forward = button("Next  →", "primary")
        self.forward.clicked.connect(self._on_forward)
        row.addWidget(self.back)
        row.add_stretch()
        row.add_group(self.skip, self.forward)
        return row

    # -- showing a screen ---------------------------------------------------------------------

    def start(self, filling: ClientFilling) -> None:
        self.filling = filling
        self.show_screen()

    def show_screen(self) -> None:
        """Build the body of the screen the filling is on."""
        filling = self.filling
        if filling is None:
            return
        if self._body is not None:
            self._holder.removeWidget(self._body)
            self._body.deleteLater()
        self.answers = self.rating = None
        self.name_edit = None
        content = QWidget()
        column = QVBoxLayout(content)
        column.setContentsMargins(0, 0, 12, 0)
        column.setSpacing(16)
        screen = filling.screen
        if screen.kind == "intro":
            self._intro(column)
        elif screen.kind == "thanks":
            self._thanks(column)
        else:
            self._question(column)
        column.addStretch(1)
        self._body = ScrollColumn(content)
        self._holder.addWidget(self._body)
        self._body.show()  # now, not on the next turn of the event loop: the focus goes into it
        self._update_buttons()
        self._focus_first()

    def _intro(self, column: QVBoxLayout) -> None:
        q = self.filling.questionnaire() if self.filling else None
        if q is None:
            return
        self.progress.setText(q.title)
        column.addWidget(label(q.intro, "question", wrap=True))

    def _thanks(self, column: QVBoxLayout) -> None:
        self.progress.setText("")
        column.addWidget(label("Thank you.", "title"))
        column.addWidget(label("Please hand the tablet back to your therapist.", "question", wrap=True))

    def _question(self, column: QVBoxLayout) -> None:
        filling = self.filling
        assert filling is not None
        q, item, screen = filling.questionnaire(), filling.item(), filling.screen
        assert q is not None and item is not None
        self.progress.setText(f"{q.title}  ·  question {screen.number} of {screen.of}")
        given = filling.given()
        if item.kind == "activity":
            self._activity(column, item, filling.suggested_name(), None if given is None else given.value)
            return
        column.addWidget(label(item.text, "question", wrap=True))
        if item.kind == "choice":
            self.answers = AnswerList(item.options)
            self.answers.show_chosen(
                None if given is None or given.value is None else given.value - item.lowest
            )
            self.answers.chosen.connect(lambda n, low=item.lowest: self._answer(low + n))
            column.addWidget(self.answers)
        else:
            self.rating = RatingRow(item.low, item.high, item.low_label, item.high_label)
            self.rating.show_chosen(None if given is None else given.value)
            self.rating.chosen.connect(self._answer)
            column.addWidget(self.rating)

    def _activity(self, column: QVBoxLayout, item: Item, name: str, value: int | None) -> None:
        column.addWidget(label(item.name_prompt, "question", wrap=True))
        self.name_edit = QLineEdit(name)
        self.name_edit.setMaxLength(120)
        self.name_edit.setPlaceholderText("Type the activity here")
        self.name_edit.setAccessibleName(item.name_prompt)
        self.name_edit.setProperty("role", "answer")
        self.name_edit.textChanged.connect(self._update_buttons)
        column.addWidget(self.name_edit)
        column.addWidget(label(item.text, "instructions", wrap=True))
        self.rating = RatingRow(item.low, item.high, item.low_label, item.high_label)
        self.rating.show_chosen(value)
        self.rating.chosen.connect(self._answer)
        column.addWidget(self.rating)

    def _update_buttons(self) -> None:
        filling = self.filling
        if filling is None:
            return
        kind = filling.screen.kind
        item = filling.item()
        self.back.setVisible(filling.can_go_back())
        self.skip.setVisible(kind == "item")
        self.skip.setText(
            "No more activities" if item is not None and item.kind == "activity" else "Skip this question"
        )
        self.forward.setText({"intro": "Start", "thanks": "Done"}.get(kind, "Next  →"))
        self.forward.setEnabled(kind != "item" or filling.can_go_forward())
        self.stop.setVisible(kind != "thanks")
        if self.rating is not None and self.name_edit is not None:
            named = bool(self.name_edit.text().strip())
            for b in self.rating.buttons.values():
                b.setEnabled(named)

    def _focus_first(self) -> None:
        target: QWidget | None = self.name_edit
        if target is None and self.answers is not None:
            target = next((b for b in self.answers.buttons if b.isChecked()), self.answers.buttons[0])
        if target is None and self.rating is not None:
            target = next((b for b in self.rating.buttons.values() if b.isChecked()), None)
        (target or self.forward).setFocus()

    # -- taps and keys ------------------------------------------------------------------------

    def _answer(self, value: int) -> None:
        if self.filling is None:
            return
        name = self.name_edit.text() if self.name_edit is not None else ""
        try:
            self.filling.answer(value, name)
        except ValueError:
            return  # an activity with no name yet: its buttons are off until one is typed
        self.show_screen()

    def _on_skip(self) -> None:
        filling = self.filling
        item = filling.item() if filling else None
        if filling is None or item is None:
            return
        if item.kind == "activity":
            filling.skip_rest()
        else:
            filling.skip()
        self.show_screen()

    def _on_back(self) -> None:
        if self.filling is not None and self.filling.can_go_back():
            self.filling.back()
            self.show_screen()

    def _on_forward(self) -> None:
        filling = self.filling
        if filling is None:
            return
        if filling.finished:
            self.done.emit()
            return
        filling.forward()
        self.show_screen()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        key, text = event.key(), event.text()
        if key in BACK_KEYS and not isinstance(QApplication.focusWidget(), QLineEdit):
            self._on_back()
        elif key == Qt.Key.Key_PageDown and self.forward.isEnabled():
            self._on_forward()
        elif key in ENTER_KEYS and self.name_edit is not None and self.name_edit.hasFocus():
            if self.rating is not None and self.name_edit.text().strip():
                self.rating.buttons[min(self.rating.buttons)].setFocus()  # on to the rating
        elif key in ENTER_KEYS:
            focused = QApplication.focusWidget()
            target = (
                focused if isinstance(focused, QPushButton) and self.isAncestorOf(focused) else self.forward
            )
            if target.isEnabled():
                target.click()
        elif text.isdigit() and len(text) == 1:
            self._digit(int(text))
        else:
            super().keyPressEvent(event)

    def _digit(self, digit: int) -> None:
        if self.answers is not None and 1 <= digit <= len(self.answers.buttons):
            self.answers.buttons[digit - 1].click()
        elif (
            self.rating is not None
            and digit in self.rating.buttons
            and self.rating.buttons[digit].isEnabled()
        ):
            self.rating.buttons[digit].click()
