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
SEEDS = Path(__file__).parents[3] / "shared" / "seeds"
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


# ------------------------------------------------------------------ trigger point (seed 001)

TREATED = ("suboccipitals", "upper_trapezius", "levator_scapulae", "scalenes")


@pytest.mark.parametrize("muscle", TREATED)
def test_trigger_point_compression_holds(muscle: str) -> None:
    protocol = _protocol("trigger-point")
    assert (30, 120) in _holds(protocol, muscle)
    for step in _steps(protocol):
        if step.muscle == muscle and step.hold is not None:
            assert step.rating is not None
            assert step.rating.target == (6, 7)
            assert step.rating.ease_off_above == 8
            assert step.cues, f"{step.id} gives no breathing cues"


def test_trigger_point_rating_scale_labels_every_point() -> None:
    values = {p.value for p in _protocol("trigger-point").rating_scale}
    assert values == set(range(1, 11))


def test_trigger_point_contraindications() -> None:
    screening = _protocol("trigger-point").screening
    ids = {s.id for s in screening if s.kind == "contraindication"}
    assert ids == {"acute-injury", "skin-infection", "blood-clots", "osteoporosis", "recent-surgery"}


def test_trigger_point_techniques() -> None:
    protocol = _protocol("trigger-point")
    assert _step(protocol, "suboccipital-friction").muscle == "suboccipitals"
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
    assert step.rating is not None and step.rating.ease_off_above is not None
    assert step.rating.ease_off_above <= 4, "a stretch should not hurt"


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
