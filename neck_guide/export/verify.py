"""Reading an export back before it takes its name: a file the disk cut short (full, over a quota)
must never pass for a finished export. Qt's PDF writer, for one, says nothing when a write fails.

Each check raises ExportError naming the file and what is wrong with it.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

from neck_guide.export.errors import ExportError

_TAIL_BYTES = 2048
_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")


def _incomplete(written: Path, target: Path, what: str, why: str) -> ExportError:
    size = written.stat().st_size
    return ExportError(
        f"the {what} for {target} came out incomplete ({why}, {size} bytes written): is the disk "
        "full? Nothing was saved; free some space or choose another place"
    )


def pdf_whole(path: Path, target: Path) -> None:
    """A PDF ends in a cross-reference table that ``startxref`` points at, then ``%%EOF``."""
    size = path.stat().st_size
    with open(path, "rb") as f:
        f.seek(max(0, size - _TAIL_BYTES))
        tail = f.read()
        found = _STARTXREF.search(tail)
        if found is None:
            raise _incomplete(path, target, "PDF report", "it does not end as a PDF ends")
        offset = int(found.group(1))
        f.seek(offset)
        if offset >= size or f.read(4) != b"xref":
            raise _incomplete(path, target, "PDF report", "its cross-reference table is missing")


def json_whole(path: Path, target: Path) -> None:
    """The document parses as JSON."""
    _parsed(path, target, "JSON file")


def _parsed(path: Path, target: Path, what: str) -> object:
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (ValueError, UnicodeDecodeError) as e:
        raise _incomplete(path, target, what, f"it does not parse: {e}") from None


def fhir_whole(path: Path, target: Path) -> None:
    document = _parsed(path, target, "FHIR bundle")
    if not isinstance(document, dict) or document.get("resourceType") != "Bundle":
        raise _incomplete(path, target, "FHIR bundle", "it is not a Bundle")


def csv_whole(path: Path, target: Path, rows: int) -> None:
    """At least the ``rows`` data rows and a header read back, the last one ended."""
    with open(path, encoding="utf-8", newline="") as f:
        found = sum(1 for _ in csv.reader(f))
    ended = path.stat().st_size > 0 and _last_byte(path) == b"\n"
    if found < rows + 1 or not ended:
        raise _incomplete(path, target, "CSV file", f"{max(0, found - 1)} of its {rows} rows read back")


def _last_byte(path: Path) -> bytes:
    with open(path, "rb") as f:
        f.seek(-1, 2)
        return f.read(1)
