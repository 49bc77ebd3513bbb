from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from neck_guide.protocol.model import Protocol
from neck_guide.protocol.plan import expand


def protocol(*steps: dict[str, Any]) -> Protocol:
    return Protocol.model_validate(
        {
            "schema_version": 1,
            "id": "p",
            "title": "P",
            "version": "1.0",
            "summary": "test",
            "phases": [{"id": "ph", "title": "Phase", "steps": list(steps)}],
        }
    )


def test_sides_and_repetitions_expand_in_session_order() -> None:
    plan = expand(
        protocol(
            {
                "id": "tuck",
                "title": "Chin tuck",
                "technique": "Tuck",
                "duration_s": 5,
                "repetitions": 2,
                "rest_s": 3,
                "sides": ["left", "right"],
            }
        )
    )
    assert [s.key for s in plan.steps] == [
        "tuck-left-r1",
        "tuck-left-r1-rest",
        "tuck-left-r2",
        "tuck-right-r1",
        "tuck-right-r1-rest",
        "tuck-right-r2",
    ]
    assert [s.index for s in plan.steps] == list(range(6))
    assert [s.kind for s in plan.steps] == ["fixed", "rest", "fixed"] * 2
    assert plan.planned_s == 4 * 5 + 2 * 3
    assert plan.remaining_after(3) == 3 + 5


def test_range_hold_bounds_and_announcement() -> None:
    plan = expand(
        protocol(
            {
                "id": "ut",
                "title": "Upper trapezius hold",
                "technique": "Slow compression",
                "muscle": "upper_trapezius",
                "hold": {"min_s": 10, "max_s": 20},
                "sides": ["left"],
            }
        )
    )
    (step,) = plan.steps
    assert (step.kind, step.min_s, step.max_s, step.planned_s) == ("range", 10, 20, 20)
    assert step.announcement == "Upper trapezius, left. Slow compression."
    assert step.auto_advance and step.is_hold


def test_untimed_step_uses_estimate_and_waits() -> None:
    plan = expand(protocol({"id": "ask", "title": "Ask", "technique": "Talk", "estimate_s": 600}))
    (step,) = plan.steps
    assert step.kind == "untimed" and not step.auto_advance and step.planned_s == 600


@pytest.mark.parametrize(
    ("step", "fragment"),
    [
        ({"hold": {"min_s": 20, "max_s": 10}}, "greater than max_s"),
        ({"hold": {"min_s": -1, "max_s": 10}}, "greater than 0"),
        ({"duration_s": 10, "hold": {"min_s": 1, "max_s": 2}}, "at most one of"),
        ({"muscle": "biceps"}, "unknown muscle"),
        ({"diagram": {"view": "posterior", "muscles": ["scm"]}}, "not drawn in the posterior view"),
        ({"diagram": {"view": "top"}}, "posterior"),
        ({"rating": {"ask": ["pain"], "target": [7, 6]}}, "above high"),
        ({"rating": {"ask": ["pain"], "target": [6, 7], "ease_off_above": 6}}, "inside the target"),
        ({"duration_s": 10, "cues": [{"at_s": 12, "text": "late"}]}, "after the step ends"),
        ({"colour": "red"}, "Extra inputs"),
    ],
)
def test_bad_steps_are_refused_with_a_reason(step: dict[str, Any], fragment: str) -> None:
    with pytest.raises(ValidationError) as info:
        protocol({"id": "s", "title": "S", "technique": "T", **step})
    assert fragment in str(info.value)


def test_duplicate_step_ids_are_refused() -> None:
    with pytest.raises(ValidationError, match="duplicate step id: s"):
        protocol({"id": "s", "title": "S", "technique": "T"}, {"id": "s", "title": "S2", "technique": "T"})
