"""Makes the end-of-hold chime: two soft sine partials with exponential decay (standard library only).

    python -m neck_guide.voice.chime resources/sounds/chime.wav

The committed ``resources/sounds/chime.wav`` is this script's output (a test checks it).
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


def samples() -> list[int]:
    """The chime as 16-bit samples."""
    n = int(RATE_HZ * SECONDS)
    out = []
    for i in range(n):
        t = i / RATE_HZ
        envelope = min(1.0, t / ATTACK_S, (SECONDS - t) / RELEASE_S)
        value = sum(a * math.exp(-t / tau) * math.sin(2 * math.pi * f * t) for f, a, tau in PARTIALS)
        out.append(round(32767 * envelope * value))
    return out


def write(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE_HZ)
        w.writeframes(struct.pack(f"<{int(RATE_HZ * SECONDS)}h", *samples()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the end-of-hold chime as a WAV file.")
    parser.add_argument("path", type=Path)
    write(parser.parse_args(argv).path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
