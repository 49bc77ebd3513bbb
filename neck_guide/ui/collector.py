"""Python's cycle collector, run on the GUI thread only.

The app's Qt objects sit in reference cycles (slots that are lambdas over their owners). Left to
itself, the collector runs on whichever thread allocates next — the records writer, the speech
renderer, the audio threads — and frees a QObject there: its timers stay registered with the GUI
thread's event dispatcher and the next timer event lands on freed memory (a crash), or the
destructor waits on the GUI thread while it waits on the collector (a hang). So automatic
collection is switched off while the window runs, and this object collects on the GUI thread,
generation by generation, as often as the interpreter's own thresholds would have.
"""

from __future__ import annotations

import gc
from typing import Final

from PySide6.QtCore import QObject, QTimer

CHECK_MS: Final = 500


class CycleCollector(QObject):
    """Collects reference cycles on the thread that owns it (the GUI thread); ``stop`` hands
    collection back to the interpreter."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._was_enabled = gc.isenabled()
        self._thresholds = gc.get_threshold()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.setInterval(CHECK_MS)
        self._timer.timeout.connect(self.check)
        self._timer.start()

    def check(self) -> int:
        """Collect the oldest generation whose count passed its threshold; returns it, or -1."""
        counts = gc.get_count()
        generation = -1
        for n, (count, threshold) in enumerate(zip(counts, self._thresholds, strict=True)):
            if threshold and count > threshold:
                generation = n
        if generation >= 0:
            gc.collect(generation)
        return generation

    def stop(self) -> None:
        """Collect once more here, then let the interpreter collect by itself again."""
        self._timer.stop()
        gc.collect()
        if self._was_enabled:
            gc.enable()
