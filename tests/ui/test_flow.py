"""A whole session through the real window: start, screening, every step, summary, records.

The bundled clinical-neck protocol is run step by step with a FakeClock (the one thing faked
besides the silent voice): keys and clicks on the real widgets, auto-advance and manual
next/back/release/extend/pause, ratings by tap and by key. Then the SQLite file is opened
through SessionStore and compared with what the therapist did.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from window_helpers import OFFSCREEN_NOISE, FakeDecisions, WindowOpener

from neck_guide.engine.clock import FakeClock
from neck_guide.engine.record import SessionRecord
from neck_guide.session.exports import FORMATS
from neck_guide.store import SessionStore
from neck_guide.ui.app import App
from neck_guide.ui.pages.runner import RunnerPage
from neck_guide.ui.pages.summary import SummaryPage

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)

REASON = "Dizziness only when standing up fast; cleared by her GP last week"
NOTES = "Felt looser on the left."


@dataclass
class Driver:
    """Works the runner page like a therapist, and writes down what the record should show."""

    app: App
    qtbot: QtBot
    clock: FakeClock
    reasons: list[tuple[int, str]] = field(default_factory=list)  # (plan index, end reason) per visit
    ratings: list[tuple[int, str, int, bool]] = field(default_factory=list)  # (index, kind, value, ease off)

    @property
    def page(self) -> RunnerPage:
        return self.app.window.runner_page

    @property
    def index(self) -> int:
        runner = self.app.model.runner
        assert runner is not None
        return runner.index

    @property
    def state(self) -> str:
        return self.app.model.state

    def key(self, key: Qt.Key) -> None:
        QTest.keyClick(self.app.window, key)

    def control(self, name: str) -> None:
        QTest.mouseClick(self.page.controls.buttons[name], Qt.MouseButton.LeftButton)

    def advance(self, seconds: float) -> None:
        self.clock.advance(seconds)
        self.app.model.poll()

    def remaining(self) -> float:
        runner = self.app.model.runner
        assert runner is not None
        left = runner.remaining(self.clock.monotonic())
        assert left is not None
        return left

    def finish_step(self, reason: str = "completed") -> None:
        """Let a timed step run out (auto-advance takes it on)."""
        index = self.index
        self.advance(self.remaining())
        self.reasons.append((index, reason))

    def moved_on(self, press: Callable[[], None]) -> None:
        """Next by key or button, a moment after the step began (a press within the mis-tap window
        of the step's start is ignored); writes down how the step ended."""
        runner = self.app.model.active
        self.advance(1)
        index, left = self.index, runner.remaining(self.clock.monotonic())
        press()
        self.reasons.append((index, "completed" if not left else "ended_early"))

    def tap_rating(self, value: int, ease_off: bool = False) -> None:
        QTest.mouseClick(self.page.rating_pad.buttons[value - 1], Qt.MouseButton.LeftButton)
        self.ratings.append((self.index, "pressure", value, ease_off))


def test_a_whole_protocol_through_the_window(qtbot: QtBot, open_window: WindowOpener, tmp_path: Path) -> None:
    clock = FakeClock()
    decisions = FakeDecisions(path=tmp_path / "session.json")
    app = open_window(tmp_path / "home", clock, decisions)
    _start_page(app, qtbot)
    _screening(app, qtbot)
    driver = Driver(app, qtbot, clock)
    _run_every_step(driver)
    live = _summary(app, qtbot, decisions)
    app.close()

    with SessionStore.open(app.paths.database) as store:
        stored = store.load(live.session_id)
    assert stored.to_dict() == live.to_dict()  # the journal kept every event, in order
    assert stored.status == "finished"
    assert (stored.client_code, stored.practice, stored.protocol_id) == ("C-0042", False, "clinical-neck")
    assert [(a.item_id, a.answer, a.acknowledged) for a in stored.screening[:4]] == [
        ("dizziness", True, True),
        ("numbness", False, False),
        ("arm-pain", False, False),
        ("headache-change", False, False),
    ]
    assert not any(a.answer for a in stored.screening[1:])
    assert stored.screening[0].reason == REASON
    assert (stored.pre_pain, stored.post_pain, stored.notes) == (6, 2, NOTES)
    assert [(s.index, s.end_reason) for s in stored.steps] == driver.reasons
    assert [(s.index, r.kind, r.value, r.ease_off) for s in stored.steps for r in s.ratings] == driver.ratings
    extended = [s for s in stored.steps if s.extended_s]
    assert [(s.key, s.extended_s) for s in extended] == [("upper-trap-hold-left-r2", 10.0)]


def _start_page(app: App, qtbot: QtBot) -> None:
    page = app.window.start_page
    assert app.window.current_page() is page
    assert not page.continue_button.isEnabled()  # nothing chosen yet
    QTest.mouseClick(page.cards["clinical-neck"], Qt.MouseButton.LeftButton)
    QTest.keyClicks(page.client_code, "Jane Doe")
    assert not page.continue_button.isEnabled()  # a name is refused
    assert page.code_problem.isVisible()
    page.client_code.clear()
    QTest.keyClicks(page.client_code, "C-0042")
    assert page.continue_button.isEnabled()
    QTest.mouseClick(page.continue_button, Qt.MouseButton.LeftButton)


def _screening(app: App, qtbot: QtBot) -> None:
    page = app.window.screening_page
    assert app.window.current_page() is page
    first = page.questions[0]
    QTest.mouseClick(first.yes, Qt.MouseButton.LeftButton)
    QTest.mouseClick(page.all_no, Qt.MouseButton.LeftButton)  # the rest: no
    assert [q.answer() for q in page.questions] == [True] + [False] * (len(page.questions) - 1)
    assert first.ack_panel.isVisible()
    assert not page.start.isEnabled()  # a red flag blocks the start...
    first.acknowledge.setChecked(True)
    assert not page.start.isEnabled()  # ...until acknowledged with a reason
    QTest.keyClicks(first.reason, REASON)
    assert page.start.isEnabled()
    QTest.mouseClick(page.pre_pain.button_for(6), Qt.MouseButton.LeftButton)
    QTest.mouseClick(page.start, Qt.MouseButton.LeftButton)
    assert app.window.current_page() is app.window.runner_page
    assert app.model.state == "ready"


def _run_every_step(d: Driver) -> None:
    page = d.page
    d.key(Qt.Key.Key_Space)  # start the first step
    assert d.state == "running"
    for key in (Qt.Key.Key_Right, Qt.Key.Key_PageDown):  # untimed steps: move on by key...
        d.moved_on(lambda k=key: d.key(k))  # type: ignore[misc]
    assert d.index == 2
    assert page.step_panel.safety.isVisible()  # the red flag check carries a safety note
    for _ in range(2):  # ...and by the Next button
        d.moved_on(lambda: d.control("next"))
    d.moved_on(lambda: d.key(Qt.Key.Key_Right))
    assert d.reasons[-1][0] == 4
    _warm_up_and_pause(d)
    _back_and_ratings(d)
    _holds(d)
    _the_rest(d)


def _warm_up_and_pause(d: Driver) -> None:
    page = d.page
    assert (d.index, d.page.ring.display_text()[0]) == (5, "60")
    assert not page.next_line.emphasised
    d.advance(56)
    assert page.next_line.emphasised  # the last 5 s point at what comes next
    assert page.next_line.text().startswith("Next: ")
    d.finish_step()  # auto-advance
    assert d.index == 6
    d.advance(30)
    d.key(Qt.Key.Key_Space)  # Space pauses a step that is not a hold
    assert d.state == "paused"
    left = d.remaining()
    d.advance(40)
    assert d.remaining() == pytest.approx(left)  # the paused clock stands still
    assert page.ring.display_text()[1] == "PAUSED"
    d.control("start_pause")
    assert d.state == "running"
    d.finish_step()


def _back_and_ratings(d: Driver) -> None:
    page = d.page
    assert d.index == 7
    d.advance(10)
    d.control("back")
    d.reasons.append((7, "back"))
    assert d.index == 6
    d.moved_on(lambda: d.control("next"))
    assert d.reasons[-1] == (6, "ended_early")
    d.finish_step()  # 7, its second visit
    assert d.index == 8  # light compression: pressure, ease off above 4
    assert page.rating_pad.ask_label.text() == "Pressure"
    d.tap_rating(3)
    assert page.rating_pad.value() == 3
    d.key(Qt.Key.Key_0)  # 0 is 10
    d.ratings.append((8, "pressure", 10, True))
    assert page.rating_pad.is_flashing()  # ease off!
    assert "Ease off" in page.step_panel.cue.text()
    d.finish_step()
    while d.index < 15:
        if d.index in (9, 11):
            assert page.step_panel.safety.isVisible()  # the SCM's anterior neck zone
            highlight = page.diagram.highlight()
            assert highlight is not None and "anterior_neck" in highlight.safety_zones
        d.key(Qt.Key.Key_4)
        d.ratings.append((d.index, "pressure", 4, d.index == 8))
        d.finish_step()


def _holds(d: Driver) -> None:
    page = d.page
    assert (d.index, page.ring.display_text()[1]) == (15, "min 10 · max 20")
    d.advance(12)
    assert "Minimum reached" in page.step_panel.cue.text()
    assert page.controls.buttons["start_pause"].key == "Space"  # Space pauses a hold, never releases it
    d.key(Qt.Key.Key_Space)
    assert (d.state, d.index) == ("paused", 15)
    d.key(Qt.Key.Key_Space)
    d.control("release")
    d.reasons.append((15, "released"))
    assert d.index == 16  # the rest between repetitions
    d.key(Qt.Key.Key_5)  # rated during the rest: goes to the hold just done
    d.ratings.append((15, "pressure", 5, False))
    d.finish_step()
    d.advance(15)
    d.control("extend")
    assert d.remaining() == pytest.approx(15)  # 5 s left + 10 s
    d.tap_rating(6)
    d.finish_step()  # 17, extended, completed
    d.finish_step()  # 18 rest
    QTest.mouseClick(page.auto_advance, Qt.MouseButton.LeftButton)
    assert not d.app.model.auto_advance
    d.advance(20)
    assert d.state == "overtime"  # no auto-advance: it waits
    assert page.controls.buttons["start_pause"].text() == "Pause"  # Space still pauses; Next moves on
    assert page.controls.buttons["next"].property("role") == "primary"
    d.key(Qt.Key.Key_Right)
    d.reasons.append((19, "completed"))
    QTest.mouseClick(page.auto_advance, Qt.MouseButton.LeftButton)
    assert d.app.model.auto_advance


def _the_rest(d: Driver) -> None:
    page = d.page
    while d.state != "finished":
        step = d.app.model.active.current
        if step.kind == "breathing":
            assert page.timer_stack.currentIndex() == 1
            d.advance(1)
            assert page.pacer.word() == "Breathe in"
        asked = step.rating.ask if step.rating else ()
        if asked and step.index % 2 == 0:
            value = 2
            QTest.keyClick(d.app.window, Qt.Key.Key_2)
            limit = step.rating.ease_off_at if step.rating else None
            d.ratings.append((step.index, asked[0], value, limit is not None and value > limit))
        d.finish_step()
    assert d.reasons[-1][0] == len(d.app.model.active.plan.steps) - 1


def _summary(app: App, qtbot: QtBot, decisions: FakeDecisions) -> SessionRecord:
    page = app.window.summary_page
    assert isinstance(page, SummaryPage)
    assert app.window.current_page() is page
    assert "Drink plenty of water" in page.aftercare.text()
    assert not page.practice.isVisible()  # a treatment session has no practice score
    QTest.mouseClick(page.post_pain.button_for(2), Qt.MouseButton.LeftButton)
    QTest.keyClicks(page.notes, NOTES)
    assert [b.text() for b in page.export_buttons.values()] == [f.title for f in FORMATS.values()]
    QTest.mouseClick(page.export_buttons["json"], Qt.MouseButton.LeftButton)  # saves the notes first
    exported = json.loads((decisions.path or Path()).read_text(encoding="utf-8"))
    runner = app.model.active
    assert f"Wrote 1 session to {decisions.path}" in page.facts.text()
    assert runner.record.session_id in json.dumps(exported)
    assert NOTES in json.dumps(exported)
    live = SessionRecord.from_dict(runner.record.to_dict())
    QTest.mouseClick(page.history, Qt.MouseButton.LeftButton)
    history = app.window.history_page
    assert app.window.current_page() is history
    assert history.treatments.count() == 1
    assert "pain 6 → 2" in history.treatments.item(0).text()
    assert history.pain_chart.series == {"Before": [(1.0, 6.0)], "After": [(1.0, 2.0)]}
    return live


def test_practice_mode_scores_the_holds_and_is_flagged(
    qtbot: QtBot, open_window: WindowOpener, tmp_path: Path
) -> None:
    clock = FakeClock()
    app = open_window(tmp_path / "home", clock, FakeDecisions(), protocol_id="trigger-point", practice=True)
    screening = app.window.screening_page
    assert app.window.current_page() is screening  # `neck-guide run trigger-point --practice`
    assert "practice" in screening.subtitle.text()
    QTest.mouseClick(screening.all_no, Qt.MouseButton.LeftButton)
    QTest.mouseClick(screening.start, Qt.MouseButton.LeftButton)
    d = Driver(app, qtbot, clock)
    d.key(Qt.Key.Key_Space)
    while d.app.model.active.current.kind == "untimed":
        d.moved_on(lambda: d.key(Qt.Key.Key_Right))
    d.finish_step()  # a fixed hold run to its end: in range
    for held_s in (20, 45):  # range holds of 30-120 s: released early, then in range
        d.advance(held_s)
        d.control("release")
    QTest.mouseClick(d.page.end, Qt.MouseButton.LeftButton)  # confirmed by the fake
    summary = app.window.summary_page
    assert app.window.current_page() is summary
    assert summary.practice.isVisible()
    assert "Practice score: 2 of 3 holds in range" in summary.practice.text()
    assert "released early by 10.0 s" in summary.practice.text()
    session_id = app.model.active.record.session_id
    app.close()
    with SessionStore.open(app.paths.database) as store:
        stored = store.load(session_id)
        assert [s.session_id for s in store.sessions(practice=True)] == [session_id]
    assert stored.practice
    reasons = [s.end_reason for s in stored.steps[-4:]]
    assert reasons == ["completed", "released", "released", "session_ended"]  # the last one cut by End
    assert [s.actual_s for s in stored.steps[-3:-1]] == [20.0, 45.0]
