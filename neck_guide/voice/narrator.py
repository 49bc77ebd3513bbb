"""Narrates a session: a pure mapping from the runner's events to the lines a Speaker plays.

The engine publishes every cue instant ahead (CuesScheduled); the narrator keeps the cues the
settings say to speak, has the :mod:`~neck_guide.voice.planner` place them by their lengths, and
hands the whole plan to the speaker, which starts each line on its instant. It never asks the
session for anything. Pure Python, so a session's whole spoken script can be checked with a
FakeSpeaker and a FakeClock.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from neck_guide.engine.clock import Clock
from neck_guide.engine.events import (
    CuesScheduled,
    Event,
    Extended,
    Paused,
    RatingRecorded,
    SessionEnded,
    SessionStarted,
    StepEnded,
    Undone,
)
from neck_guide.protocol.plan import Plan
from neck_guide.settings import Settings
from neck_guide.voice.phrases import speech_plan
from neck_guide.voice.planner import CHIME_KINDS, CuePlan, Line, plan_cues
from neck_guide.voice.script import EASE_OFF, Verbosity, speaks
from neck_guide.voice.speaker import SAME_MOMENT_S, Speaker, estimated_seconds

# Lines of the last plan that start this soon are kept as they are in a new plan: the output may
# have begun writing them (see playback/pulse.py, LEAD_S), and a phrase moved by a few
# milliseconds would be cut and said again.
COMMITTED_S: Final = 0.5


class Narrator:
    """Turns runner events into lines for a Speaker. ``on_event`` is a runner subscriber.

    The settings in force (verbosity, chime, voice on/off, mute) are given by :meth:`apply` on
    every change; what is still to come is planned again with them at once. When no voice can
    be heard because speech is off or its engine could not start, ``set_voice(False)`` is called
    once per session so the record says the session ran without voice.
    """

    def __init__(
        self,
        speaker: Speaker,
        settings: Settings,
        clock: Clock,
        *,
        set_voice: Callable[[bool], None] | None = None,
    ) -> None:
        self.speaker = speaker
        self.settings = settings
        self.clock = clock
        self.set_voice = set_voice
        self.last: CuePlan = CuePlan()  # what was handed over last
        self._reported = False
        self._schedule: CuesScheduled | None = None

    @property
    def muted(self) -> bool:
        return self.settings.voice_muted

    def apply(self, settings: Settings) -> None:
        """The settings now in force. Muting (or speech off) silences at once; unmuting speaks
        from the next cue; any other change applies to what is still to come."""
        self.settings = settings
        self._cancel()
        self._replan()

    def prepare(self, *plans: Plan) -> None:
        """Render every phrase these plans may say, timed words first, before a session needs them."""
        if self._voice_on():
            self.speaker.prepare(speech_plan(plans, self._verbosity()))

    def on_event(self, event: Event) -> None:
        if isinstance(event, SessionStarted):
            self._reported = False
        self._report_voice(event)
        match event:
            case CuesScheduled():
                self._schedule = event
                self._replan()
            case RatingRecorded(rating=rating) if rating.ease_off and self._speaking() != "none":
                self.speaker.say_now(EASE_OFF)
            case Paused():
                self._schedule = None
                self._cancel()
            case SessionEnded():
                self._schedule = None
                self._finish()
            case Extended() | Undone():
                self._cancel()  # the step or its end moved: a new schedule follows
            case StepEnded(visit=visit) if visit.end_reason != "completed":
                self._schedule = None
                self._cancel()  # next, back, skip, release: what was pending is moot
                if visit.end_reason == "released":
                    self._released()

    # -- internals -----------------------------------------------------------------------------

    def _replan(self) -> None:
        schedule, now = self._schedule, self.clock.monotonic()
        kept = [line for line in self.last.lines if line.start <= now + COMMITTED_S and line.end > now]
        if schedule is None or self.muted:
            return
        verbosity = self._speaking()
        cues = [c for c in schedule.cues if speaks(c.cue.kind, verbosity)]
        chimes = [c.due for c in schedule.cues if c.cue.kind in CHIME_KINDS] if self._chime() else []
        plan = plan_cues(cues, now=now, ends=schedule.ends, seconds=self._seconds, chimes=chimes, kept=kept)
        plan.lines = sorted([*kept, *plan.lines], key=lambda line: (line.start, line.sound))
        self.last = plan
        self.speaker.play(plan.lines)

    def _released(self) -> None:
        """A short sound confirms an early release (the next step's lines fit after it)."""
        if self.muted or not self._chime():
            return
        now = self.clock.monotonic()
        tick = Line(now, self._seconds("released"), "released", "released", now)
        self.last = CuePlan([tick])
        self.speaker.play([tick])

    def _finish(self) -> None:
        """The session ended: what is due now (the last step's release and chime) is still said,
        nothing later."""
        now = self.clock.monotonic()
        lines = [line for line in self.last.lines if line.start <= now + SAME_MOMENT_S and line.end > now]
        self.last = CuePlan(lines)
        self.speaker.play(lines)

    def _cancel(self) -> None:
        self.last = CuePlan()
        self.speaker.cancel()

    def _seconds(self, text: str) -> float:
        known = self.speaker.seconds(text)
        return known if known is not None else estimated_seconds(text)

    def _report_voice(self, event: Event) -> None:
        if self._reported or self.set_voice is None or isinstance(event, SessionEnded):
            return
        if not self._voice_on() or not self.speaker.available:
            self._reported = True
            self.set_voice(False)

    def _speaking(self) -> Verbosity:
        return self._verbosity() if self._voice_on() and not self.muted else "none"

    def _chime(self) -> bool:
        return self.settings.chime

    def _voice_on(self) -> bool:
        return self.settings.voice_enabled

    def _verbosity(self) -> Verbosity:
        return self.settings.voice_verbosity
