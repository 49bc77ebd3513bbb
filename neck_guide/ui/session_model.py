"""The Qt adapter around the engine's SessionRunner: timers in, Qt signals out.

The runner is pure Python and reads no clock; this adapter tells it ``now`` from the one
injected Clock. It owns exactly one precise single-shot QTimer, armed for
``runner.next_deadline()``: when it fires, ``poll(now)`` emits whatever is due (cues, the end of
a hold, the next step) and the timer is armed again. A second, ~30 fps timer runs only while a
step runs and drives ``tick`` so displays repaint from ``remaining(now)``; nothing counts ticks.

Every engine event is re-emitted in order as ``event_emitted``; the journal, the voice and the
views all listen to that one stream. Events raised while an earlier batch is still being
delivered (a slot that acts on the model) are queued behind it, so listeners never see them
out of order.

Whether timed steps advance by themselves is the preference ``auto_advance``: read from the
Preferences when a session begins and applied to the running session whenever it changes.
"""

from __future__ import annotations

import copy
import math
from collections import deque
from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from neck_guide.engine.clock import Clock
from neck_guide.engine.events import Event
from neck_guide.engine.record import BodyMark, MeasureKind, PainWhen, ScreeningAnswer, SessionRecord
from neck_guide.engine.runner import DEFAULT_GUARD_S, SessionRunner
from neck_guide.protocol.model import RatingKind
from neck_guide.protocol.plan import Plan
from neck_guide.ui.preferences import Preferences

REPAINT_MS = 33
TICKING_STATES = frozenset({"running", "overtime"})


class NoSessionError(RuntimeError):
    """An action that needs a session was asked for while none is open (a bug in the caller)."""


class SessionModel(QObject):
    """One session at a time, driven by deadlines.

    Signals:
        event_emitted(object): each engine Event, in the order the runner produced them.
        session_changed(object): a new SessionRunner was set up (or None when closed).
        resumed(object): a copy of the record of a session taken up again after a crash.
        state_changed(str): the runner's state after it changed ("ready", "running", ...).
        tick(float): the monotonic ``now`` to repaint with, ~30 times a second while a step runs.
    """

    event_emitted = Signal(object)
    session_changed = Signal(object)
    resumed = Signal(object)
    state_changed = Signal(str)
    tick = Signal(float)

    def __init__(
        self,
        clock: Clock,
        preferences: Preferences,
        *,
        time_scale: float = 1.0,
        guard_s: float = DEFAULT_GUARD_S,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.clock = clock
        self.time_scale = time_scale
        self._preferences = preferences
        self._guard_s = guard_s
        self._runner: SessionRunner | None = None
        self._state = ""
        self._queue: deque[Event] = deque()
        self._delivering = False
        self._deadline_timer = QTimer(self)
        self._deadline_timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._deadline_timer.setSingleShot(True)
        self._deadline_timer.timeout.connect(self.poll)
        self._repaint_timer = QTimer(self)
        self._repaint_timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._repaint_timer.setInterval(REPAINT_MS)
        self._repaint_timer.timeout.connect(self._on_repaint_due)
        preferences.changed.connect(self._on_preference_changed)

    # -- the session -------------------------------------------------------------------------

    @property
    def runner(self) -> SessionRunner | None:
        return self._runner

    @property
    def active(self) -> SessionRunner:
        """The runner of the open session; raises NoSessionError when there is none."""
        if self._runner is None:
            raise NoSessionError("no session is open: begin() or resume() one first")
        return self._runner

    @property
    def state(self) -> str:
        return self._runner.state if self._runner is not None else ""

    @property
    def auto_advance(self) -> bool:
        return self._preferences.current.auto_advance

    def now(self) -> float:
        return self.clock.monotonic()

    def begin(
        self,
        plan: Plan,
        *,
        client_code: str | None = None,
        practice: bool = False,
        given: float | None = None,
    ) -> None:
        """Open a new session on ``plan`` (SessionStarted, stamped ``given``: the monotonic instant the
        screening opened, say); its first step waits for start()."""
        runner = SessionRunner(
            plan,
            self.clock,
            client_code=client_code,
            practice=practice,
            time_scale=self.time_scale,
            auto_advance=self.auto_advance,
            guard_s=self._guard_s,
        )
        self._install(runner)
        self._act(lambda now: runner.begin(now, given))

    def resume(self, plan: Plan, record: SessionRecord) -> None:
        """Take up an unfinished stored session where it stopped; start() begins its step."""
        runner = SessionRunner.from_record(plan, self.clock, record, auto_advance=self.auto_advance)
        runner.guard_s = self._guard_s
        self.resumed.emit(copy.deepcopy(runner.record))
        self._install(runner)
        self._settle()

    def set_voice(self, available: bool) -> None:
        """Record whether the running session has voice (the voice reports a failure here)."""
        runner = self._runner
        if runner is not None:
            self._act(lambda now: runner.set_voice(now, available))

    def close(self) -> None:
        """Forget the session (after its summary); nothing is recorded."""
        self._deadline_timer.stop()
        self._repaint_timer.stop()
        self._runner = None
        self._state = ""
        self.session_changed.emit(None)

    def set_guard_s(self, seconds: float) -> None:
        """The mis-tap window (real seconds): a repeat of Next or Back, or a second rating, within it."""
        self._guard_s = seconds
        if self._runner is not None:
            self._runner.guard_s = seconds

    def _on_preference_changed(self, name: str) -> None:
        runner = self._runner
        if name == "auto_advance" and runner is not None:
            on = self.auto_advance
            self._act(lambda now: runner.set_auto_advance(now, on))

    # -- actions: each tells the runner ``now`` and delivers what it returns -----------------

    def record_screening(
        self,
        answers: Sequence[ScreeningAnswer],
        pre_pain: int | None,
        rotation_left_deg: int | None = None,
        rotation_right_deg: int | None = None,
    ) -> None:
        runner = self.active
        self._act(
            lambda now: runner.record_screening(now, answers, pre_pain, rotation_left_deg, rotation_right_deg)
        )

    def answer(self, answer: ScreeningAnswer, given: float | None = None) -> None:
        """One screening answer, given at monotonic instant ``given`` (default now)."""
        runner = self.active
        self._act(lambda now: runner.answer(now, answer, given))

    def measure(self, kind: MeasureKind, value: int | None, given: float | None = None) -> None:
        """Pre- or post-session pain or a rotation range, taken at ``given`` (default now)."""
        runner = self.active
        self._act(lambda now: runner.measure(now, kind, value, given))

    def mark_body(self, mark: BodyMark, given: float | None = None) -> None:
        """Where it hurts (numbered and stamped by the record), tapped at ``given`` (default now)."""
        runner = self.active
        self._act(lambda now: runner.mark_body(now, mark, given))

    def remove_mark(self, number: int) -> None:
        runner = self.active
        self._act(lambda now: runner.remove_mark(now, number))

    def start(self) -> None:
        self._act(self.active.start)

    def toggle(self) -> None:
        self._act(self.active.toggle)

    def pause(self) -> None:
        self._act(self.active.pause)

    def resume_step(self) -> None:
        self._act(self.active.resume)

    def release(self) -> None:
        self._act(self.active.release)

    def extend(self, seconds: float) -> None:
        runner = self.active
        self._act(lambda now: runner.extend(now, seconds))

    def next(self) -> None:
        self._act(self.active.next)

    def undo(self) -> None:
        """Reverse the last Next, Back, rating or extension (runner.undoable() says which)."""
        self._act(self.active.undo)

    def tick_item(self, item: int, done: bool = True) -> None:
        """Tick (or untick) a checklist item of the untimed step on screen."""
        runner = self.active
        self._act(lambda now: runner.tick(now, item, done))

    def back(self) -> None:
        self._act(self.active.back)

    def skip(self) -> None:
        self._act(self.active.skip)

    def rate(self, kind: RatingKind, value: int) -> None:
        runner = self.active
        self._act(lambda now: runner.rate(now, kind, value))

    def record_pain(self, when: PainWhen, value: int) -> None:
        runner = self.active
        self._act(lambda now: runner.record_pain(now, when, value))

    def set_notes(self, notes: str) -> None:
        runner = self.active
        if runner.record.notes != notes:
            self._act(lambda now: runner.set_notes(now, notes))

    def finish(self, note: str = "") -> None:
        """End the session: finished when every step was done or skipped, else ended early
        (``note``: the reason given)."""
        runner = self.active
        self._act(lambda now: runner.finish(now, note))

    def abandon(self, note: str = "") -> None:
        runner = self.active
        self._act(lambda now: runner.abandon(now, note))

    def poll(self) -> None:
        """Emit everything due by now (the deadline timer calls this; so may anyone catching up)."""
        if self._runner is not None:
            self._act(self._runner.poll)

    # -- plumbing ------------------------------------------------------------------------------

    def _install(self, runner: SessionRunner) -> None:
        self._deadline_timer.stop()
        self._repaint_timer.stop()
        self._runner = runner
        self._state = ""
        self.session_changed.emit(runner)

    def _act(self, action: Callable[[float], list[Event]]) -> None:
        self._deliver(action(self.now()))
        self._settle()

    def _deliver(self, events: Sequence[Event]) -> None:
        self._queue.extend(events)
        if self._delivering:
            return
        self._delivering = True
        try:
            while self._queue:
                self.event_emitted.emit(self._queue.popleft())
        finally:
            self._delivering = False

    def _settle(self) -> None:
        """Arm the deadline timer, run or stop the repaint timer, tell listeners of a new state."""
        runner = self._runner
        if runner is None:
            return
        now = self.now()
        deadline = runner.next_deadline()
        if deadline is None:
            self._deadline_timer.stop()
        else:
            self._deadline_timer.start(max(0, math.ceil((deadline - now) * 1000)))
        if runner.state in TICKING_STATES:
            if not self._repaint_timer.isActive():
                self._repaint_timer.start()
        else:
            self._repaint_timer.stop()
        if runner.state != self._state:
            self._state = runner.state
            self.state_changed.emit(runner.state)
        self.tick.emit(now)

    def _on_repaint_due(self) -> None:
        self.tick.emit(self.now())
