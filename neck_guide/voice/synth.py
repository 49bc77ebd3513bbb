"""Turns phrases into cached WAV files through a child process that can hang or die safely.

pyttsx3 2.99 is fragile (no locks; one failure leaves its loop "already started"; the espeak
driver keeps state between phrases): it is used only as a synthesiser, in a child process
(:mod:`neck_guide.voice.child`) that renders one phrase at a time. Here, the parent side: it
starts the child on first use, gives each phrase a time limit, kills and restarts a child that
hangs or dies, and gives up (with a notice for the window) only when the engine cannot start at
all or fails several times in a row. ``render`` blocks, for worker threads; ``submit`` hands a
phrase to this synthesiser's own worker thread and calls back with the outcome.

    SynthError
    ├── EngineUnavailableError   no engine can run here (no espeak-ng, no pyttsx3, or it kept failing)
    ├── EngineFailedError        the engine hung or died on a phrase; the next phrase gets a new one
    └── PhraseRejectedError      the engine refused this phrase (unknown voice, only silence)
"""

from __future__ import annotations

import contextlib
import itertools
import json
import logging
import os
import queue
import subprocess
import sys
import threading
import time
import wave
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Final, NoReturn

from neck_guide.paths import PROJECT_DIR
from neck_guide.voice.cache import Phrase, PhraseCache, spoken_seconds
from neck_guide.voice.child import PARENT_ENV

log = logging.getLogger(__name__)

URGENT: Final = 0  # a cue due now
QUEUED: Final = 1  # queued speech
AHEAD: Final = 2  # rendering ahead of need
SCREEN_ONLY: Final = "cues are shown on screen only"


class SynthError(Exception):
    """Speech could not be rendered."""


class EngineUnavailableError(SynthError):
    """No speech engine can run here; ``str(error)`` is a notice fit for the window."""


class EngineFailedError(SynthError):
    """The engine hung or died while rendering; it is restarted for the next phrase."""


class PhraseRejectedError(SynthError):
    """The engine refused this phrase (an unknown voice, only silence); the engine is fine."""


@dataclass(frozen=True, slots=True)
class VoiceInfo:
    id: str
    name: str
    languages: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Rendered:
    phrase: Phrase
    path: Path
    seconds: float


@dataclass(frozen=True, slots=True)
class Failed:
    phrase: Phrase
    error: SynthError


Outcome = Rendered | Failed


class _Child:
    """One running child process; answers arrive through a reader thread so waits can time out."""

    def __init__(self, command: list[str]) -> None:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(PROJECT_DIR), env.get("PYTHONPATH")) if p)
        env[PARENT_ENV] = str(os.getpid())  # the child ends itself when this process is gone
        self.proc = subprocess.Popen(  # only its own pipes: none of Qt's or PulseAudio's descriptors
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            close_fds=True,
            env=env,
            text=True,
            encoding="utf-8",
            creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0),
        )
        self._answers: queue.Queue[str | None] = queue.Queue()
        assert self.proc.stdout is not None
        reader = threading.Thread(target=self._read, args=(self.proc.stdout,), name="synth-read", daemon=True)
        reader.start()

    def _read(self, stream: IO[str]) -> None:
        with contextlib.suppress(OSError, ValueError):
            for line in stream:
                self._answers.put(line)
        self._answers.put(None)

    def wait_ready(self, timeout_s: float) -> None:
        answer = self._next(timeout_s, "start")
        if "fatal" in answer:
            self.kill()
            raise EngineUnavailableError(f"Voice unavailable: {answer['fatal']} — {SCREEN_ONLY}")

    def ask(self, request: dict[str, Any], timeout_s: float) -> dict[str, Any]:
        assert self.proc.stdin is not None
        try:
            self.proc.stdin.write(json.dumps(request) + "\n")
            self.proc.stdin.flush()
        except (OSError, ValueError) as e:
            raise EngineFailedError(f"the speech engine had stopped ({self._ended()})") from e
        while True:
            answer = self._next(timeout_s, repr(request.get("text", request["op"])))
            if answer.get("id") == request["id"]:
                return answer

    def _next(self, timeout_s: float, doing: str) -> dict[str, Any]:
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                line = self._answers.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                self.kill()
                raise EngineFailedError(f"the speech engine hung on {doing} for {timeout_s:g} s") from None
            if line is None:
                raise EngineFailedError(f"the speech engine stopped on {doing} ({self._ended()})")
            with contextlib.suppress(ValueError):
                answer = json.loads(line)
                if isinstance(answer, dict):
                    return answer

    def _ended(self) -> str:
        try:
            code = self.proc.wait(timeout=1.0)
        except subprocess.TimeoutExpired:
            self.kill()
            return "killed"
        return f"exit code {code}"

    @property
    def alive(self) -> bool:
        return self.proc.poll() is None

    def kill(self) -> None:
        with contextlib.suppress(OSError):
            self.proc.kill()
        with contextlib.suppress(subprocess.TimeoutExpired, OSError):
            self.proc.wait(timeout=2.0)
        for stream in (self.proc.stdin, self.proc.stdout):
            with contextlib.suppress(OSError, ValueError):
                if stream is not None:
                    stream.close()


class Synthesiser:
    """Renders phrases into the cache through a restartable child process. Thread-safe.

    Nothing starts in the constructor: the child starts on the first phrase that needs it.
    """

    engine: str = "pyttsx3"

    def __init__(
        self,
        cache: PhraseCache,
        *,
        timeout_s: float = 5.0,
        start_timeout_s: float = 20.0,
        max_failures: int = 3,
    ) -> None:
        self.cache = cache
        self.timeout_s = timeout_s
        self.start_timeout_s = start_timeout_s
        self.max_failures = max_failures
        self._lock = threading.Lock()
        self._child: _Child | None = None
        self._failures = 0
        self._notice: str | None = None
        self._ids = itertools.count(1)
        self._closed = False
        self._jobs: queue.PriorityQueue[tuple[int, int, Phrase | None]] = queue.PriorityQueue()
        self._waiting: dict[Phrase, list[Callable[[Outcome], None]]] = {}
        self._jobs_lock = threading.Lock()
        self._worker: threading.Thread | None = None
        self.starts = 0  # child processes started so far (a restart shows here)

    def command(self) -> list[str]:
        """How to start the child process."""
        return [sys.executable, "-m", "neck_guide.voice.child"]

    @property
    def available(self) -> bool:
        return self._notice is None

    @property
    def notice(self) -> str | None:
        """Why there is no speech, in words for the window; None while speech works."""
        return self._notice

    # -- blocking ------------------------------------------------------------------------------

    def render(self, text: str, voice: str = "", rate: int = 165) -> Path:
        """The WAV file of ``text`` (from the cache, or rendered now). Blocks; raises SynthError."""
        return self.rendered(Phrase(text, voice, rate)).path

    def rendered(self, phrase: Phrase) -> Rendered:
        cached = self.cache.get(self.engine, phrase)
        if cached is not None:
            try:
                return Rendered(phrase, cached, spoken_seconds(cached))
            except (OSError, wave.Error, EOFError):
                self.cache.discard(cached)
        if not phrase.text.strip():
            raise PhraseRejectedError("nothing to say: the phrase is empty")
        with self._lock:
            return self._render_locked(phrase)

    def voices(self) -> list[VoiceInfo]:
        """The voices the engine offers (starts the engine if needed). Blocks; raises SynthError."""
        with self._lock:
            answer = self._ask({"op": "voices"}, self.timeout_s)
        return [VoiceInfo(v["id"], v["name"], tuple(v.get("languages", ()))) for v in answer["voices"]]

    def _render_locked(self, phrase: Phrase) -> Rendered:
        scratch = self.cache.scratch()
        request = {"op": "render", "text": phrase.text, "voice": phrase.voice, "rate": phrase.rate}
        try:
            answer = self._ask({**request, "path": str(scratch)}, self.timeout_s)
        except SynthError:
            self.cache.discard(scratch)
            raise
        if "error" in answer:
            self.cache.discard(scratch)
            if answer.get("rejected"):
                raise PhraseRejectedError(f"the speech engine refused {phrase.text!r}: {answer['error']}")
            self._failed(EngineFailedError(f"the speech engine failed on {phrase.text!r}: {answer['error']}"))
        path = self.cache.put(scratch, self.engine, phrase)
        return Rendered(phrase, path, float(answer["seconds"]))

    def _ask(self, request: dict[str, Any], timeout_s: float) -> dict[str, Any]:
        if self._notice is not None:
            raise EngineUnavailableError(self._notice)
        child = self._running_child()
        try:
            answer = child.ask({**request, "id": next(self._ids)}, timeout_s)
        except EngineFailedError as e:
            self._failed(e)
        self._failures = 0 if "error" not in answer else self._failures
        return answer

    def _running_child(self) -> _Child:
        if self._child is not None and self._child.alive:
            return self._child
        if self._closed:
            raise EngineUnavailableError(f"Voice stopped: the app is closing — {SCREEN_ONLY}")
        try:
            child = _Child(self.command())
        except OSError as e:
            self._notice = f"Voice unavailable: the speech process could not start ({e}) — {SCREEN_ONLY}"
            raise EngineUnavailableError(self._notice) from e
        self.starts += 1
        self._child = child
        if self._closed:  # closed while this child was starting: close() may have missed it
            self._drop_child()
            raise EngineUnavailableError(f"Voice stopped: the app is closing — {SCREEN_ONLY}")
        try:
            child.wait_ready(self.start_timeout_s)
        except EngineUnavailableError as e:
            self._child = None
            self._notice = str(e)
            raise
        except EngineFailedError as e:
            self._failed(e)
        return child

    def _failed(self, error: EngineFailedError) -> NoReturn:
        """Drop the child (the next phrase starts a new one); give up after too many in a row."""
        self._drop_child()
        if self._closed:
            raise EngineUnavailableError(f"Voice stopped: the app is closing — {SCREEN_ONLY}") from error
        self._failures += 1
        log.warning("speech engine: %s (failure %d of %d)", error, self._failures, self.max_failures)
        if self._failures >= self.max_failures:
            self._notice = (
                f"Voice stopped: the speech engine failed {self._failures} times in a row "
                f"(last: {error}) — {SCREEN_ONLY}"
            )
            raise EngineUnavailableError(self._notice) from error
        raise error

    def _drop_child(self) -> None:
        child, self._child = self._child, None
        if child is not None:
            child.kill()

    # -- asynchronous --------------------------------------------------------------------------

    def submit(self, phrase: Phrase, done: Callable[[Outcome], None], *, priority: int = QUEUED) -> None:
        """Render ``phrase`` on the worker thread; ``done(outcome)`` is called there. Never blocks."""
        with self._jobs_lock:
            if self._closed:
                return
            callbacks = self._waiting.get(phrase)
            if callbacks is None:
                self._waiting[phrase] = [done]
            else:
                callbacks.append(done)
            self._jobs.put((priority, next(self._ids), phrase))  # a second entry only raises priority
            if self._worker is None:
                self._worker = threading.Thread(target=self._work, name="synthesiser", daemon=True)
                self._worker.start()

    def _work(self) -> None:
        while True:
            _, _, phrase = self._jobs.get()
            if phrase is None or self._closed:
                return
            with self._jobs_lock:
                callbacks = self._waiting.pop(phrase, None)
            if not callbacks:
                continue  # done already, through an earlier entry of higher priority
            outcome = self._outcome(phrase)
            if self._closed:
                return  # nobody is listening any more (the player may be gone)
            for done in callbacks:
                try:
                    done(outcome)
                except Exception:
                    log.exception("speech: a render callback failed")

    def _outcome(self, phrase: Phrase) -> Outcome:
        try:
            return self.rendered(phrase)
        except SynthError as e:
            return Failed(phrase, e)
        except Exception as e:  # a bug or a disk error: reported, never raised into the caller
            log.exception("speech: rendering %r failed", phrase.text)
            return Failed(phrase, EngineFailedError(f"{type(e).__name__}: {e}"))

    def close(self) -> None:
        """Stop the worker and the child process. Phrases queued, or submitted later, are dropped:
        nothing more is rendered."""
        with self._jobs_lock:
            self._closed = True
            self._waiting.clear()
            with contextlib.suppress(queue.Empty):
                while True:
                    self._jobs.get_nowait()
            self._jobs.put((-1, 0, None))
            worker = self._worker
        child = self._child
        if child is not None:
            child.kill()  # a render in progress fails at once
        if worker is not None and worker is not threading.current_thread():
            worker.join(timeout=self.timeout_s + 1.0)
        self._drop_child()  # one started while closing (``_running_child`` checks ``_closed`` after)
