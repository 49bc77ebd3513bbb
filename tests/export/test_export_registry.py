"""The one list of export formats (neck_guide.session.exports): the command line and the window offer
the same formats, and a session exports the same whether its record is read from the store or held
in memory (the window exports the session it just ran). Files are read back with readers nobody here
wrote (csv, json, fhir.resources, pypdf)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pypdf
import pytest
from export_sessions import filled_home
from fhir.resources.R4B.bundle import Bundle

from neck_guide.cli import build_parser
from neck_guide.export.errors import ExportError, OutputExists
from neck_guide.export.json_export import read_sessions
from neck_guide.session.exports import FORMATS, Sessions, export, export_format
from neck_guide.store import SessionStore


def test_the_command_line_offers_exactly_the_listed_formats(capsys: pytest.CaptureFixture[str]) -> None:
    parser = build_parser()
    for name in FORMATS:
        args = parser.parse_args(["export", "--all", "--format", name, "-o", "x"])
        assert args.format == name
    with pytest.raises(SystemExit) as refused:
        parser.parse_args(["export", "--all", "--format", "xml", "-o", "x"])
    assert refused.value.code == 2
    assert "'csv', 'json', 'pdf', 'fhir'" in capsys.readouterr().err


def test_an_unknown_format_names_the_known_ones(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="unknown export format 'xml'; known: csv, json, pdf, fhir"):
        export_format("xml")
    assert not list(tmp_path.iterdir())


def test_a_file_name_says_which_session_and_has_the_format_s_extension() -> None:
    assert FORMATS["pdf"].file_name(["a1b2c3d4e5f60001"]) == "neck-guide-a1b2c3d4.pdf"
    assert FORMATS["fhir"].file_name(["a1b2c3d4e5f60001"]) == "neck-guide-a1b2c3d4.json"
    assert FORMATS["csv"].file_name(["a", "b"]) == "neck-guide-sessions.csv"


def test_a_session_exports_the_same_from_memory_and_from_the_store(tmp_path: Path) -> None:
    paths, records = filled_home(tmp_path)
    record = records[2]
    advice = ("Drink water.",)
    with SessionStore.open(paths.database) as store:
        stored = Sessions.stored(
            store, [record.session_id], aftercare=lambda r: advice, clinic_name="Clinic A"
        )
        held = Sessions.in_memory([record], aftercare=lambda r: advice, clinic_name="Clinic A")
        for name in ("csv", "json", "fhir"):
            a = export(name, stored, tmp_path / f"stored.{name}", force=False)
            b = export(name, held, tmp_path / f"held.{name}", force=False)
            assert a.path.read_bytes() == b.path.read_bytes(), name
            assert a.what == b.what
    with open(tmp_path / "held.csv", encoding="utf-8", newline="") as f:
        assert sum(r["row"] == "visit" for r in csv.DictReader(f)) == len(record.steps)
    assert read_sessions(json.loads((tmp_path / "held.json").read_text(encoding="utf-8"))) == [record]
    Bundle.model_validate_json((tmp_path / "held.fhir").read_text(encoding="utf-8"))


def test_each_format_says_what_it_wrote_and_where(tmp_path: Path) -> None:
    _, records = filled_home(tmp_path)
    held = Sessions.in_memory(records[:2], clinic_name="Clinic A")
    said = {name: export(name, held, tmp_path / f"two.{name}", force=False).message for name in FORMATS}
    with open(tmp_path / "two.csv", encoding="utf-8", newline="") as f:
        rows = len(list(csv.DictReader(f)))
    assert said["csv"] == f"Wrote 2 sessions ({rows} rows) to {tmp_path / 'two.csv'}"
    assert said["json"] == f"Wrote 2 sessions to {tmp_path / 'two.json'}"
    assert said["fhir"] == (
        f"Wrote 1 session as a FHIR R4 Bundle (1 practice run left out: not care given to a patient) "
        f"to {tmp_path / 'two.fhir'}"
    )
    pages = len(pypdf.PdfReader(tmp_path / "two.pdf").pages)
    assert said["pdf"] == f"Wrote 2 sessions ({pages} pages) to {tmp_path / 'two.pdf'}"
    assert pypdf.PdfReader(tmp_path / "two.pdf").pages[0].extract_text().split()[:2] == ["Clinic", "A"]


def test_an_export_that_cannot_be_written_says_where_and_leaves_nothing(tmp_path: Path) -> None:
    _, records = filled_home(tmp_path)
    held = Sessions.in_memory(records[:1])
    (tmp_path / "kept.csv").write_text("mine", encoding="utf-8")
    with pytest.raises(OutputExists, match=r"kept\.csv exists already"):
        export("csv", held, tmp_path / "kept.csv", force=False)
    assert (tmp_path / "kept.csv").read_text(encoding="utf-8") == "mine"
    with pytest.raises(ExportError, match=r"the folder .*missing does not exist"):
        export("json", held, tmp_path / "missing" / "one.json", force=True)
    with pytest.raises(ExportError, match="no sessions to export"):
        export("json", Sessions.in_memory([]), tmp_path / "none.json", force=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home", "kept.csv"]
