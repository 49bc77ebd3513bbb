"""The synthesiser's child process: renders phrases to WAV files with pyttsx3, one at a time.

Run as ``python -m neck_guide.voice.child``. pyttsx3 is only ever a synthesiser here: the app
plays the files itself. Living in its own process, a hung or crashed engine costs the app
nothing but a restart (see :mod:`neck_guide.voice.synth`).

Protocol: JSON lines. The child reads requests on stdin and answers on the pipe that was its
stdout; file descriptor 1 itself is pointed at /dev/null first, because pyttsx3's espeak driver
prints "Audio saved to ..." after every file and would corrupt the answers otherwise.

    child  -> {"ready": true, "pid": N}  or  {"fatal": "why the engine cannot start"}
    parent -> {"id": N, "op": "render", "text": ..., "voice": ..., "rate": N, "path": ...}
    child  -> {"id": N, "seconds": 0.71}  or  {"id": N, "error": "...", "rejected": true|false}
    parent -> {"id": N, "op": "voices"}
    child  -> {"id": N, "voices": [{"id": ..., "name": ..., "languages": [...]}, ...]}

A rejected phrase (unknown voice, no sound) leaves the engine usable; any other error ends the
child, since pyttsx3 refuses every later call after one exception inside its run loop.

pyttsx3 2.99's espeak driver synthesises asynchronously and now and then (about 1 in 500 here)
ends a phrase before any audio arrived, when a property was set just before; so properties are
set only when they change, and a silent rendering is tried once more before it is refused.
"""

from __future__ import annotations

import array
import json
import os
import sys
import threading
import time
import wave
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Final, Protocol, TextIO

from neck_guide.voice.cache import SILENT_TAIL_S

SILENCE_LEVEL: Final = 100  # about -50 dBFS of 16-bit audio
# Below this rate a file is played at twice its rate: Qt's QSoundEffect buffers a fixed number of
# bytes, so 22.05 kHz (espeak's rate) sounds ~39 ms after play() here and 44.1 kHz ~21 ms.
DOUBLE_BELOW_HZ: Final = 32000
# Half-band interpolation filter (a Lanczos-windowed sinc, 8 taps): the new sample between
# x[k] and x[k+1] is sum(h[j] * (x[k - j] + x[k + 1 + j])).
_HALF_BAND: Final = (0.6225, -0.1726, 0.0733, -0.0232)
KEEP_BEFORE_S: Final = 0.005  # kept ahead of the first sound, so no consonant is clipped
KEEP_AFTER_S: Final = 0.04
_PARENT_CHECK_S: Final = 0.2
PARENT_ENV: Final = "NECK_GUIDE_VOICE_PARENT"  # the app's pid, set by the synthesiser that starts us


class SilentRenderingError(ValueError):
    """The engine wrote a file without sound."""


class PhraseEngine(Protocol):
    def render(self, text: str, voice: str, rate: int, path: str) -> None:
        """Write ``text`` spoken to the WAV file ``path``; ValueError if this phrase cannot be."""
        ...

    def voices(self) -> list[dict[str, Any]]: ...


class Pyttsx3Engine:
    """One pyttsx3 engine, reused: every phrase goes through ``save_to_file`` (never ``say``)."""

    def __init__(self) -> None:
        import pyttsx3  # type: ignore[import-untyped]

        self._engine = pyttsx3.init()
        self._voices = [
            {"id": str(v.id), "name": str(v.name), "languages": [str(x) for x in (v.languages or [])]}
            for v in self._engine.getProperty("voices")
        ]
        self._known = {v["id"] for v in self._voices} | {v["name"] for v in self._voices}
        default = self._engine.getProperty("voice")
        self._default = str(default) if default else ""
        self._in_force: tuple[str, int] | None = None

    def voices(self) -> list[dict[str, Any]]:
        return self._voices

    def render(self, text: str, voice: str, rate: int, path: str) -> None:
        chosen = voice or self._default
        if voice and voice not in self._known:
            raise ValueError(f"voice {voice!r} is not installed")
        if (chosen, rate) != self._in_force:
            if chosen:
                self._engine.setProperty("voice", chosen)
            self._engine.setProperty("rate", rate)
            self._in_force = (chosen, rate)
        self._engine.save_to_file(text, path)
        self._engine.runAndWait()
        if not os.path.exists(path):
            raise RuntimeError(f"the speech engine wrote no file for {text!r}")


def tidy(path: Path) -> float:
    """Trim the silence before and after the words (so a cue sounds when it is played), double a
    low sample rate and add ``SILENT_TAIL_S`` of silence (see cache.py); returns the length of the
    words in seconds, without that tail. ValueError if there is nothing to hear."""
    try:
        with wave.open(str(path), "rb") as w:
            params = w.getparams()
            frames = w.readframes(w.getnframes())
    except (wave.Error, EOFError) as e:
        raise ValueError(f"the speech engine wrote a file that is not a WAV ({e})") from e
    if params.sampwidth != 2 or params.nchannels != 1:  # not what we know how to trim: keep it whole
        return params.nframes / params.framerate
    samples = array.array("h", frames)
    if sys.byteorder == "big":
        samples.byteswap()
    loud = [i for i in (_first_loud(samples), _last_loud(samples)) if i is not None]
    if not loud:
        raise SilentRenderingError("the speech engine produced only silence")
    start = max(0, loud[0] - int(KEEP_BEFORE_S * params.framerate))
    end = min(len(samples), loud[1] + int(KEEP_AFTER_S * params.framerate))
    kept, rate = samples[start:end], params.framerate
    if rate < DOUBLE_BELOW_HZ:
        kept, rate = doubled(kept), rate * 2
    if sys.byteorder == "big":
        kept.byteswap()
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(kept.tobytes() + bytes(2 * int(SILENT_TAIL_S * rate)))
    return len(kept) / rate


def doubled(samples: array.array[int]) -> array.array[int]:
    """``samples`` at twice the rate: the originals, with interpolated samples between them."""
    n = len(samples)
    x = [0] * 4 + samples.tolist() + [0] * 4
    h0, h1, h2, h3 = _HALF_BAND
    between = (
        h0 * (x[k] + x[k + 1])
        + h1 * (x[k - 1] + x[k + 2])
        + h2 * (x[k - 2] + x[k + 3])
        + h3 * (x[k - 3] + x[k + 4])
        for k in range(4, n + 4)
    )
    out = array.array("h", bytes(4 * n))
    out[0::2] = samples
    out[1::2] = array.array("h", (max(-32768, min(32767, round(v))) for v in between))
    return out


def _first_loud(samples: array.array[int]) -> int | None:
    return next((i for i, x in enumerate(samples) if abs(x) > SILENCE_LEVEL), None)


def _last_loud(samples: array.array[int]) -> int | None:
    for i in range(len(samples) - 1, -1, -1):
        if abs(samples[i]) > SILENCE_LEVEL:
            return i
    return None


def claim_stdout() -> TextIO:
    """Keep the real stdout for answers and point file descriptor 1 at /dev/null (at OS level,
    so C code and ``print`` inside the engine cannot reach the parent's pipe)."""
    sys.stdout.flush()
    answers = os.fdopen(os.dup(1), "w", encoding="utf-8", buffering=1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.close(devnull)
    return answers


def send(out: TextIO, message: dict[str, Any]) -> None:
    out.write(json.dumps(message) + "\n")
    out.flush()


def serve(engine: PhraseEngine, requests: Iterable[str], out: TextIO) -> int:
    """Answer requests until stdin closes; returns the exit code."""
    send(out, {"ready": True, "pid": os.getpid()})
    for line in requests:
        request = json.loads(line)
        if request.get("op") == "voices":
            send(out, {"id": request["id"], "voices": engine.voices()})
            continue
        try:
            seconds = _render(engine, request)
        except ValueError as e:
            send(out, {"id": request["id"], "error": str(e), "rejected": True})
        except Exception as e:
            send(out, {"id": request["id"], "error": f"{type(e).__name__}: {e}", "rejected": False})
            return 1
        else:
            send(out, {"id": request["id"], "seconds": seconds})
    return 0


def _render(engine: PhraseEngine, request: dict[str, Any]) -> float:
    for attempt in (1, 2):
        engine.render(request["text"], request["voice"], int(request["rate"]), request["path"])
        try:
            return tidy(Path(request["path"]))
        except SilentRenderingError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def watch_parent() -> None:
    """End this process as soon as the app that started it is gone, however it ended (SIGTERM,
    SIGKILL, a crash): the request loop ends on EOF of stdin, but a child busy rendering, or a
    hung engine, never reads it; so a watchdog thread also checks the parent pid (a dead parent's
    children are handed to another process) every ``_PARENT_CHECK_S``. The pid to expect comes
    from the app (``PARENT_ENV``), so a parent that died before this check began is noticed too."""
    expected = os.environ.get(PARENT_ENV, "")
    parent = int(expected) if expected.isdigit() else os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(_PARENT_CHECK_S)
        os._exit(0)

    if os.getppid() != parent:
        os._exit(0)
    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def start_failure(error: BaseException) -> str:
    """A user-facing reason the engine could not start."""
    text = str(error)
    if "espeak" in text.lower():
        return "espeak-ng not found (install the espeak-ng package)"
    if isinstance(error, ImportError):
        return "the pyttsx3 package is not installed"
    return f"the speech engine could not start ({type(error).__name__}: {text})"


def main() -> int:
    out = claim_stdout()
    watch_parent()
    try:
        engine = Pyttsx3Engine()
    except Exception as e:
        send(out, {"fatal": start_failure(e)})
        return 2
    return serve(engine, sys.stdin, out)


if __name__ == "__main__":
    sys.exit(main())
