"""Session records in SQLite: the repository, its journal (the app's crash-safe writer), errors."""

from neck_guide.store.errors import SessionNotFound, StoreCorrupt, StoreError, StoreUnavailable
from neck_guide.store.models import Client, ClientHistory, SessionSummary
from neck_guide.store.repository import SessionStore

__all__ = [
    "Client",
    "ClientHistory",
    "SessionNotFound",
    "SessionStore",
    "SessionSummary",
    "StoreCorrupt",
    "StoreError",
    "StoreUnavailable",
]
