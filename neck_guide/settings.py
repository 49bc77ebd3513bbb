"""User preferences, each declared once: key, type, default, title, unit.

Stored as JSON in the config folder, written atomically. Window geometry is not a preference
and is kept apart by the window itself (QSettings). A damaged settings file never stops the
app: it is kept aside as ``settings.json.bad`` and the defaults are used.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from neck_guide.paths import PRIVATE_FILE_MODE

SettingValue = bool | int | float | str | dict[str, str]


@dataclass(frozen=True, slots=True)
class Setting:
    key: str
    type: type
    default: SettingValue
    title: str
    unit: str = ""
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None


# Default key bindings: action -> key names as Qt's QKeySequence spells them.
DEFAULT_KEYS: Final[dict[str, str]] = {
    "start_pause": "Space",
    "next": "Right, PgDown",
    "back": "Left, PgUp",
    "extend": "E",
    "mute": "M",
    "full_screen": "F11",
    "leave_full_screen": "Esc",
}

SETTINGS: Final[tuple[Setting, ...]] = (
    Setting("clinic_name", str, "", "Clinic name (on PDF reports)"),
    Setting("theme", str, "dark", "Theme", choices=("dark", "light", "system", "high_contrast")),
    Setting("text_scale", float, 1.0, "Text size", unit="×", minimum=0.75, maximum=3.0),
    Setting("auto_advance", bool, True, "Advance by itself after timed steps"),
    Setting("extend_s", int, 10, "Extend adds", unit="s", minimum=5, maximum=120),
    Setting("voice_enabled", bool, True, "Speak cues"),
    Setting("voice_muted", bool, False, "Muted (M)"),
    Setting("voice_id", str, "", "Voice"),
    Setting("voice_rate", int, 165, "Speaking rate", unit="words/min", minimum=80, maximum=300),
    Setting("voice_volume", float, 0.9, "Volume", minimum=0.0, maximum=1.0),
    Setting("voice_verbosity", str, "everything", "What to speak", choices=("everything", "timing", "none")),
    Setting("chime", bool, True, "Chime at the end of a hold"),
    Setting("keys", dict, DEFAULT_KEYS, "Keys and pedals"),
)

BY_KEY: Final[dict[str, Setting]] = {s.key: s for s in SETTINGS}


class SettingsError(ValueError):
    """A value of the wrong type or out of range for its setting."""


class Settings:
    """The preferences in force; ``set`` validates, ``save`` writes atomically."""

    def __init__(self, path: Path | None, values: dict[str, SettingValue] | None = None) -> None:
        self.path = path
        self._values: dict[str, SettingValue] = {s.key: s.default for s in SETTINGS}
        self.problems: list[str] = []
        for key, value in (values or {}).items():
            try:
                self.set(key, value)
            except SettingsError as e:
                self.problems.append(str(e))

    @classmethod
    def load(cls, path: Path) -> Settings:
        """Read ``path``; a missing file gives defaults, a damaged one is kept aside."""
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(raw, dict):
                raise ValueError("top level is not an object")
        except FileNotFoundError:
            return cls(path)
        except (OSError, ValueError) as e:
            bad = path.with_name(path.name + ".bad")
            with contextlib.suppress(OSError):
                path.replace(bad)
            s = cls(path)
            s.problems.append(f"{path}: could not be read ({e}); kept aside as {bad.name}, using defaults")
            return s
        return cls(path, raw)

    def get(self, key: str) -> Any:
        return self._values[key]

    def set(self, key: str, value: SettingValue) -> None:
        self._values[key] = _checked(key, value)

    def __iter__(self) -> Iterator[tuple[Setting, SettingValue]]:
        return ((s, self._values[s.key]) for s in SETTINGS)

    def keys_for(self, action: str) -> str:
        keys: dict[str, str] = self._values["keys"]  # type: ignore[assignment]
        return keys.get(action, DEFAULT_KEYS.get(action, ""))

    def save(self) -> None:
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".settings-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(self._values, f, indent=2, sort_keys=True)
            os.chmod(tmp, PRIVATE_FILE_MODE)
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def _checked(key: str, value: SettingValue) -> SettingValue:
    setting = BY_KEY.get(key)
    if setting is None:
        raise SettingsError(f"unknown setting {key!r}")
    if setting.type is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if not isinstance(value, setting.type) or (setting.type is int and isinstance(value, bool)):
        raise SettingsError(f"setting {key!r} wants {setting.type.__name__}, got {value!r}")
    if setting.choices and value not in setting.choices:
        raise SettingsError(f"setting {key!r} is one of {', '.join(setting.choices)}, got {value!r}")
    if isinstance(value, int | float) and not isinstance(value, bool):
        if setting.minimum is not None and value < setting.minimum:
            raise SettingsError(f"setting {key!r} is at least {setting.minimum:g}, got {value!r}")
        if setting.maximum is not None and value > setting.maximum:
            raise SettingsError(f"setting {key!r} is at most {setting.maximum:g}, got {value!r}")
    if isinstance(value, dict):
        value = {**DEFAULT_KEYS, **{str(k): str(v) for k, v in value.items() if k in DEFAULT_KEYS}}
    return value
