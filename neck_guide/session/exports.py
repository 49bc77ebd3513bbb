"""The export formats, listed once for the command line and the window: each format's writer, its
title, its file name and what it says when it is done.

What each format holds is the export package's business (csv_export, json_export, fhir, pdf);
this module only picks the writer, names the file and words the outcome. Every file is written
whole or not at all, owner-only (:mod:`neck_guide.export.files`). The writers are imported when a
format is used: FHIR's models alone take about 0.1 s to import, and PDF needs Qt.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final, TextIO

from neck_guide.export.errors import ExportError

if TYPE_CHECKING:
    from neck_guide.engine.record import SessionRecord
    from neck_guide.store import SessionStore

Aftercare = Callable[["SessionRecord"], tuple[str, ...]]


def no_aftercare(record: SessionRecord) -> tuple[str, ...]:
    return ()


@dataclass(frozen=True, slots=True)
class Sessions:
    """What to export: the sessions' records (from memory or from the store, read as the writer
    goes), how their CSV rows are written (straight from the records file) and what the report
    adds to them."""

    ids: tuple[str, ...]
    records: Callable[[], Iterator[SessionRecord]]
    write_csv: Callable[[TextIO], int]
    aftercare: Aftercare = no_aftercare
    clinic_name: str = ""

    @classmethod
    def in_memory(
        cls, records: Sequence[SessionRecord], *, aftercare: Aftercare = no_aftercare, clinic_name: str = ""
    ) -> Sessions:
        """Records at hand, e.g. the session just run, whose last events may still be on their way to disk."""
        from neck_guide.export import csv_export

        held = tuple(records)
        return cls(
            tuple(r.session_id for r in held),
            lambda: iter(held),
            lambda out: csv_export.write_records(held, out),
            aftercare,
            clinic_name,
        )

    @classmethod
    def stored(
        cls,
        store: SessionStore,
        ids: Iterable[str],
        *,
        aftercare: Aftercare = no_aftercare,
        clinic_name: str = "",
    ) -> Sessions:
        """Sessions in ``store``, read one at a time as they are written out."""
        from neck_guide.export import csv_export

        wanted = tuple(ids)
        return cls(
            wanted,
            lambda: store.records(wanted),
            lambda out: csv_export.write_stored(store, wanted, out),
            aftercare,
            clinic_name,
        )


Writer = Callable[[Sessions, Path, bool], str]


@dataclass(frozen=True, slots=True)
class ExportFormat:
    """One way to export: ``name`` on the command line, ``title`` on a button, ``extension`` and
    ``file_filter`` for the file dialog; ``write`` returns what was written, in words."""

    name: str
    title: str
    extension: str
    file_filter: str
    write: Writer

    def file_name(self, session_ids: Sequence[str]) -> str:
        """The name a file of these sessions gets when the user has not chosen one."""
        which = session_ids[0][:8] if len(session_ids) == 1 else "sessions"
        return f"neck-guide-{which}.{self.extension}"


@dataclass(frozen=True, slots=True)
class Exported:
    """A finished export: where, and what it holds in words ("3 sessions (42 step rows)")."""

    path: Path
    what: str

    @property
    def message(self) -> str:
        return f"Wrote {self.what} to {self.path}"


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _csv(sessions: Sessions, path: Path, force: bool) -> str:
    from neck_guide.export import verify
    from neck_guide.export.files import atomic_text

    written: list[int] = []
    with atomic_text(path, force=force, verify=lambda tmp, to: verify.csv_whole(tmp, to, written[0])) as out:
        written.append(rows := sessions.write_csv(out))
    return f"{plural(len(sessions.ids), 'session')} ({plural(rows, 'row')})"


def _json(sessions: Sessions, path: Path, force: bool) -> str:
    from neck_guide.export import json_export, verify
    from neck_guide.export.files import atomic_text

    with atomic_text(path, force=force, verify=verify.json_whole) as out:
        if len(sessions.ids) == 1:
            json_export.write_session(next(sessions.records()), out)
        else:
            json_export.write_sessions(sessions.records(), out)
    return plural(len(sessions.ids), "session")


def _fhir(sessions: Sessions, path: Path, force: bool) -> str:
    from neck_guide.export import fhir, verify
    from neck_guide.export.files import atomic_text

    kept, practice = fhir.care(sessions.records())
    if not kept:
        which = "this session is a practice run" if practice == 1 else "these sessions are practice runs"
        raise ExportError(
            f"{which}: not care given to a patient, so there is nothing to export as FHIR. "
            "Export practice runs as JSON, CSV or PDF."
        )
    document = fhir.to_json(fhir.bundle(kept))
    with atomic_text(path, force=force, verify=verify.fhir_whole) as out:
        out.write(document)
    left = f" ({plural(practice, 'practice run')} left out: not care given to a patient)" if practice else ""
    return f"{plural(len(kept), 'session')} as a FHIR R4 Bundle{left}"


def _pdf(sessions: Sessions, path: Path, force: bool) -> str:
    from neck_guide.export import verify
    from neck_guide.export.files import temp_beside
    from neck_guide.export.pdf import write_pdf  # Qt only for this format
    from neck_guide.export.report import Report

    reports = [Report(record, sessions.aftercare(record)) for record in sessions.records()]
    with temp_beside(path, force=force, verify=verify.pdf_whole) as tmp:  # Qt says nothing of a failed write
        pages = write_pdf(reports, tmp, clinic_name=sessions.clinic_name)
    return f"{plural(len(sessions.ids), 'session')} ({plural(pages, 'page')})"


FORMATS: Final[dict[str, ExportFormat]] = {
    f.name: f
    for f in (
        ExportFormat("csv", "CSV", "csv", "CSV files (*.csv)", _csv),
        ExportFormat("json", "JSON", "json", "JSON files (*.json)", _json),
        ExportFormat("pdf", "PDF", "pdf", "PDF reports (*.pdf)", _pdf),
        ExportFormat("fhir", "FHIR", "json", "FHIR bundles (*.json)", _fhir),
    )
}


def export_format(name: str) -> ExportFormat:
    """The format called ``name``; ExportError naming the known ones otherwise."""
    found = FORMATS.get(name)
    if found is None:
        raise ExportError(f"unknown export format {name!r}; known: {', '.join(FORMATS)}")
    return found


def export(name: str, sessions: Sessions, path: Path, *, force: bool) -> Exported:
    """Write ``sessions`` to ``path`` as the format ``name``; an existing file is replaced only with
    ``force``. Raises ExportError (what went wrong, where, what to do); StoreError from reading."""
    fmt = export_format(name)
    if not sessions.ids:
        raise ExportError("there are no sessions to export yet")
    try:
        return Exported(path, fmt.write(sessions, path, force))
    except OSError as e:
        if isinstance(e, ExportError):
            raise
        raise ExportError(f"could not write {path}: {e.strerror or e}") from e
