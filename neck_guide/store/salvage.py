"""Reading round damage that SQLite's own check does not see: one bad byte in a text cell.

SQLite stores text as it is given and never checks it is UTF-8, so ``integrity_check`` passes a
cell with a damaged byte, and Python's sqlite3 then fails on the whole query that meets it: once,
every session vanished from History and ``sessions`` and ``export`` stopped with a traceback. Here
such a session is set apart instead: the others are read as always, and the damaged one is named
(the store's ``unreadable``) so the screens and commands can say which and why.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Final

from neck_guide.store import reads
from neck_guide.store.errors import StoreCorrupt
from neck_guide.store.models import SessionSummary, short_ids

# what damaged rows raise while read: bad UTF-8 (OperationalError "Could not decode"), malformed
# pages (DatabaseError), values no record allows (ValueError, TypeError: an unknown status…)
DAMAGE: Final = (sqlite3.DatabaseError, UnicodeDecodeError, ValueError, TypeError)


def _lenient(raw: bytes) -> str:
    return raw.decode("utf-8", "surrogateescape")


def _damaged_text(row: tuple[Any, ...]) -> bool:
    return any(isinstance(v, str) and not v.isascii() and _has_surrogates(v) for v in row)


def _has_surrogates(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


@contextmanager
def damaged_session(session_id: str, path: Path) -> Iterator[None]:
    """Reading one session: its damage comes out as StoreCorrupt naming it."""
    try:
        yield
    except DAMAGE as e:
        if isinstance(e, sqlite3.OperationalError) and "decode" not in str(e):
            raise  # the disk's trouble (locked, I/O), not this session's rows
        raise StoreCorrupt(
            f"Session {session_id} in {path} cannot be read: part of it is damaged ({e}). It is left "
            "out; every other session is read as usual. Keep the file and ask your IT support to recover it.",
            reason="damaged",
        ) from e


def readable_summaries(
    conn: sqlite3.Connection, client: str | None, practice: bool | None
) -> tuple[list[SessionSummary], dict[str, str]]:
    """The summaries that can be read, and the ids (as far as they can be read) of those that cannot."""
    conn.text_factory = _lenient
    try:
        ids = [str(r[0]) for r in conn.execute("SELECT id FROM sessions")]
        shorts = short_ids(ids)
        rows = conn.execute(*reads.summary_query(client, practice))
        good: list[SessionSummary] = []
        bad: dict[str, str] = {}
        for row in rows.fetchall():
            sid = str(row[0])
            try:
                if _damaged_text(row):
                    raise ValueError("a text in it is not valid UTF-8")
                good.append(reads.summary(row, shorts[sid]))
            except (ValueError, TypeError, KeyError) as e:
                shown = sid.encode("utf-8", "backslashreplace").decode()
                bad[shown] = f"session {shown} cannot be read: part of it is damaged ({e})"
        return good, bad
    finally:
        conn.text_factory = str
