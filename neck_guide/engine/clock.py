"""The one clock the app reads: monotonic seconds for timing, a wall anchor for records.

The engine is told ``now`` by its caller and never reads a clock itself. Records carry wall
time derived from one anchor taken at session start plus monotonic offsets, so a wall-clock
jump (NTP, daylight saving) mid-session cannot reorder or stretch a record.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def monotonic(self) -> float:
        """Seconds from an arbitrary origin; never goes backwards."""
        ...

    def wall(self) -> datetime:
        """Local wall-clock time with its UTC offset (an aware datetime)."""
        ...


class SystemClock:
    """The real clock."""

    def monotonic(self) -> float:
        return time.monotonic()

    def wall(self) -> datetime:
        return datetime.now().astimezone()


class FakeClock:
    """A clock that moves only when told to: for tests, so nothing sleeps."""

    def __init__(self, start: float = 1000.0, wall: datetime | None = None) -> None:
        self._now = start
        self._wall0 = wall or datetime(2026, 1, 5, 9, 0, 0).astimezone()
        self._start = start

    def monotonic(self) -> float:
        return self._now

    def wall(self) -> datetime:
        return self._wall0 + timedelta(seconds=self._now - self._start)

    def advance(self, seconds: float) -> float:
        if seconds < 0:
            raise ValueError("a monotonic clock cannot go back")
        self._now += seconds
        return self._now

    def set(self, now: float) -> None:
        if now < self._now:
            raise ValueError("a monotonic clock cannot go back")
        self._now = now


class WallAnchor:
    """Maps monotonic instants to wall time from a single anchor pair."""

    def __init__(self, clock: Clock) -> None:
        self._mono0 = clock.monotonic()
        self._wall0 = clock.wall()

    def at(self, monotonic: float) -> datetime:
        return self._wall0 + timedelta(seconds=monotonic - self._mono0)

    def iso(self, monotonic: float) -> str:
        return self.at(monotonic).isoformat(timespec="milliseconds")
