"""Where a session stands in its plan, and the times the screen shows of it.

:class:`SessionProgress` holds the session's position (its state, the current step and the live
visit) and derives every display value from the visit's deadlines at the ``now`` it is told, never
from counted ticks: a view that repaints late shows the same times as a punctual one. It only reads;
its subclass :class:`~neck_guide.engine.runner.SessionRunner` moves the session on.
"""

from __future__ import annotations

from typing import Literal

from neck_guide.engine.cues import schedule
from neck_guide.engine.events import Cue
from neck_guide.engine.record import StepRecord
from neck_guide.engine.visit import BreathPhase, Visit, breathing_phase
from neck_guide.protocol.plan import Plan, PlannedStep

RunnerState = Literal["ready", "running", "paused", "overtime", "finished"]


class SessionProgress:
    """A session's position in its plan, and the times that follow from it at any ``now``."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.state: RunnerState = "ready"
        self.index = 0
        self._live: Visit | None = None
        self._past_end = False  # a resumed session whose every step was done: start() finishes it

    # -- position -----------------------------------------------------------------------------

    @property
    def current(self) -> PlannedStep:
        return self.plan.steps[self.index]

    @property
    def visit(self) -> StepRecord | None:
        return self._live.record if self._live else None

    def upcoming(self) -> PlannedStep | None:
        following = self.index + 1
        return self.plan.steps[following] if following < len(self.plan.steps) else None

    def cues_for(self, index: int) -> list[Cue]:
        return schedule(self.plan, index)

    def next_mark(self) -> float | None:
        """The instant of the running visit's next mark (a cue, its minimum, its end); None when
        nothing is scheduled (paused, untimed with no cue to come, overtime...)."""
        if self.state != "running" or self._live is None:
            return None
        return self._live.next_due()

    # -- derived display values ---------------------------------------------------------------

    def elapsed(self, now: float) -> float:
        return self._live.clock.elapsed(now) if self._live else 0.0

    def remaining(self, now: float) -> float | None:
        if not self.current.timed:
            return None
        if self._live is None or self._live.clock.end_s is None:
            return 0.0 if self.state == "finished" else self.current.max_s
        if self._live.at_end:
            return 0.0
        return max(0.0, self._live.clock.end_s - self._live.clock.elapsed(now))

    def to_minimum(self, now: float) -> float | None:
        if self.current.kind != "range" or self.current.min_s is None:
            return None
        if self.state == "finished":
            return 0.0
        return max(0.0, self.current.min_s - self.elapsed(now))

    def overall_remaining(self, now: float) -> float:
        if self.state == "finished" or self._past_end:
            return 0.0
        this = self.remaining(now)
        if this is None:
            this = max(0.0, self.current.planned_s - self.elapsed(now))
        return this + self.plan.remaining_after(self.index)

    def breathing_phase(self, now: float) -> tuple[BreathPhase, float, float] | None:
        pattern = self.current.step.breathing
        if self.current.kind != "breathing" or pattern is None or self.state == "finished":
            return None
        end_s = self._live.clock.end_s if self._live else self.current.max_s
        return breathing_phase(pattern, self.elapsed(now), end_s)
