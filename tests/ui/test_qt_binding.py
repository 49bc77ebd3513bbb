"""The Qt binding must keep CPython's reference counts of None and True intact.

PySide6 6.12.0 dropped one reference to None on most void calls and one to True on each
Python-side signal emit; on Python 3.11 the interpreter then aborts (none_dealloc,
bool_dealloc) a few minutes into a session. pyproject excludes 6.12; this catches any other
release that does the same before it reaches a therapist.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot


class _Emitter(QObject):
    changed = Signal(int)


def test_void_calls_and_emits_keep_none_and_true_alive(qtbot: QtBot) -> None:
    label = QLabel("x")
    qtbot.addWidget(label)
    emitter = _Emitter()
    emitter.changed.connect(lambda _v: None)
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    for i in range(2000):
        label.update()
        label.setText(str(i))
        label.property("unset")
        emitter.changed.emit(i)
    assert sys.getrefcount(None) - none_before >= 0, "the Qt binding leaks references to None"
    assert sys.getrefcount(True) - true_before >= 0, "the Qt binding leaks references to True"
