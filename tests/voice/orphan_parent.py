"""A stand-in for the app, for test_orphan.py: a Synthesiser rendering a long queue ahead.

    python tests/voice/orphan_parent.py CACHE_DIR [fake]

Prints ``child PID`` once its speech process has written a file, then waits to be killed. With
``fake``, every phrase after the first takes the fake engine 3 s: the child is busy, not reading
its stdin, when the app dies.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from neck_guide.voice.cache import Phrase, PhraseCache
from neck_guide.voice.fake_synth import FakeSynthesiser
from neck_guide.voice.synth import AHEAD, Outcome, Synthesiser


def main(argv: list[str]) -> int:
    cache = PhraseCache(Path(argv[0]))
    fake = argv[1:] == ["fake"]
    synth = FakeSynthesiser(cache, timeout_s=60) if fake else Synthesiser(cache)

    def done(outcome: Outcome) -> None:
        pass

    for n in range(400):
        slow = "[slow=3] " if fake and n > 0 else ""
        synth.submit(Phrase(f"{slow}Phrase number {n}, said ahead of need."), done, priority=AHEAD)
    while synth._child is None or not [p for p in cache.root.glob("*.wav") if not p.name.startswith(".")]:
        time.sleep(0.01)
    print(f"child {synth._child.proc.pid}", flush=True)
    time.sleep(3600)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
