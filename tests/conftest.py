"""Shared test set-up: Qt offscreen, no test ever touches the user's real data folders, and the one
fixture that opens app windows (``open_window``) and closes them."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:  # Qt and the UI test helpers (tests/ui) load only for the tests that use them
    from window_helpers import FakeDecisions, WindowOpener

    from neck_guide.engine.clock import FakeClock
    from neck_guide.ui.app import App

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


@pytest.fixture
def open_window(qtbot: Any) -> Iterator[WindowOpener]:
    """Opens the whole app (a real store under ``data_dir``, a fake clock, a silent voice; see
    tests/ui/window_helpers.py) as often as a test likes; every app opened is closed at the end
    (records written, threads stopped), however the test ended.

    Then Python's cycle collector runs here, on the GUI thread. An app's Qt objects sit in
    reference cycles (slots that are lambdas over the app); left alone, the collector frees them
    on whichever thread allocates next, the records writer or a voice thread. A QObject destroyed
    off its thread leaves its timers registered, and the next timer event lands on freed memory:
    the suite crashed so now and then (tests/ui/test_pages.py, two runs in three).
    """
    from window_helpers import FakeDecisions, open_app

    from neck_guide.engine.clock import FakeClock

    opened: list[App] = []

    def open_(
        data_dir: Path,
        clock: FakeClock | None = None,
        decisions: FakeDecisions | None = None,
        *,
        size: tuple[int, int] = (1280, 800),
        protocol_id: str | None = None,
        client: str | None = None,
        practice: bool = False,
        time_scale: float = 1.0,
    ) -> App:
        app = open_app(
            qtbot,
            data_dir,
            clock or FakeClock(),
            decisions or FakeDecisions(),
            size=size,
            protocol_id=protocol_id,
            client=client,
            practice=practice,
            time_scale=time_scale,
        )
        opened.append(app)
        return app

    yield open_
    for app in opened:
        app.close()
    opened.clear()
    gc.collect()
