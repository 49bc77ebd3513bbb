"""Protocol files that once stopped the app (issue 10, case 5): each is now a placed problem.

Arrays nested 5,000 deep raised RecursionError, an integer of more than 4,300 digits ValueError,
one 300 KB line took minutes to scan (a regex that backtracked over runs of spaces), ``validate``
hung on a FIFO and printed tracebacks for /dev/zero and for a file in a folder it could not enter,
a UTF-8 BOM was "invalid statement" and an unreadable protocols folder was skipped silently.
The hang guards below are generous limits on a thread, not timings: the old code took minutes
or forever.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest

from neck_guide.datafile.limits import MAX_DEPTH, MAX_FILE_BYTES, MAX_FILES
from neck_guide.datafile.problems import TomlLines
from neck_guide.paths import ENV_HOME, PROJECT_DIR
from neck_guide.protocol.loader import Catalog, ProtocolError, load_file, load_folder

SAMPLE = (Path(__file__).parent / "sample_protocol.toml").read_text(encoding="utf-8")
T = TypeVar("T")


def finished(work: Callable[[], T], guard_s: float = 60.0) -> T | BaseException:
    """``work()`` on a thread: its result or exception; a hang fails the test."""
    out: list[T | BaseException] = []

    def run() -> None:
        try:
            out.append(work())
        except BaseException as e:  # what the test looks at
            out.append(e)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(guard_s)
    assert out, f"still running after {guard_s} s (a hang)"
    return out[0]


def refused(path: Path) -> ProtocolError:
    result = finished(lambda: load_file(path))
    assert isinstance(result, ProtocolError), f"{type(result).__name__}: {result}"
    return result


def validate(*paths: Path, home: Path, prefix: tuple[str, ...] = ()) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, ENV_HOME: str(home), "PYTHONPATH": str(PROJECT_DIR)}
    argv = [*prefix, sys.executable, "-m", "neck_guide", "validate", *map(str, paths)]
    return subprocess.run(argv, capture_output=True, text=True, env=env, timeout=120, check=False)


def test_a_300_kb_line_of_spaces_is_scanned_in_linear_time(tmp_path: Path) -> None:
    """A multi-line array whose line starts with '[' and runs on in spaces: the header pattern was
    cubic in the run (1,000 spaces 0.6 s, so 300 KB was hours)."""
    path = tmp_path / "long.toml"
    path.write_text(SAMPLE + "\nextra = [\n[" + " " * 300_000 + "1],\n]\n", encoding="utf-8")
    error = refused(path)
    assert "extra: unknown field" in str(error)
    text = "[" + " " * 300_000 + "x\n[a" + " a" * 150_000 + "\n" + "k " * 150_000
    lines = finished(lambda: TomlLines(text))
    assert isinstance(lines, TomlLines)


def test_arrays_nested_5000_deep_are_refused_with_their_line(tmp_path: Path) -> None:
    path = tmp_path / "deep.toml"
    path.write_text(SAMPLE + "\nextra = " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    error = refused(path)
    line = SAMPLE.count("\n") + 2
    assert error.line == line and f"nested too deep: more than {MAX_DEPTH} levels" in error.message


def test_brackets_inside_strings_and_comments_are_not_nesting(tmp_path: Path) -> None:
    text = SAMPLE.replace(
        'summary = "A short protocol for tests."',
        'summary = "[[[[[[[[[[[[[[[[[[[[{{{{{{" # [[[[[[[[[[[[[[[[[[[[\n'
        "source = '''[[[[[[[[[[[[[[[[[[[[\n]]]]'''",
    )
    path = tmp_path / "ok.toml"
    path.write_text(text, encoding="utf-8")
    assert load_file(path).summary.startswith("[[[[")


def test_an_integer_of_5000_digits_is_a_placed_problem(tmp_path: Path) -> None:
    path = tmp_path / "digits.toml"
    path.write_text(SAMPLE.replace("min_s = 10", "min_s = " + "9" * 5000), encoding="utf-8")
    error = refused(path)
    assert "more than 4,300 digits" in error.message
    assert error.line == SAMPLE[: SAMPLE.index("min_s = 10")].count("\n") + 1


def test_a_long_number_in_range_of_python_is_shown_short(tmp_path: Path) -> None:
    path = tmp_path / "digits.toml"
    path.write_text(SAMPLE.replace("min_s = 10", "min_s = " + "9" * 4000), encoding="utf-8")
    error = refused(path)
    assert "(4000 digits)" in str(error) and len(str(error)) < 1000


def test_a_utf8_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + SAMPLE.encode())
    assert load_file(path).id == "neck-test"


def test_utf16_is_named(tmp_path: Path) -> None:
    path = tmp_path / "utf16.toml"
    path.write_bytes(b"\xff\xfe" + SAMPLE.encode("utf-16-le"))
    assert "UTF-16" in refused(path).message


def test_a_huge_file_is_refused_before_reading_it_all(tmp_path: Path) -> None:
    path = tmp_path / "huge.toml"
    path.write_text(SAMPLE + "#" * (MAX_FILE_BYTES + 1), encoding="utf-8")
    assert f"larger than {MAX_FILE_BYTES // 1024} KiB" in refused(path).message


def test_thousands_of_steps_are_over_the_limit(tmp_path: Path) -> None:
    step = '[[phases.steps]]\nid = "s{n}"\ntitle = "S"\ntechnique = "T"\nduration_s = {seconds}\n\n'
    path = tmp_path / "many.toml"
    path.write_text(SAMPLE + "".join(step.format(n=n, seconds=n + 1) for n in range(3000)), encoding="utf-8")
    error = refused(path)
    assert [p.message for p in error.problems] == ["has too many entries: at most 100 (it has 3002)"]
    # thousands of wrong steps: the first 50 problems, then how many more
    path.write_text(SAMPLE + "".join(step.format(n=n, seconds=-n) for n in range(3000)), encoding="utf-8")
    error = refused(path)
    assert len(error.problems) == 51 and "and 2950 more problem(s)" in error.problems[-1].message


@pytest.mark.parametrize("kind", ["fifo", "device", "folder"])
def test_what_is_not_a_regular_file_is_named_not_read(tmp_path: Path, kind: str) -> None:
    path = tmp_path / f"{kind}.toml"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "device":
        path.symlink_to("/dev/zero")
    else:
        path.mkdir()
    expected = {"fifo": "named pipe", "device": "a device", "folder": "a folder"}[kind]
    assert expected in refused(path).message
    loaded, errors = load_folder(tmp_path)  # a folder with it is listed whole, it named
    assert loaded == [] and [e.path for e in errors] == [path]


def test_validate_names_a_fifo_and_dev_zero_without_hanging(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)
    result = validate(fifo, Path("/dev/zero"), home=tmp_path / "home")
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert "pipe.toml" in result.stdout and "named pipe (FIFO)" in result.stdout
    assert "/dev/zero" in result.stdout and "is a device" in result.stdout


def test_folders_that_cannot_be_entered_are_named(tmp_path: Path) -> None:
    sys.path.insert(0, str(Path(__file__).parents[1] / "faults"))
    from limited import as_user

    home = tmp_path / "home"
    user = home / "data" / "protocols"
    user.mkdir(parents=True)
    (user / "mine.toml").write_text(SAMPLE, encoding="utf-8")
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "inside.toml").write_text(SAMPLE, encoding="utf-8")
    for folder in (user, locked):
        folder.chmod(0)
    try:
        result = validate(locked / "inside.toml", locked, home=home, prefix=tuple(as_user([])))
        listed = subprocess.run(
            as_user([sys.executable, "-m", "neck_guide", "protocols"]),
            capture_output=True,
            text=True,
            env={**os.environ, ENV_HOME: str(home), "PYTHONPATH": str(PROJECT_DIR)},
            timeout=120,
            check=False,
        )
    finally:
        for folder in (user, locked):
            folder.chmod(0o700)
    assert "Traceback" not in result.stdout + result.stderr + listed.stderr
    assert result.returncode == 1
    assert "inside.toml" in result.stdout and "Permission denied" in result.stdout
    assert "this folder cannot be read" in result.stdout
    assert str(user) in listed.stderr and "this folder cannot be read" in listed.stderr


def test_only_the_first_files_of_a_crowded_folder_are_read(tmp_path: Path) -> None:
    for n in range(MAX_FILES + 3):
        (tmp_path / f"p{n:04d}.toml").write_text("", encoding="utf-8")
    catalog = Catalog.load(tmp_path, None)
    assert any(f"holds {MAX_FILES + 3} .toml files" in str(e) for e in catalog.errors)
    assert len(catalog.errors) == MAX_FILES + 1  # each empty file read is named, the rest left out
