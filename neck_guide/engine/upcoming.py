"""What a running visit will still say, and when: the engine's word on every cue instant.

A voice that knows the instants ahead can start each phrase on time and fit phrases around each
other (see :mod:`neck_guide.voice.planner`); it never has to work them out from the time scale.
"""

from __future__ import annotations

from neck_guide.engine.cues import schedule
from neck_guide.engine.events import CuesScheduled, TimedCue
from neck_guide.engine.visit import Visit
from neck_guide.protocol.plan import Plan


def cues_scheduled(
    plan: Plan, live: Visit, *, time_scale: float, auto_advance: bool, at: str
) -> CuesScheduled:
    """The pending cues of ``live`` with their instants and, when the visit will end by itself
    into the next step, that step's cues at the instants they will have then."""
    index = live.planned.index
    cues = [TimedCue(cue, due, index) for cue, due in live.upcoming()]
    ends = live.ends()
    following = index + 1
    if ends is not None and auto_advance and live.planned.auto_advance and following < len(plan.steps):
        cues += [TimedCue(c, ends + c.at_s / time_scale, following) for c in schedule(plan, following)]
    return CuesScheduled(at, live.record.visit, tuple(cues), ends)
