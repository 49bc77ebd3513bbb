"""A session narrated into a FakeSpeaker: a real SessionRunner on a FakeClock, polled at every
deadline as the Qt timer would, so a test reads the whole spoken script (what would be heard,
when) without waiting for anything."""

from __future__ import annotations

import itertools
from typing import Any

from neck_guide.engine.clock import FakeClock
from neck_guide.engine.runner import SessionRunner
from neck_guide.protocol.model import Protocol
from neck_guide.protocol.plan import Plan, expand
from neck_guide.settings import Settings
from neck_guide.voice.narrator import Narrator
from neck_guide.voice.speaker import FakeSpeaker, Heard

T0 = 1000.0
# Lengths like espeak-ng's at the default rate (the fake uses an estimate for the rest).
LENGTHS = {
    "Three": 0.32,
    "Two": 0.3,
    "One": 0.3,
    "Release.": 0.43,
    "Release now.": 0.7,
    "Ten seconds.": 0.8,
    "Switch sides.": 0.88,
    "Breathe in": 0.52,
    "Breathe out": 0.54,
    "Hold": 0.3,
    "Rest.": 0.45,
    "chime": 0.6,
    "released": 0.12,
}


def plan_of(*steps: dict[str, Any]) -> Plan:
    return expand(
        Protocol.model_validate(
            {
                "schema_version": 1,
                "id": "voice-drill",
                "title": "Voice drill",
                "version": "1.0",
                "summary": "A protocol built by a voice test.",
                "phases": [{"id": "main", "title": "Main", "steps": list(steps)}],
            }
        )
    )


class Session:
    """A runner, its clock and a narrator speaking into a FakeSpeaker."""

    def __init__(self, plan: Plan, *, available: bool = True, **values: Any) -> None:
        self.clock = FakeClock(T0)
        self.runner = SessionRunner(plan, self.clock, auto_advance=values.pop("auto_advance", True))
        self.speaker = FakeSpeaker(self.clock, available=available, lengths=LENGTHS)
        self.settings = Settings(**values)
        self.voice_reports: list[bool] = []
        self.narrator = Narrator(self.speaker, self.settings, self.clock, set_voice=self.voice_reports.append)
        self.runner.subscribe(self.narrator.on_event)

    @property
    def now(self) -> float:
        return self.clock.monotonic()

    def start(self) -> None:
        self.runner.start(self.now)

    def run_until(self, at: float) -> None:
        """Poll at every deadline up to ``T0 + at``, as the Qt timer would."""
        while (deadline := self.runner.next_deadline()) is not None and deadline <= T0 + at:
            self.clock.set(deadline)
            self.runner.poll(deadline)
        self.clock.set(T0 + at)
        self.runner.poll(T0 + at)

    def heard(self) -> list[tuple[float, str]]:
        """(seconds from the start, words or sound) of everything heard by now."""
        return [(round(h.start - T0, 3), h.text) for h in self.speaker.heard(self.now)]

    def speech(self) -> list[Heard]:
        return [h for h in self.speaker.heard(self.now) if h.kind not in ("chime", "released")]


def overlaps(heard: list[Heard]) -> list[tuple[str, str]]:
    """Pairs of phrases heard at the same time."""
    ordered = sorted(heard, key=lambda h: h.start)
    return [(a.text, b.text) for a, b in itertools.pairwise(ordered) if b.start < a.end - 1e-9]
