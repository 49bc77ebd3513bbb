"""Clinical rules every protocol meets: the bundled ones here, a user's through the loader.

The loader refuses a protocol file that leaves out a required red flag or contraindication or
whose ease-off sits away from the top of its target band, so the same rules hold for any file a
clinic writes; the tests below check the bundled files rule by rule and show the refusals.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from neck_guide.protocol.loader import Catalog, ProtocolError, load_file
from neck_guide.protocol.model import Protocol
from neck_guide.protocol.safety import required_findings, screening_gaps
from neck_guide.protocol.screening import STRICTNESS

REPO = Path(__file__).parents[2]
FILES = sorted((REPO / "protocols").glob("*.toml"))
SAMPLE = Path(__file__).with_name("sample_protocol.toml").read_text(encoding="utf-8")
EASE = re.compile(r"\b(ease|stop|too)\b", re.IGNORECASE)


def _bundled(path: Path) -> Protocol:
    return load_file(path)  # the loader applies the screening rules, as for a user's file


def _problems(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "mine.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ProtocolError) as info:
        load_file(path)
    return [str(p) for p in info.value.problems]


# ------------------------------------------------------------------ over every bundled protocol


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_screens_every_required_finding_strictly_enough(path: Path) -> None:
    protocol = _bundled(path)
    assert not screening_gaps(protocol)
    for finding in required_findings(protocol):
        gates = [i.gate for i in protocol.screening if finding.id in i.findings]
        assert max(STRICTNESS[g] for g in gates) >= STRICTNESS[finding.needs], finding.id


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_every_threshold_is_the_top_of_its_target(path: Path) -> None:
    for step in _bundled(path).steps:
        if step.rating is not None and step.rating.target is not None:
            assert step.rating.ease_off_at == step.rating.target[1], step.id


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_scale_labels_agree_with_the_thresholds(path: Path) -> None:
    """No label says "ease off" where no step would; the first point past the highest threshold
    says it. (Trigger-point once labelled 8 "ease a little" while ease-off fired above 8.)"""
    protocol = _bundled(path)
    limits = [s.rating.ease_off_at for s in protocol.steps if s.rating and s.rating.ease_off_at]
    if not protocol.rating_scale or not limits:
        pytest.skip("no scale or no threshold")
    top = max(limits)
    labels = {p.value: p.label for p in protocol.rating_scale}
    for value, text in labels.items():
        if value <= top:
            assert not EASE.search(text), f"{value} {text!r} is at or under the threshold {top}"
        else:
            assert EASE.search(text), f"{value} {text!r} is above the threshold {top}"
    assert top + 1 in labels, f"label the first point past the threshold ({top + 1})"


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_aftercare_says_when_to_see_a_clinician(path: Path) -> None:
    protocol = _bundled(path)
    who = ("clinician", "doctor") if protocol.delivery == "hands_on" else ("therapist", "doctor")
    assert any(w in line for line in protocol.aftercare for w in who)


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_title_and_technique_differ(path: Path) -> None:
    """The runner shows both, one under the other: the same words twice say nothing."""
    for step in _bundled(path).steps:
        assert step.title.casefold() != step.technique.casefold(), step.id


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_one_gentle_suboccipital_rule_stated_on_screen(path: Path) -> None:
    """Where the articles differ (friction at 6-7 against very gentle, no sliding), the gentler
    rule holds, and every suboccipital step shows the same rule."""
    steps = [s for s in _bundled(path).steps if s.muscle == "suboccipitals"]
    if not steps:
        pytest.skip("no suboccipital work")
    assert len({s.safety for s in steps}) == 1 and "no friction" in steps[0].safety.lower()
    for step in steps:
        assert "friction" not in step.technique.lower(), step.id
        assert step.rating is not None and step.rating.ease_off_at is not None
        assert step.rating.ease_off_at <= 4, step.id


# ------------------------------------------------------------------ a user's protocol


def test_a_hands_on_protocol_without_red_flags_is_refused(tmp_path: Path) -> None:
    text = SAMPLE.replace('findings = ["numbness", "arm-pain", "headache-change"]', 'findings = ["numbness"]')
    problems = _problems(tmp_path, text)
    assert len(problems) == 2
    assert problems[0].startswith("screening: does not screen for pain spreading into an arm")
    assert 'findings = ["arm-pain"] and kind = "red_flag"' in problems[0]
    assert problems[0].endswith(f"(line {text[: text.index('[[screening]]')].count(chr(10)) + 1})")


def test_a_finding_screened_too_weakly_is_refused_at_its_question(tmp_path: Path) -> None:
    """Severe osteoporosis needs a defer; "clearance" lets the session start."""
    text = SAMPLE.replace(
        'findings = ["blood-clots", "recent-surgery"]',
        'findings = ["blood-clots", "recent-surgery", "osteoporosis"]',
    ).replace(
        'findings = ["acute-injury", "skin-infection", "osteoporosis"]',
        'findings = ["acute-injury", "skin-infection"]',
    )
    (problem,) = _problems(tmp_path, text)
    assert problem.startswith('screening[4] "needs-clearance" > kind: screens for severe osteoporosis')
    assert 'use kind = "contraindication" and response = "defer"' in problem


def test_an_acknowledgement_never_screens_a_red_flag(tmp_path: Path) -> None:
    text = SAMPLE.replace(
        'kind = "red_flag"\nfindings = ["dizziness"]', 'kind = "precaution"\nfindings = ["dizziness"]'
    )
    (problem,) = _problems(tmp_path, text)
    assert "screens for dizziness" in problem and "needs only an acknowledgement" in problem


def test_working_the_scalenes_needs_the_chest_pain_question(tmp_path: Path) -> None:
    text = SAMPLE.replace('muscle = "scm"\nsides', 'muscle = "scalenes"\nsides')
    (problem,) = _problems(tmp_path, text)
    assert "does not screen for chest pain no doctor has checked" in problem


def test_a_self_care_routine_needs_the_red_flags_only(tmp_path: Path) -> None:
    start = SAMPLE.index('[[screening]]\nid = "not-today"')
    end = SAMPLE.index('action = "Start only with a clearance."')
    text = SAMPLE[:start] + SAMPLE[end + len('action = "Start only with a clearance."') :]
    text = text.replace(
        'summary = "A short protocol for tests."', 'summary = "Home."\ndelivery = "self_care"'
    )
    assert load_file(_write(tmp_path, text)).delivery == "self_care"
    no_flags = text.replace('findings = ["dizziness"]\n', "")
    assert any("does not screen for dizziness" in p for p in _problems(tmp_path, no_flags))


def test_ease_off_above_the_band_is_refused(tmp_path: Path) -> None:
    text = SAMPLE.replace("ease_off_above = 7", "ease_off_above = 8")
    (problem,) = _problems(tmp_path, text)
    assert "ease_off_above (8) is above the target band [6, 7]" in problem
    assert "set it to 7 or leave it out" in problem


def test_the_catalog_leaves_out_a_users_protocol_that_skips_screening(tmp_path: Path) -> None:
    bundled, user = tmp_path / "bundled", tmp_path / "user"
    bundled.mkdir()
    user.mkdir()
    (user / "mine.toml").write_text(SAMPLE.replace('findings = ["dizziness"]\n', ""), encoding="utf-8")
    catalog = Catalog.load(bundled, user)
    assert "neck-test" not in catalog
    (error,) = catalog.errors
    assert "does not screen for dizziness" in str(error)


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "mine.toml"
    path.write_text(text, encoding="utf-8")
    return path
