"""``neck-guide questionnaires`` lists what the app knows and ``--check`` validates files; the schema
for authors stays in step with the model."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from neck_guide.paths import BUNDLED_QUESTIONNAIRES_DIR, PROJECT_DIR
from neck_guide.questionnaire.schema import REGENERATE, SCHEMA


def _cli(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "neck_guide", "--data-dir", str(home), *args],
        capture_output=True,
        text=True,
        cwd=PROJECT_DIR,
        check=False,
    )


def test_the_committed_schema_matches_the_model() -> None:
    committed = SCHEMA.path.read_text(encoding="utf-8") if SCHEMA.path.is_file() else ""
    assert committed == SCHEMA.text(), f"questionnaires/schema.json is out of date: run `{REGENERATE}`"
    assert SCHEMA.json_schema()["$id"] == "urn:neck-guide:questionnaire:v1"


def test_listing_says_where_the_wording_comes_from(tmp_path: Path) -> None:
    done = _cli("questionnaires", home=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "ndi  Neck Disability Index (NDI, version 1.0)" in done.stdout
    assert "(PLACEHOLDER: see the README)" in done.stdout
    assert "5 items; PSFS mean 0-10: mean; higher is better; MCID 2" in done.stdout
    assert done.stderr == ""


def test_a_clinics_wording_file_is_used_and_named(tmp_path: Path) -> None:
    folder = tmp_path / "data" / "questionnaires"
    folder.mkdir(parents=True)
    (folder / "ndi-wording.toml").write_text(
        'schema_version = 1\nwording_for = "ndi"\nwording = "Licensed wording, 2026"\n', encoding="utf-8"
    )
    done = _cli("questionnaires", home=tmp_path)
    assert "wording: Licensed wording, 2026" in done.stdout
    assert "PLACEHOLDER" not in done.stdout
    assert "The wording of 'Neck Disability Index' comes from" in done.stdout


def test_check_passes_good_files_and_places_problems(tmp_path: Path) -> None:
    good = _cli("questionnaires", "--check", str(BUNDLED_QUESTIONNAIRES_DIR), home=tmp_path)
    assert good.returncode == 0, good.stdout + good.stderr
    assert good.stdout.count("ok  ") == 3
    bad = tmp_path / "bad.toml"
    text = (BUNDLED_QUESTIONNAIRES_DIR / "pain.toml").read_text(encoding="utf-8")
    bad.write_text(text.replace("high = 10", "high = 0"), encoding="utf-8")
    wording = tmp_path / "w.toml"
    wording.write_text(
        'schema_version = 1\nwording_for = "ndi"\nwording = "w"\n[items.reading]\noptions = ["a", "b"]\n',
        encoding="utf-8",
    )
    done = _cli("questionnaires", "--check", str(bad), str(wording), home=tmp_path)
    assert done.returncode == 1
    said = " ".join(done.stdout.split())  # wrapped to 80 columns
    assert "low (0) must be below high (0) in item 'pain_now'" in said
    assert "line 5: items.reading.options: has 2 options; item 'reading' has 6: give one for each" in said
    missing = _cli("questionnaires", "--check", str(tmp_path / "nothing.toml"), home=tmp_path)
    assert missing.returncode == 2 and "no such file or folder" in missing.stderr
