"""What the rest of the app asks of a voice, and a voice for tests that records what it was asked.

:class:`Speaker` is the interface; the Qt voice (:class:`neck_guide.voice.playback.player.VoicePlayer`)
implements it for real. :class:`FakeSpeaker` records every request with the time it was made,
and can tell what would have been heard, so a test compares the whole spoken script at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final, Literal, Protocol

from neck_guide.engine.clock import Clock
from neck_guide.voice.planner import Line

SAME_MOMENT_S: Final = 0.05  # a line handed over again this close to its start is the same line
SOUND_SECONDS: Final[dict[str, float]] = {"chime": 0.6, "released": 0.12}


def estimated_seconds(text: str) -> float:
    """How long espeak-ng takes to say ``text`` at the default rate, erring long (a phrase not yet
    rendered is placed by this; measured: 0.065-0.077 s a character)."""
    return SOUND_SECONDS.get(text, 0.1 + 0.08 * len(text))


class Speaker(Protocol):
    """Says cue words. No method blocks the caller on speech or raises; a voice that cannot
    speak sets ``available`` False and says why in ``notice``.

    - ``play``: these lines, each at its start instant, replace whatever was scheduled. A line
      already sounding goes on if it is among them (the same words at the same start, within
      ``SAME_MOMENT_S``) and stops if not. A line that cannot start on time is said late only if
      it is not a timed word and still ends before the next line starts.
    - ``say_now``: stops what is being said, then says this (an answer to the user).
    - ``cancel``: silence now, and forget everything scheduled (pause, mute, skip).
    - ``prepare``: render these phrases ahead, so they are ready when due.
    - ``seconds``: how long a phrase (or the sound "chime", "released") lasts, once known.
    """

    @property
    def available(self) -> bool: ...

    @property
    def notice(self) -> str | None: ...

    def play(self, lines: Sequence[Line]) -> None: ...

    def say_now(self, text: str) -> None: ...

    def cancel(self) -> None: ...

    def prepare(self, texts: Iterable[str]) -> None: ...

    def seconds(self, text: str) -> float | None: ...


How = Literal["play", "say_now", "cancel"]


@dataclass(frozen=True, slots=True)
class Request:
    """One request a FakeSpeaker received, and the clock's time when it came."""

    how: How
    at: float
    lines: tuple[Line, ...] = ()
    text: str = ""


@dataclass(frozen=True, slots=True)
class Heard:
    """A phrase as it would have sounded: its words, start and end (cut short by a later request)."""

    text: str
    start: float
    end: float
    kind: str


class FakeSpeaker:
    """Records requests with times; :meth:`heard` replays them into what would have been heard."""

    def __init__(
        self,
        clock: Clock | None = None,
        *,
        available: bool = True,
        notice: str | None = None,
        lengths: dict[str, float] | None = None,
    ) -> None:
        self._clock = clock
        self.available = available
        self.notice = notice
        self.lengths = lengths or {}
        self.requests: list[Request] = []
        self.prepared: list[str] = []

    def _now(self) -> float:
        return self._clock.monotonic() if self._clock is not None else 0.0

    def play(self, lines: Sequence[Line]) -> None:
        self.requests.append(Request("play", self._now(), tuple(lines)))

    def say_now(self, text: str) -> None:
        self.requests.append(Request("say_now", self._now(), text=text))

    def cancel(self) -> None:
        self.requests.append(Request("cancel", self._now()))

    def prepare(self, texts: Iterable[str]) -> None:
        self.prepared.extend(texts)

    def seconds(self, text: str) -> float | None:
        return self.lengths.get(text, estimated_seconds(text))

    def heard(self, until: float = float("inf")) -> list[Heard]:
        """What would have sounded by ``until``: each request acts at its time, the way the
        Speaker contract says (a play replaces what has not started, a cancel cuts everything).
        A line handed over after its start is heard from the moment it was handed over."""
        out: list[Heard] = []
        pending: list[Line] = []
        for request in [*self.requests, Request("cancel", until)]:
            out += [Heard(x.text, x.start, x.end, x.kind) for x in pending if x.start <= request.at]
            out, pending = self._apply(request, out)
        return sorted(out, key=lambda h: (h.start, h.text))

    def _apply(self, request: Request, out: list[Heard]) -> tuple[list[Heard], list[Line]]:
        now = request.at
        if request.how == "cancel":
            return _cut(out, now), []
        if request.how == "say_now":
            length = self.seconds(request.text) or 0.0
            return [*_cut(out, now, sounds_too=False), Heard(request.text, now, now + length, "ease_off")], []
        keep = {(x.text, round(x.start, 3)) for x in request.lines}
        out = [h if (h.text, round(h.start, 3)) in keep or h.end <= now else _until(h, now) for h in out]
        late = [x for x in request.lines if x.start <= now < x.end and not _begun(out, x)]
        out += [Heard(x.text, now, x.end, x.kind) for x in late]
        return out, [x for x in request.lines if x.start > now]

    def texts(self, until: float = float("inf")) -> list[str]:
        """The words heard, in order (sounds left out)."""
        return [h.text for h in self.heard(until) if h.kind not in ("chime", "released")]


def _begun(out: list[Heard], line: Line) -> bool:
    return any(h.text == line.text and abs(h.start - line.start) <= SAME_MOMENT_S for h in out)


def _until(heard: Heard, now: float) -> Heard:
    return Heard(heard.text, heard.start, min(heard.end, now), heard.kind)


def _cut(out: list[Heard], now: float, *, sounds_too: bool = True) -> list[Heard]:
    return [
        h if h.end <= now or (not sounds_too and h.kind in ("chime", "released")) else _until(h, now)
        for h in out
    ]
