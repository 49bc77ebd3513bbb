"""A synthesiser whose child is a small fake engine that misbehaves on command (for tests).

It is still a real child process, started, timed out, killed and restarted by the real
:class:`~neck_guide.voice.synth.Synthesiser` code; only the engine inside differs. It renders a
tone instead of words (0.06 s per character, 0.2-2 s), prints "Audio saved to ..." on its stdout
after every file the way pyttsx3's espeak driver does, and obeys commands written in the text:

    [hang]      never answer (until killed)
    [die]       exit at once, answering nothing
    [slow=S]    take S seconds before answering
    [reject]    refuse the phrase (like an unknown voice)

Run as ``python -m neck_guide.voice.fake_synth [--fail-start REASON] [--hang-start]``.
"""

from __future__ import annotations

import argparse
import math
import os
import re
import struct
import sys
import time
import wave
from typing import Any, Final

from neck_guide.voice.cache import PhraseCache
from neck_guide.voice.child import claim_stdout, send, serve, watch_parent
from neck_guide.voice.synth import Synthesiser

RATE_HZ: Final = 22050
TONE_HZ: Final = 440.0
_COMMAND = re.compile(r"\[(hang|die|reject|slow=[0-9.]+)\]")


def tone_seconds(text: str) -> float:
    """How long the fake engine's rendering of ``text`` lasts (commands not counted)."""
    return min(2.0, max(0.2, 0.06 * len(_COMMAND.sub("", text).strip())))


class ToneEngine:
    """Renders a plain tone; obeys the commands in the text."""

    def voices(self) -> list[dict[str, Any]]:
        return [{"id": "fake/tone", "name": "Tone", "languages": ["en"]}]

    def render(self, text: str, voice: str, rate: int, path: str) -> None:
        for command in _COMMAND.findall(text):
            if command == "hang":
                time.sleep(3600)
            elif command == "die":
                os._exit(3)
            elif command == "reject":
                raise ValueError("this phrase was refused on command")
            else:
                time.sleep(float(command.removeprefix("slow=")))
        if voice and voice != "fake/tone":
            raise ValueError(f"voice {voice!r} is not installed")
        _write_tone(path, tone_seconds(text))
        print(f"Audio saved to {path}")  # as pyttsx3 does: must not reach the parent


def _write_tone(path: str, seconds: float) -> None:
    n = int(seconds * RATE_HZ)
    fade = int(0.005 * RATE_HZ)
    samples = (
        int(12000 * min(1.0, i / fade, (n - i) / fade) * math.sin(2 * math.pi * TONE_HZ * i / RATE_HZ))
        for i in range(n)
    )
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE_HZ)
        w.writeframes(b"".join(struct.pack("<h", s) for s in samples))


class FakeSynthesiser(Synthesiser):
    """The real parent side with the fake engine in its child."""

    engine = "fake"

    def __init__(
        self,
        cache: PhraseCache,
        *,
        fail_start: str | None = None,
        hang_start: bool = False,
        timeout_s: float = 1.0,
        start_timeout_s: float = 10.0,
        max_failures: int = 3,
    ) -> None:
        super().__init__(
            cache, timeout_s=timeout_s, start_timeout_s=start_timeout_s, max_failures=max_failures
        )
        self._fail_start = fail_start
        self._hang_start = hang_start

    def command(self) -> list[str]:
        command = [sys.executable, "-m", "neck_guide.voice.fake_synth"]
        if self._fail_start is not None:
            command += ["--fail-start", self._fail_start]
        if self._hang_start:
            command.append("--hang-start")
        return command


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="A fake speech engine child for tests.")
    parser.add_argument("--fail-start", metavar="REASON")
    parser.add_argument("--hang-start", action="store_true")
    args = parser.parse_args(argv)
    out = claim_stdout()
    watch_parent()
    if args.hang_start:
        time.sleep(3600)
    if args.fail_start is not None:
        send(out, {"fatal": args.fail_start})
        return 2
    return serve(ToneEngine(), sys.stdin, out)


if __name__ == "__main__":
    sys.exit(main())
