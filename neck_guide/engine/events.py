"""Plain events the runner emits. Views, voice and the store all listen to the same stream.

Each event carries a snapshot (a copy) of the record parts it concerns, so a listener may keep
it; the runner's own record goes on changing.

    Event
    ├── SessionStarted       a new session record (meta only)
    ├── ScreeningAnswered    one screening answer, at the time it was given
    ├── Measured             pre- or post-session pain or a rotation range, at its own time
    ├── BodyMarked           where it hurts, tapped on a diagram (and BodyMarkRemoved: taken back)
    ├── StepStarted          a visit of a planned step begins
    ├── CuesScheduled        every cue still to come, with the instant each will be due
    ├── CueDue               a cue's time has come (shown by views)
    ├── MinimumReached       a range hold passed its minimum
    ├── MaximumReached       a timed step reached its end (a range hold its maximum)
    ├── Paused / Resumed
    ├── Extended             the current step was given more time
    ├── StepEnded            a visit ended, with its actual duration and reason
    ├── Heartbeat            a running visit's time so far (every HEARTBEAT_S), so a crash keeps it
    ├── RatingRecorded       a 1-10 rating (maybe correcting the one before), with whether to ease off
    ├── Undone               a Next, Back, rating or extension was undone (what it changed follows)
    ├── TapIgnored           a Next, Back or Undo ignored as a mis-tap
    ├── Ticked               a checklist item of an untimed step ticked or unticked
    ├── NoteAdded            the session notes changed
    ├── VoiceChanged         whether the session is running with voice
    └── SessionEnded         the final record
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from neck_guide.engine.record import (
    BodyMark,
    IgnoredTap,
    MarkRemoved,
    Measure,
    Rating,
    ScreeningAnswer,
    SessionRecord,
    StepRecord,
    Tick,
    Undo,
)

CueKind = Literal[
    "announce",  # step announcement at its start
    "safety",  # the step's safety note, once at its start
    "protocol",  # a cue written in the protocol file
    "warning",  # "ten seconds"
    "countdown",  # "three", "two", "one"
    "release",  # "release" on the zero of a hold
    "minimum",  # a range hold reached its minimum
    "maximum",  # a range hold reached its maximum
    "next",  # the next step, a few seconds before this one ends
    "switch_sides",
    "inhale",
    "hold",
    "exhale",
]

# Cues whose moment matters to the second: voice plays them on time or drops them.
EXACT_CUES: frozenset[CueKind] = frozenset(
    {"countdown", "release", "minimum", "maximum", "inhale", "hold", "exhale"}
)


@dataclass(frozen=True, slots=True)
class Cue:
    at_s: float  # protocol seconds from the start of the step
    text: str
    kind: CueKind

    @property
    def exact(self) -> bool:
        return self.kind in EXACT_CUES


@dataclass(frozen=True, slots=True)
class SessionStarted:
    at: str
    record: SessionRecord


@dataclass(frozen=True, slots=True)
class ScreeningAnswered:
    at: str
    position: int  # in the record's screening list (a question answered again keeps its place)
    answer: ScreeningAnswer


@dataclass(frozen=True, slots=True)
class Measured:
    at: str
    measure: Measure


@dataclass(frozen=True, slots=True)
class BodyMarked:
    at: str
    mark: BodyMark


@dataclass(frozen=True, slots=True)
class BodyMarkRemoved:
    at: str
    removed: MarkRemoved


@dataclass(frozen=True, slots=True)
class StepStarted:
    at: str
    visit: StepRecord


@dataclass(frozen=True, slots=True)
class TimedCue:
    """A cue and the monotonic instant it will be due, as the engine knows it now."""

    cue: Cue
    due: float
    index: int  # the plan step it belongs to


@dataclass(frozen=True, slots=True)
class CuesScheduled:
    """What the running visit will still say, and when: emitted when a visit starts, resumes, is
    extended, and when auto-advance is switched. Instants are monotonic, with the time scale,
    the pauses so far and any extension applied. When the visit will end by itself into the next
    step, that step's cues follow (at the instants they will have when it starts then), so a voice
    can fit the end of one step and the start of the next together. Valid until the next
    CuesScheduled, or until a pause or the end of the visit (nothing is due while paused)."""

    at: str
    visit: int
    cues: tuple[TimedCue, ...]  # in time order
    ends: float | None  # when this visit ends by its timer (None: untimed)


@dataclass(frozen=True, slots=True)
class CueDue:
    at: str
    visit: int
    cue: Cue
    due: float  # monotonic instant the cue was due (for latency measurements)


@dataclass(frozen=True, slots=True)
class MinimumReached:
    at: str
    visit: int


@dataclass(frozen=True, slots=True)
class MaximumReached:
    at: str
    visit: int


@dataclass(frozen=True, slots=True)
class Paused:
    at: str
    visit: int | None
    actual_s: float | None = None  # the visit's time run, exact at the pause (kept if the app stops)


@dataclass(frozen=True, slots=True)
class Resumed:
    at: str
    visit: int | None
    paused_s: float


@dataclass(frozen=True, slots=True)
class Extended:
    at: str
    visit: int
    seconds: float  # what was asked for
    extended_s: float  # the visit's total extension now (what the record holds)


@dataclass(frozen=True, slots=True)
class StepEnded:
    at: str
    visit: StepRecord


@dataclass(frozen=True, slots=True)
class Heartbeat:
    at: str
    visit: int
    actual_s: float  # protocol seconds the visit has run so far, pauses excluded


@dataclass(frozen=True, slots=True)
class RatingRecorded:
    at: str
    rating: Rating


@dataclass(frozen=True, slots=True)
class Undone:
    at: str
    undo: Undo
    extended_s: float | None = None  # an extension undone: the visit's total extension now


@dataclass(frozen=True, slots=True)
class TapIgnored:
    at: str
    tap: IgnoredTap


@dataclass(frozen=True, slots=True)
class Ticked:
    at: str
    visit: int
    tick: Tick


@dataclass(frozen=True, slots=True)
class NoteAdded:
    at: str
    notes: str


@dataclass(frozen=True, slots=True)
class VoiceChanged:
    at: str
    available: bool


@dataclass(frozen=True, slots=True)
class SessionEnded:
    at: str
    record: SessionRecord


Event = (
    SessionStarted
    | ScreeningAnswered
    | Measured
    | BodyMarked
    | BodyMarkRemoved
    | StepStarted
    | CuesScheduled
    | CueDue
    | MinimumReached
    | MaximumReached
    | Paused
    | Resumed
    | Extended
    | StepEnded
    | Heartbeat
    | RatingRecorded
    | Undone
    | TapIgnored
    | Ticked
    | NoteAdded
    | VoiceChanged
    | SessionEnded
)
