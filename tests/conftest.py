"""Shared test set-up: Qt offscreen, and no test ever touches the user's real data folders."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

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


@pytest.fixture
def themed(qapp: Any) -> Iterator[Any]:
    """The dark theme for a UI test; the application as it was afterwards (Qt loads only here)."""
    from PySide6.QtGui import QFont, QPalette

    from neck_guide.ui.theme import apply_theme

    font, palette, style = QFont(qapp.font()), QPalette(qapp.palette()), qapp.style().name()
    apply_theme(qapp, "dark")
    yield qapp
    apply_theme(qapp, "dark")
    qapp.setStyleSheet("")
    qapp.setPalette(palette)
    qapp.setFont(font)
    qapp.setStyle(style)
