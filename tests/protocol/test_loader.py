"""Loading one protocol file: every problem reported, each with the file, the place and the line."""

from __future__ import annotations

from pathlib import Path

import pytest

from neck_guide.datafile.problems import TomlLines, place_of
from neck_guide.protocol.loader import Problem, ProtocolError, UnknownProtocol, load_file

# The one sample protocol the protocol and command tests share (tests vary it by editing its text).
SAMPLE_PROTOCOL = Path(__file__).with_name("sample_protocol.toml")
VALID = SAMPLE_PROTOCOL.read_text(encoding="utf-8")

STRIP = 'phases[2] "scm" > steps[1] "scm-strip"'


def edit(text: str, old: str, new: str) -> str:
    assert old in text, f"test setup: {old!r} is not in the text"
    return text.replace(old, new, 1)


def line_of(text: str, fragment: str, start_after: str = "") -> int:
    """1-based line of the first line containing ``fragment`` (after ``start_after``)."""
    offset = text.index(start_after) if start_after else 0
    return text[: text.index(fragment, offset)].count("\n") + 1


def write(tmp_path: Path, text: str, name: str = "p.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def failure(path: Path) -> ProtocolError:
    with pytest.raises(ProtocolError) as caught:
        load_file(path)
    return caught.value


def only(error: ProtocolError) -> Problem:
    assert len(error.problems) == 1, str(error)
    return error.problems[0]


# --- a good file ------------------------------------------------------------------------------


def test_a_valid_file_loads_into_the_model(tmp_path: Path) -> None:
    protocol = load_file(write(tmp_path, VALID))
    assert protocol.id == "neck-test"
    assert [p.id for p in protocol.phases] == ["warm", "scm"]
    strip = protocol.phases[1].steps[0]
    assert strip.hold is not None and (strip.hold.min_s, strip.hold.max_s) == (10, 20)
    assert strip.sides == ("left", "right")
    assert protocol.aftercare == ("Drink some water.", "Move gently this evening.")


def test_the_file_name_need_not_be_the_id(tmp_path: Path) -> None:
    assert load_file(write(tmp_path, VALID, "my clinic's version.toml")).id == "neck-test"


# --- the error itself -------------------------------------------------------------------------


def test_the_error_names_file_place_problem_and_line(tmp_path: Path) -> None:
    text = edit(VALID, "min_s = 10", "min_s = -1")
    path = write(tmp_path, text)
    error = failure(path)
    line = line_of(text, "min_s = -1")
    assert error.path == path
    assert error.place == f"{STRIP} > hold.min_s"
    assert error.message == "must be more than 0 (got -1)"
    assert error.line == line
    assert str(error) == f"{path}: {STRIP} > hold.min_s: must be more than 0 (got -1) (line {line})"


def test_the_error_family() -> None:
    unknown = UnknownProtocol("nope", ["b", "a"])
    assert isinstance(unknown, ProtocolError)
    assert isinstance(unknown, KeyError)
    assert unknown.path is None
    assert "'nope'" in str(unknown) and "a, b" in str(unknown)


def test_every_problem_of_a_file_is_reported_in_file_order(tmp_path: Path) -> None:
    text = VALID
    for old, new in [
        ('version = "1.0"', "version = 1"),
        ('title = "Talk"', 'titel = "Talk"'),
        ("min_s = 10", "min_s = -1"),
        ('view = "lateral"', 'view = "back"'),
        ('id = "scm-glide"', 'id = "breathe"'),
    ]:
        text = edit(text, old, new)
    error = failure(write(tmp_path, text))
    places = [p.place for p in error.problems]
    assert places == [
        "version",
        'phases[1] "warm" > steps[2] "talk" > title',
        'phases[1] "warm" > steps[2] "talk" > titel',
        f"{STRIP} > hold.min_s",
        f"{STRIP} > diagram.view",
        'phases[2] "scm" > steps[2] "breathe" > id',
    ]
    lines = [p.line or 0 for p in error.problems]
    assert all(lines)
    assert lines == sorted(lines)
    assert len(str(error).splitlines()) == len(places)


# --- TOML syntax ------------------------------------------------------------------------------


def test_syntax_error_gives_line_and_column(tmp_path: Path) -> None:
    text = edit(VALID, 'title = "Talk"', "title = Talk")
    path = write(tmp_path, text)
    problem = only(failure(path))
    assert problem.place == "TOML syntax"
    assert problem.line == line_of(text, "title = Talk")
    assert problem.column == len("title = ") + 1
    assert "text needs quotes" in problem.message
    assert str(failure(path)).startswith(f"{path}: TOML syntax: ")
    assert f"(line {problem.line}, column {problem.column})" in str(failure(path))


def test_unclosed_string_points_at_its_line(tmp_path: Path) -> None:
    text = edit(VALID, 'question = "Any dizziness today?"', 'question = "Any dizziness today?')
    problem = only(failure(write(tmp_path, text)))
    assert problem.message == "a text value is not closed on its line: add the closing quote"
    assert problem.line == line_of(text, "question = ")


def test_unclosed_multiline_string_points_at_the_end_of_the_file(tmp_path: Path) -> None:
    text = VALID + 'note = """never closed\n'
    problem = only(failure(write(tmp_path, text)))
    assert problem.message == "a text value is not closed: add the closing quote"
    assert problem.line == text.count("\n")


def test_a_key_given_twice(tmp_path: Path) -> None:
    text = edit(VALID, 'title = "Warm-up"\n', 'title = "Warm-up"\ntitle = "Again"\n')
    problem = only(failure(write(tmp_path, text)))
    assert problem.message == "this key is given twice: keep one"
    assert problem.line == line_of(text, 'title = "Again"')


def test_a_table_declared_twice(tmp_path: Path) -> None:
    text = edit(VALID, "[phases.steps.rating]", "[phases.steps.hold]\n\n[phases.steps.rating]")
    problem = only(failure(write(tmp_path, text)))
    assert problem.message == "the table [phases.steps.hold] is declared twice: merge the two"
    assert problem.line == line_of(text, "[phases.steps.hold]", start_after="max_s = 20")


def test_a_file_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin.toml"
    path.write_bytes(VALID.replace("Drink", "Dr\xeenk").encode("latin-1"))
    assert "is not UTF-8 text" in only(failure(path)).message


def test_a_missing_file(tmp_path: Path) -> None:
    error = failure(tmp_path / "absent.toml")
    assert error.message.startswith("cannot be read: ")
    assert "absent.toml" in str(error)


# --- wrong types, missing and unknown fields --------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "place", "message"),
    [
        (
            "repetitions = 2",
            'repetitions = "two"',
            f"{STRIP} > repetitions",
            'must be a whole number, not text ("two")',
        ),
        (
            "repetitions = 2",
            "repetitions = 2.5",
            f"{STRIP} > repetitions",
            "must be a whole number, not a decimal number (2.5)",
        ),
        (
            "duration_s = 90",
            'duration_s = "90"',
            'phases[2] "scm" > steps[2] "scm-glide" > duration_s',
            'must be a number, not text ("90")',
        ),
        ('title = "Neck test"', "title = 5", "title", "must be text in quotes, not a number (5)"),
        (
            'sides = ["left", "right"]',
            'sides = "left"',
            f"{STRIP} > sides",
            'must be a list [ … ], not text ("left")',
        ),
        (
            'muscles = ["scm"]',
            'muscles = ["scm"]\ncues = 3',
            f"{STRIP} > diagram.cues",
            "unknown field — check the spelling",
        ),
    ],
)
def test_wrong_types(tmp_path: Path, old: str, new: str, place: str, message: str) -> None:
    text = edit(VALID, old, new)
    problem = only(failure(write(tmp_path, text)))
    assert (problem.place, problem.message) == (place, message)
    assert problem.line == line_of(text, new.splitlines()[-1])


def test_a_missing_field_points_at_its_table(tmp_path: Path) -> None:
    text = edit(VALID, 'technique = "Glide"\n', "")
    problem = only(failure(write(tmp_path, text)))
    assert problem.place == 'phases[2] "scm" > steps[2] "scm-glide" > technique'
    assert problem.message == "missing"
    assert problem.line == line_of(text, "[[phases.steps]]", start_after='muscles = ["scm"]')


def test_a_missing_top_level_field(tmp_path: Path) -> None:
    text = edit(VALID, 'summary = "A short protocol for tests."\n', "")
    problem = only(failure(write(tmp_path, text)))
    assert (problem.place, problem.message) == ("summary", "missing")


def test_an_item_without_id_is_named_by_position(tmp_path: Path) -> None:
    text = edit(VALID, 'id = "dizzy"\n', "")
    problem = only(failure(write(tmp_path, text)))
    assert (problem.place, problem.message) == ("screening[1] > id", "missing")
    assert problem.line == line_of(text, "[[screening]]")


def test_an_unknown_field_suggests_the_spelling(tmp_path: Path) -> None:
    text = edit(VALID, "max_s = 20", "maxs = 20")
    error = failure(write(tmp_path, text))
    unknown = [p for p in error.problems if p.place.endswith("hold.maxs")]
    assert unknown, str(error)
    assert unknown[0].message == "unknown field — check the spelling (did you mean 'max_s'?)"
    assert unknown[0].line == line_of(text, "maxs = 20")
    assert any(p.place == f"{STRIP} > hold.max_s" and p.message == "missing" for p in error.problems)


def test_an_unknown_top_level_field(tmp_path: Path) -> None:
    text = edit(VALID, 'title = "Neck test"\n', 'title = "Neck test"\nauthor = "me"\n')
    problem = only(failure(write(tmp_path, text)))
    assert (problem.place, problem.message) == ("author", "unknown field — check the spelling")
    assert problem.line == 4


@pytest.mark.parametrize(
    ("old", "new", "place", "message"),
    [
        (
            'id = "neck-test"',
            'id = "Neck Test"',
            "id",
            'must be a lower-case id of a-z, 0-9, _ and -, starting with a letter or digit (got "Neck Test")',
        ),
        (
            'id = "neck-test"',
            'id = "-neck"',
            "id",
            'must be a lower-case id of a-z, 0-9, _ and -, starting with a letter or digit (got "-neck")',
        ),
        (
            'version = "1.0"',
            'version = "one"',
            "version",
            'must be a version like "1.0" or "1.2.3" (got "one")',
        ),
        (
            "schema_version = 1",
            "schema_version = 2",
            "schema_version",
            "must be 1: this version of Neck Guide reads protocol format 1 (got 2)",
        ),
        ('title = "Neck test"', 'title = ""', "title", "must not be empty"),
        (
            'kind = "red_flag"',
            'kind = "warning"',
            'screening[1] "dizzy" > kind',
            "must be 'red_flag', 'contraindication' or 'precaution' (got \"warning\")",
        ),
    ],
)
def test_bad_values_at_the_top(tmp_path: Path, old: str, new: str, place: str, message: str) -> None:
    text = edit(VALID, old, new)
    problem = only(failure(write(tmp_path, text)))
    assert (problem.place, problem.message, problem.line) == (place, message, line_of(text, new))


# --- ranges -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "place", "message"),
    [
        ("rest_s = 15", "rest_s = -5", f"{STRIP} > rest_s", "must be at least 0 (got -5)"),
        (
            "ease_off_above = 7",
            "ease_off_above = 11",
            f"{STRIP} > rating.ease_off_above",
            "must be at most 10 (got 11)",
        ),
        (
            "cycles = 5",
            "cycles = 0",
            'phases[1] "warm" > steps[1] "breathe" > breathing.cycles',
            "must be at least 1 (got 0)",
        ),
        (
            "target = [6, 7]",
            "target = [6, 7, 8]",
            f"{STRIP} > rating.target",
            "has too many entries: at most 2 (it has 3)",
        ),
    ],
)
def test_out_of_range(tmp_path: Path, old: str, new: str, place: str, message: str) -> None:
    text = edit(VALID, old, new)
    problem = only(failure(write(tmp_path, text)))
    assert (problem.place, problem.message) == (place, message)
    assert problem.line == line_of(text, new.split(" = ", maxsplit=1)[0] + " =")


def test_an_inverted_hold_range(tmp_path: Path) -> None:
    text = edit(VALID, "min_s = 10", "min_s = 30")
    problem = only(failure(write(tmp_path, text)))
    assert problem.place == f"{STRIP} > hold"
    assert problem.message == "min_s (30) is greater than max_s (20)"
    assert problem.line == line_of(text, "[phases.steps.hold]")


def test_an_inverted_target_band(tmp_path: Path) -> None:
    text = edit(VALID, "target = [6, 7]", "target = [7, 6]")
    problem = only(failure(write(tmp_path, text)))
    assert problem.place == f"{STRIP} > rating"
    assert problem.message == "target low (7) is above high (6)"
    assert problem.line == line_of(text, "[phases.steps.rating]")


def test_a_range_in_an_inline_table_points_at_its_key(tmp_path: Path) -> None:
    text = edit(VALID, "breathing = { inhale_s = 4,", "breathing = { inhale_s = -4,")
    problem = only(failure(write(tmp_path, text)))
    assert problem.place == 'phases[1] "warm" > steps[1] "breathe" > breathing.inhale_s'
    assert problem.line == line_of(text, "breathing = {")


# --- vocabulary -------------------------------------------------------------------------------


def test_an_unknown_muscle(tmp_path: Path) -> None:
    text = edit(VALID, 'muscle = "scm"', 'muscle = "sternum"')
    problem = only(failure(write(tmp_path, text)))
    assert problem.place == STRIP
    assert problem.message.startswith("unknown muscle 'sternum'; known: ")
    assert "upper_trapezius" in problem.message
    assert problem.line == line_of(text, 'muscle = "sternum"')


def test_an_unknown_muscle_on_the_diagram(tmp_path: Path) -> None:
    text = edit(VALID, 'muscles = ["scm"]', 'muscles = ["sternum"]')
    problem = only(failure(write(tmp_path, text)))
    assert problem.place == f"{STRIP} > diagram"
    assert problem.message.startswith("unknown muscle 'sternum'")
    assert problem.line == line_of(text, 'muscles = ["sternum"]')


def test_an_unknown_view(tmp_path: Path) -> None:
    text = edit(VALID, 'view = "lateral"', 'view = "side"')
    problem = only(failure(write(tmp_path, text)))
    assert problem.place == f"{STRIP} > diagram.view"
    assert problem.message == "must be 'posterior', 'lateral' or 'anterior' (got \"side\")"
    assert problem.line == line_of(text, 'view = "side"')


def test_an_unknown_side(tmp_path: Path) -> None:
    text = edit(VALID, 'sides = ["left", "right"]', 'sides = ["left", "back"]')
    problem = only(failure(write(tmp_path, text)))
    assert problem.place == f"{STRIP} > sides[2]"
    assert problem.message == "must be 'left' or 'right' (got \"back\")"


# --- duplicate ids ----------------------------------------------------------------------------


def test_a_duplicate_step_id_names_both_places(tmp_path: Path) -> None:
    text = edit(VALID, 'id = "scm-glide"', 'id = "talk"')
    problem = only(failure(write(tmp_path, text)))
    assert problem.place == 'phases[2] "scm" > steps[2] "talk" > id'
    assert problem.message == (
        'the step id \'talk\' is used twice (first at phases[1] "warm" > steps[2] "talk"): '
        "give each step its own id"
    )
    assert problem.line == line_of(text, 'id = "talk"', start_after='[[phases]]\nid = "scm"')


def test_a_duplicate_phase_id(tmp_path: Path) -> None:
    text = edit(VALID, 'id = "scm"\ntitle = "SCM"', 'id = "warm"\ntitle = "SCM"')
    problem = only(failure(write(tmp_path, text)))
    assert problem.place == 'phases[2] "warm" > id'
    assert problem.message.startswith("the phase id 'warm' is used twice (first at phases[1] \"warm\")")
    assert problem.line == line_of(text, 'id = "warm"\ntitle = "SCM"')


def test_a_duplicate_screening_id(tmp_path: Path) -> None:
    second = (
        '[[screening]]\nid = "dizzy"\nkind = "contraindication"\nresponse = "defer"\nquestion = "Fever?"\n'
        'action = "Wait."\n\n'
    )
    text = edit(VALID, "[[phases]]", second + "[[phases]]")
    problem = only(failure(write(tmp_path, text)))
    assert problem.place == 'screening[2] "dizzy" > id'
    assert "the screening item id 'dizzy' is used twice" in problem.message
    assert problem.line == line_of(text, 'id = "dizzy"', start_after='action = "Do not')


def test_duplicates_are_reported_beside_other_problems(tmp_path: Path) -> None:
    text = edit(edit(VALID, 'id = "scm-glide"', 'id = "talk"'), "cycles = 5", "cycles = 0")
    error = failure(write(tmp_path, text))
    assert [p.place.rsplit(" > ", 1)[-1] for p in error.problems] == ["breathing.cycles", "id"]


# --- lists ------------------------------------------------------------------------------------


def test_a_phase_without_steps(tmp_path: Path) -> None:
    text = edit(VALID, 'title = "SCM"\n', 'title = "SCM"\nsteps = []\n')
    text = text[: text.index('[[phases.steps]]\nid = "scm-strip"')]
    problem = only(failure(write(tmp_path, text)))
    assert problem.place == 'phases[2] "scm" > steps'
    assert problem.message == "must not be empty: add at least one"
    assert problem.line == line_of(text, "steps = []")


def test_bad_steps_do_not_also_report_an_empty_list(tmp_path: Path) -> None:
    text = edit(VALID, "estimate_s = 600", "estimate_s = -1")
    text = edit(text, "cycles = 5", "cycles = 0")
    error = failure(write(tmp_path, text))
    assert not any("empty" in p.message for p in error.problems), str(error)
    assert len(error.problems) == 2


# --- the place and line helpers ---------------------------------------------------------------


def test_place_of_counts_from_one_and_uses_ids() -> None:
    data = {"phases": [{"id": "a", "steps": []}, {"steps": [{"id": "x"}, {"title": "no id"}]}]}
    assert place_of(("phases", 1, "steps", 1, "hold", "min_s"), data) == "phases[2] > steps[2] > hold.min_s"
    assert place_of(("phases", 1, "steps", 0, "rating", "target", 1), data) == (
        'phases[2] > steps[1] "x" > rating.target[2]'
    )
    assert place_of((), data) == ""


def test_lines_skip_multiline_strings_and_follow_dotted_keys() -> None:
    text = (
        'instructions = """\n'
        "id = not a key\n"
        '"""\n'
        "[[phases]]\n"
        "hold.min_s = 3\n"
        "[[phases]]\n"
        "[[phases.steps]]\n"
        "[[phases.steps]]  # second\n"
        "id = 'b'\n"
    )
    lines = TomlLines(text)
    assert lines.line_of(("id",)) is None
    assert lines.line_of(("phases", 0, "hold", "min_s")) == 5
    assert lines.line_of(("phases", 0, "hold", "max_s")) == 5
    assert lines.line_of(("phases", 1, "steps", 1, "id")) == 9
    assert lines.line_of(("phases", 1, "steps", 1, "title")) == 8
    assert lines.line_of(("phases", 1, "steps", 0, "title")) == 7
