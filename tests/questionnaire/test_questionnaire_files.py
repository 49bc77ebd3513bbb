"""Questionnaire files and a clinic's wording files: loaded like protocols, every problem placed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from neck_guide.paths import BUNDLED_QUESTIONNAIRES_DIR
from neck_guide.questionnaire.loader import (
    QuestionnaireCatalog,
    QuestionnaireError,
    UnknownQuestionnaire,
    load_file,
)

GOOD = """\
schema_version = 1
id = "grip"
title = "Grip worries"
short_title = "Grip"
version = "1.0"
about = "How much grip troubles the client."
intro = "A short question."
wording = "our own"

[[items]]
id = "grip"
title = "Grip"
kind = "choice"
text = "How much does grip trouble you?"
options = ["Not at all", "A little", "A lot"]

[scoring]
method = "single"
better = "lower"
mcid = 1
mcid_source = "made up for a test"
"""

NDI_WORDING = """\
schema_version = 1
wording_for = "ndi"
wording = "Clinic test wording, licensed 2026"
intro = "Our clinic's introduction."

[items.lifting]
text = "Lifting: choose the statement that fits you."
options = ["L0", "L1", "L2", "L3", "L4", "L5"]
"""


def _write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_bundled_questionnaires_load_without_problems() -> None:
    catalog = QuestionnaireCatalog.load(BUNDLED_QUESTIONNAIRES_DIR, None)
    assert (catalog.errors, catalog.notices) == ([], [])
    assert [q.id for q in catalog.scheduled] == ["ndi", "psfs", "pain"]
    ndi = catalog.get("ndi")
    assert ndi.placeholder and "placeholder" in ndi.wording.lower()


def test_a_good_file_loads(tmp_path: Path) -> None:
    q = load_file(_write(tmp_path, "grip.toml", GOOD))
    assert (q.id, q.items[0].highest, q.total_range) == ("grip", 2, (0.0, 2.0))


@pytest.mark.parametrize(
    ("change", "place", "message", "line"),
    [
        (('options = ["Not at all", "A little", "A lot"]', 'options = ["Only one"]'), 'items[1] "grip"',
         "a choice item needs at least 2 options (item 'grip' has 1)", 11),
        (('kind = "choice"', 'knd = "choice"'), 'items[1] "grip" > knd', "did you mean 'kind'", 13),
        (("schema_version = 1", "schema_version = 2"), "schema_version",
         "this version of Neck Guide reads questionnaire format 1 (got 2)", 1),
        (("mcid = 1", "mcid = 0"), "scoring.mcid", "must be more than 0 (got 0)", 20),
        (('method = "single"', 'method = "median"'), "scoring.method",
         "must be 'sum', 'mean' or 'single'", 18),
        (('id = "grip"\ntitle', 'id = "Grip Worries"\ntitle'), "id", "must be a lower-case id", 2),
    ],
)  # fmt: skip
def test_problems_are_placed(
    tmp_path: Path, change: tuple[str, str], place: str, message: str, line: int
) -> None:
    path = _write(tmp_path, "grip.toml", GOOD.replace(*change, 1))
    with pytest.raises(QuestionnaireError) as caught:
        load_file(path)
    found = [(p.place, p.line) for p in caught.value.problems if message in p.message]
    assert found == [(place, line)], caught.value.problems
    assert str(path.name) in str(caught.value)


def test_bad_toml_names_the_line_and_column(tmp_path: Path) -> None:
    path = _write(tmp_path, "grip.toml", GOOD.replace('title = "Grip worries"', 'title = "Grip worries'))
    with pytest.raises(QuestionnaireError) as caught:
        load_file(path)
    assert (caught.value.place, caught.value.line) == ("TOML syntax", 3)
    assert "not closed" in caught.value.message


def test_a_nesting_too_deep_for_the_parser_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    path = _write(tmp_path, "deep.toml", "a = " + "[" * 20_000 + "]" * 20_000)
    with pytest.raises(QuestionnaireError, match="nested too deep"):
        load_file(path)


def test_a_pipe_is_refused_without_waiting(tmp_path: Path) -> None:
    import os

    path = tmp_path / "pipe.toml"
    os.mkfifo(path)
    with pytest.raises(QuestionnaireError, match="not a regular file"):
        load_file(path)


def test_a_users_questionnaire_replaces_the_bundled_one_and_says_so(tmp_path: Path) -> None:
    user = tmp_path / "questionnaires"
    text = (BUNDLED_QUESTIONNAIRES_DIR / "pain.toml").read_text(encoding="utf-8")
    _write(user, "pain.toml", text.replace('title = "Pain rating"', 'title = "Our pain rating"'))
    catalog = QuestionnaireCatalog.load(BUNDLED_QUESTIONNAIRES_DIR, user)
    assert catalog.get("pain").title == "Our pain rating"
    assert catalog.notices == [
        f"Your questionnaire 'pain' ({user / 'pain.toml'}) replaces the bundled one of the same id."
    ]


def test_a_wording_file_gives_the_clinics_words_and_changes_nothing_else(tmp_path: Path) -> None:
    user = tmp_path / "questionnaires"
    path = _write(user, "ndi-wording.toml", NDI_WORDING)
    bundled = QuestionnaireCatalog.load(BUNDLED_QUESTIONNAIRES_DIR, None).get("ndi")
    catalog = QuestionnaireCatalog.load(BUNDLED_QUESTIONNAIRES_DIR, user)
    assert catalog.errors == []
    ndi = catalog.get("ndi")
    lifting = ndi.item("lifting")
    assert lifting.text == "Lifting: choose the statement that fits you."
    assert lifting.options == ("L0", "L1", "L2", "L3", "L4", "L5")
    assert (lifting.lowest, lifting.highest, lifting.loinc) == (0, 5, "82229-6")
    assert ndi.intro == "Our clinic's introduction."
    assert (ndi.placeholder, ndi.wording) == (False, "Clinic test wording, licensed 2026")
    assert ndi.item("reading") == bundled.item("reading")  # not given: the file's words stay
    assert ndi.scoring == bundled.scoring
    assert catalog.notices == [
        f"The wording of 'Neck Disability Index' comes from {path}: Clinic test wording, licensed 2026"
    ]


def test_a_wording_file_cannot_change_the_number_of_options(tmp_path: Path) -> None:
    user = tmp_path / "questionnaires"
    _write(user, "ndi-wording.toml", NDI_WORDING.replace('"L4", "L5"]', '"L4"]'))
    catalog = QuestionnaireCatalog.load(BUNDLED_QUESTIONNAIRES_DIR, user)
    assert catalog.get("ndi").placeholder  # the bundled one is kept, unchanged
    [error] = catalog.errors
    assert str(error).endswith(
        "ndi-wording.toml: items.lifting.options: has 5 options; item 'lifting' has 6: "
        "give one for each (line 8)"
    )


def test_a_wording_file_for_an_unknown_item_or_questionnaire_is_refused(tmp_path: Path) -> None:
    user = tmp_path / "questionnaires"
    _write(user, "a.toml", NDI_WORDING.replace("[items.lifting]", "[items.lifitng]"))
    _write(user, "b.toml", NDI_WORDING.replace('wording_for = "ndi"', 'wording_for = "oswestry"'))
    catalog = QuestionnaireCatalog.load(BUNDLED_QUESTIONNAIRES_DIR, user)
    first, second = (e.problems[0] for e in catalog.errors)
    assert first.place == "items.lifitng" and "'ndi' has no item 'lifitng'" in first.message
    assert first.line == 6
    assert second.place == "wording_for" and "no questionnaire has the id 'oswestry'" in second.message
    assert second.line == 2


def test_an_unknown_id_lists_the_known_ones() -> None:
    catalog = QuestionnaireCatalog.load(BUNDLED_QUESTIONNAIRES_DIR, None)
    with pytest.raises(UnknownQuestionnaire, match="Known ids: ndi, pain, psfs"):
        catalog.get("sf36")


def test_a_missing_bundled_folder_is_named(tmp_path: Path) -> None:
    catalog = QuestionnaireCatalog.load(tmp_path / "gone", None)
    assert "the folder of bundled questionnaires is missing: reinstall Neck Guide" in str(catalog.errors[0])


def test_the_bundled_files_can_be_copied_and_loaded_from_a_user_folder(tmp_path: Path) -> None:
    user = tmp_path / "questionnaires"
    shutil.copytree(BUNDLED_QUESTIONNAIRES_DIR, user)
    catalog = QuestionnaireCatalog.load(BUNDLED_QUESTIONNAIRES_DIR, user)
    assert catalog.errors == [] and len(catalog.notices) == 3
