"""Steps and visits, named apart, counted once: every screen and format uses these words and numbers.

A **step** is one entry of the protocol's plan (a side and a repetition of a technique each make
their own step, so do rests between repetitions): "step 6 of 41". A **visit** is one time a step
was on screen: going back to a step, undoing a Next, or resuming after a crash visits it again,
so a session can have more visits than steps. A step is

- **done** when a visit of it ended by running to its end, by a release, or by Next (early),
- **skipped** when it was left on purpose without being done,
- **left** otherwise (never reached, gone back from, or cut off by the end of the session).

Step numbers count from 1 (``index + 1``); visit numbers count from 1 too (``visit + 1``) wherever a
person reads them. The record keeps the zero-based positions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from neck_guide.engine.outcome import OUTCOMES
from neck_guide.engine.record import EndReason, SessionRecord, StepRecord

DONE_REASONS: Final[frozenset[EndReason]] = frozenset({"completed", "released", "ended_early"})
SKIPPED_REASONS: Final[frozenset[EndReason]] = frozenset({"skipped"})

# How each end of a visit reads in a report (the same words on screen, in the PDF and the CSV docs).
END_WORDS: Final[dict[EndReason, str]] = {
    "completed": "done",
    "released": "released",
    "ended_early": "ended early",
    "back": "went back",
    "skipped": "skipped",
    "undone": "undone",
    "interrupted": "interrupted",
    "session_ended": "session ended",
}


@dataclass(frozen=True, slots=True)
class StepTally:
    """Steps of the protocol done, skipped and left; visits made."""

    steps: int | None  # in the protocol's plan (None: not recorded, an older record)
    done: int
    skipped: int
    visits: int

    @property
    def left(self) -> int | None:
        return None if self.steps is None else max(0, self.steps - self.done - self.skipped)

    def steps_text(self) -> str:
        """ "6 of 41 steps done" (or "6 steps done" when the plan's size is not known)."""
        of = f" of {self.steps}" if self.steps is not None else ""
        return f"{self.done}{of} step{'' if (self.steps or self.done) == 1 else 's'} done"

    def visits_text(self) -> str:
        return f"{self.visits} visit{'' if self.visits == 1 else 's'}"


def step_number(visit: StepRecord) -> int:
    return visit.index + 1


def visit_number(visit: StepRecord) -> int:
    return visit.visit + 1


def tally(record: SessionRecord) -> StepTally:
    done = {v.index for v in record.steps if v.end_reason in DONE_REASONS}
    skipped = {v.index for v in record.steps if v.end_reason in SKIPPED_REASONS} - done
    return StepTally(record.protocol_steps, len(done), len(skipped), len(record.steps))


def outcome_line(record: SessionRecord) -> str:
    """The outcome in one line, the same everywhere: "Ended early: 6 of 41 steps done, 35 left
    (reason: client felt dizzy)"; "Finished: 41 of 41 steps done"; "Interrupted, resumed once"…"""
    t = tally(record)
    head = OUTCOMES[record.status].title
    parts = [t.steps_text()]
    if t.skipped:
        parts.append(f"{t.skipped} skipped")
    if t.left:
        parts.append(f"{t.left} left")
    line = f"{head}: {', '.join(parts)}"
    resumed = sum(1 for i in record.interruptions if i.handled == "resumed")
    if resumed:
        line += f"; interrupted and resumed {_times(resumed)}"
    if record.end_note.strip():
        line += f" (reason: {record.end_note.strip()})"
    return line


def _times(n: int) -> str:
    return {1: "once", 2: "twice"}.get(n, f"{n} times")
