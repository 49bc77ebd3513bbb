from __future__ import annotations

import stat
from pathlib import Path

import pytest

from neck_guide import paths
from neck_guide.engine.clock import FakeClock, WallAnchor


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


def test_fake_clock_and_wall_anchor() -> None:
    clock = FakeClock(start=50.0)
    anchor = WallAnchor(clock)
    clock.advance(1.25)
    assert (anchor.at(clock.monotonic()) - anchor.at(50.0)).total_seconds() == 1.25
    assert anchor.at(50.0).utcoffset() is not None  # records carry their UTC offset
    assert anchor.iso(51.25)[-6] in "+-"
    with pytest.raises(ValueError):
        clock.advance(-1)
