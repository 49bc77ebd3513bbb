"""Which unfinished sessions may be resumed or closed out, and the words that say why not
(neck_guide.session.recovery: pure rules, the recovery page only shows them)."""

from __future__ import annotations

import dataclasses

from neck_guide.engine.clock import FakeClock
from neck_guide.engine.record import SessionRecord
from neck_guide.engine.runner import SessionRunner
from neck_guide.paths import BUNDLED_PROTOCOLS_DIR
from neck_guide.protocol.loader import Catalog
from neck_guide.protocol.plan import expand
from neck_guide.session.recovery import assess

CATALOG = Catalog.load(BUNDLED_PROTOCOLS_DIR, None)


def _left_running(**changes: object) -> SessionRecord:
    """A self-care session stopped in its first step, as a crash leaves it (``changes`` made after)."""
    clock = FakeClock()
    runner = SessionRunner(expand(CATALOG.get("self-care")), clock)
    runner.begin(clock.advance(1))
    runner.start(clock.advance(1))
    return dataclasses.replace(runner.record, **changes)  # type: ignore[arg-type]


def test_a_session_of_an_installed_protocol_can_be_resumed_and_closed_out() -> None:
    (found,) = assess([_left_running()], CATALOG)
    assert found.standing == "resumable" and found.can_resume and found.can_close_out
    assert found.why_not is None


def test_a_protocol_no_longer_installed_or_changed_since_can_only_be_closed_out() -> None:
    gone = _left_running(protocol_id="mine")
    changed = _left_running(protocol_version="0.0.1")
    missing, newer = assess([gone, changed], CATALOG)
    assert (missing.standing, missing.can_resume, missing.can_close_out) == ("protocol-missing", False, True)
    assert missing.why_not == "Cannot resume: the protocol 'mine' is no longer installed."
    assert (newer.standing, newer.can_resume, newer.can_close_out) == ("protocol-changed", False, True)
    installed = CATALOG.get("self-care").version
    assert newer.why_not == f"Cannot resume: the protocol changed since (version 0.0.1 → {installed})."


def test_a_session_running_in_another_window_is_neither_resumed_nor_closed_out_here() -> None:
    record = _left_running()
    (found,) = assess([record], CATALOG, {record.session_id: "another Neck Guide window (process 4321)"})
    assert found.standing == "running-elsewhere"
    assert not found.can_resume and not found.can_close_out
    assert found.why_not == (
        "Running now in another Neck Guide window (process 4321): only there can it be resumed or closed out."
    )
