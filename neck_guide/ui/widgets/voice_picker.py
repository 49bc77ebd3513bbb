"""The voice picker of the settings page: the engine's installed voices in a combo box.

It lists the voices on a worker thread once it is first shown (starting the engine takes a
moment, and may fail); until they arrive it offers the engine's default and the voice in force,
and if they cannot be listed it falls back to a text field with a note.
"""

from __future__ import annotations

import tempfile
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QComboBox, QLineEdit, QVBoxLayout, QWidget

from neck_guide.ui.widgets.common import label
from neck_guide.voice.cache import PhraseCache
from neck_guide.voice.synth import Synthesiser, VoiceInfo

ENGINE_DEFAULT = "Engine default"
VoiceLister = Callable[[], Sequence[VoiceInfo]]  # blocks; raises on failure (SynthError and the like)


def engine_voices() -> list[VoiceInfo]:
    """The voices the speech engine offers, asked of a synthesiser of our own (so the voice in use
    is never held up), which is closed after. Blocks: call it on a worker thread; raises SynthError."""
    synth = Synthesiser(PhraseCache(Path(tempfile.gettempdir())))  # listing voices renders nothing
    try:
        return synth.voices()
    finally:
        synth.close()


class _VoiceRelay(QObject):
    """Carries the worker thread's answer to the picker (queued: it arrives on the UI thread)."""

    listed = Signal(object)  # list[VoiceInfo], or str: why they could not be listed


def _list_voices(lister: VoiceLister, relay: _VoiceRelay) -> None:
    try:
        answer: list[VoiceInfo] | str = list(lister())
    except Exception as e:  # SynthError, or a broken engine: the text field stays usable either way
        answer = str(e) or type(e).__name__
    relay.listed.emit(answer)


class VoicePicker(QWidget):
    """The installed voices in a combo box ("Engine default" first), or a text field and a note
    when they cannot be listed.

    Signals:
        chosen(str): the voice id picked or typed ("" for the engine's default).
    """

    chosen = Signal(str)

    def __init__(self, value: str, lister: VoiceLister, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._value = value
        self._lister = lister
        self._relay: _VoiceRelay | None = None
        self.listed = False  # the engine's voices are in the combo box
        self.combo = QComboBox()
        self.combo.setAccessibleName("Voice")
        self.text = QLineEdit(value)
        self.text.setAccessibleName("Voice id")
        self.text.hide()
        self.note = label("Looking for the installed voices…", "muted", wrap=True)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(4)
        for widget in (self.combo, self.text, self.note):
            column.addWidget(widget)
        self._fill([])
        self.combo.currentIndexChanged.connect(self._on_index)
        self.text.editingFinished.connect(lambda: self._choose(self.text.text().strip()))

    def value(self) -> str:
        return self._value

    def set_value(self, value: str) -> None:
        """Show ``value`` as the voice in force, without announcing it."""
        self._value = value
        self.text.setText(value)
        self._select(value)

    def list_voices(self) -> None:
        """Ask the engine for its voices on a worker thread (once); the combo box fills when they come."""
        if self._relay is not None:
            return
        self._relay = _VoiceRelay()
        self._relay.listed.connect(self._on_listed, Qt.ConnectionType.QueuedConnection)
        worker = threading.Thread(
            target=_list_voices, args=(self._lister, self._relay), name="voice-list", daemon=True
        )
        worker.start()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        self.list_voices()

    def _on_listed(self, answer: object) -> None:
        if isinstance(answer, list) and answer:
            self.listed = True
            self._fill(answer)
            self.note.hide()
            return
        why = answer if isinstance(answer, str) else "the speech engine offers none"
        self.combo.hide()
        self.text.setText(self._value)
        self.text.show()
        self.note.setText(
            f"The installed voices could not be listed ({why}). "
            "Type a voice id, or leave it empty for the engine's default."
        )

    def _fill(self, voices: Sequence[VoiceInfo]) -> None:
        self.combo.blockSignals(True)
        self.combo.clear()
        self.combo.addItem(ENGINE_DEFAULT, "")
        for voice in sorted(voices, key=lambda v: (v.name.casefold(), v.id)):
            self.combo.addItem(voice.name, voice.id)
            self.combo.setItemData(self.combo.count() - 1, voice.id, Qt.ItemDataRole.ToolTipRole)
        self.combo.blockSignals(False)
        self._select(self._value)

    def _select(self, value: str) -> None:
        """Select ``value`` (an id, or a name as the engine also takes); a voice not listed is added."""
        index = self.combo.findData(value)
        if index < 0 and value:
            index = self.combo.findText(value)
        self.combo.blockSignals(True)
        if index < 0:
            self.combo.addItem(f"{value} (not installed here)" if self.listed else value, value)
            index = self.combo.count() - 1
        self.combo.setCurrentIndex(index)
        self.combo.blockSignals(False)

    def _on_index(self, index: int) -> None:
        self._choose(str(self.combo.itemData(index) or ""))

    def _choose(self, value: str) -> None:
        self._value = value
        self.chosen.emit(value)
