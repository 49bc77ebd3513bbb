"""The cue schedule of a planned step: what is said and shown, and when (pure).

A schedule is a list of :class:`Cue` in protocol seconds from the start of the step, sorted by
time. The runner turns each into a ``CueDue`` event at its deadline; voice speaks them and the
views show them. The rules:

- at 0 the announcement, and the step's safety note on its first repetition;
- the protocol's own cues; breathing phase words; a range hold's minimum, countdown and maximum;
  a fixed hold's countdown and release; "Ten seconds." and "Next: ..." / "Switch sides." before
  the end of longer steps;
- a non-exact cue within 1.5 s of an exact one is dropped, so timed words are never talked over.
  The announcement and the safety note are never dropped: a step must always say what it is and
  how to stay safe (a breathing step's "Breathe in" at 0 would otherwise silence them).
"""

from __future__ import annotations

from typing import Final

from neck_guide.engine.events import Cue, CueKind
from neck_guide.protocol.plan import Plan, PlannedStep

CLEARANCE_S: Final = 1.5  # a non-exact cue keeps this far from any exact cue
WARNING_BEFORE_S: Final = 10.0
WARNING_MIN_LENGTH_S: Final = 20.0
NEXT_BEFORE_S: Final = 5.0
NEXT_MIN_LENGTH_S: Final = 15.0
FIXED_COUNTDOWN_MIN_S: Final = 5.0
COUNTDOWN: Final = (("Three", 3.0), ("Two", 2.0), ("One", 1.0))
_EPS: Final = 1e-9

TEXT_MINIMUM: Final = "Minimum reached. Release when it softens."
TEXT_MAXIMUM: Final = "Release now."
TEXT_RELEASE: Final = "Release."
TEXT_WARNING: Final = "Ten seconds."
TEXT_SWITCH_SIDES: Final = "Switch sides."
BREATH_WORDS: Final[dict[CueKind, str]] = {"inhale": "Breathe in", "hold": "Hold", "exhale": "Breathe out"}

_NEVER_DROPPED: Final[frozenset[CueKind]] = frozenset({"announce", "safety"})
# Order of cues that fall on the same instant: what the step is first, the words of the moment last.
_SAME_INSTANT_ORDER: Final[tuple[CueKind, ...]] = (
    "announce",
    "safety",
    "protocol",
    "minimum",
    "warning",
    "next",
    "switch_sides",
    "countdown",
    "inhale",
    "hold",
    "exhale",
    "maximum",
    "release",
)
_ORDER: Final[dict[CueKind, int]] = {kind: n for n, kind in enumerate(_SAME_INSTANT_ORDER)}


def schedule(plan: Plan, index: int, end_s: float | None = None) -> list[Cue]:
    """The cues of plan step ``index``; ``end_s`` overrides its end (after the step was extended)."""
    planned = plan.steps[index]
    end = planned.max_s if end_s is None else end_s
    cues = _opening(planned) + _protocol(planned)
    if end is not None:
        cues += _breathing(planned, end) + _hold(planned, end) + _closing(plan, planned, end)
    return _tidy(cues)


def _opening(planned: PlannedStep) -> list[Cue]:
    cues = [Cue(0.0, planned.announcement, "announce")]
    if planned.kind != "rest" and planned.repetition == 1 and planned.safety:
        cues.append(Cue(0.0, planned.safety, "safety"))
    return cues


def _protocol(planned: PlannedStep) -> list[Cue]:
    if planned.kind == "rest":
        return []
    return [Cue(c.at_s, c.text, "protocol") for c in planned.step.cues]


def _breathing(planned: PlannedStep, end: float) -> list[Cue]:
    pattern = planned.step.breathing
    if planned.kind != "breathing" or pattern is None:
        return []
    phases: list[tuple[float, CueKind | None]] = [
        (pattern.inhale_s, "inhale"),
        (pattern.hold_s, "hold"),
        (pattern.exhale_s, "exhale"),
        (pattern.rest_s, None),
    ]
    cues: list[Cue] = []
    cycle = 0
    while cycle * pattern.cycle_s < end - _EPS:
        offset = 0.0
        for length, kind in phases:
            at = cycle * pattern.cycle_s + offset
            if length > 0 and kind is not None and at < end - _EPS:
                cues.append(Cue(at, BREATH_WORDS[kind], kind))
            offset += length
        cycle += 1
    return cues


def _hold(planned: PlannedStep, end: float) -> list[Cue]:
    if planned.kind == "range" and planned.min_s is not None:
        cues = [Cue(end - back, word, "countdown") for word, back in COUNTDOWN]
        cues = [c for c in cues if c.at_s >= planned.min_s + 1.0 - _EPS]
        if planned.min_s < end:  # with min = max the hold ends on its minimum: say only "Release now."
            cues.append(Cue(planned.min_s, TEXT_MINIMUM, "minimum"))
        return [*cues, Cue(end, TEXT_MAXIMUM, "maximum")]
    if planned.kind == "fixed" and end >= FIXED_COUNTDOWN_MIN_S:
        cues = [Cue(end - back, word, "countdown") for word, back in COUNTDOWN]
        return [*cues, Cue(end, TEXT_RELEASE, "release")]
    return []


def _closing(plan: Plan, planned: PlannedStep, end: float) -> list[Cue]:
    cues: list[Cue] = []
    if end >= WARNING_MIN_LENGTH_S:
        cues.append(Cue(end - WARNING_BEFORE_S, TEXT_WARNING, "warning"))
    following = next_announced(plan, planned.index)
    if end >= NEXT_MIN_LENGTH_S and following is not None:
        at = end - NEXT_BEFORE_S
        if planned.side and following.side and planned.side != following.side:
            cues.append(Cue(at, TEXT_SWITCH_SIDES, "switch_sides"))
        else:
            cues.append(Cue(at, f"Next: {following.announcement}", "next"))
    return cues


def next_announced(plan: Plan, index: int) -> PlannedStep | None:
    """The step announced as "next" after ``index``: rest steps are passed over."""
    for planned in plan.steps[index + 1 :]:
        if planned.kind != "rest":
            return planned
    return None


def _tidy(cues: list[Cue]) -> list[Cue]:
    exact_times = [c.at_s for c in cues if c.exact]
    kept: list[Cue] = []
    seen: set[tuple[float, CueKind]] = set()
    for cue in sorted(cues, key=lambda c: (c.at_s, _ORDER[c.kind])):
        if (cue.at_s, cue.kind) in seen:
            continue
        near_exact = any(abs(cue.at_s - t) <= CLEARANCE_S + _EPS for t in exact_times)
        if not cue.exact and cue.kind not in _NEVER_DROPPED and near_exact:
            continue
        seen.add((cue.at_s, cue.kind))
        kept.append(cue)
    return kept
