"""What Undo can reverse: the last Next, Back, rating or extension, most recent first.

A Next or Back can be undone only while the visit it opened is still on screen (once the session
has moved on, undoing it would jump over what happened since); an extension only while its visit
is on screen; a rating at any time. Undo acts on the most recent of these and nothing older, so
what it will do is always the last thing the therapist did (the runner page can name it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from neck_guide.engine.visit import Carry
from neck_guide.protocol.model import RatingKind

MoveAction = Literal["next", "back"]


@dataclass(frozen=True, slots=True)
class Move:
    """A Next or Back: the step left (``index``), where a visit taking it up again starts, and the
    visit the move opened."""

    action: MoveAction
    index: int
    carry: Carry
    opened: int


@dataclass(frozen=True, slots=True)
class Rated:
    """A rating, by its number in the session, given on ``visit``."""

    number: int
    visit: int
    kind: RatingKind
    value: int


@dataclass(frozen=True, slots=True)
class Extension:
    """An extension of ``visit`` by ``seconds``, with the end and total extension it had before."""

    visit: int
    seconds: float
    end_s: float
    extended_s: float


Undoable = Move | Rated | Extension


@dataclass(slots=True)
class UndoStack:
    """The actions undo can reverse, most recent last."""

    entries: list[Undoable] = field(default_factory=list)

    def push(self, entry: Undoable) -> None:
        self.entries.append(entry)

    def top(self, live_visit: int | None) -> Undoable | None:
        """The most recent action, if it can still be undone with ``live_visit`` on screen."""
        if not self.entries:
            return None
        entry = self.entries[-1]
        if isinstance(entry, Move) and entry.opened != live_visit:
            return None
        if isinstance(entry, Extension) and entry.visit != live_visit:
            return None
        return entry

    def pop(self) -> Undoable:
        return self.entries.pop()


def undo_words(entry: Undoable) -> str:
    """What undo would do, in a few words for a button: "Undo next step", "Undo rating 7"."""
    if isinstance(entry, Move):
        return "Undo next step" if entry.action == "next" else "Undo back"
    if isinstance(entry, Rated):
        return f"Undo {entry.kind} {entry.value}"
    return f"Undo extend (+{entry.seconds:g} s)"
