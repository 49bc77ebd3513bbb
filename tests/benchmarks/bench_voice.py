"""Benchmark: how late spoken cues sound, and how long the window's event loop ever stalls.

    python tests/benchmarks/bench_voice.py [--steps 10] [--no-compare]

A real session (SessionModel + SessionRunner on the system clock) of fixed 6 s presses says
"Three", "Two", "One", "Release." in each step through the real voice (pyttsx3/espeak-ng in the
child process, QSoundEffect playback) into the PulseAudio null sink, whose monitor is recorded
by parec. The sink is a private one, loaded for the run, so nothing else playing on the server
(another program, a test run) is recorded. Each timed cue's onset is found in the recording
and compared with its due instant.

Onset: the first millisecond above -56 dBFS that starts a sound (at least 10 of the next 15 ms
loud too: QSoundEffect sometimes emits a faint 5 ms click ~45 ms before a sound starts, which is
not the cue). The null sink is digitally silent between sounds, so this is where the word begins.

Clock alignment: parec streams raw audio; every chunk is timestamped on arrival, and sample n is
placed at  min(arrival - m / rate) + n / rate  over the chunks within 3 s of it (the lower
envelope of arrival delays, taken locally so slow clock drift does not add up). Figures are RAW
(nothing subtracted): they include Qt's and PulseAudio's playback pipeline, and the estimate errs
late by the smallest capture delay, so real latency is at most what is printed. Cues are started
``OUTPUT_LEAD_S`` early by the player to make up for the pipeline; a second run without
look-ahead shows cues started only when they come due.

The UI stall is the longest gap between ticks of a 1 ms precise QTimer during the session.
"""

from __future__ import annotations

import argparse
import array
import itertools
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtMultimedia import QAudioDevice, QMediaDevices
from PySide6.QtWidgets import QApplication

from neck_guide.engine.clock import SystemClock
from neck_guide.engine.events import EXACT_CUES, CueDue, Event
from neck_guide.protocol.model import Protocol
from neck_guide.protocol.plan import Plan, expand
from neck_guide.settings import Settings
from neck_guide.ui.preferences import Preferences
from neck_guide.ui.session_model import SessionModel
from neck_guide.voice.cache import PhraseCache
from neck_guide.voice.phrases import speech_plan
from neck_guide.voice.playback.controller import VoiceController
from neck_guide.voice.playback.player import OUTPUT_LEAD_S, VoicePlayer
from neck_guide.voice.synth import Synthesiser

RATE = 44100
LOUD = 50  # about -56 dBFS
QUIET_GAP_S = 0.25
SUSTAIN = (10, 15)  # a sound: at least 10 of the 15 ms after its first loud millisecond are loud
ENVELOPE_S = 3.0


def ensure_pulse() -> None:
    if subprocess.run(["pactl", "info"], capture_output=True, check=False).returncode == 0:
        return
    subprocess.run(
        [
            "pulseaudio",
            "--daemonize=yes",
            "--exit-idle-time=-1",
            "-n",
            "--load=module-null-sink sink_name=nullsink",
            "--load=module-native-protocol-unix",
        ],
        check=True,
    )
    time.sleep(1.0)
    subprocess.run(["pactl", "set-default-sink", "nullsink"], check=True)


def private_sink() -> tuple[str, str]:
    """A null sink of our own (name, module id): nothing else playing on the server is recorded."""
    name = f"neckguide_bench_{os.getpid()}"
    module = subprocess.run(
        ["pactl", "load-module", "module-null-sink", f"sink_name={name}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    return name, module


def device(name: str) -> QAudioDevice:
    found: list[QAudioDevice] = []

    def look() -> bool:
        found[:] = [d for d in QMediaDevices.audioOutputs() if d.id().data() == name.encode()]
        return bool(found)

    run_loop(5.0, until=look)
    if not found:
        raise SystemExit(f"Qt does not see the sink {name}")
    return found[0]


class Recorder:
    """parec's raw stream of the null sink's monitor, with every sample placed on the monotonic clock."""

    def __init__(self, sink: str) -> None:
        self.proc = subprocess.Popen(
            [
                "parec",
                "-d",
                f"{sink}.monitor",
                "--raw",
                "--format=s16le",
                "--channels=1",
                f"--rate={RATE}",
                "--latency-msec=50",
            ],
            stdout=subprocess.PIPE,
        )
        self.data = bytearray()
        self.marks: list[tuple[float, int]] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        while chunk := os.read(self.proc.stdout.fileno(), 4096):
            self.data.extend(chunk)
            self.marks.append((time.monotonic(), len(self.data) // 2))

    def stop(self) -> list[float]:
        """The monotonic instants at which separate sounds began."""
        self.proc.terminate()
        self.proc.wait()
        samples = array.array("h", bytes(self.data[: len(self.data) // 2 * 2]))
        step = RATE // 1000
        loud = [max(map(abs, samples[i : i + step])) > LOUD for i in range(0, len(samples), step)]
        need, within = SUSTAIN
        found, last = [], -(10**9)
        for ms, is_loud in enumerate(loud):
            if not is_loud or sum(loud[ms : ms + within]) < need:
                continue
            if (ms - last) / 1000 > QUIET_GAP_S:
                found.append(self._when(ms * step))
            last = ms
        return found

    def _when(self, n: int) -> float:
        """Monotonic instant of sample ``n``: the lower envelope of arrival delays within
        ``ENVELOPE_S`` of it (local, so a slow drift between the two clocks does not add up)."""
        near = [t - m / RATE for t, m in self.marks if abs(m - n) <= ENVELOPE_S * RATE]
        return min(near) + n / RATE


def drill(steps: int) -> Plan:
    step = {
        "id": "press",
        "title": "Press",
        "technique": "Thumb press",
        "duration_s": 6,
        "repetitions": steps,
    }
    return expand(
        Protocol.model_validate(
            {
                "schema_version": 1,
                "id": "bench",
                "title": "Bench",
                "version": "1.0",
                "summary": "Benchmark drill.",
                "phases": [{"id": "p", "title": "P", "steps": [step]}],
            }
        )
    )


def run_loop(seconds: float | None = None, until: Callable[[], bool] | None = None) -> None:
    """Run the Qt event loop for ``seconds`` or until ``until()`` holds (checked every 10 ms)."""
    loop = QEventLoop()
    if seconds is not None:
        QTimer.singleShot(int(seconds * 1000), loop.quit)
    check = QTimer()
    if until is not None:
        check.timeout.connect(lambda: loop.quit() if until() else None)
        check.start(10)
    loop.exec()
    check.stop()


def session(
    plan: Plan, look_ahead: bool, cache_dir: Path, sink: str
) -> tuple[list[tuple[str, float]], float, list[str]]:
    settings = Settings()
    player = VoicePlayer(Synthesiser(PhraseCache(cache_dir)), output=device(sink))
    voice = VoiceController(player, settings)
    phrases = speech_plan([plan])
    player.prepare(phrases)
    run_loop(until=lambda: all(p in player._ready for p in phrases))
    model = SessionModel(SystemClock(), Preferences())
    if look_ahead:
        voice.follow(lambda: model.runner, model.set_voice)
    dues: list[tuple[str, float]] = []

    def collect(event: Event) -> None:
        if isinstance(event, CueDue) and event.cue.kind in EXACT_CUES:
            dues.append((event.cue.text, event.due))

    model.event_emitted.connect(collect)
    model.event_emitted.connect(voice.on_event)
    dropped: list[str] = []
    player.dropped.connect(lambda text, why: dropped.append(f"{text} ({why})"))
    ticks: list[float] = []
    ticker = QTimer()
    ticker.setTimerType(Qt.TimerType.PreciseTimer)
    ticker.timeout.connect(lambda: ticks.append(time.monotonic()))
    recorder = Recorder(sink)
    run_loop(0.5)
    ticker.start(1)
    model.begin(plan)
    model.start()
    run_loop(until=lambda: model.state == "finished")
    run_loop(1.0)
    ticker.stop()
    heard = recorder.stop()
    voice.close()
    latencies: list[tuple[str, float]] = []
    for text, due in dues:
        onset = next((t for t in heard if due - 0.1 <= t <= due + 0.3), None)
        if onset is None:
            dropped.append(f"{text} (not heard)")
        else:
            latencies.append((text, onset - due))
    stall = max(b - a for a, b in itertools.pairwise(ticks))
    return latencies, stall, dropped


def report(title: str, latencies: list[tuple[str, float]], stall: float, dropped: list[str]) -> None:
    ms = sorted(x * 1000 for _, x in latencies)
    p95 = ms[min(len(ms) - 1, math.ceil(0.95 * len(ms)) - 1)]
    print(f"\n{title}")
    print(f"  timed cues heard: {len(ms)}   not heard/dropped: {len(dropped)} {dropped if dropped else ''}")
    print(
        f"  onset after due (raw, ms): median {statistics.median(ms):.1f}   p95 {p95:.1f}   "
        f"min {ms[0]:.1f}   max {ms[-1]:.1f}"
    )
    words = dict.fromkeys(text for text, _ in latencies)
    each = [f"{w} {statistics.median(x * 1000 for t, x in latencies if t == w):.0f}" for w in words]
    print(f"  median by word (ms): {', '.join(each)}")
    print(f"  longest UI event-loop stall: {stall * 1000:.1f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=10, help="6 s presses (3 countdown words each)")
    parser.add_argument("--no-compare", action="store_true", help="skip the run without look-ahead")
    args = parser.parse_args()
    if shutil.which("parec") is None or shutil.which("pulseaudio") is None:
        print("needs pulseaudio and parec (pulseaudio-utils)", file=sys.stderr)
        return 2
    ensure_pulse()
    sink, module = private_sink()
    app = QApplication.instance() or QApplication(sys.argv)
    try:
        with tempfile.TemporaryDirectory() as cache_dir:
            print(f"session: {args.steps} presses of 6 s; output lead {OUTPUT_LEAD_S * 1000:.0f} ms")
            ahead = session(drill(args.steps), True, Path(cache_dir), sink)
            report("cues handed over one cue ahead (as the app runs)", *ahead)
            if not args.no_compare:
                when_due = session(drill(5), False, Path(cache_dir), sink)
                report("cues handed over only when due (no look-ahead)", *when_due)
    finally:
        subprocess.run(["pactl", "unload-module", module], check=False)
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
