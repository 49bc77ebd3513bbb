"""The voice, Qt side: plays planned lines on their instants without ever making the window wait.

:class:`VoicePlayer` implements :class:`~neck_guide.voice.speaker.Speaker`. Phrases are rendered
by the :class:`~neck_guide.voice.synth.Synthesiser` on its worker thread (the answers come back
through a queued signal); each line of a plan, once its phrase is rendered, is handed to the
output with its instant, well ahead of it, and the output starts it on time:
:class:`~neck_guide.voice.playback.pulse.PulseOutput` wherever a PulseAudio (or PipeWire) server
answers, :class:`~neck_guide.voice.playback.loudspeaker.Loudspeaker` (QSoundEffect) elsewhere.
With no audio output, or no speech engine, the player turns silent and says why in ``notice``:
cues are then shown on screen only.
"""

from __future__ import annotations

import itertools
import logging
import sys
import wave
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Final, Literal

from PySide6.QtCore import QObject, Signal
from PySide6.QtMultimedia import QAudioDevice

from neck_guide.engine.clock import Clock, SystemClock
from neck_guide.paths import PRIVATE_DIR_MODE, RESOURCES_DIR
from neck_guide.voice.cache import CACHE_FORMAT, Phrase, add_silent_tail
from neck_guide.voice.planner import LATE_S, PINNED, Line
from neck_guide.voice.playback.loudspeaker import NO_OUTPUT, Loudspeaker
from neck_guide.voice.playback.output import Output, Scheduled, Started
from neck_guide.voice.playback.pulse import PulseError, PulseOutput
from neck_guide.voice.speaker import SOUND_SECONDS
from neck_guide.voice.synth import AHEAD, QUEUED, SCREEN_ONLY, URGENT, Failed, Outcome, Rendered, Synthesiser

log = logging.getLogger(__name__)

SOUNDS_DIR: Final = RESOURCES_DIR / "sounds"
SOUND_FILES: Final[dict[str, Path]] = {
    "chime": SOUNDS_DIR / "chime.wav",  # the end of a hold
    "released": SOUNDS_DIR / "released.wav",  # an early release
}
PRELOADED: Final = 24  # the first phrases prepared (the timed words) are kept loaded
TAGS_KEPT_S: Final = 10.0  # a line is still known this long after its end (a late report of it)
Backend = Literal["auto", "pulse", "qt"]


class VoicePlayer(QObject):
    """Speaks through an audio output; a :class:`~neck_guide.voice.speaker.Speaker`.

    Signals:
        notice_changed(str): why speech is unavailable, in words for the window.
        spoken(str, float): a line started: its text and the monotonic instant it sounds.
        dropped(str, str): a line was not said: its text and why ("late", "failed").
    """

    notice_changed = Signal(str)
    spoken = Signal(str, float)
    dropped = Signal(str, str)
    _answered = Signal(object)  # an Outcome, from the synthesiser's worker thread
    _started = Signal(object)  # a Started, from the output's thread
    _failed = Signal(str)

    def __init__(
        self,
        synth: Synthesiser | None,
        *,
        voice: str = "",
        rate: int = 165,
        volume: float = 0.9,
        sounds: dict[str, Path] | None = None,
        clock: Clock | None = None,
        output: QAudioDevice | None = None,
        backend: Backend = "auto",
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._synth = synth
        self._voice, self._rate, self._volume = voice, rate, volume
        self._sound_files = SOUND_FILES if sounds is None else sounds
        self._clock = clock or SystemClock()
        self._device, self._backend = output, backend
        self._output: Output | None = None
        self._started_up = False
        self._audio_notice: str | None = None
        self._speech_notice: str | None = None if synth else f"Voice is off — {SCREEN_ONLY}"
        self._ready: dict[str, Rendered] = {}
        self._asked: set[str] = set()
        self._preload: set[str] = set()  # phrases loaded into the output as soon as they are rendered
        self._lines: list[Line] = []
        self._tags: dict[int, Line] = {}
        self._numbers = itertools.count()
        self._answered.connect(self._on_answered)
        self._started.connect(self._on_started)
        self._failed.connect(self._on_output_failed)

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

    def play(self, lines: Sequence[Line]) -> None:
        self._start()
        if self._output is None:
            return
        self._lines = sorted(lines, key=lambda line: line.start)
        for line in self._lines:
            if not line.sound:
                self._want(line.text, URGENT)
        self._hand_over()

    def say_now(self, text: str) -> None:
        if not self.available:
            return
        now = self._clock.monotonic()
        line = Line(now, self.seconds(text) or 0.0, text, "ease_off", now)
        self._lines = [line, *(x for x in self._lines if x.start > line.end or x.sound)]
        self._want(text, URGENT)
        self._hand_over()

    def cancel(self) -> None:
        self._lines = []
        if self._output is not None:
            self._output.stop()

    def prepare(self, texts: Iterable[str]) -> None:
        """Render ahead; the first ``PRELOADED`` phrases (the timed words come first) are also
        loaded into the output, ready to sound the moment they are due."""
        if self.available:
            for n, text in enumerate(texts):
                if n < PRELOADED:
                    self._preload.add(text)
                self._want(text, AHEAD if n >= PRELOADED else QUEUED)

    def sound_path(self, name: str) -> Path:
        """The file a sound ("chime", "released") is played from."""
        self._start()
        return self._sound_files[name]

    def seconds(self, text: str) -> float | None:
        if text in self._sound_files:
            return SOUND_SECONDS[text]
        rendered = self._ready.get(text)
        return rendered.seconds if rendered is not None else None

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
        """Silence, stop the output and the speech process."""
        self.cancel()
        if self._output is not None:
            self._output.close()
        if self._synth is not None:
            self._synth.close()

    # -- internals -----------------------------------------------------------------------------

    def _start(self) -> None:
        """Open an audio output once, on first use (not in the constructor)."""
        if self._started_up:
            return
        self._started_up = True
        if self._synth is None and not self._sound_files:
            return  # nothing to play: no output needed
        self._output = self._open_output()
        if self._output is None:
            self._go_silent(audio=NO_OUTPUT)
            return
        tails = self._synth.cache.root if self._synth is not None else None
        self._sound_files = {name: _tailed(path, tails) for name, path in self._sound_files.items()}
        for name, path in self._sound_files.items():
            self._output.load(path, SOUND_SECONDS[name], self._volume)

    def _open_output(self) -> Output | None:
        device = bytes(self._device.id().data()).decode() if self._device is not None else None
        if self._backend != "qt" and sys.platform.startswith("linux"):
            try:
                PulseOutput.check(device)
                return PulseOutput(device, started=self._started.emit, failed=self._failed.emit)
            except PulseError as e:
                log.info("voice: no PulseAudio output (%s); trying Qt Multimedia", e)
                if self._backend == "pulse":
                    return None
        if not Loudspeaker.found():
            return None
        loudspeaker = Loudspeaker(self._device, clock=self._clock, parent=self)
        loudspeaker.started.connect(self._on_started)
        loudspeaker.failed.connect(self._on_output_failed)
        return loudspeaker

    def _hand_over(self) -> None:
        """Give the output every line whose phrase is ready (a line handed over again is
        recognised by its key, so this may run as often as phrases arrive)."""
        if self._output is None:
            return
        now = self._clock.monotonic()
        self._tags = {tag: line for tag, line in self._tags.items() if line.end > now - TAGS_KEPT_S}
        sounds = [s for line in self._lines if (s := self._scheduled(line)) is not None]
        self._output.schedule(sounds)

    def _scheduled(self, line: Line) -> Scheduled | None:
        if line.sound:
            path, seconds = self._sound_files[line.text], line.seconds
        elif (rendered := self._ready.get(line.text)) is not None:
            path, seconds = rendered.path, rendered.seconds
        else:
            return None
        tag = next(self._numbers)
        self._tags[tag] = line
        channel: Literal["speech", "sound"] = "sound" if line.sound else "speech"
        late_s = LATE_S if line.kind in PINNED or line.sound else self._room_after(line)
        key = (line.text, round(line.start, 3))
        return Scheduled(key, channel, path, seconds, line.start, self._volume, tag, late_s)

    def _room_after(self, line: Line) -> float:
        """How late a placed line may start and still end before the next one."""
        following = [x.start for x in self._lines if x.start > line.start and not x.sound]
        return max(LATE_S, (min(following) - line.end) if following else 10.0)

    def _on_started(self, started: Started) -> None:
        line = self._tags.get(started.tag)
        if line is None:
            return
        if started.at is None:
            log.info("speech: dropped %r (late)", line.text)
            self.dropped.emit(line.text, "late")
        else:
            self.spoken.emit(line.text, started.at)

    def _want(self, text: str, priority: int) -> None:
        if priority != AHEAD:
            self._preload.add(text)
        if text in self._ready:
            if priority != AHEAD and self._output is not None:
                rendered = self._ready[text]
                self._output.load(rendered.path, rendered.seconds, self._volume)
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
            return
        self._ready[phrase.text] = outcome
        if phrase.text in self._preload and self._output is not None:
            self._output.load(outcome.path, outcome.seconds, self._volume)
        if any(line.text == phrase.text for line in self._lines):
            self._hand_over()

    def _on_failed(self, outcome: Failed) -> None:
        log.warning("speech: %s", outcome.error)
        if self._synth is not None and not self._synth.available:
            self._go_silent(speech=self._synth.notice)
            return
        for line in [x for x in self._lines if x.text == outcome.phrase.text]:
            self._lines.remove(line)
            self.dropped.emit(line.text, "failed")

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


def _tailed(path: Path, folder: Path | None) -> Path:
    """``path`` with a silent tail (written in ``folder``, the speech cache), so the Qt output can
    stop it before it ends; ``path`` itself if that cannot be written."""
    if folder is None:
        return path
    tailed = folder / f"{path.stem}-{CACHE_FORMAT}.wav"
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR_MODE)
        add_silent_tail(path, tailed)
    except (OSError, wave.Error, EOFError) as e:
        log.warning("speech: %s is played without its silent tail (%s)", path.name, e)
        return path
    return tailed
