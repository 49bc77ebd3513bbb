"""Small pieces the pages share: the decisions interface, role helpers, the 0-10 pain scale.

Logic never opens a dialog itself: it asks a :class:`Decisions` (``confirm``, ``ask_path``,
``inform``). The window passes :class:`DialogDecisions`; tests pass a fake that answers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QDoubleSpinBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QWidget,
)

from neck_guide.ui.theme import MIN_TOUCH_PX

PAIN_MAX = 10
NBSP = "\u00a0"


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
            b = QPushButton(str(value))
            b.setCheckable(True)
            b.setMinimumSize(MIN_TOUCH_PX, MIN_TOUCH_PX)
            b.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            b.setStyleSheet("padding: 4px 0px;")
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
    """A number with big − and + buttons (a spin box's arrows are too small for a finger)."""

    def __init__(
        self, spin: QSpinBox | QDoubleSpinBox, unit: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.spin = spin
        spin.setStyleSheet(
            "QAbstractSpinBox::up-button, QAbstractSpinBox::down-button { width: 0px; border: none; }"
        )
        spin.setAlignment(Qt.AlignmentFlag.AlignCenter)
        spin.setMinimumWidth(130)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(6)
        self.down, self.up = button("−"), button("+")
        for b, name in ((self.down, "Less"), (self.up, "More")):
            b.setFixedWidth(MIN_TOUCH_PX + 8)
            b.setStyleSheet("padding: 0px;")
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
