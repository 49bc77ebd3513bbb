"""``neck-guide sessions`` and ``neck-guide export``.

Exit codes: 0 done; 1 nothing written (the output exists without --force, cannot be written, no
records); 2 the session asked for is not in the records. ``export --format pdf --all`` writes one
PDF with every session, each from a new page. Every export file is written whole or not at all
(a temporary file renamed at the end) and readable by its owner only.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from neck_guide.engine.outcome import outcome_title
from neck_guide.engine.record import SessionRecord
from neck_guide.export.errors import ExportError
from neck_guide.export.files import check_target
from neck_guide.paths import BUNDLED_PROTOCOLS_DIR, Paths
from neck_guide.protocol.loader import Catalog
from neck_guide.session import exports
from neck_guide.session.exports import Aftercare, Sessions
from neck_guide.settings import load_settings
from neck_guide.store import SessionNotFound, SessionStore, SessionSummary, StoreError

EXIT_OK, EXIT_NOT_WRITTEN, EXIT_UNKNOWN_SESSION = 0, 1, 2


def _fail(message: str, code: int) -> int:
    print(f"neck-guide: {message}", file=sys.stderr)
    return code


def _open(paths: Paths) -> SessionStore | None:
    """The records, read-only (nothing is written, moved or deleted: a damaged log is read mended
    from a copy, an older file brought up to date in memory), or None when none were ever made."""
    if not paths.database.exists():
        return None
    store = SessionStore.open_read_only(paths.database)
    if store.notice:
        print(f"neck-guide: {store.notice}", file=sys.stderr)
    return store


def _tell_unreadable(store: SessionStore) -> None:
    """The sessions left out because they are damaged, one line each."""
    for why in store.unreadable.values():
        print(f"neck-guide: {why}", file=sys.stderr)


# --- sessions ------------------------------------------------------------------------------------


def list_sessions(paths: Paths, client: str | None = None) -> int:
    try:
        store = _open(paths)
        if store is None:
            print(f"No sessions recorded yet ({paths.database} does not exist).")
            return EXIT_OK
        with store:
            rows = store.sessions(client=client)
            _tell_unreadable(store)
    except StoreError as e:
        return _fail(str(e), EXIT_NOT_WRITTEN)
    if not rows:
        who = f" for client {client}" if client else ""
        print(f"No sessions{who}.")
        return EXIT_OK
    print(session_table(rows))
    return EXIT_OK


def session_table(rows: Sequence[SessionSummary]) -> str:
    """The sessions list: ids as short as they can be and still unique in the whole file, the
    outcome as every format names it, protocol steps done (of the plan's) and visits apart."""
    head = ("ID", "STARTED", "CLIENT", "PROTOCOL", "OUTCOME", "PRACTICE", "STEPS DONE", "VISITS", "PAIN")
    lines = [head] + [
        (
            s.short_id,
            _started(s.started_at),
            s.client_code or "-",
            s.protocol_id,
            outcome_title(s.status),
            "yes" if s.practice else "",
            f"{s.steps_done}" + (f" of {s.protocol_steps}" if s.protocol_steps is not None else ""),
            str(s.visits),
            f"{_pain(s.pre_pain)}→{_pain(s.post_pain)}",
        )
        for s in rows
    ]
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    return "\n".join(
        "  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip() for line in lines
    )


def _started(iso: str) -> str:
    return datetime.fromisoformat(iso).strftime("%Y-%m-%d %H:%M")


def _pain(value: int | None) -> str:
    return "-" if value is None else str(value)


# --- export --------------------------------------------------------------------------------------


def export(paths: Paths, *, session: str | None, format: str, output: Path, force: bool) -> int:
    """Export one session (``session``: an id or its unique prefix) or, with None, every one."""
    try:
        check_target(output, force=force)  # before any work
        store = _open(paths)
        if store is None:
            return _fail(f"no sessions recorded yet ({paths.database} does not exist)", EXIT_NOT_WRITTEN)
        with store:
            ids = [store.find(session)] if session is not None else [s.session_id for s in store.sessions()]
            sessions = Sessions.stored(
                store, ids, aftercare=aftercare_lookup(paths), clinic_name=_clinic_name(paths)
            )
            done = exports.export(format, sessions, output, force=force)
            _tell_unreadable(store)
    except SessionNotFound as e:
        return _fail(str(e), EXIT_UNKNOWN_SESSION)
    except (ExportError, StoreError) as e:
        return _fail(str(e), EXIT_NOT_WRITTEN)
    print(done.message)
    return EXIT_OK


def _clinic_name(paths: Paths) -> str:
    return load_settings(paths.settings_file, set_aside=False).settings.clinic_name


def aftercare_lookup(paths: Paths) -> Aftercare:
    """The aftercare advice of a record's protocol, from the protocol catalog (empty if unknown);
    the catalog is loaded when a format first asks (only the PDF report does)."""
    catalog = functools.cache(lambda: Catalog.load(BUNDLED_PROTOCOLS_DIR, paths.user_protocols))

    def lookup(record: SessionRecord) -> tuple[str, ...]:
        known = catalog()
        return known.get(record.protocol_id).aftercare if record.protocol_id in known else ()

    return lookup
