"""The one owner of the preferences in force, and the only path that saves them.

Every part of the window reads :attr:`Preferences.current` (a frozen, validated
:class:`~neck_guide.settings.Settings`) and listens to ``changed``; nobody keeps a copy. A change
from anywhere (the settings page, the runner's switches, the M key, the top bar) goes through
:meth:`Preferences.set`, which validates it, saves the file and announces it, so every view shows
it at once. A save that fails keeps the value for this run and says why in ``notice_changed``
(the window's notice bar).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal

from neck_guide.settings import Settings, load_settings, save_settings, with_keys, with_value


class Preferences(QObject):
    """The preferences in force, validated, saved and announced on every change.

    ``path`` None keeps them in memory only (a benchmark, a widget test).

    Signals:
        changed(str): the name of the setting whose value changed (``"keys"`` for a key binding).
        notice_changed(str): what went wrong reading or saving the settings file ("" once all is well).
    """

    changed = Signal(str)
    notice_changed = Signal(str)

    def __init__(
        self,
        settings: Settings | None = None,
        path: Path | None = None,
        *,
        load_problem: str = "",
        writable: bool = True,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._current = settings if settings is not None else Settings()
        self._path = path
        self._load_problem = load_problem
        self._save_problem = ""
        self._writable = writable

    @classmethod
    def load(cls, path: Path, parent: QObject | None = None) -> Preferences:
        """The preferences of the file at ``path``. Values that fell back to their defaults are
        saved at once (the file as it was is kept aside) and said in :attr:`notice`."""
        loaded = load_settings(path)
        preferences = cls(
            loaded.settings, path, load_problem=loaded.problem, writable=loaded.writable, parent=parent
        )
        if loaded.kept_as is not None:
            preferences._save()
        return preferences

    @property
    def current(self) -> Settings:
        return self._current

    @property
    def path(self) -> Path | None:
        return self._path

    @property
    def notice(self) -> str:
        """What the user should know about the settings file ("" when nothing)."""
        return " ".join(p for p in (self._load_problem, self._save_problem) if p)

    def set(self, name: str, value: object) -> None:
        """Give setting ``name`` this value, save and announce it (nothing when it is the same).

        Raises SettingValueError, saying why, for a value of the wrong type or out of range.
        """
        self._apply(with_value(self._current, name, value), name)

    def set_keys(self, action: str, keys: str) -> None:
        """Give key action ``action`` these keys (``"Right, PgDown"``); as :meth:`set`."""
        self._apply(with_keys(self._current, action, keys), "keys")

    def toggle(self, name: str) -> None:
        """Turn an on/off setting (``"voice_muted"``, ``"auto_advance"``) the other way."""
        self.set(name, not getattr(self._current, name))

    def _apply(self, settings: Settings, name: str) -> None:
        if settings == self._current:
            return
        self._current = settings
        self._save()
        self.changed.emit(name)

    def _save(self) -> None:
        if self._path is None:
            return
        if not self._writable:
            self._set_save_problem("")  # the load problem already says changes are not saved
            return
        try:
            save_settings(self._current, self._path)
        except OSError as e:
            self._set_save_problem(
                f"Settings could not be saved to {self._path} ({e.strerror or e}): the change applies until"
                " Neck Guide closes. Check that the folder can be written and has room."
            )
        else:
            self._set_save_problem("")

    def _set_save_problem(self, text: str) -> None:
        if text != self._save_problem:
            self._save_problem = text
            self.notice_changed.emit(self.notice)
