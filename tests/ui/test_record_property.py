"""Random sessions, then the records file and every export read back (issue 9, "Proof").

Hypothesis draws sequences of what a therapist does (start, pause, release, next, back, extend, undo,
ratings, double taps, checklist ticks, end early, a crash or a close and then resume or close out,
time passing) and plays them twice over: through the engine into a real records file (many quick
examples), and through the real window offscreen with keys and taps (fewer, slower ones). Each
session is then checked in the database, JSON, CSV, PDF text and the FHIR bundle: every rating,
visit and pause, and the outcome the sequence produced (tests/ui/record_formats.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from record_formats import Expected, check_every_format
from window_helpers import SCREENING_TOML

from neck_guide.engine.clock import FakeClock
from neck_guide.engine.events import Event
from neck_guide.engine.record import SessionRecord
from neck_guide.engine.runner import SessionRunner
from neck_guide.protocol.loader import load_file
from neck_guide.protocol.model import RatingKind
from neck_guide.protocol.plan import Plan, expand
from neck_guide.store import SessionStore

DRILL = """
schema_version = 1
id = "drill"
title = "Record drill"
version = "1.0"
summary = "A short protocol for the record tests."

[[phases]]
id = "start"
title = "Start"

[[phases.steps]]
id = "ask"
title = "Ask"
technique = "Ask and locate"
checklist = ["Consent", "Where it hurts"]

[[phases.steps]]
id = "press"
title = "Press"
technique = "Flat-hand press"
muscle = "upper_trapezius"
duration_s = 20
rating = { ask = ["pressure"], target = [4, 6], ease_off_above = 6 }

[[phases]]
id = "work"
title = "Work"

[[phases.steps]]
id = "hold"
title = "Hold"
technique = "Compression hold"
muscle = "levator_scapulae"
sides = ["left", "right"]
hold = { min_s = 10, max_s = 30 }
rating = { ask = ["pressure", "pain"], target = [5, 7], ease_off_above = 7 }

[[phases.steps]]
id = "rest"
title = "Breathe out"
technique = "Quiet rest"
duration_s = 10
"""


def drill_plan(folder: Path) -> Plan:
    path = folder / "drill.toml"
    path.write_text(DRILL + SCREENING_TOML, encoding="utf-8")
    return expand(load_file(path))


# What a therapist does, as drawn: a gesture and its argument.
GESTURES = st.one_of(
    st.tuples(
        st.sampled_from(["space", "next", "back", "release", "undo", "double_next", "tick"]), st.none()
    ),
    st.tuples(st.just("extend"), st.none()),
    st.tuples(st.just("rate"), st.integers(1, 10)),
    st.tuples(st.just("double_rate"), st.integers(1, 10)),
    st.tuples(st.just("wait"), st.integers(0, 40_000)),
    st.tuples(st.sampled_from(["crash_resume", "crash_close_out"]), st.none()),
)
ENDINGS = st.sampled_from(["end", "run_out", "abandon_before_start", "crash_close_out"])


@dataclass
class EngineSession:
    """A session driven through the engine straight into a records file (what the journal does)."""

    plan: Plan
    clock: FakeClock
    store: SessionStore
    runner: SessionRunner
    expected: Expected
    closed_out: bool = False

    def feed(self, events: list[Event]) -> None:
        """Into the records, as the app's session model hands them to its journal."""
        for event in events:
            self.store.apply(event)

    def act(self, gesture: str, arg: Any) -> None:
        r, now, feed = self.runner, self.clock.monotonic(), self.feed
        if gesture == "wait":
            feed(r.poll(self.clock.advance(arg / 1000)))
        elif gesture == "space":
            before = r.state
            feed(r.toggle(now))
            self.expected.pauses += before in ("running", "overtime") and r.state == "paused"
        elif gesture in ("rate", "double_rate") and r.state != "finished" and r.record.steps:
            kind: RatingKind = "pain" if arg % 3 == 0 else "pressure"
            feed(r.rate(now, kind, arg))
            self.expected.ratings.append((kind, arg))
            if gesture == "double_rate":
                feed(r.rate(self.clock.advance(0.2), kind, 11 - arg))
                self.expected.ratings.append((kind, 11 - arg))
        elif gesture == "double_next":
            feed(r.next(now) + r.next(self.clock.advance(0.3)))
        elif gesture == "tick" and r.visit is not None and r.current.step.checklist:
            feed(r.tick(now, 0))
        elif gesture in ("next", "back", "release", "undo"):
            feed(getattr(r, gesture)(now))
        elif gesture == "extend" and r.visit is not None and r.current.timed:
            feed(r.extend(now, 10))
        elif gesture.startswith("crash"):
            self.crash(close_out=gesture == "crash_close_out")

    def crash(self, *, close_out: bool) -> None:
        """The app stops; the next one resumes the session or closes it out."""
        stored = self.store.load(self.runner.record.session_id)
        if stored.status != "running":
            return
        if close_out:
            self.store.close_out(stored.session_id, self.runner._iso(self.clock.advance(60)))
            self.closed_out = True
            self.expected.outcome = "interrupted"
            return
        self.clock.advance(30)
        self.runner = SessionRunner.from_record(self.plan, self.clock, stored)
        self.store.save(self.runner.record)

    def end(self, how: str) -> None:
        if self.closed_out:
            return
        r, feed = self.runner, self.feed
        if how == "end":
            feed(r.finish(self.clock.advance(1), "client asked to stop"))
        elif how == "run_out":
            for _ in range(40):
                if r.state == "finished":
                    break
                feed(r.poll(self.clock.advance(31)) + r.next(self.clock.advance(1)))
            feed(r.finish(self.clock.advance(1)))
        elif how == "abandon_before_start":
            feed(r.abandon(self.clock.advance(1)))
        else:
            self.crash(close_out=True)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(gestures=st.lists(GESTURES, max_size=30), ending=ENDINGS, practice=st.booleans())
def test_every_format_holds_what_a_random_session_did(
    tmp_path_factory: pytest.TempPathFactory,
    gestures: list[tuple[str, Any]],
    ending: str,
    practice: bool,
) -> None:
    folder = tmp_path_factory.mktemp("session")
    plan = drill_plan(folder)
    clock = FakeClock()
    with SessionStore.open(folder / "sessions.sqlite3") as store:
        runner = SessionRunner(plan, clock, client_code="C-0042", practice=practice)
        session = EngineSession(plan, clock, store, runner, Expected())
        session.feed(runner.record_pain(clock.advance(5), "pre", 4) + runner.start(clock.advance(5)))
        for gesture, arg in gestures:
            session.act(gesture, arg)
            if session.closed_out or session.runner.state == "finished":
                break
        session.end(ending)
        if ending == "abandon_before_start" and not session.closed_out:
            session.expected.outcome = "abandoned"
        record: SessionRecord = check_every_format(store, runner.record.session_id, folder, session.expected)
        assert record.steps, "the session started its first step"
