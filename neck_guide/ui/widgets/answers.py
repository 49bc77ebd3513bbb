"""The client mode's answers: big buttons whose words wrap, and a 0-10 scale with words at both ends.

A QPushButton keeps its text on one line, so a long answer (a clinic's licensed wording) would
push the page past the window's edge; :class:`AnswerButton` lays a word-wrapped label inside the
button instead and is as tall as its words need at the width it is given.
"""

from __future__ import annotations

from typing import Final

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from neck_guide.ui.theme import MIN_TOUCH_PX
from neck_guide.ui.widgets.common import label, set_role

PAD_X: Final = 24
PAD_Y: Final = 10


class AnswerButton(QPushButton):
    """A checkable answer: a number the keys can press, then the answer's words, wrapped."""

    def __init__(self, key: str, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setCheckable(True)
        self.setProperty("role", "answer")
        self.setAccessibleName(text)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        row = QHBoxLayout(self)
        row.setContentsMargins(PAD_X, PAD_Y, PAD_X, PAD_Y)
        row.setSpacing(18)
        self.key = label(key, "answer-key")
        self.words = label(text, "answer-text", wrap=True)
        for part in (self.key, self.words):
            part.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        row.addWidget(self.key, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.words, 1)
        self.toggled.connect(self._on_toggled)

    def text_shown(self) -> str:
        return self.words.text()

    def _on_toggled(self, on: bool) -> None:
        for part in (self.key, self.words):
            set_role(part, "answer-chosen" if on else ("answer-key" if part is self.key else "answer-text"))

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt override)
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt override)
        inner = width - 2 * PAD_X - 18 - self.key.sizeHint().width()
        return max(MIN_TOUCH_PX, self.words.heightForWidth(max(1, inner)) + 2 * PAD_Y)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        words = self.words.sizeHint()
        width = words.width() + self.key.sizeHint().width() + 2 * PAD_X + 18
        return QSize(width, max(MIN_TOUCH_PX, words.height() + 2 * PAD_Y))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(self.key.sizeHint().width() + 2 * PAD_X + 120, MIN_TOUCH_PX)


class AnswerList(QWidget):
    """One answer button per option, stacked; one tap chooses.

    Signals:
        chosen(int): the position of the option tapped, from 0.
    """

    chosen = Signal(int)

    def __init__(self, options: tuple[str, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(8)
        self.group = QButtonGroup(self)
        self.group.setExclusive(False)  # the chosen one is shown by show_chosen (none, going back)
        self.buttons: list[AnswerButton] = []
        for n, text in enumerate(options):
            b = AnswerButton(str(n + 1), text)
            self.group.addButton(b, n)
            self.buttons.append(b)
            column.addWidget(b)
        self.group.idClicked.connect(self.chosen)

    def show_chosen(self, position: int | None) -> None:
        for n, b in enumerate(self.buttons):
            b.setChecked(n == position)


class RatingRow(QWidget):
    """``low``..``high`` as a row of big buttons, the words of both ends under them.

    Signals:
        chosen(int): the value tapped.
    """

    chosen = Signal(int)

    def __init__(
        self, low: int, high: int, low_words: str, high_words: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(6)
        self.group = QButtonGroup(self)
        self.group.setExclusive(False)
        self.buttons: dict[int, QPushButton] = {}
        count = high - low + 1
        for n, value in enumerate(range(low, high + 1)):
            b = QPushButton(str(value))
            b.setCheckable(True)
            b.setProperty("role", "answer")
            b.setMinimumHeight(MIN_TOUCH_PX + 24)
            b.setStyleSheet("text-align: center; padding: 4px 2px;")
            b.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            b.setAccessibleName(f"{value} of {high}")
            self.group.addButton(b, value)
            self.buttons[value] = b
            grid.addWidget(b, 0, n)
        half = max(1, count // 2)
        self.low_words = label(low_words, "instructions", wrap=True)
        self.high_words = label(high_words, "instructions", wrap=True)
        self.high_words.setAlignment(Qt.AlignmentFlag.AlignRight)
        grid.addWidget(self.low_words, 1, 0, 1, half)
        grid.addWidget(self.high_words, 1, count - half, 1, half)
        self.group.idClicked.connect(self.chosen)

    def show_chosen(self, value: int | None) -> None:
        for v, b in self.buttons.items():
            b.setChecked(v == value)
