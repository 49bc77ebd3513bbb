"""A player kept busy like a fast breathing step, for test_flood.py: run offscreen, it prints
``done`` after SECONDS and exits; Qt's warnings go to stderr.

    python tests/voice/busy_player.py CACHE_DIR SECONDS

Many phrases are rendered and loaded ahead while a timed word and the chime sound every 150 ms,
and speech is pre-empted: sounds start, stop and end all the time. It uses the Qt output
(QSoundEffect), the one that floods when a sound plays to its end.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication

from neck_guide.voice.cache import PhraseCache
from neck_guide.voice.fake_synth import FakeSynthesiser
from neck_guide.voice.planner import Line
from neck_guide.voice.playback.player import VoicePlayer


def main(argv: list[str]) -> int:
    app = QGuiApplication(sys.argv[:1])
    player = VoicePlayer(FakeSynthesiser(PhraseCache(Path(argv[0]))), backend="qt")
    words = [f"Phrase number {n}" for n in range(150)]
    player.prepare(["Breathe in", "Breathe out", "Hold", *words])
    ticks = iter(range(1_000_000))

    def tick() -> None:
        n = next(ticks)
        now = time.monotonic()
        word = "Breathe in" if n % 2 else "Breathe out"
        lines = [
            Line(now + 0.05, 0.5, word, "inhale", now + 0.05),
            Line(now + 0.1, 0.6, "chime", "chime", now + 0.1),
        ]
        if n % 5 == 0:
            player.say_now(words[n % len(words)])
        player.play(lines)

    timer = QTimer()
    timer.timeout.connect(tick)
    timer.start(150)
    QTimer.singleShot(int(float(argv[1]) * 1000), app.quit)
    app.exec()
    player.close()
    print("done", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
