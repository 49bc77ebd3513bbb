"""What the rest of the app asks of a voice, and two voices that need no sound card.

:class:`Speaker` is the interface; the Qt voice (:class:`neck_guide.voice.playback.player.VoicePlayer`)
implements it for real. :class:`FakeSpeaker` records what it was asked to say, for tests, and
:class:`SilentSpeaker` stands in when there is no speech at all.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final, Literal, Protocol

from neck_guide.engine.clock import Clock

SAME_MOMENT_S: Final = 0.05  # two exact cues of the same words this close are one cue


class Speaker(Protocol):
    """Says cue words. No method blocks the caller on speech or raises; a voice that cannot
    speak sets ``available`` False and says why in ``notice``.

    - ``say``: queued, said in order after what is being said.
    - ``say_now``: stops what is being said and clears the queue, then says this.
    - ``say_at``: an exact cue that begins at monotonic instant ``due``. It is dropped, not said
      late, when it cannot begin on time or would still be sounding when the next exact cue is
      due (a countdown word longer than its second is dropped, never pushes the rest late). It
      takes precedence over queued speech. Asking again for the same words at the same moment
      (within ``SAME_MOMENT_S``) does nothing: a cue scheduled ahead is said once.
    - ``chime_at``: the end-of-hold chime at ``due``, over any speech (once per moment, too).
    - ``cancel``: silence now, and forget everything queued or scheduled (pause, skip, back).
    - ``prepare``: render these phrases ahead, so they are ready when due.
    """

    @property
    def available(self) -> bool: ...

    @property
    def notice(self) -> str | None: ...

    def say(self, text: str) -> None: ...

    def say_now(self, text: str) -> None: ...

    def say_at(self, text: str, due: float) -> None: ...

    def chime_at(self, due: float) -> None: ...

    def cancel(self) -> None: ...

    def prepare(self, texts: Iterable[str]) -> None: ...


How = Literal["say", "say_now", "say_at", "chime_at", "cancel"]


@dataclass(frozen=True, slots=True)
class Said:
    """One request a FakeSpeaker received: ``at`` is ``due`` for say_at/chime_at, else the clock."""

    how: How
    text: str
    at: float


class FakeSpeaker:
    """Records what it was asked to say, with times, so tests compare the whole list at once."""

    def __init__(self, clock: Clock | None = None, *, available: bool = True, notice: str | None = None):
        self._clock = clock
        self.available = available
        self.notice = notice
        self.said: list[Said] = []
        self.prepared: list[str] = []
        self._scheduled: list[Said] = []

    def _now(self) -> float:
        return self._clock.monotonic() if self._clock is not None else 0.0

    def say(self, text: str) -> None:
        self.said.append(Said("say", text, self._now()))

    def say_now(self, text: str) -> None:
        self._scheduled.clear()
        self.said.append(Said("say_now", text, self._now()))

    def say_at(self, text: str, due: float) -> None:
        if any(
            s.how == "say_at" and s.text == text and abs(s.at - due) <= SAME_MOMENT_S for s in self._scheduled
        ):
            return
        said = Said("say_at", text, due)
        self._scheduled.append(said)
        self.said.append(said)

    def chime_at(self, due: float) -> None:
        if any(s.how == "chime_at" and abs(s.at - due) <= SAME_MOMENT_S for s in self._scheduled):
            return
        said = Said("chime_at", "", due)
        self._scheduled.append(said)
        self.said.append(said)

    def cancel(self) -> None:
        self._scheduled.clear()
        self.said.append(Said("cancel", "", self._now()))

    def prepare(self, texts: Iterable[str]) -> None:
        self.prepared.extend(texts)

    def texts(self) -> list[str]:
        """The words asked for, in order (cancels and chimes left out)."""
        return [s.text for s in self.said if s.how not in ("cancel", "chime_at")]


class SilentSpeaker:
    """No speech engine: says nothing, and tells the window why."""

    DEFAULT_NOTICE: Final = "Voice is off — cues are shown on screen only"

    def __init__(self, notice: str = DEFAULT_NOTICE) -> None:
        self.available = False
        self.notice: str | None = notice

    def say(self, text: str) -> None:
        pass

    def say_now(self, text: str) -> None:
        pass

    def say_at(self, text: str, due: float) -> None:
        pass

    def chime_at(self, due: float) -> None:
        pass

    def cancel(self) -> None:
        pass

    def prepare(self, texts: Iterable[str]) -> None:
        pass
