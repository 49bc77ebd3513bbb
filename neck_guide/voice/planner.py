"""The cue planner: where each phrase goes, knowing how long it lasts (pure: no speaker, no clock).

The engine publishes every cue still to come with its instant (CuesScheduled). The planner turns
them into :class:`Line` s, each a phrase with the instant it starts, so that no two phrases are
said at once and the words whose moment matters are said on it:

- Timed words (countdown, release, minimum, maximum, "Ten seconds.", breathing words) keep their
  instant. Said late they would mislead, so one that cannot fit there is shortened or dropped.
- Announcements, safety notes, protocol cues and previews ("Next: ...", "Switch sides.") are
  placed in the first room after their instant that holds them (previews also up to
  ``PREVIEW_EARLIER_S`` before it, so a long preview ends before the countdown instead of running
  into the next step), shortened to their first sentence when the whole does not fit, and never
  past the end of their step. A preview that still does not fit is dropped; an announcement or a
  safety note never is: with no room left it is said, shortened, in the first room after.
- Who gives way is decided by rank: safety notes and the end of a hold first, then the countdown,
  the minimum and "Ten seconds.", the announcement and protocol cues, breathing words, previews.
  Higher ranks are placed first; lower ones fit around them. A step's safety note is said right
  after its announcement, and the pair takes the safety note's rank (the step is named before
  the warning about it).
- The chime rings at the end of a hold over whatever is said (it is a sound, not words); the
  short tick of an early release is heard before the next step is announced.

Lines already sounding, or about to (``kept``), stay where they are, and the cues they say are
not placed again.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Final, Literal

from neck_guide.engine.events import EXACT_CUES, CueKind, TimedCue

Sound = Literal["chime", "released"]
LineKind = CueKind | Sound | Literal["ease_off"]
SOUNDS: Final[frozenset[str]] = frozenset({"chime", "released"})

GAP_S: Final = 0.15  # silence kept between two phrases
PREVIEW_EARLIER_S: Final = 10.0
LATE_S: Final = 0.25  # a timed word whose instant passed by more than this is not said
PINNED: Final[frozenset[CueKind]] = EXACT_CUES | {"warning"}
SHORTENED: Final[frozenset[CueKind]] = frozenset({"announce", "next", "minimum"})
PREVIEWS: Final[frozenset[CueKind]] = frozenset({"next", "switch_sides"})
NEVER_DROPPED: Final[frozenset[CueKind]] = frozenset({"announce", "safety"})
RANK: Final[dict[CueKind, int]] = {
    "safety": 0,
    "release": 0,
    "maximum": 0,
    "countdown": 1,
    "minimum": 2,
    "warning": 2,
    "announce": 3,
    "protocol": 3,
    "inhale": 4,
    "hold": 4,
    "exhale": 4,
    "next": 5,
    "switch_sides": 5,
}
CHIME_KINDS: Final[frozenset[CueKind]] = frozenset({"release", "maximum"})


@dataclass(frozen=True, slots=True)
class Line:
    """One phrase (or sound) and the monotonic instant it starts."""

    start: float
    seconds: float
    text: str  # the words; for a sound, its name
    kind: LineKind
    due: float  # the instant its cue was due

    @property
    def end(self) -> float:
        return self.start + self.seconds

    @property
    def sound(self) -> bool:
        """A sound (the chime, the release tick) rings over speech; it does not take room."""
        return self.kind in SOUNDS


@dataclass(frozen=True, slots=True)
class Dropped:
    cue: TimedCue
    why: str  # "late", "no room"


@dataclass(slots=True)
class CuePlan:
    lines: list[Line] = field(default_factory=list)  # in start order
    dropped: list[Dropped] = field(default_factory=list)


@dataclass(slots=True)
class _Item:
    """What the planner places: one cue, or a step's announcement with its safety note."""

    cues: list[TimedCue]
    rank: int
    order: int

    @property
    def head(self) -> TimedCue:
        return self.cues[0]

    @property
    def kind(self) -> CueKind:
        return self.head.cue.kind


def shortened(text: str) -> str | None:
    """The first sentence of ``text`` when there is more: "Upper trapezius, left." of
    "Upper trapezius, left. Slow compression."."""
    head, dot, rest = text.partition(". ")
    return head + dot.strip() if rest.strip() else None


def forms(kind: CueKind, text: str) -> list[str]:
    """What may be said for a cue, longest first."""
    short = shortened(text) if kind in SHORTENED else None
    return [text, short] if short else [text]


def plan_cues(
    cues: Sequence[TimedCue],
    *,
    now: float,
    ends: float | None,
    seconds: Callable[[str], float],
    chimes: Sequence[float] = (),
    kept: Sequence[Line] = (),
) -> CuePlan:
    """Place ``cues`` (all to be spoken: verbosity is the caller's choice) around ``kept``, and
    the chime at each of ``chimes``. ``ends`` is when the current step ends (None: untimed);
    ``seconds`` tells a phrase's length."""
    board = _Board([line for line in kept if line.kind != "chime"], seconds)
    said = {(line.kind, round(line.due, 3)) for line in kept}
    cues = [c for c in cues if (c.cue.kind, round(c.due, 3)) not in said]  # kept lines say them
    plan = CuePlan()
    step_ends = {cues[0].index: math.inf if ends is None else ends} if cues else {}
    for item in sorted(_items(cues), key=lambda i: (i.rank, i.head.due, i.order)):
        end = step_ends.get(item.head.index, math.inf)
        lines = board.place(item, now, end)
        if lines:
            plan.lines += lines
        else:
            late = item.kind in PINNED and item.head.due < now - LATE_S
            plan.dropped += [Dropped(c, "late" if late else "no room") for c in item.cues]
    plan.lines += [Line(t, seconds("chime"), "chime", "chime", t) for t in chimes if t >= now - LATE_S]
    plan.lines.sort(key=lambda line: (line.start, line.sound))
    return plan


def _items(cues: Sequence[TimedCue]) -> list[_Item]:
    """One item per cue, except that a safety note joins its step's announcement."""
    items: list[_Item] = []
    openings: dict[tuple[int, float], _Item] = {}
    for order, timed in enumerate(cues):
        kind = timed.cue.kind
        if kind == "safety" and (timed.index, timed.due) in openings:
            opening = openings[(timed.index, timed.due)]
            opening.cues.append(timed)
            opening.rank = min(opening.rank, RANK["safety"])
            continue
        item = _Item([timed], RANK[kind], order)
        if kind == "announce":
            openings[(timed.index, timed.due)] = item
        items.append(item)
    return items


class _Board:
    """The room taken so far: intervals of speech, with ``GAP_S`` kept between them."""

    def __init__(self, taken: list[Line], seconds: Callable[[str], float]) -> None:
        self.taken = [(line.start, line.end) for line in taken]
        self.seconds = seconds

    def free(self, start: float, length: float) -> bool:
        end = start + length
        return all(end + GAP_S <= a or start >= b + GAP_S for a, b in self.taken)

    def place(self, item: _Item, now: float, step_end: float) -> list[Line]:
        """The lines of ``item`` where they fit (taking their room), or [] if they do not."""
        head = item.head
        for texts in _variants(item):
            lengths = [self.seconds(t) for t in texts]
            total = sum(lengths) + GAP_S * (len(texts) - 1)
            start = self._slot(item, total, now, step_end)
            if start is not None:
                return self._take(item, texts, lengths, start)
        if head.cue.kind in NEVER_DROPPED:  # said all the same: shortest form, first room after
            texts = _variants(item)[-1]
            lengths = [self.seconds(t) for t in texts]
            total = sum(lengths) + GAP_S * (len(texts) - 1)
            start = self._slot(item, total, now, math.inf)
            if start is not None:
                return self._take(item, texts, lengths, start)
        return []

    def _slot(self, item: _Item, length: float, now: float, step_end: float) -> float | None:
        due = item.head.due
        if item.kind in PINNED:
            fits = due >= now - LATE_S and self.free(due, length)
            return due if fits else None
        earliest = max(now, due - PREVIEW_EARLIER_S if item.kind in PREVIEWS else due)
        latest = step_end - length - (GAP_S if math.isfinite(step_end) else 0.0)
        starts = {earliest, max(earliest, due)} | {b + GAP_S for _, b in self.taken}
        starts |= {a - GAP_S - length for a, _ in self.taken}
        fitting = [s for s in starts if earliest <= s <= latest and self.free(s, length)]
        if not fitting:
            return None
        return min(fitting, key=lambda s: (abs(s - due), -s))

    def _take(self, item: _Item, texts: list[str], lengths: list[float], start: float) -> list[Line]:
        lines = []
        for timed, text, length in zip(item.cues, texts, lengths, strict=True):
            lines.append(Line(start, length, text, timed.cue.kind, timed.due))
            self.taken.append((start, start + length))
            start += length + GAP_S
        return lines


def _variants(item: _Item) -> list[list[str]]:
    """The texts of an item's cues, longest first: the head shortened, the rest whole."""
    rest = [c.cue.text for c in item.cues[1:]]
    return [[text, *rest] for text in forms(item.kind, item.head.cue.text)]
