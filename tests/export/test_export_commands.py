"""`neck-guide sessions` and `neck-guide export` as a user runs them (in-process, real files)."""

from __future__ import annotations

import csv
import json
import stat
from pathlib import Path

import pypdf
import pytest
from export_sessions import filled_home
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.procedure import Procedure

from neck_guide.cli import main
from neck_guide.engine.record import SessionRecord
from neck_guide.export.json_export import read_sessions
from neck_guide.paths import Paths
from neck_guide.settings import Settings, save_settings


@pytest.fixture
def home(tmp_path: Path) -> tuple[Path, Paths, list[SessionRecord]]:
    paths, records = filled_home(tmp_path)
    return tmp_path / "home", paths, records


def _run(home: Path, *args: str) -> int:
    return main(["--data-dir", str(home), *args])


def _owner_only(path: Path) -> bool:
    return stat.S_IMODE(path.stat().st_mode) == 0o600


def test_sessions_lists_every_session(
    home: tuple[Path, Paths, list[SessionRecord]], capsys: pytest.CaptureFixture[str]
) -> None:
    root, _, records = home
    assert _run(root, "sessions") == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == [
        "ID", "STARTED", "CLIENT", "PROTOCOL", "OUTCOME", "PRACTICE", "STEPS", "DONE", "VISITS", "PAIN"
    ]  # fmt: skip
    shown = [line.split()[0] for line in lines[1:]]
    assert all(r.session_id.startswith(s) for s, r in zip(shown, records, strict=True))
    assert shown[2] == "f0e1d2c3"  # 8 characters tell it apart
    assert shown[0] != shown[1] and len(shown[0]) > 8  # the first two share 15 characters
    first = lines[1]
    assert (
        "2026-01-05 09:01" in first and "C-0042" in first and "trigger-point" in first and "Finished" in first
    )
    steps = records[0].protocol_steps
    assert (
        f" {steps} of {steps} " in first and f" {len(records[0].steps)} " in first and first.endswith("6→2")
    )
    assert "yes" in lines[2]  # the practice run
    assert _run(root, "sessions", "--client", "C-0077") == 0
    only = capsys.readouterr().out.splitlines()
    assert len(only) == 2 and "C-0077" in only[1]


def test_sessions_without_records_says_so_and_creates_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(tmp_path / "empty", "sessions") == 0
    assert "No sessions recorded yet" in capsys.readouterr().out
    assert not (tmp_path / "empty").exists()


def test_export_all_as_csv(
    home: tuple[Path, Paths, list[SessionRecord]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root, _, records = home
    out = tmp_path / "year.csv"
    assert _run(root, "export", "--all", "--format", "csv", "-o", str(out)) == 0
    with open(out, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert sum(r["row"] == "visit" for r in rows) == sum(len(r.steps) for r in records)
    assert sum(r["row"] == "rating" for r in rows) == sum(len(r.ratings()) for r in records)
    assert {r["session_id"] for r in rows} == {r.session_id for r in records}
    assert _owner_only(out)
    assert f"Wrote 3 sessions ({len(rows)} rows) to {out}" in capsys.readouterr().out
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temp file left


def test_an_existing_file_is_not_overwritten_without_force(
    home: tuple[Path, Paths, list[SessionRecord]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root, _, _ = home
    out = tmp_path / "keep.json"
    out.write_text("precious")
    assert _run(root, "export", "--all", "--format", "json", "-o", str(out)) == 1
    err = capsys.readouterr().err
    assert "exists already" in err and "--force" in err and str(out) in err
    assert out.read_text() == "precious"
    assert _run(root, "export", "--all", "--format", "json", "-o", str(out), "--force") == 0
    assert len(read_sessions(json.loads(out.read_text()))) == 3
    assert _owner_only(out)


def test_one_session_by_short_id_as_json(
    home: tuple[Path, Paths, list[SessionRecord]], tmp_path: Path
) -> None:
    root, _, records = home
    out = tmp_path / "one.json"
    assert _run(root, "export", "--session", "f0e1", "--format", "json", "-o", str(out)) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["format"] == "neck-guide-session"
    assert read_sessions(data) == [records[2]]


def test_unknown_or_ambiguous_session_exits_2(
    home: tuple[Path, Paths, list[SessionRecord]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root, _, _ = home
    out = tmp_path / "x.csv"
    assert _run(root, "export", "--session", "zzzz", "--format", "csv", "-o", str(out)) == 2
    assert "no session id starts with 'zzzz'" in capsys.readouterr().err
    assert _run(root, "export", "--session", "a1b2", "--format", "csv", "-o", str(out)) == 2
    err = capsys.readouterr().err
    assert "fits 2 sessions" in err and "a1b2c3d4e5f60001" in err and "a1b2c3d4e5f60002" in err
    assert _run(root, "export", "--session", "", "--format", "csv", "-o", str(out)) == 2  # item 11
    assert "no session id given" in capsys.readouterr().err
    assert not out.exists()


def test_fhir_export_reads_back_as_a_bundle(
    home: tuple[Path, Paths, list[SessionRecord]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root, _, records = home
    out = tmp_path / "bundle.json"
    assert _run(root, "export", "--all", "--format", "fhir", "-o", str(out)) == 0
    assert "2 sessions as a FHIR R4 Bundle (1 practice run left out" in capsys.readouterr().out
    bundle = Bundle.model_validate_json(out.read_text(encoding="utf-8"))
    kinds = [e.resource.get_resource_type() for e in bundle.entry or []]  # type: ignore[union-attr]
    resources = [e.resource for e in bundle.entry or []]
    # the visits are procedures part of their session's: the sessions are part of nothing
    sessions = [p for p in resources if isinstance(p, Procedure) and p.partOf is None]
    assert len(sessions) == 2 and kinds.count("Patient") == 2  # the practice run is not care
    assert _owner_only(out)
    practice = next(r for r in records if r.practice).session_id
    alone = tmp_path / "drill.json"
    assert _run(root, "export", "--session", practice, "--format", "fhir", "-o", str(alone)) == 1
    assert "practice run: not care given to a patient" in capsys.readouterr().err
    assert not alone.exists()


def test_pdf_of_all_sessions_is_one_file_with_the_clinic_name(
    home: tuple[Path, Paths, list[SessionRecord]], tmp_path: Path, qapp: object
) -> None:
    root, paths, records = home
    save_settings(Settings(clinic_name="Harbour Street Physio"), paths.settings_file)
    out = tmp_path / "all.pdf"
    assert _run(root, "export", "--all", "--format", "pdf", "-o", str(out)) == 0
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(out).pages)
    flat = " ".join(text.split())
    assert flat.count("Harbour Street Physio") == 3
    assert all(r.session_id in flat for r in records)
    assert "Aftercare" in flat  # looked up in the protocol catalog
    assert _owner_only(out)


def test_export_without_records_or_to_a_missing_folder_writes_nothing(
    home: tuple[Path, Paths, list[SessionRecord]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root, _, _ = home
    assert _run(tmp_path / "nobody", "export", "--all", "--format", "csv", "-o", str(tmp_path / "a.csv")) == 1
    assert "no sessions recorded yet" in capsys.readouterr().err
    missing = tmp_path / "no" / "such" / "folder" / "a.csv"
    assert _run(root, "export", "--all", "--format", "csv", "-o", str(missing)) == 1
    assert "does not exist" in capsys.readouterr().err
    assert not (tmp_path / "a.csv").exists()
