"""What can go wrong with the session records.

    StoreError                 anything the records file could not do
    ├── StoreCorrupt           the file is damaged (not a database, malformed, failed its check)
    ├── StoreUnavailable       the file cannot be used now: a folder in its place, removed underneath,
    │                          made by a newer version of the app, disk full, read-only, locked
    └── SessionNotFound        no session with that id (or an id prefix that fits none or several)

sqlite3.OperationalError and OSError from the disk are left as they are where they happen (the
journal retries them); these exceptions are for what the store itself detects.
"""

from __future__ import annotations


class StoreError(Exception):
    """Base of the records errors."""


class StoreCorrupt(StoreError):  # noqa: N818 - names fixed by the records spec
    """The records file is damaged."""


class StoreUnavailable(StoreError):  # noqa: N818
    """The records file cannot be used at the moment (or by this version of the app)."""


class SessionNotFound(StoreError, LookupError):  # noqa: N818
    """No session fits the id asked for."""
