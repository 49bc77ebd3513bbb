"""Sessions left unfinished (a crash, a power cut, the window closed mid-session): which can be taken
up again, which can be closed out, and why not, in words the recovery page shows as they are.

Resuming takes the session up at the step it stopped in, so it needs the very protocol it was
started with. Closing out marks it interrupted at its last recorded moment; it is written by the
records journal (the one writer), never by the page. A session that another Neck Guide window is
running now is neither resumed nor closed out here: only that window may touch it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from neck_guide.engine.record import SessionRecord
from neck_guide.protocol.loader import Catalog

Standing = Literal["resumable", "protocol-missing", "protocol-changed", "running-elsewhere"]


@dataclass(frozen=True, slots=True)
class Unfinished:
    """An unfinished session and what may be done with it; ``why_not`` says why it cannot be
    resumed (and, when running elsewhere, closed out), in words for the page (None: it can)."""

    record: SessionRecord
    standing: Standing
    why_not: str | None = None

    @property
    def can_resume(self) -> bool:
        return self.standing == "resumable"

    @property
    def can_close_out(self) -> bool:
        return self.standing != "running-elsewhere"


def assess(
    records: Sequence[SessionRecord], catalog: Catalog, running_elsewhere: Mapping[str, str] | None = None
) -> list[Unfinished]:
    """What may be done with each of ``records`` (sessions still marked running).

    ``running_elsewhere`` maps the id of a session that another window is running now to who that
    is, in words ("another Neck Guide window (process 4321)").
    """
    elsewhere = running_elsewhere or {}
    return [_assess(record, catalog, elsewhere.get(record.session_id)) for record in records]


def _assess(record: SessionRecord, catalog: Catalog, owner: str | None) -> Unfinished:
    if owner is not None:
        return Unfinished(
            record,
            "running-elsewhere",
            f"Running now in {owner}: only there can it be resumed or closed out.",
        )
    if record.protocol_id not in catalog:
        why = f"Cannot resume: the protocol {record.protocol_id!r} is no longer installed."
        return Unfinished(record, "protocol-missing", why)
    installed = catalog.get(record.protocol_id).version
    if installed != record.protocol_version:
        why = f"Cannot resume: the protocol changed since (version {record.protocol_version} → {installed})."
        return Unfinished(record, "protocol-changed", why)
    return Unfinished(record, "resumable")


def elsewhere_notice(sessions: Sequence[Unfinished]) -> str:
    """What a window says of the sessions another window runs now (it offers nothing for them:
    they may be browsed in History and exported once ended, never resumed or closed out here)."""
    running = [u for u in sessions if u.standing == "running-elsewhere"]
    if not running:
        return ""
    who = running[0].why_not or ""
    count = "A session is" if len(running) == 1 else f"{len(running)} sessions are"
    return (
        f"{count} being recorded in another Neck Guide window on these records, so this window does not "
        f"offer to resume or close {'it' if len(running) == 1 else 'them'} out. {who} History and exports "
        "work here as usual."
    )
