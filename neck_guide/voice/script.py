"""What is spoken at each verbosity (pure).

Verbosity ``everything`` says every cue; ``timing`` only the words whose moment matters (the
countdown, release, breathing words, minimum/maximum, "Ten seconds.") and "Ease off.";
``none`` says nothing. The end-of-hold chime follows its own setting, not the verbosity.
"""

from __future__ import annotations

from typing import Final, Literal

from neck_guide.engine.events import EXACT_CUES, CueKind

Verbosity = Literal["everything", "timing", "none"]

TIMED_KINDS: Final[frozenset[CueKind]] = EXACT_CUES | {"warning"}
EASE_OFF: Final = "Ease off."


def speaks(kind: CueKind, verbosity: Verbosity) -> bool:
    """Whether a cue of ``kind`` is spoken at ``verbosity``."""
    if verbosity == "everything":
        return True
    return verbosity == "timing" and kind in TIMED_KINDS
