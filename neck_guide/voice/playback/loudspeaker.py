"""The voice's loudspeaker: the QSoundEffects made on one audio output, and the chime.

Every sound the voice plays ends in a silent tail (:data:`~neck_guide.voice.cache.SILENT_TAIL_S`)
and is stopped by a precise timer once its words (or the chime) are over, before its file runs
out: in Qt 6.11 a QSoundEffect voice that plays to its natural end may be freed on the audio
thread, destroying a socket notifier of the GUI thread (cache.py describes the symptoms); one
ended by ``stop()`` is always freed on the GUI thread. :func:`stop_after_ms` says when to stop.

:class:`Loudspeaker` makes the effects and says in words when the output cannot play them; the
:class:`~neck_guide.voice.playback.player.VoicePlayer` decides which phrases stay loaded and when they play.
"""

from __future__ import annotations

import logging
import math
import wave
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from PySide6.QtCore import QObject, Qt, QTimer, QUrl, Signal
from PySide6.QtMultimedia import QAudioDevice, QMediaDevices, QSoundEffect

from neck_guide.paths import PRIVATE_DIR_MODE
from neck_guide.voice.cache import CACHE_FORMAT, add_silent_tail
from neck_guide.voice.synth import SCREEN_ONLY

log = logging.getLogger(__name__)

NO_OUTPUT: Final = f"Voice unavailable: no audio output found — {SCREEN_ONLY}"
_END_MARGIN_MS: Final = 30


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
class _Chime:
    effect: QSoundEffect
    ends: QTimer  # stops it once the chime has sounded, before its file runs out


class Loudspeaker(QObject):
    """One audio output as the voice sees it: the effects made on it, its failures, the chime.

    Signals:
        failed(str): an effect cannot be played; why, in words for the window.
    """

    failed = Signal(str)

    def __init__(self, output: QAudioDevice | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._output = output  # None: the system's default output
        self._chimes: list[_Chime] = []  # two, rung in turn: a chime is stopped, never left to end

    @staticmethod
    def found() -> bool:
        """Whether the system has an audio output at all."""
        return bool(QMediaDevices.audioOutputs())

    def effect(self, path: str) -> QSoundEffect:
        """A QSoundEffect of ``path`` on this output: made here, on the GUI thread, like every Qt
        object of the player."""
        effect = QSoundEffect(self)
        if self._output is not None:
            effect.setAudioDevice(self._output)
        effect.statusChanged.connect(self._on_effect_status)
        effect.setSource(QUrl.fromLocalFile(path))
        return effect

    # -- the chime -----------------------------------------------------------------------------

    @property
    def has_chime(self) -> bool:
        return bool(self._chimes)

    def load_chime(self, path: str, tail_dir: Path | None) -> None:
        """Two effects of the chime, with a silent tail (written in ``tail_dir``, the speech cache)
        so they can be stopped. They are kept for good, apart from the phrases the player lets go."""
        seconds = 0.6
        if tail_dir is not None:
            tailed = tail_dir / f"chime-{CACHE_FORMAT}.wav"
            try:
                tail_dir.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR_MODE)
                seconds = add_silent_tail(Path(path), tailed)
                path = str(tailed)
            except (OSError, wave.Error, EOFError) as e:
                log.warning("speech: the chime is played without its silent tail (%s)", e)
        for _ in range(2):
            effect = self.effect(path)
            ends = precise_timer(self, effect.stop)
            ends.setInterval(stop_after_ms(seconds))
            self._chimes.append(_Chime(effect, ends))

    def ring(self, volume: float) -> None:
        """Ring the chime that is silent (or, if both still ring, the one rung first, stopped)."""
        chime = next((c for c in self._chimes if not c.effect.isPlaying()), self._chimes[0])
        self._chimes.remove(chime)
        self._chimes.append(chime)  # the other one is next
        chime.effect.stop()
        chime.effect.setVolume(volume)
        chime.effect.play()
        chime.ends.start()

    # -- internals -----------------------------------------------------------------------------

    def _on_effect_status(self) -> None:
        effect = self.sender()
        if not isinstance(effect, QSoundEffect) or effect.status() != QSoundEffect.Status.Error:
            return
        if not self.found():
            self.failed.emit(NO_OUTPUT)
        else:
            self.failed.emit(f"Voice unavailable: the audio output cannot play speech — {SCREEN_ONLY}")
