"""Scoring against worked examples: full marks, skipped sections as the instrument says, percentages."""

from __future__ import annotations

import pytest

from neck_guide.paths import BUNDLED_QUESTIONNAIRES_DIR
from neck_guide.questionnaire.loader import QuestionnaireCatalog
from neck_guide.questionnaire.model import Questionnaire
from neck_guide.questionnaire.scoring import score

CATALOG = QuestionnaireCatalog.load(BUNDLED_QUESTIONNAIRES_DIR, None)
NDI_SECTIONS = (
    "pain_intensity", "personal_care", "lifting", "reading", "headaches",
    "concentration", "work", "driving", "sleeping", "recreation",
)  # fmt: skip


@pytest.fixture
def ndi() -> Questionnaire:
    return CATALOG.get("ndi")


def test_the_ndi_has_ten_sections_scored_0_to_5_coded_with_loinc(ndi: Questionnaire) -> None:
    assert [i.id for i in ndi.items] == list(NDI_SECTIONS)
    assert all((i.lowest, i.highest) == (0, 5) for i in ndi.items)
    assert ndi.loinc == "82226-2" and ndi.scoring.total_loinc == "82237-9"
    assert [i.loinc for i in ndi.items] == [
        f"{n}-{c}" for n, c in zip(range(82227, 82237), "0864208631", strict=True)
    ]
    assert ndi.total_range == (0.0, 50.0)


def test_full_marks_is_50_of_50_and_complete_disability(ndi: Questionnaire) -> None:
    result = score(ndi, dict.fromkeys(NDI_SECTIONS, 5))
    assert (result.total, result.percent, result.band) == (50.0, 100.0, "complete disability")
    assert (result.answered, result.items, result.note) == (10, 10, "")


def test_no_trouble_anywhere_is_0_and_no_disability(ndi: Questionnaire) -> None:
    result = score(ndi, dict.fromkeys(NDI_SECTIONS, 0))
    assert (result.total, result.percent, result.band) == (0.0, 0.0, "no disability")


@pytest.mark.parametrize(
    ("total", "band"),
    [(4, "no disability"), (5, "mild disability"), (14, "mild disability"), (15, "moderate disability"),
     (24, "moderate disability"), (25, "severe disability"), (34, "severe disability"),
     (35, "complete disability")],
)  # fmt: skip
def test_the_usual_severity_bands_on_the_total(ndi: Questionnaire, total: int, band: str) -> None:
    values = dict.fromkeys(NDI_SECTIONS, 0)
    for n in range(total):  # spread the points over the sections, 5 at most each
        values[NDI_SECTIONS[n % 10]] += 1
    result = score(ndi, values)
    assert (result.total, result.percent, result.band) == (float(total), float(total * 2), band)


def test_one_section_skipped_scores_the_answered_as_a_share_of_45(ndi: Questionnaire) -> None:
    """The worked example of the NDI's scoring guides: 16 points with one section skipped is
    16/45 = 35.6 %, not 16/50 = 32 %; on the 0-50 scale that is 17.8."""
    values: dict[str, int | None] = dict(zip(NDI_SECTIONS, (3, 2, 2, 1, 2, 2, 2, 0, 2, 0), strict=True))
    values["driving"] = None  # "skip this if you do not drive"
    assert sum(v for v in values.values() if v is not None) == 16
    result = score(ndi, values)
    assert (result.percent, result.total, result.band) == (35.6, 17.8, "moderate disability")
    assert (result.answered, result.note) == (9, "9 of 10 answered; scored on the answered ones")


def test_two_skipped_still_score_three_skipped_do_not(ndi: Questionnaire) -> None:
    values: dict[str, int | None] = dict.fromkeys(NDI_SECTIONS, 2)
    values["driving"] = values["work"] = None
    two = score(ndi, values)
    assert (two.total, two.percent, two.answered) == (20.0, 40.0, 8)
    del values["reading"]
    three = score(ndi, values)
    assert (three.total, three.percent, three.band) == (None, None, "")
    assert three.note == "7 of 10 answered: at least 8 answers are needed for a score"


def test_the_psfs_is_the_mean_of_the_activities_named() -> None:
    psfs = CATALOG.get("psfs")
    result = score(psfs, {"activity_1": 3, "activity_2": 5, "activity_3": 6})
    assert (result.total, result.percent, result.answered, result.items) == (4.7, None, 3, 5)
    assert psfs.scoring.better == "higher" and psfs.loinc is None
    none = score(psfs, {})
    assert none.total is None and none.note == "0 of 5 answered: one answer is needed for a score"


def test_the_pain_rating_is_its_one_item_coded_72514_3() -> None:
    pain = CATALOG.get("pain")
    assert pain.items[0].loinc == pain.scoring.total_loinc == "72514-3"
    assert score(pain, {"pain_now": 7}).total == 7.0
    assert score(pain, {"pain_now": 0}).total == 0.0


def test_an_answer_out_of_range_is_refused(ndi: Questionnaire) -> None:
    with pytest.raises(ValueError, match=r"6 is not an answer to 'lifting' \(0..5\)"):
        score(ndi, {"lifting": 6})


def test_every_mcid_names_its_published_source() -> None:
    for q in CATALOG.questionnaires:
        assert q.scoring.mcid > 0
        assert any(year in q.scoring.mcid_source for year in ("1995", "2008")), q.id
    assert CATALOG.get("ndi").scoring.mcid == 9.5  # 19 percentage points
    assert CATALOG.get("psfs").scoring.mcid == 2
    assert CATALOG.get("pain").scoring.mcid == 1.3
