"""What the command line asks the app to do, as typed values (no argparse past the parser)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class StartChoice:
    """A session to set up: the protocol, the client (None: a quick session) and the mode."""

    protocol_id: str
    client_code: str | None
    practice: bool


@dataclass(frozen=True, slots=True)
class LaunchOptions:
    """How the window was asked to start (``neck-guide`` or ``neck-guide run ID``)."""

    data_dir: Path | None = None
    time_scale: float = 1.0
    protocol_id: str | None = None
    client_code: str | None = None
    practice: bool = False
