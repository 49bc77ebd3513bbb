"""The app's Qt objects are freed on the GUI thread, and its text is laid out in the font it ships."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtGui import QFontInfo

from neck_guide.ui.collector import CycleCollector
from neck_guide.ui.theme import apply_theme, load_fonts


@pytest.fixture
def collections() -> Iterator[list[int]]:
    """The thread of every collection the interpreter runs while the test does."""
    seen: list[int] = []

    def note(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            seen.append(threading.get_ident())

    gc.callbacks.append(note)
    yield seen
    gc.callbacks.remove(note)


def _make_cycles(n: int) -> None:
    for _ in range(n):
        a: list[object] = []
        a.append(a)


def test_a_busy_worker_thread_never_runs_the_collector_while_the_window_runs(
    qapp: Any, collections: list[int]
) -> None:
    collector = CycleCollector()
    try:
        worker = threading.Thread(target=_make_cycles, args=(200_000,))
        worker.start()
        worker.join()
        assert worker.ident not in collections  # without the collector the worker collects here
        assert collector.check() >= 0  # the GUI thread collects what piled up
        assert collections and set(collections) == {threading.get_ident()}
    finally:
        collector.stop()
    assert gc.isenabled()


def test_the_ui_font_is_the_one_the_app_ships_whatever_the_system_prefers(themed: Any) -> None:
    assert load_fonts() == ["DejaVu Sans"]
    apply_theme(themed, "light", 1.5)
    assert QFontInfo(themed.font()).family() == "DejaVu Sans"
