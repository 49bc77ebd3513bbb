"""Recording what the app plays, and finding each sound in the recording (voice tests, benchmark).

A private PulseAudio null sink takes the app's sound; ``parec`` records its monitor as raw 16-bit
mono at 44.1 kHz, and every chunk that arrives is stamped with the monotonic clock, so each
recorded sample can be placed in time: sample ``n`` is at ``min(arrival - m / rate) + n / rate``
over the chunks within a few seconds of it (the lower envelope of arrival delays, taken locally
so that a slow drift between the two clocks does not add up). That errs late by parec's smallest
delivery delay, so onsets measured this way are at most what is printed.

A sound is found by normalised cross-correlation of its first 150 ms with the recording (numpy
FFT), so each phrase is recognised by its waveform, not just by loudness: a cue that is missing,
said twice, or said when another was due is told apart. Once placed, the recording around it is
compared block by block (10 ms) with the cached WAV it was played from (the gains of the sounds
that overlap it, such as the chime over "Release.", fitted by least squares): a block whose
residual is loud means a gap, a repeat or a chopped word in the output.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import numpy as np
import numpy.typing as npt

RATE: Final = 44100
HEAD_S: Final = 0.15  # the part of a sound that is looked for
FOUND: Final = 0.9  # normalised correlation of a head that counts as heard
WHOLE_FOUND: Final = 0.5  # a sound with another over it correlates less, as a whole
BLOCK_S: Final = 0.01
DAMAGED_RATIO: Final = 0.1  # a block whose residual energy passes this share of its sound is damaged
QUIET: Final = 300.0  # blocks of the source quieter than this (RMS) are judged by absolute residual
ENVELOPE_S: Final = 3.0

Samples = npt.NDArray[np.float64]


def ensure_pulse() -> None:
    """A PulseAudio server for this user (XDG_RUNTIME_DIR): started if none answers."""
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
    for _ in range(50):
        if subprocess.run(["pactl", "info"], capture_output=True, check=False).returncode == 0:
            return
        time.sleep(0.1)
    raise SystemExit("PulseAudio did not start")


class PrivateSink:
    """A null sink of our own, loaded for the run: nothing else playing on the server is recorded."""

    def __init__(self, tag: str, options: str = "") -> None:
        self.name = f"neckguide_{tag}_{os.getpid()}"
        self.module = subprocess.run(
            ["pactl", "load-module", "module-null-sink", f"sink_name={self.name}", *options.split()],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()

    def close(self) -> None:
        subprocess.run(["pactl", "unload-module", self.module], check=False, capture_output=True)


class Recorder:
    """parec's raw stream of a sink's monitor, every sample placed on the monotonic clock."""

    def __init__(self, sink: str) -> None:
        command = ["parec", "-d", f"{sink}.monitor", "--raw", "--format=s16le", "--channels=1"]
        command += [f"--rate={RATE}", "--latency-msec=20"]
        self.proc = subprocess.Popen(command, stdout=subprocess.PIPE)
        self._data = bytearray()
        self._marks: list[tuple[float, int]] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self.samples: Samples = np.zeros(0)
        self._t0: npt.NDArray[np.float64] = np.zeros(0)
        self._m: npt.NDArray[np.float64] = np.zeros(0)

    def _read(self) -> None:
        assert self.proc.stdout is not None
        while chunk := os.read(self.proc.stdout.fileno(), 4096):
            self._data.extend(chunk)
            self._marks.append((time.monotonic(), len(self._data) // 2))

    def started(self) -> bool:
        return len(self._data) > RATE  # half a second has arrived: the recording flows

    def seconds_after(self, t: float) -> bool:
        """Whether what was played at monotonic ``t`` has been recorded."""
        return bool(self._marks) and self._marks[-1][0] > t + 0.1

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait()
        self._reader.join(timeout=5)
        raw = bytes(self._data[: len(self._data) // 2 * 2])
        self.samples = np.frombuffer(raw, dtype="<i2").astype(np.float64)
        marks = np.array(self._marks, dtype=np.float64)
        self._m = marks[:, 1]
        self._t0 = marks[:, 0] - marks[:, 1] / RATE  # the instant sample 0 would have, per chunk

    def when(self, n: float) -> float:
        """Monotonic instant of sample ``n``."""
        near = np.abs(self._m - n) <= ENVELOPE_S * RATE
        return float(self._t0[near].min() + n / RATE) if near.any() else float(self._t0.min() + n / RATE)

    def index(self, t: float) -> int:
        """The sample recorded at monotonic ``t`` (by the same mapping, one refinement)."""
        guess = (t - float(self._t0.min())) * RATE
        return round(guess - (self.when(guess) - t) * RATE)

    @property
    def seconds(self) -> float:
        return len(self.samples) / RATE


def load_wav(path: Path) -> Samples:
    """A 16-bit mono WAV at 44.1 kHz as float samples (what the cache and the chime hold)."""
    with wave.open(str(path), "rb") as w:
        if (w.getnchannels(), w.getsampwidth(), w.getframerate()) != (1, 2, RATE):
            raise ValueError(f"{path}: expected 16-bit mono at {RATE} Hz")
        return np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.float64)


def trimmed(sound: Samples, level: float = 100.0) -> Samples:
    """``sound`` from its first to its last sample above ``level`` (no silent tail)."""
    loud = np.flatnonzero(np.abs(sound) > level)
    return sound[loud[0] : loud[-1] + 1] if loud.size else sound[:0]


def correlation(signal: Samples, head: Samples) -> Samples:
    """Normalised cross-correlation of ``head`` at every offset of ``signal`` (0..1 for a match)."""
    n, m = len(signal), len(head)
    if n < m:
        return np.zeros(0)
    size = 1 << int(np.ceil(np.log2(n + m)))
    product = np.fft.irfft(np.fft.rfft(signal, size) * np.conj(np.fft.rfft(head, size)), size)[: n - m + 1]
    energy = np.concatenate(([0.0], np.cumsum(signal**2)))
    window = energy[m:] - energy[:-m]
    norm = np.sqrt(np.maximum(window, 1e-9) * float(np.sum(head**2)))
    return np.asarray(product / norm, dtype=np.float64)


@dataclass(frozen=True, slots=True)
class Found:
    index: int  # sample of the recording where the sound begins
    score: float  # normalised correlation of its head


def find_all(signal: Samples, start: int, sound: Samples, min_gap_s: float = 0.3) -> list[Found]:
    """Every place in ``signal`` (which begins at recording sample ``start``) where ``sound``
    begins, best first; places closer than ``min_gap_s`` to a better one are the same place
    (a tone correlates with itself a period later: a repeat inside a sound's own span is told
    by the block comparison of :func:`damaged_blocks`, not here)."""
    head = sound[: int(HEAD_S * RATE)]
    scores = correlation(signal, head)
    found: list[Found] = []
    for i in np.argsort(scores)[::-1]:
        if scores[i] < FOUND:
            break
        if all(abs(int(i) + start - f.index) > min_gap_s * RATE for f in found):
            found.append(Found(int(i) + start, float(scores[i])))
        if len(found) >= 4:
            break
    return found


def find_whole(signal: Samples, start: int, sound: Samples) -> Found | None:
    """Where all of ``sound`` fits ``signal`` best (the largest projection), for a sound that
    others may overlap, such as the chime over "Release.": a decaying tone matches its own later
    part in shape, but only at its start in strength. None if it explains too little there."""
    n = len(sound)
    if len(signal) < n:
        return None
    size = 1 << int(np.ceil(np.log2(len(signal) + n)))
    product = np.fft.irfft(np.fft.rfft(signal, size) * np.conj(np.fft.rfft(sound, size)), size)
    best = int(np.argmax(product[: len(signal) - n + 1]))
    part = signal[best : best + n]
    score = float(np.dot(part, sound) / np.sqrt(max(float(np.dot(part, part) * np.dot(sound, sound)), 1e-9)))
    return Found(best + start, score) if score >= WHOLE_FOUND else None


@dataclass(frozen=True, slots=True)
class Placed:
    """A sound placed in the recording: its samples, where it begins."""

    sound: Samples
    index: int

    @property
    def end(self) -> int:
        return self.index + len(self.sound)


def damaged_blocks(recording: Samples, target: Placed, others: list[Placed]) -> list[float]:
    """Seconds into ``target`` of every 10 ms block where the recording is not the sounds played
    there (``target`` and the ``others`` overlapping it, each at its fitted gain)."""
    lo, hi = target.index, min(target.end, len(recording))
    if hi <= lo:
        return [0.0]
    overlapping = [p for p in others if p.index < hi and p.end > lo]
    columns = []
    for p in [target, *overlapping]:
        column = np.zeros(hi - lo)
        a, b = max(lo, p.index), min(hi, p.end)
        column[a - lo : b - lo] = p.sound[a - p.index : b - p.index]
        columns.append(column)
    matrix = np.stack(columns, axis=1)
    segment = recording[lo:hi]
    gains, *_ = np.linalg.lstsq(matrix, segment, rcond=None)
    model = matrix @ gains
    residual = segment - model
    step = int(BLOCK_S * RATE)
    bad: list[float] = []
    for start in range(0, hi - lo - step + 1, step):
        played = float(np.mean(model[start : start + step] ** 2))
        error = float(np.mean(residual[start : start + step] ** 2))
        if error > max(DAMAGED_RATIO * played, QUIET**2):
            bad.append(start / RATE)
    return bad


def subtract(signal: Samples, placed: Placed) -> None:
    """Take ``placed`` (at its least-squares gain) out of ``signal``, in place."""
    hi = min(placed.end, len(signal))
    part = placed.sound[: hi - placed.index]
    gain = float(np.dot(signal[placed.index : hi], part) / max(float(np.dot(part, part)), 1e-9))
    signal[placed.index : hi] -= gain * part
