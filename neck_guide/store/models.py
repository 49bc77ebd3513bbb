"""What the store answers besides whole session records: summaries, clients, a client's history."""

from __future__ import annotations

from dataclasses import dataclass, field

from neck_guide.engine.record import SessionStatus
from neck_guide.engine.steps import StepTally

SHORT_ID_LENGTH = 8


@dataclass(frozen=True, slots=True)
class SessionSummary:
    """One line of the sessions list."""

    session_id: str
    client_code: str | None
    protocol_id: str
    protocol_version: str
    protocol_title: str
    started_at: str
    ended_at: str | None
    status: SessionStatus
    practice: bool
    pre_pain: int | None
    post_pain: int | None
    visits: int  # step visits recorded (a step visited twice counts twice; see engine.steps)
    steps_done: int  # protocol steps done
    protocol_steps: int | None  # steps in the protocol's plan (None: an older record)
    ratings: int  # every rating given, corrections and undone ones included
    end_note: str
    short_id: str  # the shortest prefix (8 characters at least) no other session id in the file has

    @property
    def tally(self) -> StepTally:
        """Steps done and left, visits (skipped steps are not counted here: see engine.steps)."""
        return StepTally(self.protocol_steps, self.steps_done, 0, self.visits)

    @property
    def pain_change(self) -> int | None:
        """Post minus pre pain (negative: less pain after), when both were recorded."""
        if self.pre_pain is None or self.post_pain is None:
            return None
        return self.post_pain - self.pre_pain


def short_ids(ids: list[str], minimum: int = SHORT_ID_LENGTH) -> dict[str, str]:
    """The shortest prefix (at least ``minimum`` long) that tells each id apart from the others."""
    ordered = sorted(set(ids))
    shorts: dict[str, str] = {}
    for n, sid in enumerate(ordered):
        length = minimum
        for other in ordered[max(0, n - 1) : n + 2]:
            if other != sid:
                differ = (i for i, (a, b) in enumerate(zip(sid, other, strict=False)) if a != b)
                common = next(differ, min(len(sid), len(other)))
                length = max(length, common + 1)
        shorts[sid] = sid[:length]
    return shorts


@dataclass(frozen=True, slots=True)
class Client:
    code: str
    first_seen: str
    sessions: int
    last_seen: str | None


@dataclass(frozen=True, slots=True)
class ClientHistory:
    """A client's sessions in time order; practice runs are kept apart from treatment."""

    client_code: str
    first_seen: str | None  # None: no session with this code
    treatments: list[SessionSummary] = field(default_factory=list)
    practice: list[SessionSummary] = field(default_factory=list)

    @property
    def pain_series(self) -> list[tuple[str, int | None, int | None]]:
        """(started_at, pre pain, post pain) for each treatment session, oldest first."""
        return [(s.started_at, s.pre_pain, s.post_pain) for s in self.treatments]
