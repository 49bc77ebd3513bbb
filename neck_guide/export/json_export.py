"""The complete session record as JSON, marked with its format and version so it can be read back.

One session: ``{"format": "neck-guide-session", "schema_version": 2, ...the record...}``.
Several: ``{"format": "neck-guide-sessions", "schema_version": 2, "sessions": [record, ...]}``,
written one record at a time.

Each record also carries ``"outcome"``: the outcome as every screen and format words it, and the
counts of steps and visits (engine/steps.py). It is a summary of the record, for readers; reading
a file back ignores it. Version 2 added the record's growth (rating numbers and corrections, undos,
ignored taps, interruptions, measures with their times, checklist ticks, continued visits); a
version 1 file still reads.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, TextIO

from neck_guide.engine.outcome import outcome_title
from neck_guide.engine.record import SessionRecord
from neck_guide.engine.steps import outcome_line, tally
from neck_guide.export.errors import ExportError

FORMAT = "neck-guide-session"
FORMAT_MANY = "neck-guide-sessions"
SCHEMA_VERSION = 2
SUMMARY_KEY = "outcome"


def summary(record: SessionRecord) -> dict[str, Any]:
    """The outcome in words and the counts: the same as the screens, the CLI, CSV, PDF and FHIR."""
    t = tally(record)
    return {
        "status": record.status,
        "title": outcome_title(record.status),
        "line": outcome_line(record),
        "steps_in_protocol": t.steps,
        "steps_done": t.done,
        "steps_skipped": t.skipped,
        "steps_left": t.left,
        "visits": t.visits,
        "ratings": len(record.ratings()),
    }


def record_document(record: SessionRecord) -> dict[str, Any]:
    return {**record.to_dict(), SUMMARY_KEY: summary(record)}


def session_document(record: SessionRecord) -> dict[str, Any]:
    return {"format": FORMAT, "schema_version": SCHEMA_VERSION, **record_document(record)}


def write_session(record: SessionRecord, out: TextIO) -> None:
    json.dump(session_document(record), out, indent=2, ensure_ascii=False)
    out.write("\n")


def write_sessions(records: Iterable[SessionRecord], out: TextIO) -> int:
    """Many sessions as one JSON object, streamed; returns how many."""
    out.write(f'{{"format": "{FORMAT_MANY}", "schema_version": {SCHEMA_VERSION}, "sessions": [')
    n = 0
    for record in records:
        out.write(",\n" if n else "\n")
        json.dump(record_document(record), out, ensure_ascii=False)
        n += 1
    out.write("\n]}\n")
    return n


def read_sessions(data: Any) -> list[SessionRecord]:
    """The records in a document written by this module (one session or many)."""
    if not isinstance(data, dict):
        raise ExportError("not a Neck Guide session file: the top level is not an object")
    kind, version = data.get("format"), data.get("schema_version")
    if kind not in (FORMAT, FORMAT_MANY):
        raise ExportError(f"not a Neck Guide session file (format {kind!r})")
    if not isinstance(version, int) or version > SCHEMA_VERSION:
        raise ExportError(f"session file version {version!r} is newer than this app reads ({SCHEMA_VERSION})")
    if kind == FORMAT:
        record = {k: v for k, v in data.items() if k not in ("format", "schema_version")}
        return [_record(record)]
    return [_record(r) for r in data.get("sessions", [])]


def _record(data: dict[str, Any]) -> SessionRecord:
    return SessionRecord.from_dict({k: v for k, v in data.items() if k != SUMMARY_KEY})
