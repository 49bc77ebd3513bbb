"""The protocol format's screening kinds, optional steps, ratings per set, ranges and course."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from neck_guide.protocol.course import CourseOfCare, next_visit
from neck_guide.protocol.model import Protocol
from neck_guide.protocol.plan import duration_range, expand, expand_all, minutes_range

HOLD = {
    "id": "hold",
    "title": "Hold",
    "technique": "Press",
    "muscle": "scm",
    "hold": {"min_s": 30, "max_s": 120},
}
TRACTION = {"id": "traction", "title": "Traction", "technique": "Pull", "duration_s": 45, "optional": True}


def protocol(*steps: dict[str, Any], screening: list[dict[str, Any]] | None = None, **top: Any) -> Protocol:
    return Protocol.model_validate(
        {
            "schema_version": 1,
            "id": "p",
            "title": "P",
            "version": "1.0",
            "summary": "test",
            "screening": screening or [],
            "phases": [{"id": "ph", "title": "Phase", "steps": list(steps or [HOLD])}],
            **top,
        }
    )


def item(kind: str, **extra: Any) -> dict[str, Any]:
    return {"id": f"q-{kind}", "kind": kind, "question": "Q?", "action": "Do this.", **extra}


# ------------------------------------------------------------------ screening kinds


@pytest.mark.parametrize(
    ("fields", "gate"),
    [
        (item("red_flag"), "refer"),
        (item("contraindication", response="defer"), "defer"),
        (item("contraindication", response="clearance"), "clearance"),
        (item("precaution"), "acknowledge"),
    ],
)
def test_each_kind_has_its_gate(fields: dict[str, Any], gate: str) -> None:
    assert protocol(screening=[fields]).screening[0].gate == gate


@pytest.mark.parametrize(
    ("fields", "fragment"),
    [
        (item("contraindication"), 'needs response = "defer" or "clearance"'),
        (item("red_flag", response="defer"), "response is for contraindications only"),
        (item("red_flag", applies_to=["hold"]), "applies_to is for precautions only"),
        (item("red_flag", findings=["vertigo"]), "dizziness"),
        (item("red_flag", findings=["dizziness", "dizziness"]), "lists a finding twice"),
        (item("precaution", applies_to=["nowhere"]), "applies_to unknown step 'nowhere'"),
        (item("warning"), "'red_flag', 'contraindication' or 'precaution'"),
    ],
)
def test_bad_screening_items_are_refused(fields: dict[str, Any], fragment: str) -> None:
    with pytest.raises(ValidationError) as info:
        protocol(screening=[fields])
    assert fragment in str(info.value)


def test_a_precaution_adds_its_guidance_to_the_steps_it_names() -> None:
    soft = {
        "id": "soft",
        "title": "Soft",
        "technique": "Stroke",
        "duration_s": 30,
        "safety": "Off the pulse.",
    }
    p = protocol(HOLD, soft, screening=[item("precaution", applies_to=["soft"], action="Go lighter.")])
    plain = expand(p)
    assert [s.safety for s in plain.steps] == ["", "Off the pulse."]
    cautious = expand(p, precautions=["q-precaution"])
    assert [s.safety for s in cautious.steps] == ["", "Off the pulse. Go lighter."]
    assert cautious.precautions == ("q-precaution",)


def test_a_precaution_without_steps_applies_to_every_muscle_step() -> None:
    talk = {"id": "talk", "title": "Talk", "technique": "Ask"}
    p = protocol(talk, HOLD, screening=[item("precaution", action="Go lighter.")])
    assert [s.safety for s in expand(p, precautions=["q-precaution"]).steps] == ["", "Go lighter."]


def test_unknown_choices_are_refused_with_the_known_ones() -> None:
    p = protocol(HOLD, TRACTION)
    with pytest.raises(ValueError, match=r"'hold' is not an optional step of p \(optional: traction\)"):
        expand(p, include=["hold"])
    with pytest.raises(ValueError, match=r"'x' is not a precaution of p \(precautions: none\)"):
        expand(p, precautions=["x"])


# ------------------------------------------------------------------ optional steps


def test_an_optional_step_runs_only_when_chosen() -> None:
    p = protocol(HOLD, TRACTION)
    assert [s.key for s in expand(p).steps] == ["hold"]
    chosen = expand(p, include=["traction"])
    assert [s.key for s in chosen.steps] == ["hold", "traction"]
    assert chosen.included == ("traction",)
    assert [s.key for s in expand_all(p).steps] == ["hold", "traction"]


def test_a_protocol_of_only_optional_steps_is_refused() -> None:
    with pytest.raises(ValidationError, match="every step is optional"):
        protocol(TRACTION)


# ------------------------------------------------------------------ ratings


def test_a_set_is_rated_once_at_its_last_repetition() -> None:
    tuck = {
        "id": "tuck",
        "title": "Chin tuck",
        "technique": "Tuck",
        "duration_s": 5,
        "repetitions": 3,
        "rest_s": 2,
        "sides": ["left", "right"],
        "rating": {"ask": ["pain"], "ease_off_above": 4, "per": "set"},
    }
    rated = [s.key for s in expand(protocol(tuck)).steps if s.rating is not None]
    assert rated == ["tuck-left-r3", "tuck-right-r3"]
    each = expand(protocol({**tuck, "rating": {"ask": ["pain"]}})).steps
    assert len([s for s in each if s.rating is not None]) == 6


@pytest.mark.parametrize(
    ("rating", "fragment"),
    [
        ({"ask": ["pain"], "target": [6, 7], "ease_off_above": 8}, "(8) is above the target band [6, 7]"),
        ({"ask": ["pain"], "target": [6, 7], "ease_off_above": 6}, "(6) is inside the target band [6, 7]"),
    ],
)
def test_ease_off_is_the_top_of_the_target(rating: dict[str, Any], fragment: str) -> None:
    with pytest.raises(ValidationError) as info:
        protocol({**HOLD, "rating": rating})
    assert fragment in str(info.value)
    assert "set it to 7 or leave it out" in str(info.value)


def test_a_target_alone_eases_off_above_its_top() -> None:
    spec = protocol({**HOLD, "rating": {"ask": ["pain"], "target": [6, 7]}}).steps[0].rating
    assert spec is not None and spec.ease_off_at == 7


# ------------------------------------------------------------------ durations


def test_duration_runs_from_the_minimums_to_the_maximums_with_optional_steps() -> None:
    p = protocol(HOLD, TRACTION)
    assert duration_range(p) == (30, 165)
    assert expand(p).shortest_s == 30 and expand(p).planned_s == 120


@pytest.mark.parametrize(
    ("low", "high", "text"),
    [(2520, 3240, "42–54 min"), (1500, 1520, "25 min"), (20, 45, "45 s")],
)
def test_minutes_range(low: float, high: float, text: str) -> None:
    assert minutes_range(low, high) == text


# ------------------------------------------------------------------ course of care

COURSE = {
    "stages": [
        {"first_visit": 1, "last_visit": 3, "aim": "Ease pain", "chronic_every_weeks": 2},
        {"first_visit": 4, "last_visit": 6, "aim": "Fix habits", "chronic_every_weeks": 2},
        {"first_visit": 7, "aim": "Upkeep", "every_weeks": 4},
    ]
}


@pytest.mark.parametrize(
    ("visit", "text"),
    [
        (1, "Visit 2 (Ease pain): for long-standing pain in about 2 weeks; otherwise when agreed"),
        (3, "Visit 4 (Fix habits): for long-standing pain in about 2 weeks; otherwise when agreed"),
        (6, "Visit 7 (Upkeep): in about a month"),
        (30, "Visit 31 (Upkeep): in about a month"),
    ],
)
def test_the_next_visit_follows_the_course(visit: int, text: str) -> None:
    course = protocol(course_of_care=COURSE).course_of_care
    assert course is not None
    assert next_visit(course, visit).text() == text


@pytest.mark.parametrize(
    ("stages", "fragment"),
    [
        ([{"first_visit": 2, "aim": "A"}], "stage 1 starts at visit 2; expected visit 1"),
        ([{"first_visit": 1, "aim": "A"}, {"first_visit": 2, "aim": "B"}], "stage 1 is open-ended"),
        (
            [{"first_visit": 1, "last_visit": 3, "aim": "A"}, {"first_visit": 5, "aim": "B"}],
            "expected visit 4",
        ),
        ([{"first_visit": 3, "last_visit": 1, "aim": "A"}], "last_visit (1) is before first_visit (3)"),
    ],
)
def test_a_broken_course_is_refused(stages: list[dict[str, Any]], fragment: str) -> None:
    with pytest.raises(ValidationError) as info:
        CourseOfCare.model_validate({"stages": stages})
    assert fragment in str(info.value)
