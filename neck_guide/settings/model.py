"""Every preference and key action, declared once (pydantic), and checked one value at a time.

Each setting is one line of :class:`Settings` (its type, default, range, title, unit, section) and
each key action one line of :class:`Keys`; the settings page, the key bindings and the checks
read those declarations (:data:`SETTINGS`, :data:`KEY_ACTIONS`). Window geometry is not a
preference: the window keeps it apart (QSettings).
"""

# SettingsError (ValueError)          a preference could not be used
#  ├── SettingValueError               one value of the wrong type, out of range, or an unknown name
#  └── SettingsFileError               the file as a whole cannot be used (not a file, too large,
#                                      nested too deep, not UTF-8 JSON, not an object)

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Final, Literal, get_args

from annotated_types import Ge, Le, MaxLen
from pydantic import BaseModel, ConfigDict, Field, ValidationError

MAX_TEXT: Final = 200
SHOWN_CHARS: Final = 40  # a bad value is quoted in a message up to this many characters
PRINTABLE: Final = r"^[^\x00-\x1f\x7f]*$"  # text settings hold no control characters

Theme = Literal["dark", "light", "system", "high_contrast"]
Verbosity = Literal["everything", "timing", "none"]
SECTIONS: Final = ("Display", "Session", "Voice", "Reports", "Keys")


class SettingsError(ValueError):
    """A preference could not be used (the message says which and why)."""


class SettingValueError(SettingsError):
    """One value of the wrong type, out of range, or a name no setting has."""


class SettingsFileError(SettingsError):
    """The settings file as a whole cannot be used."""


def setting(
    default: object,
    title: str,
    *,
    section: str = "Session",
    unit: str = "",
    step: float | None = None,
    ge: float | None = None,
    le: float | None = None,
    max_length: int | None = None,
    labels: Mapping[str, str] | None = None,
) -> Any:
    """The declaration of one setting: pydantic's Field plus how the settings page shows it
    (its section, unit, the step of its spin box, the words for each choice)."""
    shown: dict[str, Any] = {"section": section, "unit": unit}
    if step is not None:
        shown["step"] = step
    if labels:
        shown["labels"] = dict(labels)
    pattern = PRINTABLE if max_length is not None else None
    return Field(
        default, title=title, ge=ge, le=le, max_length=max_length, pattern=pattern, json_schema_extra=shown
    )


def key(default: str, title: str) -> Any:
    """The declaration of one key action: its default keys and what it does, in words."""
    return Field(default, title=title, max_length=MAX_TEXT, pattern=PRINTABLE)


class Keys(BaseModel):
    """The keys of each action as Qt's QKeySequence spells them (``"Right, PgDown"``: either key).

    One line per action: the window binds it and Settings → Keys and pedals lists it.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    start_pause: str = key("Space", "Start / pause (release during a hold)")
    next: str = key("Right, PgDown", "Next step")
    back: str = key("Left, PgUp", "Back a step")
    extend: str = key("E", "Extend the step")
    mute: str = key("M", "Mute / unmute the voice")
    full_screen: str = key("F11", "Full screen")
    leave_full_screen: str = key("Esc", "Leave full screen")


THEME_LABELS: Final = {
    "dark": "Dark",
    "light": "Light",
    "system": "Follow the system",
    "high_contrast": "High contrast",
}
VERBOSITY_LABELS: Final = {"everything": "Everything", "timing": "Timing cues only", "none": "Nothing"}


class Settings(BaseModel):
    """Every preference with its type, default, range and title. Frozen: a change is a new value."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True, allow_inf_nan=False)

    theme: Theme = setting("dark", "Theme", section="Display", labels=THEME_LABELS)
    text_scale: float = setting(1.0, "Text size", section="Display", unit="×", step=0.05, ge=0.75, le=3.0)
    auto_advance: bool = setting(True, "Auto-advance after timed steps")
    extend_s: int = setting(10, "Extend adds", unit="s", step=5, ge=5, le=120)
    questionnaires_every_weeks: int = setting(
        4, "Client questionnaires every", unit="weeks", step=1, ge=1, le=52
    )
    voice_enabled: bool = setting(True, "Speak cues", section="Voice")
    voice_muted: bool = setting(False, "Mute", section="Voice")
    voice_id: str = setting("", "Voice", section="Voice", max_length=MAX_TEXT)
    voice_rate: int = setting(165, "Speaking rate", section="Voice", unit="words/min", step=5, ge=80, le=300)
    voice_volume: float = setting(0.9, "Volume", section="Voice", step=0.05, ge=0.0, le=1.0)
    voice_verbosity: Verbosity = setting(
        "everything", "What to speak", section="Voice", labels=VERBOSITY_LABELS
    )
    chime: bool = setting(True, "Chime at the end of a hold", section="Voice")
    clinic_name: str = setting("", "Clinic name (on PDF reports)", section="Reports", max_length=MAX_TEXT)
    keys: Keys = setting(Keys(), "Keys and pedals", section="Keys")


@dataclass(frozen=True, slots=True)
class Setting:
    """One setting as its declaration describes it (what the settings page and messages need)."""

    name: str
    kind: type  # bool, int, float, str (choices are str) or Keys
    default: object
    title: str
    section: str
    unit: str = ""
    choices: tuple[str, ...] = ()
    labels: Mapping[str, str] = field(default_factory=dict)
    minimum: float | None = None
    maximum: float | None = None
    step: float | None = None
    max_length: int | None = None

    def label(self, choice: str) -> str:
        """The words for one of the choices ("high_contrast" -> "High contrast")."""
        return self.labels.get(choice, choice.replace("_", " ").capitalize())

    def wanted(self) -> str:
        """What this setting takes, in words: "a number from 0.75 to 3"."""
        if self.choices:
            return "one of " + ", ".join(self.choices)
        if self.kind is bool:
            return "true or false"
        if self.kind in (int, float):
            number = "a whole number" if self.kind is int else "a number"
            return f"{number} from {self.minimum:g} to {self.maximum:g}"
        if self.kind is str:
            return f"text of at most {self.max_length} characters, none of them control characters"
        return "an object of actions and their keys"


def _describe(name: str, info: Any) -> Setting:
    shown = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
    choices = tuple(str(c) for c in get_args(info.annotation))
    bounds = {type(m): m for m in info.metadata}
    return Setting(
        name=name,
        kind=str if choices else info.annotation,
        default=info.default,
        title=info.title or name,
        section=str(shown.get("section", "Session")),
        unit=str(shown.get("unit", "")),
        choices=choices,
        labels=dict(shown.get("labels", {})),
        minimum=bounds[Ge].ge if Ge in bounds else None,
        maximum=bounds[Le].le if Le in bounds else None,
        step=shown.get("step"),
        max_length=bounds[MaxLen].max_length if MaxLen in bounds else None,
    )


SETTINGS: Final[tuple[Setting, ...]] = tuple(_describe(n, i) for n, i in Settings.model_fields.items())
BY_NAME: Final[dict[str, Setting]] = {s.name: s for s in SETTINGS}
# action -> what it does, in words
KEY_ACTIONS: Final[dict[str, str]] = {n: i.title or n for n, i in Keys.model_fields.items()}
DEFAULT_KEYS: Final[dict[str, str]] = Keys().model_dump()


def with_value(settings: Settings, name: str, value: object) -> Settings:
    """``settings`` with one value changed; raises SettingValueError (saying why) if it cannot be."""
    if name not in BY_NAME:
        raise SettingValueError(f"there is no setting {name!r}; the settings are {', '.join(BY_NAME)}")
    try:
        return Settings.model_validate({**_values(settings), name: value})
    except ValidationError as e:
        error = e.errors()[0]
        raise SettingValueError(problem(error["loc"], error["input"])) from None


def _values(settings: Settings) -> dict[str, object]:
    return {name: getattr(settings, name) for name in BY_NAME}  # not dict(): a field is called "keys"


def with_keys(settings: Settings, action: str, keys: str) -> Settings:
    """``settings`` with the keys of one action changed; raises SettingValueError if it cannot be."""
    if action not in KEY_ACTIONS:
        known = ", ".join(KEY_ACTIONS)
        raise SettingValueError(f"there is no key action {action!r}; the actions are {known}")
    return with_value(settings, "keys", {**settings.keys.model_dump(), action: keys})


def problem(loc: tuple[int | str, ...], value: object, *, loading: bool = False) -> str:
    """What is wrong at the place ``loc`` of a validation error: ``"text_scale" is nan, not a number
    from 0.75 to 3``; when ``loading``, also what is done about it (ignored, or the default used)."""
    name = str(loc[0])
    if name not in BY_NAME:
        return f"{name!r} is not a setting" + (" (ignored)" if loading else "")
    if name == "keys" and len(loc) > 1:
        action = str(loc[1])
        if action not in KEY_ACTIONS:
            return f"{action!r} is not a key action" + (" (ignored)" if loading else "")
        what = f"the keys of {action!r} are {_shown(value)}, not key names (at most {MAX_TEXT} characters)"
        return what + (f" (its default {DEFAULT_KEYS[action]!r} is used)" if loading else "")
    declared = BY_NAME[name]
    what = f"{name!r} is {_shown(value)}, not {declared.wanted()}"
    default = "the default keys are" if name == "keys" else f"its default {_shown(declared.default)} is"
    return what + (f" ({default} used)" if loading else "")


def _shown(value: object) -> str:
    text = str(value) if isinstance(value, Decimal | float) else json.dumps(value, default=str)
    return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 1] + "…"
