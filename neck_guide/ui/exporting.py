"""What the summary page needs from outside the UI: writing exports, the practice score in words.

Kept apart so the page stays about layout and input.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Final

from neck_guide.engine.practice import score
from neck_guide.engine.record import SessionRecord
from neck_guide.export.errors import ExportError
from neck_guide.export.files import atomic_text, temp_beside

# format -> (button title, file extension, file dialog filter)
EXPORT_FORMATS: Final[dict[str, tuple[str, str, str]]] = {
    "csv": ("CSV", "csv", "CSV files (*.csv)"),
    "json": ("JSON", "json", "JSON files (*.json)"),
    "pdf": ("PDF", "pdf", "PDF reports (*.pdf)"),
    "fhir": ("FHIR", "json", "FHIR bundles (*.json)"),
}


def export_record(
    fmt: str, record: SessionRecord, path: Path, *, aftercare: Sequence[str] = (), clinic_name: str = ""
) -> None:
    """Write ``record`` to ``path`` as ``fmt`` (one of EXPORT_FORMATS), replacing the file (the
    file dialog has asked already). Raises ExportError with what went wrong and where."""
    # the writers load when asked for: FHIR's models alone take ~0.1 s to import
    from neck_guide.export import csv_export, fhir, json_export
    from neck_guide.export.report import Report

    try:
        if fmt == "pdf":
            from neck_guide.export.pdf import write_pdf

            with temp_beside(path, force=True) as tmp:
                write_pdf([Report(record, tuple(aftercare))], tmp, clinic_name=clinic_name)
            return
        with atomic_text(path, force=True) as out:
            if fmt == "csv":
                csv_export.write_csv([record], out)
            elif fmt == "json":
                json_export.write_session(record, out)
            elif fmt == "fhir":
                out.write(fhir.to_json(fhir.bundle([record])))
            else:
                raise ExportError(f"unknown export format {fmt!r}; known: {', '.join(EXPORT_FORMATS)}")
    except OSError as e:
        raise ExportError(f"could not write {path}: {e.strerror or e}") from e


def practice_lines(record: SessionRecord) -> list[str]:
    """The practice score of ``record`` in a few lines (empty when no hold was scored)."""
    summary = score(record)
    if not summary.scored:
        return ["Practice: no hold was timed (holds skipped or cut short are not scored)."]
    lines = [
        f"Practice score: {summary.in_range} of {summary.scored} holds in range "
        f"({summary.percent or 0:.0f} %), mean deviation {summary.mean_abs_deviation_s or 0:.1f} s."
    ]
    worst = summary.worst
    if worst is not None:
        side = f" ({worst.side})" if worst.side else ""
        how = "released early" if worst.verdict == "short" else "held too long"
        lines.append(
            f"Furthest out: {worst.title}{side}, {worst.actual_s:.0f} s — {how} by {worst.deviation_s:.1f} s."
        )
    return lines
