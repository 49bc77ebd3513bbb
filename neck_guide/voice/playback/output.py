"""What the player asks of an audio output: sounds scheduled on their instants.

Two outputs implement it: :class:`~neck_guide.voice.playback.pulse.PulseOutput` (PulseAudio,
whole phrases in the server's buffer: used wherever a PulseAudio or PipeWire server answers)
and :class:`~neck_guide.voice.playback.loudspeaker.Loudspeaker` (QSoundEffect: elsewhere).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol

Channel = Literal["speech", "sound"]  # one phrase at a time; sounds (chime, tick) ring over it


@dataclass(frozen=True, slots=True)
class Scheduled:
    """A sound to play: the first ``seconds`` of ``path`` at monotonic instant ``at``."""

    key: tuple[str, float]  # (text, planned start): the same line handed over again is this key
    channel: Channel
    path: Path
    seconds: float
    at: float
    volume: float
    tag: int  # the player's number for it, reported back in Started
    late_s: float  # not played at all if it cannot start within this of ``at``


@dataclass(frozen=True, slots=True)
class Started:
    """What became of a scheduled sound: the instant it sounds, or None if it was too late."""

    tag: int
    at: float | None


class Output(Protocol):
    """Plays scheduled sounds on their instants. Never blocks the caller."""

    def load(self, path: Path, seconds: float, volume: float) -> None:
        """Make ``path`` ready ahead, so it sounds the moment it is due."""

    def schedule(self, sounds: list[Scheduled]) -> None:
        """These sounds replace what was scheduled. One already started goes on if it is among
        them (same key); a phrase that started and is not, stops."""

    def stop(self, channel: Channel | None = None) -> None:
        """Silence ``channel`` (or all) now, and forget what was scheduled on it."""

    def close(self) -> None: ...
