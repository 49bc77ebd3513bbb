"""Benchmark: every spoken cue of a scripted session, found in the recorded output, under CPU load.

    python tests/benchmarks/bench_voice.py [--busy 2] [--no-chime]

A scripted protocol (two sides of a fixed hold with a safety note and "switch sides", a range
hold released early, a press, a breathing step straight after it, a gliding step with a
protocol cue) runs at 1x through the app's own pieces: SessionModel on the system clock, the
real voice (pyttsx3/espeak-ng in its child process, the app's playback). A pause and resume and
an early release are scripted. ``--busy`` processes spin on the CPU the whole time.

The output goes to a private PulseAudio null sink loaded with ``norewinds=1``: a sink that may
rewind renders ahead and then rewrites what it rendered when a new sound starts, and its monitor
(what parec records) keeps the first version, so the start of a sound would look cut off in the
recording although a real device plays it; without rewinds every sample played is recorded, and
onsets include the sink's own latency (they err late).

For every cue the engine made due, the recording is searched for its phrase (by waveform, see
sink_recording.py): present, missing, or duplicated; its onset against the instant it was due
(timed words) or where it was placed (announcements, previews); and whether the phrase came out
whole, compared block by block with the cached WAV it was played from (a gap, a repeat, a chopped
word). The chime is searched at the end of every hold. Prints figures per cue kind and the
machine's load (os.getloadavg) before and after.
"""

from __future__ import annotations

import argparse
import itertools
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "voice"))  # sink_recording
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import sink_recording as rec
from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtMultimedia import QAudioDevice, QMediaDevices
from PySide6.QtWidgets import QApplication

from neck_guide.engine.clock import SystemClock
from neck_guide.engine.events import (
    CueDue,
    CuesScheduled,
    Event,
    MinimumReached,
    Paused,
    StepEnded,
    StepStarted,
)
from neck_guide.paths import RESOURCES_DIR
from neck_guide.protocol.model import Protocol
from neck_guide.protocol.plan import Plan, expand
from neck_guide.settings import Settings
from neck_guide.ui.preferences import Preferences
from neck_guide.ui.session_model import SessionModel
from neck_guide.voice.cache import Phrase, PhraseCache
from neck_guide.voice.phrases import speech_plan
from neck_guide.voice.planner import forms
from neck_guide.voice.playback.controller import VoiceController
from neck_guide.voice.playback.player import VoicePlayer
from neck_guide.voice.synth import Synthesiser

TIMED = {"countdown", "release", "maximum", "minimum", "warning", "inhale", "hold", "exhale"}
TIMED_WINDOW_S = (-0.3, 0.6)  # where a timed word is looked for, around its due instant
PLACED_WINDOW_S = (-0.3, 7.0)  # an announcement, safety note or protocol cue may come later
PREVIEW_WINDOW_S = (-11.0, 1.0)  # a preview may be placed earlier (never into the next step)
PREVIEWS = {"next", "switch_sides"}
LATE_NOTED_S = 0.015  # timed words later than this are listed
CHIME_KINDS = {"release", "maximum"}

STEPS = [
    {
        "id": "trapezius",
        "title": "Upper trapezius",
        "technique": "Slow compression",
        "duration_s": 20,
        "sides": ["left", "right"],
        "safety": "Keep off the front of the neck.",
    },
    {
        "id": "levator",
        "title": "Levator scapulae",
        "technique": "Pin and stretch",
        "hold": {"min_s": 8, "max_s": 14},
    },
    {"id": "scalenes", "title": "Scalenes", "technique": "Thumb press", "duration_s": 16},
    {
        "id": "breathing",
        "title": "Slow breathing",
        "technique": "Belly breaths",
        "breathing": {"inhale_s": 4, "exhale_s": 5, "cycles": 3},
    },
    {
        "id": "gliding",
        "title": "Gliding",
        "technique": "Long strokes",
        "duration_s": 18,
        "cues": [{"at_s": 6, "text": "Lighter now."}],
    },
]
PAUSE_AT_S, RESUME_AT_S = 7.0, 9.5  # into the right side of the trapezius
RELEASE_AFTER_MIN_S = 2.0  # the range hold is released this long after its minimum


def scripted_plan() -> Plan:
    return expand(
        Protocol.model_validate(
            {
                "schema_version": 1,
                "id": "bench-voice",
                "title": "Voice benchmark",
                "version": "1.0",
                "summary": "Every kind of cue, for the voice benchmark.",
                "phases": [{"id": "work", "title": "Work", "steps": STEPS}],
            }
        )
    )


def run_loop(seconds: float | None = None, until: Callable[[], bool] | None = None) -> None:
    loop = QEventLoop()
    if seconds is not None:
        QTimer.singleShot(int(seconds * 1000), loop.quit)
    check = QTimer()
    if until is not None:
        check.timeout.connect(lambda: loop.quit() if until() else None)
        check.start(10)
    loop.exec()
    check.stop()


def device(name: str) -> QAudioDevice:
    found: list[QAudioDevice] = []

    def look() -> bool:
        found[:] = [d for d in QMediaDevices.audioOutputs() if d.id().data() == name.encode()]
        return bool(found)

    run_loop(5.0, until=look)
    if not found:
        raise SystemExit(f"Qt does not see the sink {name}")
    return found[0]


@dataclass
class Run:
    """What happened in one session: the cues made due, what the voice started, the recording."""

    dues: list[CueDue] = field(default_factory=list)
    planned: set[tuple[str, float]] = field(default_factory=set)  # (kind, due) of every line handed over
    releases: list[float] = field(default_factory=list)  # instants of early releases
    actions: list[float] = field(default_factory=list)  # pauses and releases: speech is cut there
    ticks: list[float] = field(default_factory=list)
    spoken: list[tuple[str, float]] = field(default_factory=list)
    sounds: dict[str, rec.Samples] = field(default_factory=dict)
    load_before: tuple[float, float, float] = (0.0, 0.0, 0.0)
    load_after: tuple[float, float, float] = (0.0, 0.0, 0.0)


def script(model: SessionModel) -> Callable[[Event], None]:
    """The scripted user: a pause and resume on the second side, an early release of the hold."""

    def act(event: Event) -> None:
        if isinstance(event, StepStarted) and event.visit.key.endswith("right") and event.visit.visit == 1:
            QTimer.singleShot(int(PAUSE_AT_S * 1000), model.pause)
            QTimer.singleShot(int(RESUME_AT_S * 1000), model.resume_step)
        elif isinstance(event, MinimumReached):
            QTimer.singleShot(int(RELEASE_AFTER_MIN_S * 1000), model.release)

    return act


def session(plan: Plan, cache: PhraseCache, sink: str, busy: int, chime: bool) -> tuple[Run, rec.Recorder]:
    run = Run()
    settings = Settings(chime=chime)
    synth = Synthesiser(cache)
    player = VoicePlayer(synth, output=device(sink))
    voice = VoiceController(player, settings, SystemClock())
    phrases = speech_plan([plan])
    rendered = {text: synth.rendered(Phrase(text)) for text in phrases}  # the files the player plays
    run.sounds = {text: rec.trimmed(rec.load_wav(r.path)) for text, r in rendered.items()}
    run.sounds["chime"] = rec.trimmed(rec.load_wav(RESOURCES_DIR / "sounds" / "chime.wav"))
    run.sounds["released"] = rec.trimmed(rec.load_wav(RESOURCES_DIR / "sounds" / "released.wav"))
    player.prepare(phrases)
    run_loop(until=lambda: all(player.seconds(p) is not None for p in phrases))
    model = SessionModel(SystemClock(), Preferences(settings))
    voice.report_to(model.set_voice)
    model.event_emitted.connect(lambda e: watch(run, e, voice))
    model.event_emitted.connect(voice.on_event)
    model.event_emitted.connect(lambda e: planned(run, e, voice))
    model.event_emitted.connect(script(model))
    player.spoken.connect(lambda text, at: run.spoken.append((text, at)))
    ticker = QTimer()
    ticker.setTimerType(Qt.TimerType.PreciseTimer)
    ticker.timeout.connect(lambda: run.ticks.append(time.monotonic()))
    hogs = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(busy)]
    recorder = rec.Recorder(sink)
    try:
        run_loop(until=recorder.started)
        run_loop(1.0)
        run.load_before = os.getloadavg()
        ticker.start(1)
        model.begin(plan)
        model.start()
        run_loop(until=lambda: model.state == "finished")
        run_loop(1.5)
        ticker.stop()
        run.load_after = os.getloadavg()
    finally:
        for hog in hogs:
            hog.kill()
        recorder.stop()
        voice.close()
    return run, recorder


def watch(run: Run, event: Event, voice: VoiceController) -> None:
    if isinstance(event, CueDue):
        run.dues.append(event)
    elif isinstance(event, StepEnded) and event.visit.end_reason == "released":
        run.releases.append(time.monotonic())
        run.actions.append(time.monotonic())
    elif isinstance(event, Paused):
        run.actions.append(time.monotonic())


def planned(run: Run, event: Event, voice: VoiceController) -> None:
    """After the voice has planned a schedule: note every line it handed over."""
    if isinstance(event, CuesScheduled):
        run.planned |= {(line.kind, round(line.due, 3)) for line in voice.narrator.last.lines}


@dataclass
class Heard:
    kind: str
    text: str
    due: float
    onset: float | None  # monotonic instant its sound began in the recording
    copies: int
    placed: rec.Placed | None


def find_cues(run: Run, recording: rec.Recorder, chime: bool) -> list[Heard]:
    """Each cue's phrase in the recording; the chimes first, then taken out of the signal the
    phrases are looked for in (a chime over "Release." would otherwise hide the word)."""
    heard: list[Heard] = []
    signal = recording.samples.copy()
    rings = [d.due for d in run.dues if d.cue.kind in CHIME_KINDS] if chime else []
    for due, kind, sound in [(t, "chime", run.sounds["chime"]) for t in rings] + [
        (t, "released", run.sounds["released"]) for t in run.releases
    ]:
        lo, hi = recording.index(due - 0.3), recording.index(due + 0.6) + len(sound)
        found = rec.find_whole(signal[lo:hi], lo, sound)
        placed = rec.Placed(sound, found.index) if found is not None else None
        heard.append(Heard(kind, kind, due, recording.when(found.index) if found else None, 1, placed))
        if placed is not None:
            rec.subtract(signal, placed)
    for cue_due in run.dues:
        cue, at = cue_due.cue, cue_due.due
        texts = [t for t in forms(cue.kind, cue.text) if t in run.sounds]
        found_forms = [find_one(recording, signal, run.sounds[t], cue.kind, t, at) for t in texts]
        heard.append(next((f for f in found_forms if f.onset is not None), found_forms[0]))
    return sorted(heard, key=lambda h: h.due)


def find_one(  # noqa: PLR0917
    recording: rec.Recorder, signal: rec.Samples, sound: rec.Samples, kind: str, text: str, due: float
) -> Heard:
    before, after = (
        TIMED_WINDOW_S if kind in TIMED else PREVIEW_WINDOW_S if kind in PREVIEWS else PLACED_WINDOW_S
    )
    lo = max(0, recording.index(due + before))
    hi = min(len(signal), recording.index(due + after) + len(sound))
    hits = rec.find_all(signal[lo:hi], lo, sound, min_gap_s=len(sound) / rec.RATE)
    if not hits:
        return Heard(kind, text, due, None, 0, None)
    first = min(hits, key=lambda h: h.index)
    return Heard(kind, text, due, recording.when(first.index), len(hits), rec.Placed(sound, first.index))


def damaged(heard: list[Heard], recording: rec.Recorder, actions: list[float]) -> dict[int, list[float]]:
    """Damaged blocks of each heard sound, up to where a user action (pause, release) cut it."""
    placed = [h.placed for h in heard if h.placed is not None]
    out: dict[int, list[float]] = {}
    for n, h in enumerate(heard):
        if h.placed is not None and h.onset is not None:
            others = [p for p in placed if p is not h.placed]
            cut = min((t - h.onset for t in actions if t > h.onset), default=float("inf"))
            out[n] = [b for b in rec.damaged_blocks(recording.samples, h.placed, others) if b < cut - 0.05]
    return out


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))]


def planned_away(run: Run, h: Heard) -> bool:
    """A cue the planner decided not to say (no room at its moment): not heard, by design."""
    return (
        h.onset is None
        and h.kind not in ("chime", "released")
        and (h.kind, round(h.due, 3)) not in run.planned
    )


def report(run: Run, recording: rec.Recorder, heard: list[Heard], busy: int) -> None:
    broken = damaged(heard, recording, run.actions)
    print(
        f"load average (1, 5, 15 min): before {fmt_load(run.load_before)}, after {fmt_load(run.load_after)}"
    )
    print(f"busy processes: {busy}; recorded {recording.seconds:.1f} s")
    by_kind: dict[str, list[int]] = defaultdict(list)
    for n, h in enumerate(heard):
        by_kind[h.kind].append(n)
    head = f"{'kind':<13}{'due':>5}{'not said':>9}{'heard':>7}{'missing':>9}{'twice':>7}{'damaged':>9}"
    print(f"\n{head}   onset after due (ms; for placed kinds: where the planner put it)")
    timed_errors: list[float] = []
    for kind, ns in sorted(by_kind.items()):
        found = [heard[n] for n in ns if heard[n].onset is not None]
        away = sum(1 for n in ns if planned_away(run, heard[n]))
        errors = [(h.onset - h.due) * 1000 for h in found if h.onset is not None]
        if kind in TIMED | {"chime", "released"}:
            timed_errors += errors
        bad = sum(1 for n in ns if broken.get(n))
        twice = sum(1 for n in ns if heard[n].copies > 1)
        missing = len(ns) - len(found) - away
        spread = spread_of(errors)
        print(f"{kind:<13}{len(ns):>5}{away:>9}{len(found):>7}{missing:>9}{twice:>7}{bad:>9}   {spread}")
    summary(run, heard, broken, timed_errors)


def summary(run: Run, heard: list[Heard], broken: dict[int, list[float]], timed_errors: list[float]) -> None:
    found_all = [h for h in heard if h.onset is not None]
    away = sum(1 for h in heard if planned_away(run, h))
    bad_all = sum(1 for n in broken if broken[n])
    print(
        f"\nall: {len(heard)} due, {away} not said by plan, {len(found_all)} heard, "
        f"{len(heard) - len(found_all) - away} missing, {sum(1 for h in heard if h.copies > 1)} duplicated, "
        f"{bad_all} of {len(found_all)} heard damaged ({100 * bad_all / max(1, len(found_all)):.0f} %)"
    )
    if timed_errors:
        print(
            f"timed words and sounds, onset after due (ms): median {statistics.median(timed_errors):.1f}  "
            f"p95 {percentile(timed_errors, 0.95):.1f}  max {max(timed_errors):.1f}"
        )
    for n, h in enumerate(heard):
        if h.onset is None or broken.get(n) or h.copies > 1:
            what = (
                ("not said by plan" if planned_away(run, h) else "missing")
                if h.onset is None
                else f"damaged at {broken[n][:3]} s"
                if broken.get(n)
                else "twice"
            )
            print(f"  {h.kind:<12} {h.text!r:<50} due {h.due - run.dues[0].due:7.2f} s: {what}")
    for h in heard:
        if h.onset is not None and h.kind in TIMED and h.onset - h.due > LATE_NOTED_S:
            since = h.due - run.dues[0].due
            print(f"  {h.kind:<12} {h.text!r:<50} due {since:7.2f} s: {1000 * (h.onset - h.due):.1f} ms late")
    stall = max((b - a for a, b in itertools.pairwise(run.ticks)), default=0.0)
    print(f"longest UI event-loop stall: {stall * 1000:.1f} ms")


def spread_of(errors: list[float]) -> str:
    if not errors:
        return ""
    median, p95 = statistics.median(errors), percentile(errors, 0.95)
    return f"median {median:7.1f}  p95 {p95:7.1f}  max {max(errors):7.1f}"


def fmt_load(load: tuple[float, float, float]) -> str:
    return " ".join(f"{x:.2f}" for x in load)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--busy", type=int, default=2, help="processes spinning on the CPU during the run")
    parser.add_argument("--no-chime", action="store_true")
    args = parser.parse_args()
    rec.ensure_pulse()
    sink = rec.PrivateSink("bench", "norewinds=1")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    try:
        with tempfile.TemporaryDirectory() as cache_dir:
            plan = scripted_plan()
            run, recording = session(
                plan, PhraseCache(Path(cache_dir)), sink.name, args.busy, not args.no_chime
            )
            heard = find_cues(run, recording, not args.no_chime)
            report(run, recording, heard, args.busy)
    finally:
        sink.close()
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
