from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from neck_guide import paths
from neck_guide.engine.clock import FakeClock, WallAnchor
from neck_guide.settings import DEFAULT_KEYS, Settings, SettingsError


def test_override_puts_everything_under_one_owner_only_folder(tmp_path: Path) -> None:
    p = paths.resolve(tmp_path / "clinic").ensure()
    for d in (p.data, p.config, p.cache, p.logs):
        assert d.is_relative_to(tmp_path / "clinic") and d.is_dir()
        assert stat.S_IMODE(d.stat().st_mode) == 0o700
    assert p.database.parent == p.data


def test_environment_override(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(paths.ENV_HOME, str(tmp_path))
    assert paths.resolve().data == tmp_path / "data"
    assert paths.resolve(tmp_path / "x").data == tmp_path / "x" / "data"


def test_without_override_platformdirs_decides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(paths.ENV_HOME, raising=False)
    assert "neck-guide" in str(paths.resolve().data)


def test_settings_round_trip_and_validation(tmp_path: Path) -> None:
    s = Settings.load(tmp_path / "settings.json")
    assert s.get("theme") == "dark" and s.keys_for("next") == DEFAULT_KEYS["next"]
    s.set("theme", "light")
    s.set("keys", {"next": "B", "nonsense": "X"})
    with pytest.raises(SettingsError, match="one of"):
        s.set("theme", "purple")
    with pytest.raises(SettingsError, match="at most 3"):
        s.set("text_scale", 5.0)
    with pytest.raises(SettingsError, match="wants int"):
        s.set("extend_s", True)
    s.save()
    assert stat.S_IMODE((tmp_path / "settings.json").stat().st_mode) == 0o600
    again = Settings.load(tmp_path / "settings.json")
    assert again.get("theme") == "light"
    assert again.keys_for("next") == "B" and again.keys_for("back") == DEFAULT_KEYS["back"]
    assert "nonsense" not in again.get("keys")


def test_damaged_settings_are_kept_aside_and_defaults_used(tmp_path: Path) -> None:
    f = tmp_path / "settings.json"
    f.write_text("{not json")
    s = Settings.load(f)
    assert s.get("theme") == "dark"
    assert "kept aside" in s.problems[0]
    assert (tmp_path / "settings.json.bad").read_text() == "{not json"


def test_bad_values_in_file_are_reported_not_fatal(tmp_path: Path) -> None:
    f = tmp_path / "settings.json"
    f.write_text(json.dumps({"theme": "purple", "voice_rate": 200}))
    s = Settings.load(f)
    assert s.get("theme") == "dark" and s.get("voice_rate") == 200
    assert any("theme" in p for p in s.problems)


def test_fake_clock_and_wall_anchor() -> None:
    clock = FakeClock(start=50.0)
    anchor = WallAnchor(clock)
    clock.advance(1.25)
    assert (anchor.at(clock.monotonic()) - anchor.at(50.0)).total_seconds() == 1.25
    assert anchor.at(50.0).utcoffset() is not None  # records carry their UTC offset
    assert anchor.iso(51.25)[-6] in "+-"
    with pytest.raises(ValueError):
        clock.advance(-1)
