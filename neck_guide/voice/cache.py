"""Rendered phrases on disk, so a cue is played from a file the moment it is due.

One WAV per (engine, text, voice, rate), named by a hash of the four, in ``paths.speech_cache``.
Files arrive complete or not at all (written under a scratch name, then renamed), and the folder
is kept under a size limit by removing the least recently used files. Volume is applied at
playback, never baked in, so changing it never invalidates the cache.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
import uuid
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from neck_guide.paths import PRIVATE_DIR_MODE

CACHE_FORMAT: Final = 4  # bump when the rendering (trimming, format) changes
# Every file ends in this much silence after the words, and the player stops each sound before its
# file runs out: in Qt 6.11 a QSoundEffect voice that plays to its natural end may be freed on the
# audio thread, destroying a socket notifier of the GUI thread (stderr floods with "QSocketNotifier:
# Socket notifiers cannot be enabled or disabled from another thread" / "Invalid socket N ...
# disabling", and the event loop spins). A voice ended by stop() is always freed on the GUI thread.
SILENT_TAIL_S: Final = 0.5
DEFAULT_MAX_BYTES: Final = 64 * 1024 * 1024
_SCRATCH_PREFIX: Final = ".scratch-"
_STALE_SCRATCH_S: Final = 3600.0


@dataclass(frozen=True, slots=True)
class Phrase:
    """What is rendered: the words and the voice that says them."""

    text: str
    voice: str = ""  # engine voice id; empty: the engine's default voice
    rate: int = 165  # words per minute


class PhraseCache:
    """A size-limited folder of rendered phrases. Creates its folder on first write, not before."""

    def __init__(self, root: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.root = root
        self.max_bytes = max_bytes

    def path_for(self, engine: str, phrase: Phrase) -> Path:
        raw = json.dumps([CACHE_FORMAT, engine, phrase.text, phrase.voice, phrase.rate])
        return self.root / (hashlib.sha256(raw.encode("utf-8")).hexdigest()[:40] + ".wav")

    def get(self, engine: str, phrase: Phrase) -> Path | None:
        """The cached file of ``phrase``, or None. A hit counts as a use (for pruning)."""
        path = self.path_for(engine, phrase)
        try:
            os.utime(path)
        except OSError:
            return None
        return path

    def scratch(self) -> Path:
        """A fresh file name inside the cache folder for an engine to write into."""
        self.root.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR_MODE)
        return self.root / f"{_SCRATCH_PREFIX}{uuid.uuid4().hex}.wav"

    def put(self, scratch: Path, engine: str, phrase: Phrase) -> Path:
        """Move a finished scratch file into place atomically, then keep the folder under its limit."""
        path = self.path_for(engine, phrase)
        os.replace(scratch, path)
        self.prune(keep=path)
        return path

    def discard(self, path: Path) -> None:
        with contextlib.suppress(OSError):
            path.unlink()

    def prune(self, keep: Path | None = None) -> int:
        """Remove least recently used files until the folder fits; returns the bytes removed."""
        entries: list[tuple[float, int, Path]] = []
        now = time.time()
        with contextlib.suppress(FileNotFoundError):
            for entry in os.scandir(self.root):
                with contextlib.suppress(OSError):
                    st = entry.stat()
                    path = Path(entry.path)
                    if entry.name.startswith(_SCRATCH_PREFIX):
                        if now - st.st_mtime > _STALE_SCRATCH_S:  # left by a killed engine
                            path.unlink()
                        continue
                    entries.append((st.st_mtime, st.st_size, path))
        total = sum(size for _, size, _ in entries)
        removed = 0
        for _, size, path in sorted(entries):
            if total - removed <= self.max_bytes:
                break
            if path != keep:
                self.discard(path)
                removed += size
        return removed


def wav_seconds(path: Path) -> float:
    """Length of a WAV file in seconds; raises wave.Error or OSError for a damaged file."""
    with wave.open(str(path), "rb") as w:
        rate = w.getframerate()
        if rate <= 0:
            raise wave.Error(f"{path}: sample rate {rate}")
        return w.getnframes() / rate


def spoken_seconds(path: Path) -> float:
    """How long the words of a cached phrase last (its file without the silent tail)."""
    return max(0.0, wav_seconds(path) - SILENT_TAIL_S)


def add_silent_tail(source: Path, dest: Path) -> float:
    """Copy the 16-bit WAV ``source`` to ``dest`` with ``SILENT_TAIL_S`` of silence after it;
    returns the length of ``source`` in seconds. wave.Error or OSError if it cannot."""
    with wave.open(str(source), "rb") as w:
        params = w.getparams()
        frames = w.readframes(w.getnframes())
    with wave.open(str(dest), "wb") as w:
        w.setparams(params)
        w.writeframes(
            frames + bytes(params.sampwidth * params.nchannels * int(SILENT_TAIL_S * params.framerate))
        )
    return params.nframes / params.framerate
