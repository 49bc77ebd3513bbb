"""The settings model and its file: declared once, each value falling back to its default alone."""

from __future__ import annotations

import json
import math
import os
import stat
import threading
from pathlib import Path

import pytest

from neck_guide.settings import (
    DEFAULT_KEYS,
    KEY_ACTIONS,
    MAX_DEPTH,
    SETTINGS,
    Keys,
    Settings,
    SettingsError,
    load_settings,
    nesting_depth,
    save_settings,
    with_keys,
    with_value,
)


def test_every_setting_is_declared_with_its_title_range_and_choices() -> None:
    assert [s.name for s in SETTINGS] == list(Settings.model_fields)
    for s in SETTINGS:
        assert s.title and s.section, s.name
        assert s.default == getattr(Settings(), s.name)
        if s.kind in (int, float):
            assert s.minimum is not None and s.maximum is not None and s.step, s.name
            assert s.minimum <= s.default <= s.maximum  # type: ignore[operator]
        if s.kind is str and not s.choices:
            assert s.max_length, s.name
        for choice in s.choices:
            assert s.label(choice)[0].isupper(), (s.name, choice)
    text_scale = next(s for s in SETTINGS if s.name == "text_scale")
    assert (text_scale.minimum, text_scale.maximum, text_scale.unit) == (0.75, 3.0, "×")
    assert next(s for s in SETTINGS if s.name == "theme").label("high_contrast") == "High contrast"


def test_a_key_action_is_one_line_of_the_keys_model() -> None:
    assert list(KEY_ACTIONS) == list(Keys.model_fields) == list(DEFAULT_KEYS)
    assert DEFAULT_KEYS["next"] == "Right, PgDown" and KEY_ACTIONS["next"] == "Next step"


def test_values_are_checked_one_at_a_time_with_what_is_wrong() -> None:
    s = with_value(Settings(), "theme", "light")
    assert s.theme == "light" and Settings().theme == "dark"  # a new value; the old one unchanged
    assert with_value(s, "text_scale", 2).text_scale == 2.0  # a whole number is a number
    assert with_keys(s, "next", "N").keys.next == "N"
    cases = [
        ("theme", "purple", "one of dark, light, system, high_contrast"),
        ("text_scale", 5.0, "not a number from 0.75 to 3"),
        ("text_scale", math.nan, "'text_scale' is nan"),
        ("text_scale", math.inf, "'text_scale' is inf"),
        ("extend_s", True, "not a whole number from 5 to 120"),
        ("extend_s", 12.5, "not a whole number"),
        ("auto_advance", 1, "not true or false"),
        ("clinic_name", "x" * 201, "text of at most 200 characters"),
        ("colour", "red", "there is no setting 'colour'"),
    ]
    for name, value, said in cases:
        with pytest.raises(SettingsError, match=said):
            with_value(s, name, value)
    with pytest.raises(SettingsError, match="no key action 'dance'"):
        with_keys(s, "dance", "D")


def test_saved_settings_read_back_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "config" / "settings.json"
    chosen = with_keys(with_value(Settings(), "text_scale", 1.5), "next", "B")
    save_settings(chosen, path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    loaded = load_settings(path)
    assert loaded.settings == chosen and loaded.problem == "" and loaded.kept_as is None
    assert json.loads(path.read_text(encoding="utf-8"))["keys"]["back"] == DEFAULT_KEYS["back"]


def test_a_missing_file_gives_the_defaults_quietly(tmp_path: Path) -> None:
    loaded = load_settings(tmp_path / "settings.json")
    assert loaded.settings == Settings() and loaded.problem == "" and loaded.writable


def _write(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "settings.json"
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


def test_a_bad_value_falls_back_alone_and_the_file_is_kept_aside(tmp_path: Path) -> None:
    original = '{"theme": "light", "text_scale": NaN, "voice_rate": 200, "keys": {"next": "N", "back": 5}}'
    path = _write(tmp_path, original)
    loaded = load_settings(path)
    s = loaded.settings
    assert (s.theme, s.text_scale, s.voice_rate) == ("light", 1.0, 200)  # only the NaN is replaced
    assert (s.keys.next, s.keys.back) == ("N", DEFAULT_KEYS["back"])  # one key action alone
    assert "'text_scale' is nan, not a number from 0.75 to 3 (its default 1.0 is used)" in loaded.problem
    assert "the keys of 'back' are 5" in loaded.problem
    assert str(path) in loaded.problem and "settings.json.bad" in loaded.problem
    assert loaded.kept_as == tmp_path / "settings.json.bad"
    assert loaded.kept_as.read_text(encoding="utf-8") == original  # nothing lost
    assert stat.S_IMODE(loaded.kept_as.stat().st_mode) == 0o600
    assert path.read_text(encoding="utf-8") == original  # until the cleaned file replaces it


@pytest.mark.parametrize(
    ("raw", "said"),
    [
        ({"text_scale": 1e400}, "'text_scale' is inf"),
        ({"text_scale": "1.5"}, "'text_scale' is \"1.5\", not a number"),
        ({"extend_s": int("9" * 40)}, "'extend_s' is 999"),
        ({"voice_muted": "yes"}, "not true or false"),
        ({"keys": ["N"]}, "'keys' is [\"N\"], not an object of actions and their keys"),
        ({"colour": "red"}, "'colour' is not a setting (ignored)"),
        ({"keys": {"dance": "D"}}, "'dance' is not a key action (ignored)"),
    ],
)
def test_each_kind_of_bad_value_is_named(tmp_path: Path, raw: dict[str, object], said: str) -> None:
    text = json.dumps({**raw, "theme": "light"}).replace("Infinity", "1e400")
    loaded = load_settings(_write(tmp_path, text))
    assert said in loaded.problem
    assert loaded.settings.theme == "light"


def test_a_byte_order_mark_keeps_the_settings(tmp_path: Path) -> None:
    loaded = load_settings(_write(tmp_path, '\ufeff{"theme": "light"}'))  # as Notepad saves it
    assert loaded.settings.theme == "light" and loaded.problem == ""


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (b"[" * 100_000, "larger than 64 KiB"),
        (b'{"keys": ' + b"[" * 30_000 + b"]" * 30_000 + b"}", "nested more than 64 deep"),
        (b'{"theme": "light"', "is not JSON (Expecting ',' delimiter at line 1, column 18)"),
        (b'{"theme": "\xff"}', "is not UTF-8 text (byte 11)"),
        (b'"dark"', "does not hold an object"),
        (b"", "is not JSON"),
    ],
)
def test_a_file_that_cannot_be_read_gives_defaults_and_is_kept(
    tmp_path: Path, content: bytes, said: str
) -> None:
    path = _write(tmp_path, content)
    loaded = load_settings(path)
    assert loaded.settings == Settings()
    assert said in loaded.problem and "every setting is at its default" in loaded.problem
    assert loaded.kept_as is not None and loaded.kept_as.read_bytes() == content


def test_depth_is_counted_outside_strings_in_one_pass() -> None:
    assert nesting_depth('{"keys": {"next": "[[[[{{{{"}}') == 2
    assert nesting_depth('{"a": "\\"[[["}') == 1
    assert nesting_depth("[" * (MAX_DEPTH + 1)) == MAX_DEPTH + 1
    assert nesting_depth("[" * 100_000, stop_above=MAX_DEPTH) == MAX_DEPTH + 1


def test_each_time_a_new_copy_is_kept(tmp_path: Path) -> None:
    for n in range(3):
        load_settings(_write(tmp_path, f'{{"theme": {n}}}'))
    kept = sorted(p.name for p in tmp_path.iterdir())
    assert kept == ["settings.json", "settings.json.bad", "settings.json.bad.2", "settings.json.bad.3"]
    assert (tmp_path / "settings.json.bad.2").read_text(encoding="utf-8") == '{"theme": 1}'


def test_a_command_that_only_reads_changes_no_file(tmp_path: Path) -> None:
    path = _write(tmp_path, '{"text_scale": NaN, "clinic_name": "Harbour"}')
    loaded = load_settings(path, set_aside=False)
    assert loaded.settings.clinic_name == "Harbour" and "text_scale" in loaded.problem
    assert [p.name for p in tmp_path.iterdir()] == ["settings.json"]


def _loaded_in_a_thread(path: Path) -> object:
    """Load in a thread, so a hang shows as a failure (a FIFO blocks an ordinary open forever)."""
    result: list[object] = []
    worker = threading.Thread(target=lambda: result.append(load_settings(path)), daemon=True)
    worker.start()
    worker.join(timeout=60)  # a hang guard, not a timing goal: the load takes milliseconds
    assert result, f"loading {path} hung"
    return result[0]


def test_a_pipe_or_a_folder_is_named_never_read_or_moved(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    os.mkfifo(path)
    loaded = _loaded_in_a_thread(path)
    assert "not a regular file" in loaded.problem and not loaded.writable  # type: ignore[attr-defined]
    assert "changes are not saved" in loaded.problem  # type: ignore[attr-defined]
    assert stat.S_ISFIFO(path.stat().st_mode)  # left where it is
    path.unlink()
    path.mkdir()
    assert "not a regular file" in load_settings(path).problem


def test_a_link_to_a_device_is_not_read(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.symlink_to("/dev/zero")
    loaded = _loaded_in_a_thread(path)
    assert "not a regular file" in loaded.problem  # type: ignore[attr-defined]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_an_unreadable_file_is_kept_aside(tmp_path: Path) -> None:
    path = _write(tmp_path, '{"theme": "light"}')
    path.chmod(0)
    loaded = load_settings(path)
    assert "Permission denied" in loaded.problem and loaded.kept_as is not None
