"""The settings page, generated from the declarations in neck_guide.settings (SETTINGS, Keys).

One widget per type: a checkbox for bool, a combo box for a choice, a spin box with its unit
for a number, a line edit for text, the voice picker for the voice, and the key table (press
a key to capture it) for the key bindings. Every change goes to the Preferences, which validate,
save and announce it; the editors show what the Preferences hold, whoever changed it.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QGridLayout,
    QKeySequenceEdit,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from neck_guide.settings import DEFAULT_KEYS, SECTIONS, SETTINGS, Setting, SettingsError
from neck_guide.ui.keys import ACTION_TITLES, KeyBindingError, KeyBindings, readable
from neck_guide.ui.preferences import Preferences
from neck_guide.ui.theme import BASE_POINT_SIZE
from neck_guide.ui.widgets.common import Stepper, button, label
from neck_guide.ui.widgets.fitted_text import FadingScrollArea
from neck_guide.ui.widgets.voice_picker import VoiceLister, VoicePicker, engine_voices

EDITOR_MAX_PX = 440


class KeyTable(QWidget):
    """Each action, its keys, and buttons to capture a new key, add one, or reset.

    Signals:
        problem(str): a key could not be used (why, in words); empty when all is well.
    """

    problem = Signal(str)

    def __init__(self, bindings: KeyBindings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._bindings = bindings
        self.shown: dict[str, QLabel] = {}
        self.capture: dict[str, QKeySequenceEdit] = {}
        self._adding: dict[str, bool] = {}
        self._capturing: str | None = None
        self.buttons: dict[tuple[str, str], QPushButton] = {}  # (action, "Change"/"Add key"/"Reset")
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(10)
        for row, action in enumerate(DEFAULT_KEYS):
            self._add_row(grid, row, action)
        grid.setColumnStretch(1, 1)
        bindings.changed.connect(self._on_bindings_changed)
        self._on_bindings_changed()

    def _add_row(self, grid: QGridLayout, row: int, action: str) -> None:
        title = ACTION_TITLES.get(action, action)
        grid.addWidget(label(title, wrap=True), row, 0)
        self.shown[action] = label("", "cue")
        grid.addWidget(self.shown[action], row, 1)
        edit = QKeySequenceEdit()
        edit.setMaximumSequenceLength(1)
        edit.setMinimumHeight(44)
        edit.setAccessibleName(f"Press the new key for {title}")
        edit.hide()
        edit.editingFinished.connect(lambda a=action: self._on_key_captured(a))
        self.capture[action] = edit
        grid.addWidget(edit, row, 2)
        slots = (("Change", self.start_capture), ("Add key", self._start_adding), ("Reset", self._reset))
        for col, (name, slot) in enumerate(slots, 3):
            b = button(name, "quiet" if name == "Reset" else "")
            b.clicked.connect(lambda _=False, a=action, s=slot: s(a))
            self.buttons[(action, name)] = b
            grid.addWidget(b, row, col)

    def start_capture(self, action: str, *, adding: bool = False) -> None:
        """Wait for the next key press as the (new or extra) key of ``action``."""
        self._adding[action] = adding
        self._capturing = action
        edit = self.capture[action]
        edit.clear()
        edit.show()
        edit.setFocus()
        self.problem.emit(f"Press the key (or pedal) for “{ACTION_TITLES.get(action, action)}”…")

    def _start_adding(self, action: str) -> None:
        self.start_capture(action, adding=True)

    def _reset(self, action: str) -> None:
        self._bindings.reset(action)
        self.problem.emit("")

    def _on_key_captured(self, action: str) -> None:
        if self._capturing != action:
            return  # editingFinished comes again on focus out: handled already
        self._capturing = None
        edit = self.capture[action]
        sequence = edit.keySequence()
        edit.hide()
        if sequence.isEmpty():
            return
        key = sequence.toString(QKeySequence.SequenceFormat.PortableText)
        keys = f"{self._bindings.keys(action)}, {key}" if self._adding.get(action) else key
        clashes = self._bindings.conflicts(action, key)
        if clashes:
            names = ", ".join(ACTION_TITLES.get(c, c.replace("rate_", "rating ")) for c in clashes)
            self.problem.emit(f"{key} already does: {names}. Give that another key first.")
            return
        try:
            self._bindings.rebind(action, keys)
        except (KeyBindingError, SettingsError) as e:
            self.problem.emit(f"Could not use {key} for {ACTION_TITLES.get(action, action)}: {e}")
            return
        self.problem.emit("")

    def _on_bindings_changed(self) -> None:
        for action, shown in self.shown.items():
            try:
                shown.setText(readable(self._bindings.keys(action)) or "none")
            except KeyBindingError:
                shown.setText("?")


class SettingsPage(QWidget):
    """Every preference, each saved as soon as it changes (by the Preferences)."""

    def __init__(
        self,
        preferences: Preferences,
        bindings: KeyBindings,
        parent: QWidget | None = None,
        *,
        voices: VoiceLister = engine_voices,
    ) -> None:
        super().__init__(parent)
        self._preferences = preferences
        self._voices = voices
        self.editors: dict[str, QWidget] = {}
        self.text_scale_note = label("", "muted", wrap=True)
        self.text_scale_note.hide()
        page = QVBoxLayout(self)
        page.setContentsMargins(24, 16, 24, 16)
        page.addWidget(label("Settings", "title"))
        self.status = label("", "muted", wrap=True)
        page.addWidget(self.status)
        body = QWidget()
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 0, 12, 0)
        column.addLayout(self._build_form())
        self._fit_editors()
        column.addWidget(label("Keys and pedals", "subtitle"))
        column.addWidget(label("Foot pedals send keys: press Change, then the pedal.", "muted", wrap=True))
        self.key_table = KeyTable(bindings)
        self.key_table.problem.connect(self.status.setText)
        column.addWidget(self.key_table)
        column.addStretch(1)
        page.addWidget(FadingScrollArea(body), 1)
        preferences.changed.connect(self._on_preference_changed)

    def _build_form(self) -> QGridLayout:
        """Every setting but the keys, one row each, under its section title."""
        grid = QGridLayout()
        grid.setVerticalSpacing(8)
        grid.setHorizontalSpacing(24)
        grid.setColumnStretch(2, 1)
        for section in SECTIONS:
            shown = [s for s in SETTINGS if s.section == section and s.kind in (bool, int, float, str)]
            if shown:
                grid.addWidget(label(section, "subtitle"), grid.rowCount(), 0, 1, 2)
            for setting in shown:
                editor = self._editor(setting)
                self.editors[setting.name] = editor
                row = grid.rowCount()
                grid.addWidget(label(setting.title, wrap=True), row, 0)
                grid.addWidget(editor, row, 1)
                if setting.name == "text_scale":
                    grid.addWidget(self.text_scale_note, row + 1, 1, 1, 2)
        return grid

    def _fit_editors(self) -> None:
        """Editors no wider than EDITOR_MAX_PX at the normal text size, in proportion at others (a
        stepper is as wide as its parts, no wider)."""
        widest = round(EDITOR_MAX_PX * self.font().pointSizeF() / BASE_POINT_SIZE)
        for editor in self.editors.values():
            if not isinstance(editor, Stepper):
                editor.setMaximumWidth(widest)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.FontChange:  # the text size changed
            self._fit_editors()
        super().changeEvent(event)

    def show_text_scale(self, wanted: float, in_force: float) -> None:
        """Say so when the window holds less than the text size asked for."""
        self.text_scale_note.setText(
            f"This window holds {in_force:g}×: {wanted:g}× returns when it is larger (full screen on a"
            " bigger display)."
        )
        self.text_scale_note.setVisible(in_force < wanted)

    def _value(self, name: str) -> object:
        return getattr(self._preferences.current, name)

    def _editor(self, setting: Setting) -> QWidget:
        """The editor of ``setting``, showing its value; an edit sets it (showing the value in force,
        after a change from elsewhere, sets it to what it is: nothing happens)."""
        name, value = setting.name, self._value(setting.name)
        if setting.kind is bool:
            box = QCheckBox()
            box.setChecked(bool(value))
            box.toggled.connect(lambda on: self._set(name, bool(on)))
            return box
        if setting.choices:
            combo = QComboBox()
            for choice in setting.choices:
                combo.addItem(setting.label(choice), choice)
            combo.setCurrentIndex(setting.choices.index(str(value)))
            combo.currentIndexChanged.connect(lambda i: self._set(name, setting.choices[i]))
            return combo
        if setting.kind in (int, float):
            return self._number(setting)
        if name == "voice_id":
            picker = VoicePicker(str(value), self._voices)
            picker.chosen.connect(lambda voice: self._set(name, voice))
            return picker
        edit = QLineEdit(str(value))
        if setting.max_length is not None:
            edit.setMaxLength(setting.max_length)
        edit.editingFinished.connect(lambda: self._set(name, edit.text().strip()))
        return edit

    def _number(self, setting: Setting) -> Stepper:
        name, value = setting.name, self._value(setting.name)
        low, high = setting.minimum or 0, setting.maximum if setting.maximum is not None else 10**6
        if setting.kind is int:
            spin = QSpinBox()
            spin.setRange(int(low), int(high))
            spin.setSingleStep(int(setting.step or 1))
            spin.setValue(int(value))  # type: ignore[call-overload]
            spin.valueChanged.connect(lambda v: self._set(name, int(v)))
            return Stepper(spin, setting.unit)
        dspin = QDoubleSpinBox()
        dspin.setRange(float(low), float(high))
        dspin.setSingleStep(setting.step or 0.1)
        dspin.setDecimals(2)
        dspin.setValue(float(value))  # type: ignore[arg-type]
        dspin.valueChanged.connect(lambda v: self._set(name, round(float(v), 2)))
        return Stepper(dspin, setting.unit)

    def _on_preference_changed(self, name: str) -> None:
        """Show the value in force (it may have been changed elsewhere: the M key, the runner)."""
        editor = self.editors.get(name)
        if editor is None:
            return  # the keys: the key table follows the bindings
        value = self._value(name)
        if isinstance(editor, QCheckBox):
            editor.setChecked(bool(value))
        elif isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(0, editor.findData(value)))
        elif isinstance(editor, Stepper):
            editor.spin.setValue(value)  # type: ignore[arg-type]
        elif isinstance(editor, QLineEdit):
            editor.setText(str(value))
        elif isinstance(editor, VoicePicker):
            editor.set_value(str(value))

    def _set(self, name: str, value: object) -> None:
        if self._value(name) == value:
            return
        try:
            self._preferences.set(name, value)
        except SettingsError as e:
            self.status.setText(f"Not changed: {e}.")
            return
        self.status.setText(self._preferences.notice or "Saved.")
