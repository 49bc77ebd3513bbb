"""The voice's output where no PulseAudio server answers: QSoundEffect on the GUI thread.

An :class:`~neck_guide.voice.playback.output.Output`. Each sound is started by a precise
single-shot timer ``lead_s`` before its instant (QSoundEffect sounds ~20 ms after ``play()`` for a
44.1 kHz file), and stopped by another once its words are over, inside the silent tail every
file has (:data:`~neck_guide.voice.cache.SILENT_TAIL_S`): in Qt 6.11 a QSoundEffect voice that
plays to its natural end may be freed on the audio thread, destroying a socket notifier of the
GUI thread (cache.py describes the symptoms); one ended by ``stop()`` is always freed on the GUI
thread. Never mute or zero the volume of one effect: it silences the others.

Qt 6.11 keeps at most 1024 frames of each stream in the sound server, so on a busy machine this
output stutters (see :mod:`~neck_guide.voice.playback.pulse`); it is the fallback, not the rule.
"""

from __future__ import annotations

import logging
import math
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from PySide6.QtCore import QObject, Qt, QTimer, QUrl, Signal
from PySide6.QtMultimedia import QAudioDevice, QMediaDevices, QSoundEffect

from neck_guide.engine.clock import Clock, SystemClock
from neck_guide.voice.playback.output import Channel, Scheduled, Started
from neck_guide.voice.synth import SCREEN_ONLY

log = logging.getLogger(__name__)

NO_OUTPUT: Final = f"Voice unavailable: no audio output found — {SCREEN_ONLY}"
OUTPUT_LEAD_S: Final = 0.015  # QSoundEffect sounds ~20 ms after play() here (PulseAudio)
MAX_EFFECTS: Final = 48  # preloaded sounds kept in memory
_END_MARGIN_MS: Final = 30
_TIMER_SLACK_S: Final = 0.002


def stop_after_ms(seconds: float) -> int:
    """When to stop a sound whose words last ``seconds``: just after them, inside its silent tail."""
    return math.ceil(seconds * 1000) + _END_MARGIN_MS


def precise_timer(parent: QObject, slot: Callable[[], None]) -> QTimer:
    """A single-shot timer calling ``slot``, precise (a QTimer is coarse unless told otherwise)."""
    timer = QTimer(parent)
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.setSingleShot(True)
    timer.timeout.connect(slot)
    return timer


@dataclass(slots=True)
class _Playing:
    item: Scheduled
    effect: QSoundEffect
    ends: QTimer  # stops it once its words are over, before its file runs out
    until: float


class Loudspeaker(QObject):
    """QSoundEffects on one audio output, played on their instants.

    Signals:
        failed(str): an effect cannot be played; why, in words for the window.
        started(object): a :class:`~neck_guide.voice.playback.output.Started`.
    """

    failed = Signal(str)
    started = Signal(object)

    def __init__(
        self,
        output: QAudioDevice | None = None,
        *,
        clock: Clock | None = None,
        lead_s: float = OUTPUT_LEAD_S,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._output = output  # None: the system's default output
        self._clock = clock or SystemClock()
        self.lead_s = lead_s
        self._effects: OrderedDict[tuple[Path, int], QSoundEffect] = OrderedDict()
        self._due: list[Scheduled] = []
        self._playing: list[_Playing] = []
        self._fire = precise_timer(self, self._on_fire)

    @staticmethod
    def found() -> bool:
        """Whether the system has an audio output at all."""
        return bool(QMediaDevices.audioOutputs())

    # -- Output --------------------------------------------------------------------------------

    def load(self, path: Path, seconds: float, volume: float) -> None:
        self._effect(path, 0)

    def schedule(self, sounds: list[Scheduled]) -> None:
        keys = {s.key for s in sounds}
        now = self._clock.monotonic()
        for playing in list(self._playing):
            if playing.item.channel == "speech" and playing.item.key not in keys and playing.until > now:
                self._end(playing)
        begun = {p.item.key for p in self._playing}
        self._due = sorted((s for s in sounds if s.key not in begun), key=lambda s: s.at)
        self._arm()

    def stop(self, channel: Channel | None = None) -> None:
        self._due = [d for d in self._due if channel is not None and d.channel != channel]
        for playing in list(self._playing):
            if channel is None or playing.item.channel == channel:
                self._end(playing)
        self._arm()

    def close(self) -> None:
        self.stop()

    # -- internals -----------------------------------------------------------------------------

    def _arm(self) -> None:
        if not self._due:
            self._fire.stop()
            return
        wait_s = self._due[0].at - self.lead_s - self._clock.monotonic()
        self._fire.start(max(0, math.floor(wait_s * 1000)))

    def _on_fire(self) -> None:
        now = self._clock.monotonic()
        while self._due and self._due[0].at - self.lead_s <= now + _TIMER_SLACK_S:
            item = self._due.pop(0)
            if now - item.at > item.late_s:
                self.started.emit(Started(item.tag, None))
            else:
                self._play(item, now)
        self._arm()

    def _play(self, item: Scheduled, now: float) -> None:
        if item.channel == "speech":
            for playing in [p for p in self._playing if p.item.channel == "speech"]:
                self._end(playing)
        ringing = {id(p.effect) for p in self._playing}
        slot = 0 if id(self._effect(item.path, 0)) not in ringing else 1  # a sound may ring twice
        effect = self._effect(item.path, slot)
        effect.stop()
        effect.setVolume(item.volume)
        effect.play()
        ends = precise_timer(self, lambda: None)
        playing = _Playing(item, effect, ends, now + item.seconds)
        ends.timeout.connect(lambda: self._end(playing))
        ends.start(stop_after_ms(item.seconds))
        self._playing.append(playing)
        self.started.emit(Started(item.tag, now + self.lead_s))

    def _end(self, playing: _Playing) -> None:
        playing.effect.stop()
        playing.ends.stop()
        playing.ends.deleteLater()
        if playing in self._playing:
            self._playing.remove(playing)

    def _effect(self, path: Path, slot: int) -> QSoundEffect:
        """The preloaded effect for ``path`` (the least recently used ones are let go)."""
        key = (path, slot)
        effect = self._effects.get(key)
        if effect is not None:
            self._effects.move_to_end(key)
            return effect
        effect = self._effects[key] = QSoundEffect(self)
        if self._output is not None:
            effect.setAudioDevice(self._output)
        effect.statusChanged.connect(self._on_effect_status)
        effect.setSource(QUrl.fromLocalFile(str(path)))
        self._let_go(len(self._effects) - MAX_EFFECTS)
        return effect

    def _let_go(self, count: int) -> None:
        """Delete up to ``count`` least recently used effects, never one that is sounding."""
        sounding = {id(p.effect) for p in self._playing}
        for key, old in list(self._effects.items()):
            if count <= 0:
                return
            if id(old) in sounding or old.isPlaying():
                continue
            del self._effects[key]
            old.deleteLater()
            count -= 1

    def _on_effect_status(self) -> None:
        effect = self.sender()
        if not isinstance(effect, QSoundEffect) or effect.status() != QSoundEffect.Status.Error:
            return
        if not self.found():
            self.failed.emit(NO_OUTPUT)
        else:
            self.failed.emit(f"Voice unavailable: the audio output cannot play speech — {SCREEN_ONLY}")
