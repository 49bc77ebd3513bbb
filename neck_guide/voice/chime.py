"""Makes the voice's two sounds (standard library only): the end-of-hold chime, two soft sine
partials with exponential decay, and the release tick, a short low "tock" that confirms an early
release without sounding like the end of a hold.

    python -m neck_guide.voice.chime resources/sounds/chime.wav
    python -m neck_guide.voice.chime --tick resources/sounds/released.wav

The committed ``resources/sounds/chime.wav`` and ``released.wav`` are this script's output (a
test checks it).
"""

from __future__ import annotations

import argparse
import math
import struct
import wave
from pathlib import Path
from typing import Final

RATE_HZ: Final = 44100
SECONDS: Final = 0.6
# (frequency Hz, amplitude, decay time constant s): a fifth apart, the upper one fading sooner.
PARTIALS: Final = ((660.0, 0.32, 0.22), (990.0, 0.16, 0.12))
ATTACK_S: Final = 0.008  # a short fade-in, so the chime starts without a click
RELEASE_S: Final = 0.05  # and a fade to silence at the end
TICK_SECONDS: Final = 0.12
TICK_PARTIALS: Final = ((330.0, 0.3, 0.03), (495.0, 0.12, 0.02))  # low and short: not the chime
Partials = tuple[tuple[float, float, float], ...]


def samples(
    seconds: float = SECONDS, partials: Partials = PARTIALS, release_s: float = RELEASE_S
) -> list[int]:
    """The chime (or, with other arguments, the tick) as 16-bit samples."""
    n = int(RATE_HZ * seconds)
    out = []
    for i in range(n):
        t = i / RATE_HZ
        envelope = min(1.0, t / ATTACK_S, (seconds - t) / release_s)
        value = sum(a * math.exp(-t / tau) * math.sin(2 * math.pi * f * t) for f, a, tau in partials)
        out.append(round(32767 * envelope * value))
    return out


def write(path: Path, sound: list[int]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE_HZ)
        w.writeframes(struct.pack(f"<{len(sound)}h", *sound))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the end-of-hold chime or the release tick.")
    parser.add_argument("path", type=Path)
    parser.add_argument("--tick", action="store_true", help="the release tick instead of the chime")
    args = parser.parse_args(argv)
    sound = samples(TICK_SECONDS, TICK_PARTIALS, 0.03) if args.tick else samples()
    write(args.path, sound)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
