"""Real session records for the export tests: a SessionRunner (FakeClock) run into a real store."""

from __future__ import annotations

import random
from pathlib import Path

from neck_guide.engine.clock import FakeClock
from neck_guide.engine.events import Event
from neck_guide.engine.record import ScreeningAnswer, SessionRecord
from neck_guide.engine.runner import SessionRunner
from neck_guide.paths import Paths, resolve
from neck_guide.protocol.loader import load_file
from neck_guide.protocol.model import Protocol
from neck_guide.protocol.plan import expand
from neck_guide.store import SessionStore

PROTOCOLS = Path(__file__).resolve().parents[2] / "protocols"


def protocol(protocol_id: str) -> Protocol:
    return load_file(PROTOCOLS / f"{protocol_id}.toml")


def run_session(
    protocol_id: str,
    *,
    session_id: str,
    client: str | None,
    practice: bool = False,
    clock: FakeClock | None = None,
    notes: str = "Tight on the left; eased by the end.",
    seed: int = 1,
    store: SessionStore | None = None,
) -> SessionRecord:
    """A whole session: screening (one yes, acknowledged), ratings where asked, one re-rating, notes."""
    clock = clock or FakeClock()
    rng = random.Random(seed)
    runner = SessionRunner(
        expand(protocol(protocol_id)), clock, client_code=client, practice=practice, session_id=session_id
    )
    sink = store.apply if store is not None else (lambda event: None)

    def on(events: list[Event]) -> None:  # as the app's session model hands each event to the records
        for event in events:
            sink(event)

    on(runner.begin(clock.advance(60)))
    answers = [
        ScreeningAnswer(
            i.id, i.kind, i.question, n == 0, n == 0, "checked with the client's GP" if n == 0 else ""
        )
        for n, i in enumerate(runner.plan.protocol.screening)
    ]
    on(runner.record_screening(clock.advance(20), answers, 6, 70, 65))
    on(runner.start(clock.advance(5)))
    while runner.state != "finished":
        spec = runner.current.step.rating
        if spec is not None and runner.current.kind != "rest":
            for kind in spec.ask:
                on(runner.rate(clock.advance(2), kind, rng.randint(2, 9)))
            if runner.index == 7:
                on(runner.rate(clock.advance(1), spec.ask[0], 10))  # a re-rating: the last counts
        remaining = runner.remaining(clock.monotonic())
        if remaining is None:
            on(runner.next(clock.advance(15)))
        else:
            on(runner.poll(clock.advance(remaining + 0.1)))
            if runner.state == "overtime":
                on(runner.next(clock.advance(1)))
    on(runner.set_notes(clock.advance(5), notes))
    on(runner.record_pain(clock.advance(5), "post", 2))
    return runner.record


HOME_SESSIONS = (
    ("trigger-point", "a1b2c3d4e5f60001", "C-0042", False),
    ("self-care", "a1b2c3d4e5f60002", "C-0042", True),
    ("clinical-neck", "f0e1d2c3b4a50003", "C-0077", False),
)


def filled_home(tmp_path: Path) -> tuple[Paths, list[SessionRecord]]:
    """A data folder with three recorded sessions (two clients, one practice run)."""
    paths = resolve(tmp_path / "home")
    clock = FakeClock()
    with SessionStore.open(paths.database) as store:
        records = [
            run_session(
                protocol_id,
                session_id=sid,
                client=client,
                practice=practice,
                seed=n,
                clock=clock,
                store=store,
            )
            for n, (protocol_id, sid, client, practice) in enumerate(HOME_SESSIONS)
        ]
    return paths, records
