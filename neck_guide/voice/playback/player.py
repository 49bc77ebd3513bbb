"""The voice, Qt side: plays rendered phrases on time without ever making the window wait.

:class:`VoicePlayer` implements :class:`~neck_guide.voice.speaker.Speaker`. Phrases are rendered
by the :class:`~neck_guide.voice.synth.Synthesiser` on its worker thread (the answers come back
through a queued signal); the files are played with preloaded ``QSoundEffect`` objects. A timed
cue is started by a precise single-shot timer armed for its due instant, ``lead_s`` early to make
up for the time the audio output takes to start sounding. With no audio output, or no speech
engine, the player turns silent and says why in ``notice``: cues are then shown on screen only.

The player's :class:`~neck_guide.voice.playback.loudspeaker.Loudspeaker` makes the effects and rings
the chime; its docstring says why every sound is stopped before its file runs out.
:class:`~neck_guide.voice.playback.controller.VoiceController` wires the player to the narrator and settings.
"""

from __future__ import annotations

import bisect
import logging
import math
from collections import OrderedDict, deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Final

from PySide6.QtCore import QObject, Signal
from PySide6.QtMultimedia import QAudioDevice, QSoundEffect

from neck_guide.engine.clock import Clock, SystemClock
from neck_guide.paths import RESOURCES_DIR
from neck_guide.voice.cache import Phrase
from neck_guide.voice.playback.loudspeaker import NO_OUTPUT, Loudspeaker, precise_timer, stop_after_ms
from neck_guide.voice.speaker import SAME_MOMENT_S
from neck_guide.voice.synth import AHEAD, QUEUED, SCREEN_ONLY, URGENT, Failed, Outcome, Rendered, Synthesiser

log = logging.getLogger(__name__)

CHIME_WAV: Final = RESOURCES_DIR / "sounds" / "chime.wav"
# QSoundEffect sounds ~20 ms after play() for a 44.1 kHz file here (PulseAudio; see bench_voice.py):
# timed cues handed over ahead are started this much early, so they sound on the second.
OUTPUT_LEAD_S: Final = 0.015
LATE_S: Final = 0.25  # a timed cue that cannot begin within this of its moment is dropped
QUEUE_WAIT_S: Final = 10.0  # queued speech not begun within this is stale and dropped
MAX_EFFECTS: Final = 48  # preloaded phrases kept in memory
_TIMER_SLACK_S: Final = 0.002


@dataclass(order=True, slots=True)
class _Timed:
    due: float
    text: str | None = field(compare=False)  # None: the chime


@dataclass(slots=True)
class _Queued:
    text: str
    asked: float


@dataclass(slots=True)
class _Playing:
    text: str
    effect: QSoundEffect


class VoicePlayer(QObject):
    """Speaks through Qt Multimedia; a :class:`~neck_guide.voice.speaker.Speaker`.

    Signals:
        notice_changed(str): why speech is unavailable, in words for the window.
        spoken(str, float): a phrase started: its text and the monotonic instant it was played.
        dropped(str, str): a timed cue was not said: its text and why ("late", "overlap", "failed").
    """

    notice_changed = Signal(str)
    spoken = Signal(str, float)
    dropped = Signal(str, str)
    _answered = Signal(object)  # an Outcome, from the synthesiser's worker thread

    def __init__(
        self,
        synth: Synthesiser | None,
        *,
        voice: str = "",
        rate: int = 165,
        volume: float = 0.9,
        chime: str | None = str(CHIME_WAV),
        clock: Clock | None = None,
        lead_s: float = OUTPUT_LEAD_S,
        output: QAudioDevice | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._loudspeaker = Loudspeaker(output, self)  # output None: the system's default output
        self._synth = synth
        self._voice, self._rate, self._volume = voice, rate, volume
        self._chime_path = chime
        self._clock = clock or SystemClock()
        self.lead_s = lead_s
        self._started = False
        self._audio_notice: str | None = None
        self._speech_notice: str | None = None if synth else f"Voice is off — {SCREEN_ONLY}"
        self._ready: dict[str, Rendered] = {}
        self._asked: set[str] = set()
        self._preload: set[str] = set()  # phrases to keep loaded as soon as they are rendered
        self._effects: OrderedDict[str, QSoundEffect] = OrderedDict()
        self._queue: deque[_Queued] = deque()
        self._timed: list[_Timed] = []
        self._overdue: list[_Timed] = []
        self._handled: deque[_Timed] = deque(maxlen=16)
        self._playing: _Playing | None = None
        self._fire = precise_timer(self, self._on_fire)
        self._end = precise_timer(self, self._on_phrase_end)
        self._answered.connect(self._on_answered)
        self._loudspeaker.failed.connect(self._on_output_failed)

    # -- Speaker -------------------------------------------------------------------------------

    @property
    def available(self) -> bool:
        if self._speech_notice is not None:
            return False
        self._start()
        return self._audio_notice is None

    @property
    def notice(self) -> str | None:
        if self._speech_notice is None:
            self._start()
        return self._audio_notice or self._speech_notice

    def say(self, text: str) -> None:
        if self.available:
            self._queue.append(_Queued(text, self._clock.monotonic()))
            self._want(text, QUEUED)
            self._advance()

    def say_now(self, text: str) -> None:
        self.cancel()
        if self.available:
            self._queue.append(_Queued(text, self._clock.monotonic()))
            self._want(text, URGENT)
            self._advance()

    def say_at(self, text: str, due: float) -> None:
        if self.available and not self._known(text, due):
            bisect.insort(self._timed, _Timed(due, text))
            self._want(text, URGENT)
            self._arm()

    def chime_at(self, due: float) -> None:
        self._start()
        if self._loudspeaker.has_chime and self._audio_notice is None and not self._known(None, due):
            bisect.insort(self._timed, _Timed(due, None))
            self._arm()

    def cancel(self) -> None:
        self._queue.clear()
        self._timed.clear()
        self._overdue.clear()
        self._handled.clear()
        self._fire.stop()
        self._stop_playing()

    def prepare(self, texts: Iterable[str]) -> None:
        """Render ahead; the first ``MAX_EFFECTS // 2`` phrases (the timed words come first) are
        also kept loaded, ready to sound the moment they are due."""
        if self.available:
            for n, text in enumerate(texts):
                if n < MAX_EFFECTS // 2:
                    self._preload.add(text)
                self._want(text, AHEAD)

    # -- settings ------------------------------------------------------------------------------

    def set_voice(self, voice: str, rate: int) -> None:
        """Another voice or rate: phrases are rendered again (or found in the cache) as needed."""
        if (voice, rate) != (self._voice, self._rate):
            self._voice, self._rate = voice, rate
            self._ready.clear()
            self._asked.clear()

    def set_volume(self, volume: float) -> None:
        self._volume = volume

    def close(self) -> None:
        """Silence and stop the speech process."""
        self.cancel()
        if self._synth is not None:
            self._synth.close()

    # -- internals -----------------------------------------------------------------------------

    def _start(self) -> None:
        """Look for an audio output once, on first use (not in the constructor) and only if there
        is something to play."""
        if self._started or (self._synth is None and self._chime_path is None):
            return
        self._started = True
        if not self._loudspeaker.found():
            self._go_silent(audio=NO_OUTPUT)
            return
        if self._chime_path:
            tail_dir = self._synth.cache.root if self._synth is not None else None
            self._loudspeaker.load_chime(self._chime_path, tail_dir)

    def _known(self, text: str | None, due: float) -> bool:
        """Whether this cue is already scheduled or handled (a cue scheduled ahead comes due again)."""
        return any(
            t.text == text and abs(t.due - due) <= SAME_MOMENT_S
            for t in (*self._timed, *self._overdue, *self._handled)
        )

    def _want(self, text: str, priority: int) -> None:
        if priority != AHEAD:
            self._preload.add(text)
        if text in self._ready:
            self._effect(str(self._ready[text].path))  # keep it loaded
        elif self._synth is not None and (text not in self._asked or priority == URGENT):
            self._asked.add(text)
            self._synth.submit(Phrase(text, self._voice, self._rate), self._answered.emit, priority=priority)

    def _on_answered(self, outcome: Outcome) -> None:
        phrase = outcome.phrase
        if (phrase.voice, phrase.rate) != (self._voice, self._rate):
            return  # rendered for a voice no longer in use
        self._asked.discard(phrase.text)
        if isinstance(outcome, Failed):
            self._on_failed(outcome)
        else:
            self._ready[phrase.text] = outcome
            if phrase.text in self._preload:
                self._effect(str(outcome.path))
        self._retry_overdue()
        self._advance()

    def _on_failed(self, outcome: Failed) -> None:
        text = outcome.phrase.text
        log.warning("speech: %s", outcome.error)
        if self._synth is not None and not self._synth.available:
            self._go_silent(speech=self._synth.notice)
            return
        self._queue = deque(q for q in self._queue if q.text != text)
        for timed in [t for t in (*self._timed, *self._overdue) if t.text == text]:
            self._drop(timed, "failed")

    def _effect(self, path: str) -> QSoundEffect:
        """The preloaded effect for ``path`` (the least recently used ones are let go)."""
        effect = self._effects.get(path)
        if effect is not None:
            self._effects.move_to_end(path)
            return effect
        effect = self._effects[path] = self._loudspeaker.effect(path)
        self._let_go(len(self._effects) - MAX_EFFECTS)
        return effect

    def _let_go(self, count: int) -> None:
        """Delete up to ``count`` least recently used effects, never one that is sounding (its words
        would be cut off); the chimes are not among them (the loudspeaker keeps those)."""
        for path, old in list(self._effects.items()):
            if count <= 0:
                return
            if old.isPlaying() or (self._playing is not None and old is self._playing.effect):
                continue
            del self._effects[path]
            old.deleteLater()
            count -= 1

    def _on_output_failed(self, notice: str) -> None:
        self._go_silent(audio=notice)

    def _go_silent(self, *, audio: str | None = None, speech: str | None = None) -> None:
        before = self._audio_notice or self._speech_notice
        self._audio_notice = self._audio_notice or audio
        self._speech_notice = self._speech_notice or speech
        self.cancel()
        after = self._audio_notice or self._speech_notice
        if after and after != before:
            log.warning("%s", after)
            self.notice_changed.emit(after)

    # -- timing --------------------------------------------------------------------------------

    def _arm(self) -> None:
        if not self._timed:
            self._fire.stop()
            return
        wait_s = self._timed[0].due - self.lead_s - self._clock.monotonic()
        if wait_s <= _TIMER_SLACK_S:
            self._on_fire()
        else:
            self._fire.start(max(1, math.floor(wait_s * 1000)))

    def _on_fire(self) -> None:
        now = self._clock.monotonic()
        while self._timed and self._timed[0].due - self.lead_s <= now + _TIMER_SLACK_S:
            self._begin(self._timed.pop(0), now)
        self._arm()
        self._advance()

    def _begin(self, timed: _Timed, now: float) -> None:
        late = now - (timed.due - self.lead_s)
        if timed.text is None:
            self._handled.append(timed)
            if self._loudspeaker.has_chime and late <= LATE_S:
                self._loudspeaker.ring(self._volume)
            return
        rendered = self._ready.get(timed.text)
        if late > LATE_S:
            self._drop(timed, "late")
        elif rendered is None:
            self._overdue.append(timed)  # still rendering: said if it arrives in time
        elif self._runs_into_next(now + rendered.seconds):
            self._drop(timed, "overlap")
        else:
            self._handled.append(timed)
            self._stop_playing()
            self._play(rendered)

    def _runs_into_next(self, ends: float) -> bool:
        following = next((t for t in self._timed if t.text is not None), None)
        return following is not None and ends > following.due - self.lead_s

    def _retry_overdue(self) -> None:
        overdue, self._overdue = self._overdue, []
        now = self._clock.monotonic()
        for timed in overdue:
            self._begin(timed, now)

    def _drop(self, timed: _Timed, why: str) -> None:
        self._handled.append(timed)
        self._overdue = [t for t in self._overdue if t is not timed]
        log.info("speech: dropped %r (%s)", timed.text, why)
        self.dropped.emit(timed.text or "", why)

    def _advance(self) -> None:
        """Start the next queued phrase if nothing is playing and it fits before the next cue."""
        now = self._clock.monotonic()
        while self._playing is None and self._queue:
            head = self._queue[0]
            rendered = self._ready.get(head.text)
            if now - head.asked > QUEUE_WAIT_S:
                self._queue.popleft()
                log.info("speech: dropped %r (stale)", head.text)
            elif rendered is None or self._runs_into_next(now + rendered.seconds) or self._overdue:
                return  # wait for the rendering, or for the timed cue to pass
            else:
                self._queue.popleft()
                self._play(rendered)

    def _play(self, rendered: Rendered) -> None:
        effect = self._effect(str(rendered.path))
        effect.setVolume(self._volume)
        effect.play()
        played = self._clock.monotonic()
        self._playing = _Playing(rendered.phrase.text, effect)
        self._end.start(stop_after_ms(rendered.seconds))
        self.spoken.emit(rendered.phrase.text, played)

    def _on_phrase_end(self) -> None:
        self._stop_playing()  # the words are over: stopped before the silent tail runs out
        self._advance()

    def _stop_playing(self) -> None:
        if self._playing is not None:
            self._playing.effect.stop()
            self._playing = None
            self._end.stop()
