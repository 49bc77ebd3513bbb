"""Small protocols and plans for the engine tests, built in code (not the bundled files)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from neck_guide.engine.clock import FakeClock
from neck_guide.engine.events import CueDue, CuesScheduled, Event, Heartbeat, StepEnded, StepStarted
from neck_guide.engine.runner import SessionRunner
from neck_guide.protocol.model import Protocol
from neck_guide.protocol.plan import Plan, expand


def protocol(*steps: dict[str, Any]) -> Protocol:
    return Protocol.model_validate(
        {
            "schema_version": 1,
            "id": "drill",
            "title": "Drill",
            "version": "1.0",
            "summary": "A protocol built by a test.",
            "phases": [{"id": "main", "title": "Main", "steps": list(steps)}],
        }
    )


def plan_of(*steps: dict[str, Any]) -> Plan:
    return expand(protocol(*steps))


def hold(step_id: str, min_s: float, max_s: float, **extra: Any) -> dict[str, Any]:
    return {
        "id": step_id,
        "title": f"Hold {step_id}",
        "technique": "Slow compression",
        "hold": {"min_s": min_s, "max_s": max_s},
        **extra,
    }


def fixed(step_id: str, duration_s: float, **extra: Any) -> dict[str, Any]:
    return {
        "id": step_id,
        "title": f"Fixed {step_id}",
        "technique": "Press",
        "duration_s": duration_s,
        **extra,
    }


def untimed(step_id: str, **extra: Any) -> dict[str, Any]:
    return {"id": step_id, "title": f"Talk {step_id}", "technique": "Ask", **extra}


def breathing(step_id: str, **pattern: Any) -> dict[str, Any]:
    return {
        "id": step_id,
        "title": f"Breathe {step_id}",
        "technique": "Paced breathing",
        "breathing": pattern,
    }


def runner_for(plan: Plan, **options: Any) -> tuple[SessionRunner, FakeClock]:
    clock = FakeClock()
    return SessionRunner(plan, clock, **options), clock


def names(events: list[Event]) -> list[str]:
    """The kinds of ``events`` in order, heartbeats and published schedules left out (heartbeats
    come every HEARTBEAT_S while a step runs; tests of them and of CuesScheduled, in
    test_upcoming.py, look for them on purpose)."""
    return [type(e).__name__ for e in events if not isinstance(e, Heartbeat | CuesScheduled)]


def cue_texts(events: list[Event]) -> list[str]:
    return [e.cue.text for e in events if isinstance(e, CueDue)]


def started(events: list[Event]) -> list[StepStarted]:
    return [e for e in events if isinstance(e, StepStarted)]


def ended(events: list[Event]) -> list[StepEnded]:
    return [e for e in events if isinstance(e, StepEnded)]


def offset_s(at: str) -> float:
    """Seconds from the FakeClock's start to the ISO time ``at`` of an event or record."""
    return (datetime.fromisoformat(at) - FakeClock().wall()).total_seconds()


def without_beats(events: list[Event]) -> list[Event]:
    """``events`` without the heartbeats and published schedules."""
    return [e for e in events if not isinstance(e, Heartbeat | CuesScheduled)]
