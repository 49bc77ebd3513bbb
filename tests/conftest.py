"""Shared test set-up: Qt offscreen, and no test ever touches the user's real data folders."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def _private_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """Point NECK_GUIDE_HOME at a fresh temp folder unless a test sets its own."""
    home = tmp_path_factory.mktemp("neck-guide-home")
    monkeypatch.setenv("NECK_GUIDE_HOME", str(home))
    yield home
