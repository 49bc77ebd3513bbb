"""Key bindings: one QAction per action, keys from the ``keys`` setting, remappable and saved.

The actions and their default keys are declared in :class:`neck_guide.settings.Keys` (one line
each); the keys in force are the preferences' (:class:`~neck_guide.ui.preferences.Preferences`),
and a rebinding goes back through them, so it is saved and every key hint follows.

Foot pedals send ordinary keys, so every action can take any key (or several: the setting
spells alternatives as ``"Right, PgDown"``). The digit keys 1-9 and 0 (= 10) always record a
rating. Bindings only say *which* action was asked for; the window decides what it means on
the page in front (the runner page, mostly).
"""

from __future__ import annotations

from typing import Final

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from neck_guide.settings import DEFAULT_KEYS, KEY_ACTIONS
from neck_guide.ui.preferences import Preferences

ACTION_TITLES: Final[dict[str, str]] = KEY_ACTIONS  # action -> what it does, in words

# Digit keys -> rating value; 0 stands for 10.
RATING_KEYS: Final[dict[str, int]] = {**{str(n): n for n in range(1, 10)}, "0": 10}


class KeyBindingError(ValueError):
    """A key text Qt cannot read as a key (the message names it and the action)."""


def parse_keys(text: str) -> list[QKeySequence]:
    """``"Right, PgDown"`` -> two one-key sequences; empty parts are ignored."""
    sequences = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        seq = QKeySequence(part)
        if seq.isEmpty() or seq.toString() == "":
            raise KeyBindingError(f"{part!r} is not a key Qt knows; press the key in Settings to capture it")
        sequences.append(seq)
    return sequences


def join_keys(sequences: list[QKeySequence]) -> str:
    """The setting's spelling of ``sequences`` (portable names, comma separated)."""
    return ", ".join(s.toString(QKeySequence.SequenceFormat.PortableText) for s in sequences)


def readable(text: str) -> str:
    """Key names as a person reads them on a button: ``"Right, PgDown"`` -> ``"→ / PgDown"``."""
    names = []
    for seq in parse_keys(text):
        name = seq.toString(QKeySequence.SequenceFormat.NativeText)
        names.append({"Right": "→", "Left": "←", "Up": "↑", "Down": "↓"}.get(name, name))
    return " / ".join(names)


class KeyBindings(QObject):
    """The QActions of the window, kept in step with the ``keys`` setting.

    A stored key Qt cannot read falls back to the action's default key and :attr:`problem` says so.

    Signals:
        activated(str): the key of an action (a key of ACTION_TITLES) was pressed.
        rating_key(int): a digit key asked to record a rating (1-10).
        changed(): a binding changed (buttons re-read their key hints).
    """

    activated = Signal(str)
    rating_key = Signal(int)
    changed = Signal()

    def __init__(self, preferences: Preferences, window: QWidget) -> None:
        super().__init__(window)
        self._preferences = preferences
        self.problem = ""
        self.actions: dict[str, QAction] = {}
        for name in DEFAULT_KEYS:
            action = QAction(ACTION_TITLES.get(name, name), window)
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(lambda _=False, n=name: self.activated.emit(n))
            window.addAction(action)
            self.actions[name] = action
        for key, value in RATING_KEYS.items():
            action = QAction(f"Rate {value}", window)
            action.setShortcut(QKeySequence(key))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(lambda _=False, v=value: self.rating_key.emit(v))
            window.addAction(action)
            self.actions[f"rate_{value}"] = action
        preferences.changed.connect(self._on_preference_changed)
        self.reload()

    def keys(self, action: str) -> str:
        """The keys of ``action`` as the setting spells them ("" for a rating key or no action)."""
        return str(getattr(self._preferences.current.keys, action)) if action in DEFAULT_KEYS else ""

    def _on_preference_changed(self, name: str) -> None:
        if name == "keys":
            self.reload()

    def hint(self, action: str) -> str:
        """The keys of ``action`` as shown on its button, e.g. ``"→ / PgDown"``."""
        try:
            return readable(self.keys(action))
        except KeyBindingError:
            return ""

    def reload(self) -> None:
        """Apply the keys of the settings in force (a bad stored key falls back to the default)."""
        problems = []
        for name in DEFAULT_KEYS:
            try:
                sequences = parse_keys(self.keys(name))
            except KeyBindingError as e:
                problems.append(f"{ACTION_TITLES[name]}: {e}; {DEFAULT_KEYS[name]} is used.")
                sequences = parse_keys(DEFAULT_KEYS[name])
            self.actions[name].setShortcuts(sequences)
        self.problem = " ".join(problems)
        self.changed.emit()

    def rebind(self, action: str, keys: str) -> None:
        """Give ``action`` these keys through the preferences (saved, and applied at once).

        Raises KeyBindingError when a key cannot be read, SettingValueError for an unknown action.
        """
        self._preferences.set_keys(action, join_keys(parse_keys(keys)))

    def reset(self, action: str) -> None:
        self.rebind(action, DEFAULT_KEYS[action])

    def conflicts(self, action: str, keys: str) -> list[str]:
        """Other actions already bound to one of ``keys`` (a pedal should do one thing)."""
        wanted = {s.toString() for s in parse_keys(keys)}
        clashes = [
            other
            for other in DEFAULT_KEYS
            if other != action and wanted & {s.toString() for s in parse_keys(self.keys(other))}
        ]
        clashes += [f"rate_{v}" for k, v in RATING_KEYS.items() if k in wanted]
        return clashes
