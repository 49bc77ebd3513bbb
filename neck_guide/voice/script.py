"""What to say for each event of a session, as plain actions (pure: no speaker, no settings).

Verbosity ``everything`` says every cue; ``timing`` only the words whose moment matters (the
countdown, release, breathing words, minimum/maximum, "Ten seconds.") and "Ease off.";
``none`` says nothing. The end-of-hold chime follows its own setting, not the verbosity.

Timed words are scheduled one cue ahead: when a cue comes due, the next timed cue of the same
step is already handed to the speaker with its due instant, so the speaker can start it on time
(the audio output takes some milliseconds to start sounding) and can tell whether the current
word would run into it. When that cue comes due itself, the speaker recognises it as the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, Literal

from neck_guide.engine.events import (
    EXACT_CUES,
    Cue,
    CueDue,
    CueKind,
    Event,
    Extended,
    Paused,
    RatingRecorded,
    SessionEnded,
    StepEnded,
    Undone,
)

Verbosity = Literal["everything", "timing", "none"]

QUEUED_KINDS: Final[frozenset[CueKind]] = frozenset(
    {"announce", "safety", "protocol", "next", "switch_sides"}
)
TIMED_KINDS: Final[frozenset[CueKind]] = EXACT_CUES | {"warning"}
CHIME_KINDS: Final[frozenset[CueKind]] = frozenset({"release", "maximum"})  # the end of a hold
EASE_OFF: Final = "Ease off."


@dataclass(frozen=True, slots=True)
class Say:
    text: str


@dataclass(frozen=True, slots=True)
class SayNow:
    text: str


@dataclass(frozen=True, slots=True)
class SayAt:
    text: str
    due: float


@dataclass(frozen=True, slots=True)
class ChimeAt:
    due: float


@dataclass(frozen=True, slots=True)
class Cancel:
    pass


Action = Say | SayNow | SayAt | ChimeAt | Cancel


def speaks(kind: CueKind, verbosity: Verbosity) -> bool:
    """Whether a cue of ``kind`` is spoken at ``verbosity``."""
    if verbosity == "everything":
        return True
    return verbosity == "timing" and kind in TIMED_KINDS


def cue_actions(cue: Cue, due: float, verbosity: Verbosity, *, chime: bool) -> list[Action]:
    """The actions for ``cue`` coming due at monotonic ``due``."""
    actions: list[Action] = []
    if speaks(cue.kind, verbosity):
        actions.append(SayAt(cue.text, due) if cue.kind in TIMED_KINDS else Say(cue.text))
    if chime and cue.kind in CHIME_KINDS:
        actions.append(ChimeAt(due))
    return actions


def event_actions(event: Event, verbosity: Verbosity, *, chime: bool) -> list[Action]:
    """The actions for one runner event (look-ahead apart: see :func:`ahead`)."""
    match event:
        case CueDue(cue=cue, due=due):
            return cue_actions(cue, due, verbosity, chime=chime)
        case RatingRecorded(rating=rating) if rating.ease_off and verbosity != "none":
            return [SayNow(EASE_OFF)]
        case Paused() | Extended() | Undone() | SessionEnded():
            return [Cancel()]  # an undo moves the step or its end: what was pending is moot
        case StepEnded(visit=visit) if visit.end_reason != "completed":
            return [Cancel()]  # next, back, skip, release: what was pending is moot
    return []


def ahead(event: CueDue, schedule: Sequence[Cue], time_scale: float) -> list[tuple[Cue, float]]:
    """The next timed (or chiming) cues after ``event`` in its step's ``schedule``, with the
    monotonic instants they will be due (no pause in between: a pause cancels them)."""
    later = [
        c for c in schedule if c.at_s > event.cue.at_s and (c.kind in TIMED_KINDS or c.kind in CHIME_KINDS)
    ]
    if not later:
        return []
    first = min(c.at_s for c in later)
    return [(c, event.due + (c.at_s - event.cue.at_s) / time_scale) for c in later if c.at_s == first]
