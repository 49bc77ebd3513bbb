"""Parts of the runner page: what to do (the step panel), the controls bar, the "Next:" line.

All dumb: they show what they are given and emit what was pressed.
"""

from __future__ import annotations

from typing import Final

from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPaintEvent, QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QPushButton,
    QSizePolicy,
    QStyle,
    QStyleOptionButton,
    QVBoxLayout,
    QWidget,
)

from neck_guide.protocol.plan import PlannedStep
from neck_guide.ui.theme import MIN_TOUCH_PX
from neck_guide.ui.widgets.common import NBSP, dotted, label, set_density, set_role
from neck_guide.ui.widgets.fitted_text import FittedColumn, FittedLabel

SIDE_WORDS: Final = {"left": "LEFT side", "right": "RIGHT side"}
# below this many lines of body text in height, the panel uses the theme's compact sizes
COMPACT_BELOW_LINES: Final = 16
MAX_CHECKLIST_LINES: Final = 6
KEY_FONT_SCALE: Final = 0.78
KEY_OPACITY: Final = 0.75


class KeyButton(QPushButton):
    """A big button with its key shown small under the title ("Next" over "→")."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self._key = ""
        self._dense = False
        self.setMinimumHeight(MIN_TOUCH_PX)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # a pedal's Space must never click the last button
        self.setProperty("density", "compact")

    @property
    def key(self) -> str:
        return self._key

    def set_key(self, key: str) -> None:
        self._key = key
        self.updateGeometry()
        self.update()

    def set_dense(self, dense: bool) -> None:
        """Dense: no room asked for the key line (it shows only if the button is tall enough anyway)."""
        if dense != self._dense:
            self._dense = dense
            self.updateGeometry()

    def _key_font(self) -> QFont:
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * KEY_FONT_SCALE)
        font.setWeight(QFont.Weight.Normal)
        return font

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        hint = super().sizeHint()
        metrics = QFontMetrics(self._key_font())
        if not self._dense:
            hint.setHeight(hint.height() + metrics.height())  # room for a key line, shown or not: even rows
        hint.setWidth(max(hint.width(), metrics.horizontalAdvance(self._key) + 32))
        return hint

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        title = QFontMetrics(self.font()).horizontalAdvance(self.text())
        key = QFontMetrics(self._key_font()).horizontalAdvance(self._key) if self._key else 0
        return QSize(max(title, key) + 28, MIN_TOUCH_PX)

    def lines_height(self) -> int:
        """The height of the title and the key line painted under it."""
        return QFontMetrics(self.font()).height() + QFontMetrics(self._key_font()).height()

    def key_shown(self) -> bool:
        """The key line shows only when it fits whole under the title (a short window at a large text
        size keeps the title alone; the keys stay in the tooltip)."""
        return bool(self._key) and self.lines_height() <= self.height()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        if not self.key_shown():
            super().paintEvent(event)
            return
        option = QStyleOptionButton()
        self.initStyleOption(option)
        option.text = ""
        painter = QPainter(self)
        self.style().drawControl(QStyle.ControlElement.CE_PushButton, option, painter, self)
        group = QPalette.ColorGroup.Active if self.isEnabled() else QPalette.ColorGroup.Disabled
        painter.setPen(self.palette().color(group, QPalette.ColorRole.ButtonText))
        title_h = QFontMetrics(self.font()).height()
        key_font = self._key_font()
        key_h = QFontMetrics(key_font).height()
        top = (self.height() - title_h - key_h) // 2
        painter.setFont(self.font())
        painter.drawText(QRect(0, top, self.width(), title_h), Qt.AlignmentFlag.AlignCenter, self.text())
        painter.setFont(key_font)
        painter.setOpacity(KEY_OPACITY)
        painter.drawText(
            QRect(0, top + title_h, self.width(), key_h), Qt.AlignmentFlag.AlignCenter, self._key
        )
        painter.end()


class StepPanel(QWidget):
    """The technique in a few plain words (big), the muscle and side, safety, the latest cue,
    and the instructions (in whole lines, as many as fit).

    Signals:
        essentials_changed(): what must show whole (title, side, safety, cue) changed.
    """

    essentials_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(6)
        self.technique = label("", "title", wrap=True)
        self.technique.setAccessibleName("Technique")
        self.where = label("", "technique", wrap=True)
        self.safety = label("", "banner-safety", wrap=True)
        self.safety.setAccessibleName("Safety")
        for w in (self.technique, self.where, self.safety):
            column.addWidget(w)
        # whole lines only, in this order: the latest cue, the instructions, the checklist; what does
        # not fit ends in "…" (the full text is in the tooltip, the protocol and `neck-guide show`).
        # The title lines and the safety banner above are never cut.
        self.cue = FittedLabel("", "instructions", min_lines=0)
        self.cue.setAccessibleName("Cue")
        self.cue.setStyleSheet("color: palette(highlight); font-weight: 600;")
        self.instructions = FittedLabel("", "instructions", min_lines=0)
        self.instructions.setAccessibleName("Instructions")
        self.checklist = FittedLabel("", "muted", min_lines=0)
        self.details = FittedColumn([self.cue, self.instructions, self.checklist])
        column.addWidget(self.details)
        column.addStretch(1)
        self._compact = False

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        # by the height alone (never by what is shown), so the choice cannot feed back into the layout
        compact = event.size().height() < COMPACT_BELOW_LINES * self.fontMetrics().height()
        if compact != self._compact:
            self._compact = compact
            for w in (self.technique, self.where, self.safety, self.cue, self.instructions):
                set_density(w, compact)

    @property
    def compact(self) -> bool:
        return self._compact

    def essential_height(self, width: int, *, with_cue: bool = True) -> int:
        """The height the lines that must show whole (title, side, safety) need at ``width``, with the
        gap under each; ``with_cue``: and the whole of the cue shown now under them."""
        shown = [w for w in (self.technique, self.where, self.safety) if not w.isHidden()]
        layout = self.layout()
        spacing = layout.spacing() if layout is not None else 0
        height = sum(w.heightForWidth(width) + spacing for w in shown)
        if with_cue and not self.cue.isHidden():
            height += len(self.cue.lines(width)) * self.cue.line_height()
        return height

    def show_step(self, step: PlannedStep) -> None:
        rest = step.kind == "rest"
        self.technique.setText(step.technique)
        parts = [step.muscle_name or step.step.title] if not rest else [f"After: {step.step.title}"]
        # "LEFT side" and "1 of 3" never split: no lone "side" on a line of its own
        if step.side:
            parts.append(SIDE_WORDS[step.side].replace(" ", NBSP))
        if step.repetitions > 1:
            parts.append(f"{step.repetition}{NBSP}of{NBSP}{step.repetitions}")
        self.where.setText(dotted(*parts))
        safety = step.safety
        self.safety.setText(f"⚠  {safety}" if safety else "")
        self.safety.setVisible(bool(safety))
        self.instructions.set_full_text("" if rest else step.step.instructions)
        items = [] if rest else list(step.step.checklist[:MAX_CHECKLIST_LINES])
        self.checklist.set_full_text("\n".join(f"☐  {c}" for c in items))
        self.checklist.setVisible(bool(items))
        self.show_cue("")
        self.details.place()

    def show_cue(self, text: str) -> None:
        self.cue.set_full_text(text)
        self.cue.setVisible(bool(text))
        self.details.place()
        self.essentials_changed.emit()


class ControlBar(QWidget):
    """Back, start/pause, release, extend, next — big, with their keys shown.

    Signals:
        pressed(str): "back", "start_pause", "release", "extend" or "next".
    """

    pressed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(8)
        self.buttons: dict[str, KeyButton] = {}
        self._titles: dict[str, str] = {}
        self._hints: dict[str, str] = {}
        for name, title in (
            ("back", "Back"),
            ("start_pause", "Start"),
            ("release", "Release"),
            ("extend", "Extend"),
            ("next", "Next"),
        ):
            b = KeyButton(title)
            b.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            b.clicked.connect(lambda _=False, n=name: self.pressed.emit(n))
            self.buttons[name] = b
            self._titles[name] = title
            row.addWidget(b, 3 if name == "start_pause" else 2)

    def set_dense(self, dense: bool) -> None:
        for b in self.buttons.values():
            b.set_dense(dense)

    def set_title(self, name: str, title: str) -> None:
        self._titles[name] = title
        self._refresh(name)

    def set_hint(self, name: str, hint: str) -> None:
        """The keys of a control, e.g. "→ / PgDown": the first is shown on the button."""
        self._hints[name] = hint
        self._refresh(name)

    def _refresh(self, name: str) -> None:
        hint = self._hints.get(name, "")
        first = hint.split(" / ")[0] if hint else ""
        b = self.buttons[name]
        b.setText(self._titles[name])
        b.set_key(first)
        b.setToolTip(f"Keys: {hint}" if hint else "")

    def set_primary(self, name: str) -> None:
        """Colour the button the therapist most likely wants next."""
        for n, b in self.buttons.items():
            wanted = "primary" if n == name else ""  # a disabled primary looks disabled (theme)
            if (b.property("role") or "") != wanted:
                set_role(b, wanted)


class NextLine(FittedLabel):
    """ "Next: …" — always there, emphasised in the last seconds of a step; in whole lines (dense: two
    at most, the rest in the tooltip)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("", "instructions", parent=parent)
        self.setAccessibleName("Next")
        self._emphasised = False

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(0, self.sizeHint().height())  # never squeezed: every line (dense: both) whole

    def show_next(self, current: PlannedStep, upcoming: PlannedStep | None) -> None:
        if upcoming is None:
            self.set_full_text("Next: the end of the session and its summary")
            return
        text = f"rest {round(upcoming.planned_s)} s" if upcoming.kind == "rest" else describe(upcoming)
        if current.side and upcoming.side and current.side != upcoming.side:
            text = f"switch sides: {text}"
        self.set_full_text(f"Next: {text}")

    def set_emphasised(self, on: bool) -> None:
        if on != self._emphasised:
            self._emphasised = on
            set_role(self, "cue" if on else "instructions")

    @property
    def emphasised(self) -> bool:
        return self._emphasised


def describe(step: PlannedStep) -> str:
    head = step.muscle_name or step.step.title
    if step.side:
        head += f", {step.side}"
    return dotted(head, step.technique)
