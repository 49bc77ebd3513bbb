"""Narrates a session: listens to the runner's events and drives a Speaker as the settings say.

Pure Python (it only knows the :class:`~neck_guide.voice.speaker.Speaker` interface), so the
whole spoken script of a session can be checked with a FakeSpeaker and a FakeClock.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from neck_guide.engine.events import (
    Cue,
    CueDue,
    Event,
    Extended,
    SessionEnded,
    SessionStarted,
    StepStarted,
    Undone,
)
from neck_guide.protocol.plan import Plan
from neck_guide.settings import Settings
from neck_guide.voice.phrases import speech_plan
from neck_guide.voice.script import (
    Action,
    Cancel,
    ChimeAt,
    Say,
    SayAt,
    SayNow,
    Verbosity,
    ahead,
    cue_actions,
    event_actions,
)
from neck_guide.voice.speaker import Speaker


class CueSource(Protocol):
    """What the narrator needs of the runner: the cue schedule, to look one cue ahead."""

    @property
    def time_scale(self) -> float: ...

    def cues_for(self, index: int) -> list[Cue]: ...


class Narrator:
    """Turns runner events into speech. ``on_event`` is a runner subscriber.

    The settings in force (verbosity, chime, voice on/off, mute) are given by :meth:`apply` on
    every change and read at each event, so a change applies at once. ``cues``
    gives the running session's runner (or None), for looking one timed cue ahead; without it
    timed cues are handed over when they come due. When no voice can be heard because speech
    is off or its engine could not start, ``set_voice(False)`` is called once per session so the
    record says the session ran without voice.
    """

    def __init__(
        self,
        speaker: Speaker,
        settings: Settings,
        *,
        cues: Callable[[], CueSource | None] | None = None,
        set_voice: Callable[[bool], None] | None = None,
    ) -> None:
        self.speaker = speaker
        self.settings = settings
        self.cues = cues
        self.set_voice = set_voice
        self._reported = False
        self._index: int | None = None
        self._visit: int | None = None
        self._extended = False

    @property
    def muted(self) -> bool:
        return self.settings.voice_muted

    def apply(self, settings: Settings) -> None:
        """The settings now in force. Muting (or speech off) silences at once; unmuting speaks
        from the next cue."""
        self.settings = settings
        if settings.voice_muted or not settings.voice_enabled:
            self.speaker.cancel()

    def prepare(self, *plans: Plan) -> None:
        """Render every phrase these plans may say, timed words first, before a session needs them."""
        if self._voice_on():
            self.speaker.prepare(speech_plan(plans, self._verbosity()))

    def on_event(self, event: Event) -> None:
        self._track(event)
        self._report_voice(event)
        chime = self.settings.chime and not self.muted
        verbosity: Verbosity = self._verbosity() if self._voice_on() and not self.muted else "none"
        actions = event_actions(event, verbosity, chime=chime)
        if isinstance(event, CueDue):
            actions = self._look_ahead(event, verbosity, chime) + actions
        for action in actions:
            self._apply(action)

    def _track(self, event: Event) -> None:
        if isinstance(event, StepStarted):
            self._index, self._visit, self._extended = event.visit.index, event.visit.visit, False
        elif isinstance(event, Extended | Undone):
            self._extended = True  # the schedule moved: no more look-ahead in this visit
        elif isinstance(event, SessionStarted):
            self._reported = False

    def _look_ahead(self, event: CueDue, verbosity: Verbosity, chime: bool) -> list[Action]:
        source = self.cues() if self.cues is not None else None
        if source is None or self._index is None or event.visit != self._visit or self._extended:
            return []
        upcoming = ahead(event, source.cues_for(self._index), source.time_scale)
        return [a for cue, due in upcoming for a in cue_actions(cue, due, verbosity, chime=chime)]

    def _report_voice(self, event: Event) -> None:
        if self._reported or self.set_voice is None or isinstance(event, SessionEnded):
            return
        if not self._voice_on() or not self.speaker.available:
            self._reported = True
            self.set_voice(False)

    def _apply(self, action: Action) -> None:
        match action:
            case Say(text):
                self.speaker.say(text)
            case SayNow(text):
                self.speaker.say_now(text)
            case SayAt(text, due):
                self.speaker.say_at(text, due)
            case ChimeAt(due):
                self.speaker.chime_at(due)
            case Cancel():
                self.speaker.cancel()

    def _voice_on(self) -> bool:
        return self.settings.voice_enabled

    def _verbosity(self) -> Verbosity:
        return self.settings.voice_verbosity
