"""Small pieces the pages share: the decisions interface, role helpers, the 0-10 pain scale.

Logic never opens a dialog itself: it asks a :class:`Decisions` (``confirm``, ``ask_path``,
``inform``). The window passes :class:`DialogDecisions`; tests pass a fake that answers.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QFontMetricsF, QMouseEvent, QResizeEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDoubleSpinBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QStyle,
    QStyleOptionFrame,
    QWidget,
)

from neck_guide.ui.theme import MIN_TOUCH_PX

PAIN_MAX = 10
NBSP = "\u00a0"
_LINE_EDIT_MARGIN = 2  # QLineEdit's own space each side of its text, inside the style's contents rect
CHECK_TEXT_GAP_PX = 14  # as the theme's QCheckBox spacing
_PAIN_SIDE_PX = 4  # a pain button's padding each side of its number
SPIN_MIN_PX = 130  # a number box is at least this wide, however short its numbers


def dotted(*parts: str) -> str:
    """``parts`` joined by " · ", the dot kept at the end of a line when the text wraps (a line
    never starts with "·")."""
    return f"{NBSP}· ".join(p for p in parts if p)


class Decisions(Protocol):
    """What logic may ask the person at the screen."""

    def confirm(self, title: str, text: str, *, yes: str = "Yes", no: str = "Cancel") -> bool: ...

    def ask_path(self, title: str, suggested: Path, name_filter: str) -> Path | None: ...

    def inform(self, title: str, text: str) -> None: ...


class DialogDecisions:
    """Decisions answered through ordinary Qt dialogs over ``parent``."""

    def __init__(self, parent: QWidget) -> None:
        self._parent = parent

    def confirm(self, title: str, text: str, *, yes: str = "Yes", no: str = "Cancel") -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=self._parent)
        yes_button = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
        box.addButton(no, QMessageBox.ButtonRole.RejectRole)
        box.exec()
        return box.clickedButton() is yes_button

    def ask_path(self, title: str, suggested: Path, name_filter: str) -> Path | None:
        chosen, _ = QFileDialog.getSaveFileName(self._parent, title, str(suggested), name_filter)
        return Path(chosen) if chosen else None

    def inform(self, title: str, text: str) -> None:
        QMessageBox.information(self._parent, title, text)


def set_role(widget: QWidget, role: str) -> None:
    """Give a widget a theme role (see neck_guide.ui.theme) and restyle it now."""
    widget.setProperty("role", role)
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)


def set_density(widget: QWidget, compact: bool) -> None:
    """Make a themed widget a size smaller (``density="compact"``, see neck_guide.ui.theme) or not."""
    wanted = "compact" if compact else ""
    if (widget.property("density") or "") != wanted:
        widget.setProperty("density", wanted)
        style = widget.style()
        style.unpolish(widget)
        style.polish(widget)


def label(text: str = "", role: str = "", *, wrap: bool = False) -> QLabel:
    widget = QLabel(text)
    if role:
        widget.setProperty("role", role)
    widget.setWordWrap(wrap)
    return widget


def button(text: str, role: str = "", *, checkable: bool = False, compact: bool = False) -> QPushButton:
    """A themed push button; ``compact`` trims its padding (see neck_guide.ui.theme).

    No minimum width: the button is never laid out narrower than its text, and the theme's
    padding keeps it at least MIN_TOUCH_PX wide. A disabled button (any role) looks disabled."""
    widget = QPushButton(text)
    widget.setMinimumHeight(MIN_TOUCH_PX)
    widget.setCheckable(checkable)
    if role:
        widget.setProperty("role", role)
    if compact:
        widget.setProperty("density", "compact")
    return widget


def format_minutes(seconds: float) -> str:
    """``1500`` -> ``"25 min"``; under a minute -> ``"45 s"``."""
    if seconds < 60:
        return f"{round(seconds)} s"
    return f"{round(seconds / 60)} min"


def format_clock(seconds: float) -> str:
    """``754`` -> ``"12:34"``; an hour or more -> ``"1:02:34"``."""
    total = max(0, round(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class PlaceholderEdit(QLineEdit):
    """A line edit whose size hint leaves room for its whole placeholder (the hint of QLineEdit is
    17 "x" wide, whatever the text): a layout with room for the hint never elides it."""

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        hint = super().sizeHint()
        option = QStyleOptionFrame()
        self.initStyleOption(option)
        margins = self.textMargins()
        text = QFontMetricsF(self.font()).horizontalAdvance(self.placeholderText())
        inner = QSize(math.ceil(text) + 1 + 2 * _LINE_EDIT_MARGIN + margins.left() + margins.right(), 0)
        whole = self.style().sizeFromContents(QStyle.ContentsType.CT_LineEdit, option, inner, self)
        return QSize(max(hint.width(), whole.width()), hint.height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(self.sizeHint().width(), super().minimumSizeHint().height())


class _PainButton(QPushButton):
    """One number of the pain scale: a finger wide, and wider than its number at any text size (an
    explicit minimum width would let a layout squeeze "10" below its text)."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.setCheckable(True)
        self.setMinimumHeight(MIN_TOUCH_PX)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setStyleSheet(f"padding: 4px {_PAIN_SIDE_PX}px;")

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        hint = super().sizeHint()
        return QSize(max(MIN_TOUCH_PX, hint.width()), hint.height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return self.sizeHint()


class PainScale(QWidget):
    """Eleven big buttons, 0 to 10: one tap chooses a pain score.

    Signals:
        chosen(int): a score was tapped.
    """

    chosen = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(6)
        for value in range(PAIN_MAX + 1):
            b = _PainButton(str(value))
            b.setAccessibleName(f"Pain {value} of {PAIN_MAX}")
            self._group.addButton(b, value)
            row.addWidget(b)
        self._group.idClicked.connect(self.chosen)

    def value(self) -> int | None:
        v = self._group.checkedId()
        return v if v >= 0 else None

    def set_value(self, value: int | None) -> None:
        if value is None:
            checked = self._group.checkedButton()
            if checked is not None:
                self._group.setExclusive(False)
                checked.setChecked(False)
                self._group.setExclusive(True)
            return
        self._group.button(value).setChecked(True)

    def button_for(self, value: int) -> QPushButton:
        b = self._group.button(value)
        assert isinstance(b, QPushButton)
        return b


class Stepper(QWidget):
    """A number with big − and + buttons (a spin box's arrows are too small for a finger).

    The number box is as wide as its widest text (the special-value text too, e.g. "not measured"),
    at least SPIN_MIN_PX, and follows the text size when the theme changes it."""

    def __init__(
        self, spin: QSpinBox | QDoubleSpinBox, unit: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.spin = spin
        spin.setStyleSheet(
            "QAbstractSpinBox::up-button, QAbstractSpinBox::down-button { width: 0px; border: none; }"
        )
        spin.setAlignment(Qt.AlignmentFlag.AlignCenter)
        spin.installEventFilter(self)
        self._fit_spin()
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(6)
        self.down, self.up = button("−"), button("+")
        for b, name in ((self.down, "Less"), (self.up, "More")):
            # square at a finger's size; wider only for a very large sign (its size hint, fixed)
            b.setStyleSheet("padding: 0px 6px;")
            b.setMinimumWidth(MIN_TOUCH_PX + 8)
            b.setSizePolicy(QSizePolicy.Policy.Fixed, b.sizePolicy().verticalPolicy())
            b.setAutoRepeat(True)
            b.setAccessibleName(name)
        self.down.clicked.connect(spin.stepDown)
        self.up.clicked.connect(spin.stepUp)
        row.addWidget(self.down)
        row.addWidget(spin)
        row.addWidget(self.up)
        if unit:
            row.addWidget(label(unit, "muted"))
        row.addStretch(1)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if watched is self.spin and event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            QTimer.singleShot(0, self, self._fit_spin)  # once the spin box has dropped its old size hint
        return super().eventFilter(watched, event)

    def _fit_spin(self) -> None:
        self.spin.setMinimumWidth(max(SPIN_MIN_PX, self.spin.minimumSizeHint().width()))


class WrappingCheckBox(QWidget):
    """A check box whose text wraps (a QCheckBox keeps its text on one line, cut when the row is
    narrower): the box, then a word-wrapped label that toggles the box when tapped too."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.box = QCheckBox()
        self.box.setAccessibleName(text)
        self.text = _TapLabel(text, self.box)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(CHECK_TEXT_GAP_PX)
        row.addWidget(self.box, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.text, 1)


class _TapLabel(QLabel):
    def __init__(self, text: str, box: QCheckBox) -> None:
        super().__init__(text)
        self._box = box
        self.setWordWrap(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(event.position().toPoint()):
            self._box.toggle()
        super().mouseReleaseEvent(event)


class NoticeBar(QLabel):
    """The notices of the voice and the records; one line each during a session (all of it in the
    tooltip), in full elsewhere."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "notice")
        self.setStyleSheet("padding: 4px 12px;")
        self.setAccessibleName("Notices")
        self._notices: list[str] = []
        self._compact = False

    def set_notices(self, notices: list[str]) -> None:
        self._notices = notices
        self.setToolTip("\n".join(notices))
        self._refresh()

    def set_compact(self, compact: bool) -> None:
        self._compact = compact
        self._refresh()

    def full_text(self) -> str:
        return "\n".join(self._notices)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        if self._compact:
            self._refresh()

    def _refresh(self) -> None:
        self.setWordWrap(not self._compact)
        if not self._compact:
            self.setText(self.full_text())
            return
        room = max(80, self.contentsRect().width() - 4)
        metrics = self.fontMetrics()
        lines = [metrics.elidedText(n, Qt.TextElideMode.ElideRight, room) for n in self._notices]
        self.setText("\n".join(lines))
