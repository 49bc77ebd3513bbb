"""The bundled protocols: they load, they carry the facts of their sources, and in our own words."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from neck_guide.protocol.model import Protocol, Step
from neck_guide.protocol.plan import expand

REPO = Path(__file__).parents[2]
PROTOCOLS = REPO / "protocols"
# the team's shared folder sits beside the repository (/work/main) or above a worktree
# (/work/wt/NAME): the first folder up from here that has shared/seeds
SEEDS = next(
    (d / "shared" / "seeds" for d in Path(__file__).resolve().parents if (d / "shared" / "seeds").is_dir()),
    REPO.parent / "shared" / "seeds",
)
BUNDLED = ("clinical-neck", "trigger-point", "self-care")
FILES = sorted(PROTOCOLS.glob("*.toml"))
COPY_RUN = 8  # this many consecutive words shared with a source counts as copied


def _load(path: Path) -> Protocol:
    with path.open("rb") as f:
        return Protocol.model_validate(tomllib.load(f))


def _protocol(protocol_id: str) -> Protocol:
    return _load(PROTOCOLS / f"{protocol_id}.toml")


def _steps(protocol: Protocol) -> list[Step]:
    return [s for p in protocol.phases for s in p.steps]


def _step(protocol: Protocol, step_id: str) -> Step:
    found = [s for s in _steps(protocol) if s.id == step_id]
    assert found, f"{protocol.id} has no step {step_id!r}"
    return found[0]


def _holds(protocol: Protocol, muscle: str) -> list[tuple[float, float]]:
    return [(s.hold.min_s, s.hold.max_s) for s in _steps(protocol) if s.muscle == muscle and s.hold]


# ------------------------------------------------------------------ loading


def test_all_three_are_bundled() -> None:
    assert {p.stem for p in FILES} >= set(BUNDLED)


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_file_validates_and_expands(path: Path) -> None:
    protocol = _load(path)
    plan = expand(protocol)
    assert protocol.id == path.stem
    assert plan.steps and plan.planned_s > 0
    assert protocol.aftercare, f"{path.name} gives no aftercare"


def test_ids_unique_across_files() -> None:
    ids = [_load(p).id for p in FILES]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize(
    ("protocol_id", "low_min", "high_min"),
    [("clinical-neck", 25, 40), ("trigger-point", 45, 60), ("self-care", 5, 12)],
)
def test_planned_length_is_realistic(protocol_id: str, low_min: float, high_min: float) -> None:
    minutes = expand(_protocol(protocol_id)).planned_s / 60
    assert low_min <= minutes <= high_min


# ------------------------------------------------------------------ clinical neck (seed 000)


def test_clinical_neck_works_the_four_key_muscles() -> None:
    muscles = _protocol("clinical-neck").muscles
    assert {"scm", "upper_trapezius", "levator_scapulae", "suboccipitals"} <= set(muscles)


def test_clinical_neck_scm_steps_guard_the_anterior_neck() -> None:
    scm = [s for s in _steps(_protocol("clinical-neck")) if s.muscle == "scm"]
    assert scm
    for step in scm:
        assert step.diagram is not None and "anterior_neck" in step.diagram.safety_zones, step.id
        assert step.safety, step.id
        assert step.sides == ("left", "right"), step.id
        assert step.rating is not None and step.rating.ease_off_above is not None
        assert step.rating.ease_off_above <= 5, "SCM pressure is light to moderate only"


def test_clinical_neck_holds() -> None:
    protocol = _protocol("clinical-neck")
    assert (10, 20) in _holds(protocol, "upper_trapezius")
    assert _holds(protocol, "suboccipitals"), "suboccipitals are worked with sustained holds"


def test_clinical_neck_has_a_breathing_step() -> None:
    assert any(s.breathing is not None for s in _steps(_protocol("clinical-neck")))


def test_clinical_neck_red_flags() -> None:
    screening = _protocol("clinical-neck").screening
    flags = {s.id for s in screening if s.kind == "red_flag"}
    assert flags == {"dizziness", "numbness", "arm-pain", "headache-change"}
    assert all(s.action for s in screening)


@pytest.mark.parametrize("protocol_id", ["clinical-neck", "trigger-point"])
def test_hands_on_protocols_screen_both_articles(protocol_id: str) -> None:
    """Red flags of the clinical article and the contraindications of the neuromuscular one,
    each with the response its source gives (severe osteoporosis: avoid, so defer)."""
    gates = {f: item.gate for item in _protocol(protocol_id).screening for f in item.findings}
    assert {
        f: gates.get(f) for f in ("dizziness", "numbness", "arm-pain", "headache-change")
    } == dict.fromkeys(("dizziness", "numbness", "arm-pain", "headache-change"), "refer")
    assert {f: gates.get(f) for f in ("acute-injury", "skin-infection", "osteoporosis")} == dict.fromkeys(
        ("acute-injury", "skin-infection", "osteoporosis"), "defer"
    )
    assert {f: gates.get(f) for f in ("blood-clots", "recent-surgery")} == dict.fromkeys(
        ("blood-clots", "recent-surgery"), "clearance"
    )


def test_clinical_neck_traction_is_optional() -> None:
    protocol = _protocol("clinical-neck")
    traction = _step(protocol, "light-traction")
    assert traction.optional and "trained" in traction.safety
    assert "light-traction" not in {s.step.id for s in expand(protocol).steps}
    assert "light-traction" in {s.step.id for s in expand(protocol, include=["light-traction"]).steps}


# ------------------------------------------------------------------ trigger point (seed 001)

TREATED = ("suboccipitals", "upper_trapezius", "levator_scapulae", "scalenes")
FIRM = ("upper_trapezius", "levator_scapulae")


@pytest.mark.parametrize("muscle", FIRM)
def test_trigger_point_compression_holds(muscle: str) -> None:
    protocol = _protocol("trigger-point")
    assert (30, 120) in _holds(protocol, muscle)
    for step in _steps(protocol):
        if step.muscle == muscle and step.hold is not None:
            assert step.rating is not None
            assert step.rating.target == (6, 7)
            assert step.rating.ease_off_at == 7, "ease off above the top of the 6-7 band"
            assert step.cues, f"{step.id} gives no breathing cues"


def test_trigger_point_scalenes_stay_light_throughout() -> None:
    """Light contact: a low target and threshold, a shorter hold, and no firm cue."""
    scalenes = [s for s in _steps(_protocol("trigger-point")) if s.muscle == "scalenes"]
    assert scalenes
    for step in scalenes:
        assert "light" in step.safety.lower(), step.id
        if step.rating is not None:
            assert step.rating.ease_off_at is not None and step.rating.ease_off_at <= 3, step.id
        if step.hold is not None:
            assert step.hold.max_s <= 60, step.id
        assert not any("six or seven" in c.text for c in step.cues), step.id
    hold = _step(_protocol("trigger-point"), "scalene-compression")
    assert "heart" in hold.safety.lower(), "rule out cardiac chest pain before working the scalenes"


def test_trigger_point_screens_unchecked_chest_pain() -> None:
    items = [i for i in _protocol("trigger-point").screening if "chest-pain" in i.findings]
    assert [i.gate for i in items] == ["refer"]


def test_trigger_point_course_of_care() -> None:
    course = _protocol("trigger-point").course_of_care
    assert course is not None
    spans = [(s.first_visit, s.last_visit) for s in course.stages]
    assert spans == [(1, 3), (4, 6), (7, None)]
    assert course.stages[-1].every_weeks == 4, "then monthly upkeep"
    assert [s.chronic_every_weeks for s in course.stages[:2]] == [2, 2], "chronic: twice a month at first"


def test_trigger_point_after_effects_include_mild_swelling() -> None:
    assert any("swelling" in line for line in _protocol("trigger-point").aftercare)


def test_trigger_point_rating_scale_labels_every_point() -> None:
    values = {p.value for p in _protocol("trigger-point").rating_scale}
    assert values == set(range(1, 11))


def test_trigger_point_contraindications() -> None:
    screening = _protocol("trigger-point").screening
    ids = {s.id for s in screening if s.kind == "contraindication"}
    assert ids == {"acute-injury", "skin-infection", "blood-clots", "osteoporosis", "recent-surgery"}


def test_trigger_point_techniques() -> None:
    protocol = _protocol("trigger-point")
    assert _step(protocol, "levator-friction").technique == "Cross-fiber friction"
    assert _step(protocol, "upper-trap-pin-stretch").muscle == "upper_trapezius"
    assert _step(protocol, "levator-pin-stretch").muscle == "levator_scapulae"
    glides = [s for s in _steps(protocol) if s.id.endswith("glide")]
    assert len(glides) >= len(TREATED), "gliding strokes come between the intense techniques"


def test_trigger_point_scalenes_show_referral_and_safety() -> None:
    step = _step(_protocol("trigger-point"), "scalene-compression")
    assert step.diagram is not None
    assert "scalenes" in step.diagram.referral_zones
    assert "anterior_neck" in step.diagram.safety_zones
    assert step.safety


def test_trigger_point_has_consultation_and_mapping() -> None:
    protocol = _protocol("trigger-point")
    phases = [p.id for p in protocol.phases]
    assert phases.index("consultation") < phases.index("mapping") < phases.index("suboccipitals")
    consultation = next(p for p in protocol.phases if p.id == "consultation")
    minutes = sum(s.estimate_s or 0 for s in consultation.steps) / 60
    assert 10 <= minutes <= 15


# ------------------------------------------------------------------ self-care (seed 001)


@pytest.mark.parametrize(
    ("step_id", "muscle", "seconds", "reps"),
    [("chin-tucks", "deep_neck_flexors", 5, 10), ("scapular-retractions", "rhomboids", 5, 10)],
)
def test_self_care_short_holds(step_id: str, muscle: str, seconds: float, reps: int) -> None:
    step = _step(_protocol("self-care"), step_id)
    assert (step.muscle, step.duration_s, step.repetitions) == (muscle, seconds, reps)


@pytest.mark.parametrize(
    ("step_id", "muscle"),
    [("upper-trap-stretch", "upper_trapezius"), ("doorway-pec-stretch", "pectoralis_major")],
)
def test_self_care_stretches_each_side(step_id: str, muscle: str) -> None:
    step = _step(_protocol("self-care"), step_id)
    assert (step.muscle, step.duration_s, step.sides) == (muscle, 30, ("left", "right"))
    assert step.rating is not None and step.rating.ease_off_at is not None
    assert step.rating.ease_off_at <= 4, "a stretch should not hurt"


def test_self_care_asks_one_rating_per_set() -> None:
    """Ten chin tucks ask once, not ten times: one rating per step and side."""
    protocol = _protocol("self-care")
    rated = [(s.step.id, s.side) for s in expand(protocol).steps if s.rating is not None]
    sets = [(s.id, side) for s in _steps(protocol) if s.rating for side in (s.sides or (None,))]
    assert sorted(rated, key=str) == sorted(sets, key=str)


def test_self_care_screening_speaks_to_the_client() -> None:
    protocol = _protocol("self-care")
    assert protocol.delivery == "self_care"
    assert "call your therapist" in protocol.screening_intro
    assert protocol.screening, "a blank screening page tells the client nothing"
    for item in protocol.screening:
        assert "therapist" in item.action or item.gate == "defer", item.id
        assert "clinician" not in item.question + item.action, f"{item.id}: plain words for a client"


# ------------------------------------------------------------------ our own words


def _words(text: str) -> list[str]:
    return re.sub(r"[\W_]+", " ", text.lower()).split()


def _runs(words: list[str]) -> Iterator[tuple[str, ...]]:
    for i in range(len(words) - COPY_RUN + 1):
        yield tuple(words[i : i + COPY_RUN])


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def _seed_runs() -> set[tuple[str, ...]]:
    if not SEEDS.is_dir() or not any(SEEDS.glob("*.txt")):
        pytest.skip(f"source articles not found in {SEEDS}: cannot check for copied wording")
    return {run for seed in SEEDS.glob("*.txt") for run in _runs(_words(seed.read_text(encoding="utf-8")))}


def _copied(texts: Iterator[str], seed_runs: set[tuple[str, ...]]) -> list[str]:
    return [" ".join(run) for text in texts for run in _runs(_words(text)) if run in seed_runs]


def test_copy_check_catches_a_copied_sentence() -> None:
    seed_runs = _seed_runs()
    some_run = " ".join(next(iter(seed_runs)))
    assert _copied(iter([f"Intro. {some_run.upper()}!"]), seed_runs) == [some_run]


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_wording_is_our_own(path: Path) -> None:
    seed_runs = _seed_runs()
    with path.open("rb") as f:
        copied = _copied(_strings(tomllib.load(f)), seed_runs)
    assert not copied, f"{path.name} copies {COPY_RUN}+ words from a source article: {copied}"
