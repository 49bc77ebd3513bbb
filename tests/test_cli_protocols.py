"""``neck-guide protocols``, ``validate`` and ``show``, as a therapist would run them.

The bundled protocols are whatever ``protocols/`` holds, so these tests put their own files in
the user protocols folder under ``NECK_GUIDE_HOME`` (or pass a catalog of temp folders) and
assert only about those.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from neck_guide import cli
from neck_guide.paths import BUNDLED_PROTOCOLS_DIR, ENV_HOME, PROJECT_DIR
from neck_guide.protocol.commands import clock, print_plan, print_protocols, validate_paths
from neck_guide.protocol.loader import Catalog
from neck_guide.protocol.plan import duration_range

SAMPLE_PROTOCOL = Path(__file__).parent / "protocol" / "sample_protocol.toml"


def _ours() -> str:
    """The shared sample protocol under this file's own id, title, version and summary."""
    text = SAMPLE_PROTOCOL.read_text(encoding="utf-8")
    for old, new in [
        ('id = "neck-test"', 'id = "cli-test"'),
        ('title = "Neck test"', 'title = "CLI test routine"'),
        ('version = "1.0"', 'version = "2.1"'),
        ('summary = "A short protocol for tests."', 'summary = "A routine used by the command-line tests."'),
        ('title = "SCM"\n', 'title = "SCM work"\n'),
    ]:
        assert old in text, f"test setup: {old!r} is not in {SAMPLE_PROTOCOL}"
        text = text.replace(old, new, 1)
    return text


OURS = _ours()
BUNDLED = Catalog.load(BUNDLED_PROTOCOLS_DIR, None)
# breathing 50 + talk 600 + 2 sides x (2 holds of 10 to 20 + one rest of 15) + glide 90
SHORTEST, LONGEST = "13:30", "14:10"  # 810 s, 850 s: both about 14 minutes in the table
STEPS = 9
BROKEN = OURS.replace("min_s = 10", "min_s = -1").replace('title = "Talk"', "title = Talk")


def run(*argv: str, home: Path) -> subprocess.CompletedProcess[str]:
    """The real entry point, in a fresh interpreter."""
    env = {**os.environ, ENV_HOME: str(home), "PYTHONPATH": str(PROJECT_DIR)}
    return subprocess.run(
        [sys.executable, "-m", "neck_guide", *argv],
        capture_output=True,
        text=True,
        env=env,
        cwd=PROJECT_DIR,
        check=False,
    )


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(ENV_HOME, str(tmp_path))
    return tmp_path


def user_file(home: Path, name: str, text: str) -> Path:
    folder = home / "data" / "protocols"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


# --- through the real entry point -------------------------------------------------------------


def test_protocols_lists_the_users_protocol(tmp_path: Path) -> None:
    user_file(tmp_path, "ours.toml", OURS)
    done = run("protocols", home=tmp_path)
    assert done.returncode == 0, done.stderr
    row = next(line for line in done.stdout.splitlines() if line.startswith("cli-test "))
    assert row.split() == ["cli-test", "CLI", "test", "routine", str(STEPS), "14", "min", "2.1"]
    assert done.stdout.splitlines()[0].split() == ["ID", "TITLE", "STEPS", "PLANNED", "VERSION"]


def test_protocols_still_lists_when_a_file_is_bad(tmp_path: Path) -> None:
    user_file(tmp_path, "ours.toml", OURS)
    bad = user_file(tmp_path, "bad.toml", BROKEN.replace("cli-test", "bad-one"))
    done = run("protocols", home=tmp_path)
    assert done.returncode == 0
    assert "cli-test" in done.stdout and "bad-one" not in done.stdout
    assert str(bad) in done.stderr
    assert "TOML syntax" in done.stderr


def test_validate_exit_codes(tmp_path: Path) -> None:
    good = user_file(tmp_path, "ours.toml", OURS)
    done = run("validate", str(good), home=tmp_path)
    assert (done.returncode, done.stdout) == (0, f"ok  {good}  (cli-test, {STEPS} steps)\n")
    bad = tmp_path / "elsewhere" / "bad.toml"
    bad.parent.mkdir()
    bad.write_text(OURS.replace("min_s = 10", "min_s = -1"), encoding="utf-8")
    done = run("validate", str(good), str(bad), home=tmp_path)
    assert done.returncode == 1
    assert f"ok  {good}" in done.stdout
    line = OURS[: OURS.index("min_s = 10")].count("\n") + 1
    assert f'line {line}: phases[2] "scm" > steps[1] "scm-strip" > hold.min_s: must be more' in done.stdout
    done = run("validate", str(tmp_path / "nowhere.toml"), home=tmp_path)
    assert done.returncode == 2
    assert "no such file or folder" in done.stderr and "nowhere.toml" in done.stderr


def test_validate_by_default_checks_the_users_folder_too(tmp_path: Path) -> None:
    good = user_file(tmp_path, "ours.toml", OURS)
    bad = user_file(tmp_path, "bad.toml", BROKEN.replace("cli-test", "bad-one"))
    done = run("validate", home=tmp_path)
    assert done.returncode == 1
    assert f"ok  {good}  (cli-test, {STEPS} steps)" in done.stdout
    assert f"bad {bad}  (1 problem)" in done.stdout


def test_show_unknown_id(tmp_path: Path) -> None:
    user_file(tmp_path, "ours.toml", OURS)
    done = run("show", "no-such-protocol", home=tmp_path)
    assert done.returncode == 2
    assert "no protocol has the id 'no-such-protocol'" in done.stderr
    assert "cli-test" in done.stderr


# --- in process -------------------------------------------------------------------------------


def test_show_prints_the_expanded_plan(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    user_file(home, "ours.toml", OURS)
    assert cli.main(["show", "cli-test"]) == 0
    out = capsys.readouterr().out
    expected_lines = [
        "CLI test routine  (cli-test, version 2.1)",
        "Phase 1: Warm-up",
        "  Settle the breathing.",
        "   1. Breathing · breathing 4-0-6 ×5 = 50 s",
        "      technique: Paced breathing",
        "   2. Talk · untimed ~10:00",
        "Phase 2: SCM work",
        "   3. SCM strip · hold 10–20 s · left · rep 1/2",
        "      muscle: Sternocleidomastoid · technique: Pincer stripping",
        "      rating: ask pressure, pain · target 6–7 · ease off above 7",
        "      safety: Stay off the pulse at the front of the neck.",
        "   4. Rest · rest 15 s · left",
        "   5. SCM strip · hold 10–20 s · left · rep 2/2",
        "   8. SCM strip · hold 10–20 s · right · rep 2/2",
        "   9. SCM glide · timed 90 s",
        "  - [red flag] Any dizziness today?",
        "    If yes: Do not start; refer to a clinician.",
        "  - Drink some water.",
        f"Total planned: {SHORTEST}–{LONGEST} ({STEPS} steps)",
    ]
    lines = out.splitlines()
    positions = [lines.index(line) for line in expected_lines]
    assert positions == sorted(positions)
    assert max(len(line) for line in lines if not line.startswith("File: ")) <= 80


def test_validate_a_folder_in_process(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = home / "drafts"
    folder.mkdir()
    (folder / "a.toml").write_text(OURS, encoding="utf-8")
    (folder / "b.toml").write_text(BROKEN.replace("cli-test", "b"), encoding="utf-8")
    (folder / "c.toml").write_text(OURS, encoding="utf-8")
    assert cli.main(["validate", str(folder)]) == 1
    out = capsys.readouterr().out
    assert f"ok  {folder / 'a.toml'}  (cli-test, {STEPS} steps)" in out
    assert f"bad {folder / 'b.toml'}  (1 problem)" in out
    assert f"bad {folder / 'c.toml'}  (1 problem)" in out
    assert "same id 'cli-test' as a.toml" in out


def test_validate_an_empty_folder(tmp_path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    assert validate_paths([tmp_path], out, err) == 0
    assert "no protocol files (*.toml)" in err.getvalue()


def test_protocols_table_notices_and_errors(tmp_path: Path) -> None:
    bundled, user = tmp_path / "bundled", tmp_path / "user"
    bundled.mkdir()
    user.mkdir()
    (bundled / "ours.toml").write_text(OURS, encoding="utf-8")
    (bundled / "long.toml").write_text(
        OURS.replace("cli-test", "long").replace("CLI test routine", "A" + "b" * 79), encoding="utf-8"
    )
    mine = user / "mine.toml"
    mine.write_text(OURS.replace("CLI test routine", "Our own routine"), encoding="utf-8")
    (user / "bad.toml").write_text("title = \n", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    assert print_protocols(Catalog.load(bundled, user), out, err) == 0
    lines = out.getvalue().splitlines()
    assert [line.split()[0] for line in lines[1:3]] == ["long", "cli-test"]  # by title: "Abbb…" < "Our…"
    assert "Our own routine" in lines[2]
    assert "…" in lines[1] and max(len(line) for line in lines) <= 80
    said = " ".join(out.getvalue().split())
    assert f"Your protocol 'cli-test' ({mine}) replaces the bundled one of the same id." in said
    assert "bad.toml  (1 problem)" in err.getvalue()
    assert "line 1, column 9: TOML syntax" in err.getvalue()


def test_show_unknown_in_process(tmp_path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    assert print_plan(Catalog.load(tmp_path, None), "x", out, err) == 2
    assert out.getvalue() == ""
    assert "Known ids: none" in err.getvalue()


@pytest.mark.parametrize(
    ("seconds", "shown"), [(0, "0:00"), (59.6, "1:00"), (850, "14:10"), (3725, "1:02:05")]
)
def test_clock(seconds: float, shown: str) -> None:
    assert clock(seconds) == shown


def test_durations_are_ranges_from_shortest_to_longest(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Trigger-point holds run 30 s to 2 min: its length is a range, not the sum of the maximums,
    in the table and in `show` (an optional step counts only towards the longest)."""
    assert cli.main(["protocols"]) == 0
    row = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("trigger-point "))
    low, high = duration_range(BUNDLED.get("trigger-point"))
    assert f"{round(low / 60)}–{round(high / 60)} min" in row and low < high
    assert cli.main(["show", "clinical-neck"]) == 0
    out = capsys.readouterr().out
    total = next(line for line in out.splitlines() if line.startswith("Total planned: "))
    low, high = duration_range(BUNDLED.get("clinical-neck"))
    assert total.startswith(f"Total planned: {clock(low)}–{clock(high)} (")
    assert "optional steps (Light traction)" in " ".join(out.split())
    assert "Light traction · timed 45 s · optional: runs only when chosen" in out
