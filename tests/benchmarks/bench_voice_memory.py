"""Benchmark: the process's memory over ten sessions back to back, with the real voice speaking.

    python tests/benchmarks/bench_voice_memory.py [--sessions 10] [--time-scale 6]

The scripted protocol of bench_voice.py runs ``--sessions`` times in one process through the
app's session pieces: SessionModel on the system clock, the journal writing every event to a
real SQLite file, the real voice (pyttsx3/espeak-ng in its child process, the app's playback)
into a private PulseAudio null sink. After each session (and a garbage collection) the resident
set size is read from /proc/self/status. Flat means the last sessions use no more than the first
did: a voice that kept every phrase, sound effect, plan or event it ever handled would climb.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "voice"))  # sink_recording
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import sink_recording as rec
from bench_voice import device, run_loop, scripted_plan
from PySide6.QtWidgets import QApplication

from neck_guide.engine.clock import SystemClock
from neck_guide.settings import Settings
from neck_guide.store.journal import SessionJournal
from neck_guide.ui.preferences import Preferences
from neck_guide.ui.session_model import SessionModel
from neck_guide.voice.cache import PhraseCache
from neck_guide.voice.playback.controller import VoiceController
from neck_guide.voice.playback.player import VoicePlayer
from neck_guide.voice.synth import Synthesiser


def rss_mib() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--time-scale", type=float, default=6.0, help="faster than 1x: more cues a minute")
    args = parser.parse_args()
    rec.ensure_pulse()
    sink = rec.PrivateSink("memory", "norewinds=1")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    try:
        with tempfile.TemporaryDirectory() as folder:
            sizes = sessions(Path(folder), sink.name, args.sessions, args.time_scale)
    finally:
        sink.close()
    del app
    first, last = sizes[0], sizes[-1]
    print(f"load average (1, 5, 15 min): {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print("resident set size after each session (MiB): " + ", ".join(f"{x:.1f}" for x in sizes))
    print(f"after the first session {first:.1f} MiB, after the last {last:.1f} MiB: {last - first:+.1f} MiB")
    return 0


def sessions(folder: Path, sink: str, count: int, time_scale: float) -> list[float]:
    settings = Settings()
    preferences = Preferences(settings)
    voice = VoiceController(
        VoicePlayer(Synthesiser(PhraseCache(folder / "speech")), output=device(sink)), settings
    )
    journal = SessionJournal(folder / "sessions.sqlite3").start()
    model = SessionModel(SystemClock(), preferences, time_scale=time_scale)
    voice.report_to(model.set_voice)
    model.event_emitted.connect(voice.on_event)
    model.event_emitted.connect(journal.append)
    plan = scripted_plan()
    voice.prepare(plan)
    sizes = []
    try:
        for _ in range(count):
            model.begin(plan)
            model.start()
            run_loop(until=lambda: model.state == "finished")
            run_loop(1.0)
            model.close()
            journal.flush(10)
            gc.collect()
            sizes.append(rss_mib())
    finally:
        journal.close()
        voice.close()
    return sizes


if __name__ == "__main__":
    sys.exit(main())
