"""The runner's controls: which apply now, what each does now, and what its button says (no Qt).

A key, a pedal and an on-screen button of the same name do the same thing; the page asks
:func:`controls` after every change of the session and shows the answer, and relays a press as the
:attr:`Control.does` it was given (one of :data:`Deed`), so the page decides nothing itself:

=============  ===============================================================================
start_pause    Space: start the session, then pause and resume in every state (never ends a step)
release        let go of a range hold (only a range hold: nothing on any other step)
next           next step; before a timed step's end it ends the step early (recorded so)
back           back a step
extend         more time on a timed step
undo           reverse the last Next, Back, rating or extension (the button names which)
=============  ===============================================================================

The mis-tap guard is the engine's (a repeat of Next or Back, or a second rating, within
``SessionRunner.guard_s``); this module only says what a press would do.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

from neck_guide.engine.runner import SessionRunner
from neck_guide.engine.undo import undo_words

ControlName = Literal["start_pause", "release", "next", "back", "extend", "undo"]
Deed = Literal["start", "pause", "resume", "release", "next", "end_early", "back", "extend", "undo"]
CONTROL_NAMES: Final[tuple[ControlName, ...]] = ("start_pause", "release", "next", "back", "extend", "undo")
LIVE: Final = frozenset({"running", "paused", "overtime"})


@dataclass(frozen=True, slots=True)
class Control:
    """One control as it stands: what a press does (None: nothing now), its title, and why not."""

    does: Deed | None
    title: str
    why_not: str = ""

    @property
    def enabled(self) -> bool:
        return self.does is not None


@dataclass(frozen=True, slots=True)
class Controls:
    """Every control of the runner, and the one a tap most likely wants now (shown as primary)."""

    start_pause: Control
    release: Control
    next: Control
    back: Control
    extend: Control
    undo: Control
    primary: ControlName

    def __getitem__(self, name: ControlName) -> Control:
        control: Control = getattr(self, name)
        return control


def controls(runner: SessionRunner | None, extend_s: float = 10.0) -> Controls:
    """What each control does for ``runner`` as it stands (None or finished: nothing)."""
    state = runner.state if runner is not None else "finished"
    if runner is None or state == "finished":
        off = Control(None, "", "the session has ended")
        return Controls(Control(None, "Start", off.why_not), off, off, off, off, off, "start_pause")
    live = state in LIVE
    not_started = "" if live else "start the session first"
    step = runner.current
    return Controls(
        start_pause=_start_pause(state),
        release=_release(runner, live),
        next=_next(runner, live, not_started),
        back=Control("back" if live else None, "Back", not_started),
        extend=Control(
            "extend" if live and step.timed else None,
            f"+{extend_s:g} s",
            not_started or ("" if step.timed else "an untimed step has no end to move"),
        ),
        undo=_undo(runner),
        primary="next" if state == "overtime" else "start_pause",
    )


def _start_pause(state: str) -> Control:
    deed: Deed = {"ready": "start", "paused": "resume"}.get(state, "pause")  # type: ignore[assignment]
    return Control(deed, {"start": "Start", "pause": "Pause", "resume": "Resume"}[deed])


def _release(runner: SessionRunner, live: bool) -> Control:
    if runner.current.kind != "range":
        return Control(None, "Release", "only a range hold is released; end this step with Next")
    return Control("release" if live else None, "Release", "" if live else "start the session first")


def _next(runner: SessionRunner, live: bool, not_started: str) -> Control:
    if not live:
        return Control(None, "Next", not_started)
    if runner.current.timed and runner.state != "overtime":
        return Control("end_early", "End step early")
    return Control("next", "Next")


def _undo(runner: SessionRunner) -> Control:
    entry = runner.undoable()
    if entry is None:
        return Control(None, "Undo", "nothing to undo")
    return Control("undo", undo_words(entry))
