"""Work an installed Neck Guide's window with keys, as a therapist at the table would (offscreen).

Run by the interpreter of the environment under test, never the checkout's:

    python -I drive_session.py DATA_DIR

It runs ``neck-guide --data-dir DATA_DIR --time-scale 50 run self-care`` in this process, answers
the screening from the keyboard (Alt+A all no, where there are questions; Alt+S start), starts
the first step (Space) and moves on (→) until the summary says the session finished, then
closes the window. It looks only at what is on screen (button and label text), never at the
app's objects. Exit status: the app's, or 1 if the summary did not come within the time limit.
"""

from __future__ import annotations

import sys
import time

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QWidget

TICK_MS = 150
LIMIT_S = 90.0
PROTOCOL = "self-care"


def shown(window: QWidget, kind: type[QAbstractButton] | type[QLabel], text: str) -> bool:
    """Is a widget with this text visible (and, for a button, enabled) in the window?"""
    for widget in window.findChildren(kind):
        if widget.text().split("\n")[0] == text and widget.isVisible():
            return not isinstance(widget, QAbstractButton) or widget.isEnabled()
    return False


class Therapist:
    """One key at a time, each when the screen shows it is wanted."""

    def __init__(self) -> None:
        self.stage = "screening"
        self.started = time.monotonic()
        self.finished = False

    def tick(self) -> None:
        window = QApplication.activeWindow()
        if window is None:
            return
        if time.monotonic() - self.started > LIMIT_S:
            print(f"drive_session: no summary after {LIMIT_S:g} s (at {self.stage})", file=sys.stderr)
            window.close()
        elif self.stage == "screening" and shown(window, QAbstractButton, "&All no"):
            QTest.keyClick(window, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
            self.stage = "answered"
        elif self.stage in ("screening", "answered") and shown(window, QAbstractButton, "&Start session"):
            QTest.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
            self.stage = "ready"
        elif self.stage == "ready" and shown(window, QAbstractButton, "Start"):
            QTest.keyClick(window, Qt.Key.Key_Space)
            self.stage = "running"
        elif self.stage == "running" and shown(window, QLabel, "Session finished"):
            self.finished = True
            window.close()
        elif self.stage == "running":
            QTest.keyClick(window, Qt.Key.Key_Right)


def main() -> int:
    data_dir = sys.argv[1]
    qapp = QApplication([sys.argv[0]])  # the app uses this one (QApplication.instance())
    therapist = Therapist()
    timer = QTimer(qapp)
    timer.timeout.connect(therapist.tick)
    timer.start(TICK_MS)

    from neck_guide.cli import main as neck_guide

    status = neck_guide(["--data-dir", data_dir, "--time-scale", "50", "run", PROTOCOL])
    return status if therapist.finished else 1


if __name__ == "__main__":
    sys.exit(main())
