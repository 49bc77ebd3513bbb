"""Every phrase a session may say, for rendering them all before they are needed."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from neck_guide.engine import cues
from neck_guide.protocol.plan import Plan
from neck_guide.voice.planner import forms
from neck_guide.voice.script import EASE_OFF, TIMED_KINDS, Verbosity, speaks

FIXED_PHRASES: Final[tuple[str, ...]] = (
    *(word for word, _ in cues.COUNTDOWN),
    cues.TEXT_RELEASE,
    cues.TEXT_MAXIMUM,
    cues.TEXT_MINIMUM,
    cues.TEXT_WARNING,
    *cues.BREATH_WORDS.values(),
    *forms("minimum", cues.TEXT_MINIMUM)[1:],
    EASE_OFF,
)


def speech_plan(plans: Iterable[Plan], verbosity: Verbosity = "everything") -> list[str]:
    """The distinct phrases these plans may say at ``verbosity`` (shortened forms too): the timed
    words first (they must be ready on the second), then the rest in the order the sessions say
    them."""
    if verbosity == "none":
        return []
    timed: dict[str, None] = dict.fromkeys(FIXED_PHRASES)
    queued: dict[str, None] = {}
    for plan in plans:
        for index in range(len(plan.steps)):
            for cue in cues.schedule(plan, index):
                if speaks(cue.kind, verbosity):
                    for text in forms(cue.kind, cue.text):
                        (timed if cue.kind in TIMED_KINDS else queued)[text] = None
    return [*timed, *(text for text in queued if text not in timed)]


def phrases_for_plan(plan: Plan, verbosity: Verbosity = "everything") -> set[str]:
    """Every phrase the session of ``plan`` may say at ``verbosity``."""
    return set(speech_plan([plan], verbosity))
