"""The voice as the application wires it up: the player, the narrator that decides what to
say (:class:`~neck_guide.voice.narrator.Narrator`), and the settings."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QObject, Signal

from neck_guide.engine.clock import Clock, SystemClock
from neck_guide.engine.events import Event
from neck_guide.paths import Paths
from neck_guide.protocol.loader import Catalog
from neck_guide.protocol.plan import Plan, expand
from neck_guide.settings import Settings
from neck_guide.voice.cache import PhraseCache
from neck_guide.voice.narrator import Narrator
from neck_guide.voice.playback.player import VoicePlayer
from neck_guide.voice.synth import Synthesiser


class VoiceController(QObject):
    """The voice as the application sees it: settings (mute among them) and events in; notices out.

    It keeps no settings of its own: the application's preferences hand it each change
    (:meth:`apply_settings`).

    Signals:
        notice_changed(str): why the voice cannot be heard (for the window's notice bar).
    """

    notice_changed = Signal(str)

    def __init__(
        self,
        player: VoicePlayer,
        settings: Settings,
        clock: Clock | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.player = player
        self.narrator = Narrator(player, settings, clock or SystemClock())
        player.notice_changed.connect(self.notice_changed)

    @classmethod
    def create(
        cls, paths: Paths, settings: Settings, clock: Clock | None = None, parent: QObject | None = None
    ) -> VoiceController:
        """The real voice: pyttsx3 in a child process, phrases cached in ``paths.speech_cache``,
        timed by the app's ``clock``."""
        synth = Synthesiser(PhraseCache(paths.speech_cache))
        player = VoicePlayer(
            synth,
            voice=settings.voice_id,
            rate=settings.voice_rate,
            volume=settings.voice_volume,
            clock=clock,
        )
        return cls(player, settings, clock, parent)

    @property
    def available(self) -> bool:
        """Whether cues can be heard: speech on in the settings, an engine and an audio output."""
        return self.narrator.settings.voice_enabled and self.player.available

    @property
    def notice(self) -> str | None:
        return self.player.notice

    def report_to(self, set_voice: Callable[[bool], None]) -> None:
        """Where to report a session that runs without voice (``model.set_voice``), so its record
        says so."""
        self.narrator.set_voice = set_voice

    def on_event(self, event: Event) -> None:
        self.narrator.on_event(event)

    def apply_settings(self, settings: Settings) -> None:
        """The settings now in force (voice, rate, volume, what to say, chime, mute)."""
        self.player.set_voice(settings.voice_id, settings.voice_rate)
        self.player.set_volume(settings.voice_volume)
        self.narrator.apply(settings)

    def prepare(self, plans: Catalog | Plan | Iterable[Plan]) -> None:
        """Render ahead every phrase of a plan, or of every protocol in a catalog (off the UI thread)."""
        if isinstance(plans, Catalog):
            plans = [expand(protocol) for protocol in plans.protocols]
        elif isinstance(plans, Plan):
            plans = [plans]
        self.narrator.prepare(*plans)

    def close(self) -> None:
        self.player.close()
