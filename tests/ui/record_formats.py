"""One session, read back from the records file and from every export, with readers nobody here wrote
(json, csv, pdftotext, fhir.resources R4B): each must hold every rating, visit and pause, and the
outcome, as the database has them and as the actions that made the session produced them.

Used by the property tests that drive random sessions (through the engine, and through the window).
"""

# Reading optional FHIR elements back: a missing one fails the check with an error anyway.
# mypy: disable-error-code="union-attr,index,arg-type"

from __future__ import annotations

import csv
import json
import subprocess
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.procedure import Procedure

from neck_guide.engine.outcome import OUTCOMES
from neck_guide.engine.record import SessionRecord
from neck_guide.engine.steps import outcome_line, tally
from neck_guide.export.json_export import read_sessions
from neck_guide.session.exports import Sessions, export
from neck_guide.store import SessionStore


@dataclass
class Expected:
    """What the actions of a test produced, written down as it went (not read from the app)."""

    ratings: list[tuple[str, int]] = field(default_factory=list)  # (kind, value), in the order given
    pauses: int = 0
    outcome: str | None = None  # None: whatever the session's end made it (checked against the record)


def check_every_format(store: SessionStore, sid: str, folder: Path, expected: Expected) -> SessionRecord:
    """Check the database and every export of session ``sid`` against each other and ``expected``."""
    record = store.load(sid)
    assert [(r.kind, r.value) for r in record.ratings()] == expected.ratings, "the database lost a rating"
    assert sum(len(v.pauses) for v in record.steps) == expected.pauses, "the database lost a pause"
    if expected.outcome is not None:
        assert record.status == expected.outcome
    assert record.status != "running", "the session was ended or closed out"
    sessions = Sessions.stored(store, [sid])
    _json(record, sessions, folder / "session.json")
    _csv(record, sessions, folder / "session.csv")
    _pdf(record, sessions, folder / "session.pdf")
    if not record.practice:
        _fhir(record, sessions, folder / "session.fhir.json")
    return record


def _json(record: SessionRecord, sessions: Sessions, path: Path) -> None:
    export("json", sessions, path, force=True)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert read_sessions(data) == [record]
    assert (data["outcome"]["status"], data["outcome"]["line"]) == (record.status, outcome_line(record))
    assert data["outcome"]["ratings"] == len(record.ratings())


def _csv(record: SessionRecord, sessions: Sessions, path: Path) -> None:
    export("csv", sessions, path, force=True)
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert {r["outcome"] for r in rows} == {record.status}
    kinds = Counter(r["row"] for r in rows)
    assert kinds["session"] == 1 and kinds["visit"] == len(record.steps)
    assert kinds["pause"] == sum(len(v.pauses) for v in record.steps)
    visits = [r for r in rows if r["row"] == "visit"]
    assert [(r["at"], r["ended_at"], r["end_reason"]) for r in visits] == [
        (v.started_at, v.ended_at or "", v.end_reason or "") for v in record.steps
    ]
    ratings = [
        (r["number"], r["kind"], r["value"], r["at"], r["standing"]) for r in rows if r["row"] == "rating"
    ]
    assert ratings == [
        (str(g.number), g.kind, str(g.value), g.at, record.standing(g)) for g in record.ratings()
    ]
    (session,) = [r for r in rows if r["row"] == "session"]
    t = tally(record)
    assert (session["steps_done"], session["visits"]) == (str(t.done), str(t.visits))


def _pdf(record: SessionRecord, sessions: Sessions, path: Path) -> None:
    export("pdf", sessions, path, force=True)
    command = ["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"]  # a table row on one line
    out = subprocess.run(command, capture_output=True, text=True, check=True)
    text = unicodedata.normalize("NFKC", out.stdout)
    squeezed = "".join(text.split())
    assert "".join(outcome_line(record).split()) in squeezed, "the PDF does not give the outcome"
    for g in record.ratings():  # its number and time in the table of every rating
        assert f"{g.number}{datetime.fromisoformat(g.at).strftime('%H:%M:%S')}" in squeezed, g
    for v in record.steps:  # step, visit and title lead its row of the steps table
        assert "".join(f"{v.index + 1}{v.visit + 1}{v.title}".split()) in squeezed, v
    assert text.count("paused ") == sum(1 for v in record.steps if v.pauses)


def _fhir(record: SessionRecord, sessions: Sessions, path: Path) -> None:
    export("fhir", sessions, path, force=True)
    bundle = Bundle.model_validate_json(path.read_text(encoding="utf-8"))
    resources = [e.resource for e in bundle.entry or []]
    (session,) = [r for r in resources if isinstance(r, Procedure) and r.partOf is None]
    assert session.status == OUTCOMES[record.status].fhir_status
    visits = [r for r in resources if isinstance(r, Procedure) and r.partOf is not None]
    assert [p.identifier[0].value for p in visits] == [
        f"{record.session_id}/{v.visit + 1}" for v in record.steps
    ]
    for p, v in zip(visits, record.steps, strict=True):
        assert sum(str(n.text).startswith("paused ") for n in p.note or []) == len(v.pauses)
    rated = {str(o.identifier[0].value): o for o in resources if isinstance(o, Observation) and o.identifier}
    assert len(rated) == len(record.ratings())
    for g in record.ratings():
        o = rated[f"{record.session_id}/{g.number}"]
        assert (o.valueInteger, o.effectiveDateTime) == (g.value, datetime.fromisoformat(g.at))
        assert o.status == ("final" if record.standing(g) == "counts" else "entered-in-error")
