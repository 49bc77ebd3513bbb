"""Playback through PulseAudio's simple API (libpulse-simple): whole phrases in the server's buffer.

Why not Qt here: Qt 6.11's PulseAudio streams (QAudioSink, and QSoundEffect on top of it) ask the
server to hold at most 1024 frames, 23 ms at 44.1 kHz, so a thread of the app must refill every
stream every few milliseconds; on a busy machine that thread is late, the stream runs dry and the
words come out with gaps or repeats (issue 15: 27-42 % of phrases at a load of 3-12). ``paplay``
of the same files was clean: it hands the server the whole file at once. So does this output:
each phrase is written whole, in one call, into a stream whose buffer holds it, at the instant
it is due; from then on the sound server plays it without us. PipeWire's PulseAudio server
(pipewire-pulse) speaks the same protocol.

One thread owns the streams (one per channel and sample rate) and a schedule; another decodes
the sounds ahead. :meth:`PulseOutput.schedule` hands over sounds and their instants. The thread
wakes ``LEAD_S`` before an instant (on a busy machine a thread wakes tens of milliseconds late:
17 ms median, 53 ms p95 at a load of 13 here, 260 ms once at 10) and writes silence for the
time left, then the sound: the sound starts on its instant however late the thread woke, as long
as it woke within ``LEAD_S``. A sound written while an earlier one is still queued follows it
(the player never asks for two phrases at once; a phrase that must cut another is written after
``stop``, which flushes a stream: silent at once).

    PulseError                  libpulse-simple is missing, or no server answers
"""

from __future__ import annotations

import array
import ctypes
import ctypes.util
import logging
import math
import queue
import sys
import threading
import time
import wave
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from neck_guide.voice.playback.output import Channel, Scheduled, Started

log = logging.getLogger(__name__)

_PLAYBACK: Final = 1  # PA_STREAM_PLAYBACK
_S16LE: Final = 3  # PA_SAMPLE_S16LE
_DEFAULT: Final = 0xFFFFFFFF  # (uint32_t) -1: the server chooses
BUFFER_S: Final = 30.0  # a stream holds this much: every phrase goes in whole
START_BYTES: Final = 4096  # playback starts once this much is in (a phrase is written in one go)
LEAD_S: Final = 0.4  # the thread wakes this long before a sound is due
# From a write to an idle stream to its first sample in the sink (PulseAudio 16, measured with
# bench_voice.py's recording: 2 ms).
SERVER_DELAY_S: Final = 0.002
TAIL_S: Final = 0.03  # kept after the words of a phrase (its file's silent tail is not played)
MAX_LOADED: Final = 96  # sounds kept decoded in memory (least recently used let go)
_FAR_S: Final = 3600.0


class PulseError(Exception):
    """PulseAudio cannot be used: the library is missing or no server answers."""


class _SampleSpec(ctypes.Structure):
    _fields_ = (("format", ctypes.c_int), ("rate", ctypes.c_uint32), ("channels", ctypes.c_uint8))


class _BufferAttr(ctypes.Structure):
    _fields_ = tuple((n, ctypes.c_uint32) for n in ("maxlength", "tlength", "prebuf", "minreq", "fragsize"))


def _library() -> ctypes.CDLL:
    name = ctypes.util.find_library("pulse-simple") or "libpulse-simple.so.0"
    try:
        lib = ctypes.CDLL(name)
    except OSError as e:
        raise PulseError(f"libpulse-simple is not installed ({e})") from e
    lib.pa_simple_new.restype = ctypes.c_void_p
    lib.pa_simple_new.argtypes = (
        ctypes.c_char_p,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_char_p,
        ctypes.POINTER(_SampleSpec),
        ctypes.c_void_p,
        ctypes.POINTER(_BufferAttr),
        ctypes.POINTER(ctypes.c_int),
    )
    for func in (lib.pa_simple_write,):
        func.argtypes = (ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t, ctypes.POINTER(ctypes.c_int))
    lib.pa_simple_flush.argtypes = (ctypes.c_void_p, ctypes.POINTER(ctypes.c_int))
    lib.pa_simple_free.argtypes = (ctypes.c_void_p,)
    lib.pa_simple_free.restype = None
    return lib


class _Stream:
    """One playback stream of 16-bit mono at ``rate``, its buffer big enough for any phrase."""

    def __init__(self, lib: ctypes.CDLL, device: str | None, rate: int, name: str) -> None:
        self._lib = lib
        error = ctypes.c_int(0)
        spec = _SampleSpec(_S16LE, rate, 1)
        size = int(BUFFER_S * rate) * 2
        attr = _BufferAttr(size, size, START_BYTES, _DEFAULT, _DEFAULT)
        handle = lib.pa_simple_new(
            None,
            b"Neck Guide",
            _PLAYBACK,
            device.encode() if device else None,
            name.encode(),
            ctypes.byref(spec),
            None,
            ctypes.byref(attr),
            ctypes.byref(error),
        )
        if not handle:
            raise PulseError(f"no sound server answered (PulseAudio error {error.value})")
        self._handle: int = handle
        self.busy_until = 0.0  # when what was written to it ends (the next sound follows that)

    def write(self, data: bytes) -> None:
        error = ctypes.c_int(0)
        if self._lib.pa_simple_write(self._handle, data, len(data), ctypes.byref(error)) < 0:
            raise PulseError(f"the sound server refused a phrase (PulseAudio error {error.value})")

    def flush(self) -> None:
        self._lib.pa_simple_flush(self._handle, ctypes.byref(ctypes.c_int(0)))
        self.busy_until = 0.0

    def close(self) -> None:
        self._lib.pa_simple_free(self._handle)


@dataclass(frozen=True, slots=True)
class Pcm:
    """A sound ready to write: 16-bit mono samples at ``rate``, at the volume it was asked for."""

    data: bytes
    rate: int

    @property
    def seconds(self) -> float:
        return len(self.data) / 2 / self.rate


def read_pcm(path: Path, volume: float, seconds: float) -> Pcm:
    """The first ``seconds`` (and ``TAIL_S``) of a 16-bit mono WAV, scaled by ``volume``;
    wave.Error or OSError if it cannot be read."""
    with wave.open(str(path), "rb") as w:
        if w.getsampwidth() != 2 or w.getnchannels() != 1:
            raise wave.Error(f"{path}: not 16-bit mono")
        rate = w.getframerate()
        frames = w.readframes(min(w.getnframes(), math.ceil((seconds + TAIL_S) * rate)))
    samples = array.array("h", frames)
    if sys.byteorder == "big":
        samples.byteswap()
    if volume < 1.0:
        gain = round(volume * 32768)
        samples = array.array("h", [(x * gain) >> 15 for x in samples])
    if sys.byteorder == "big":
        samples.byteswap()
    return Pcm(samples.tobytes(), rate)


class PulseOutput:
    """An :class:`~neck_guide.voice.playback.output.Output` on PulseAudio; see the module docstring.

    ``started`` and ``failed`` are called on the output's own thread.
    """

    def __init__(
        self,
        device: str | None = None,
        *,
        started: Callable[[Started], None] = lambda started: None,
        failed: Callable[[str], None] = lambda why: None,
    ) -> None:
        self._lib = _library()
        self._device = device
        self._started, self._failed = started, failed
        self._commands: queue.SimpleQueue[Callable[[], None] | None] = queue.SimpleQueue()
        self._due: list[Scheduled] = []
        self._written: dict[tuple[str, float], tuple[Channel, float]] = {}  # key: channel, end
        self._streams: dict[tuple[Channel, int], _Stream] = {}
        self._loaded: OrderedDict[tuple[Path, float, float], Pcm] = OrderedDict()
        self._loads: queue.SimpleQueue[tuple[Path, float, float] | None] = queue.SimpleQueue()
        self._loading_lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name="voice-output", daemon=True)
        self._loader = threading.Thread(target=self._load_all, name="voice-loader", daemon=True)
        self._thread.start()
        self._loader.start()

    @staticmethod
    def check(device: str | None = None) -> None:
        """Raises PulseError unless a stream can be opened now (the library and a server)."""
        _Stream(_library(), device, 44100, "check").close()

    # -- the caller's side: never blocks -------------------------------------------------------

    def load(self, path: Path, seconds: float, volume: float) -> None:
        self._loads.put((path, seconds, volume))

    def schedule(self, sounds: list[Scheduled]) -> None:
        items = sorted(sounds, key=lambda s: s.at)
        self._commands.put(lambda: self._replace(items))

    def stop(self, channel: Channel | None = None) -> None:
        self._commands.put(lambda: self._stop(channel))

    def close(self) -> None:
        self._loads.put(None)
        self._commands.put(None)
        self._thread.join(timeout=2.0)
        self._loader.join(timeout=2.0)

    # -- the output thread ---------------------------------------------------------------------

    def _run(self) -> None:
        try:  # open the streams of the usual rate now, so the first sound is not the slow one
            self._stream("speech", 44100)
            self._stream("sound", 44100)
        except PulseError as e:
            self._failed(str(e))
        while True:
            wait = self._due[0].at - LEAD_S - time.monotonic() if self._due else _FAR_S
            try:
                command = self._commands.get(timeout=max(0.0, wait))
            except queue.Empty:
                command = self._start_due
            if command is None:
                break
            try:
                command()
                self._start_due()
            except (PulseError, OSError, wave.Error, EOFError) as e:
                log.warning("voice output: %s", e)
                self._failed(str(e))
        for stream in self._streams.values():
            stream.close()

    def _replace(self, items: list[Scheduled]) -> None:
        """The new schedule: what was written stays if it is in it; written speech that is not,
        and has not ended, is flushed (it was replaced)."""
        now = time.monotonic()
        self._written = {k: v for k, v in self._written.items() if v[1] > now}
        keys = {item.key for item in items}
        if any(channel == "speech" and key not in keys for key, (channel, _) in self._written.items()):
            self._stop("speech")
        self._due = [item for item in items if item.key not in self._written]

    def _start_due(self) -> None:
        while self._due and self._due[0].at - LEAD_S <= time.monotonic():
            item = self._due.pop(0)
            now = time.monotonic()
            if now - item.at > item.late_s:
                self._started(Started(item.tag, None))
                continue
            begins = self._write(item)
            self._written[item.key] = (item.channel, begins + item.seconds)
            self._started(Started(item.tag, begins))

    def _write(self, item: Scheduled) -> float:
        """Write ``item`` so that it sounds on its instant (or at once, if that has passed);
        returns the instant it will sound."""
        pcm = self._pcm(item.path, item.seconds, item.volume)
        stream = self._stream(item.channel, pcm.rate)
        heard = max(time.monotonic() + SERVER_DELAY_S, stream.busy_until)
        silence = max(0, round((item.at - heard) * pcm.rate))
        stream.write(bytes(2 * silence) + pcm.data)
        begins = heard + silence / pcm.rate
        stream.busy_until = begins + pcm.seconds
        return begins

    def _stop(self, channel: Channel | None) -> None:
        self._due = [d for d in self._due if channel is not None and d.channel != channel]
        self._written = {k: v for k, v in self._written.items() if channel is not None and v[0] != channel}
        for (which, _), stream in self._streams.items():
            if channel is None or which == channel:
                stream.flush()

    def _stream(self, channel: Channel, rate: int) -> _Stream:
        stream = self._streams.get((channel, rate))
        if stream is None:
            stream = self._streams[(channel, rate)] = _Stream(self._lib, self._device, rate, channel)
        return stream

    def _load_all(self) -> None:
        """The loader thread: sounds are decoded and scaled here, so the output thread is never
        kept from a due sound by a load."""
        while (job := self._loads.get()) is not None:
            try:
                self._pcm(*job)
            except (OSError, wave.Error, EOFError) as e:
                log.warning("voice output: %s", e)

    def _pcm(self, path: Path, seconds: float, volume: float) -> Pcm:
        key = (path, round(seconds, 4), round(volume, 3))
        with self._loading_lock:
            pcm = self._loaded.get(key)
            if pcm is not None:
                self._loaded.move_to_end(key)
                return pcm
        pcm = read_pcm(path, volume, seconds)
        with self._loading_lock:
            self._loaded[key] = pcm
            while len(self._loaded) > MAX_LOADED:
                self._loaded.popitem(last=False)
        return pcm
