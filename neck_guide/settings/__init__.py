"""User preferences: one declared model (:mod:`.model`) and its file (:mod:`.file`). Pure Python:
the Qt owner of the live values is ``neck_guide.ui.preferences.Preferences``."""

from neck_guide.settings.file import (
    MAX_DEPTH,
    MAX_FILE_BYTES,
    LoadedSettings,
    load_settings,
    nesting_depth,
    save_settings,
)
from neck_guide.settings.model import (
    DEFAULT_KEYS,
    KEY_ACTIONS,
    SECTIONS,
    SETTINGS,
    Keys,
    Setting,
    Settings,
    SettingsError,
    SettingsFileError,
    SettingValueError,
    Theme,
    Verbosity,
    with_keys,
    with_value,
)

__all__ = [
    "DEFAULT_KEYS",
    "KEY_ACTIONS",
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "SECTIONS",
    "SETTINGS",
    "Keys",
    "LoadedSettings",
    "Setting",
    "SettingValueError",
    "Settings",
    "SettingsError",
    "SettingsFileError",
    "Theme",
    "Verbosity",
    "load_settings",
    "nesting_depth",
    "save_settings",
    "with_keys",
    "with_value",
]
