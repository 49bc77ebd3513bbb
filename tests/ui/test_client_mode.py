"""The client fills in the questionnaires on the real window: taps and keys, back and change, skips,
the tablet handed back; every answer in the records file as given, linked to the session after."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QPushButton, QWidget
from window_helpers import OFFSCREEN_NOISE, FakeDecisions, WindowOpener, clipped, text_problems

from neck_guide.engine.clock import FakeClock
from neck_guide.store import SessionStore
from neck_guide.ui.app import App
from neck_guide.ui.pages.client_mode import ClientModePage

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)


def tap(widget: QPushButton, clock: FakeClock, seconds: float = 3.0) -> None:
    clock.advance(seconds)  # a person takes a moment to read
    assert widget.isVisible() and widget.isEnabled(), widget.text()
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton)


def key(app: App, k: Qt.Key, clock: FakeClock) -> None:
    """A key pressed where the focus is on the client's screen (as a keyboard at the tablet would)."""
    clock.advance(2)
    page = app.window.outcomes.page
    assert page is not None
    QTest.keyClick(QApplication.focusWidget() or page, k)


def _hand_over(app: App, code: str) -> ClientModePage:
    start = app.window.start_page
    QTest.keyClicks(start.client_code, code)
    QTest.mouseClick(start.questionnaires, Qt.MouseButton.LeftButton)
    page = app.window.outcomes.page
    assert page is not None and app.window.current_page() is page
    return page


def test_a_client_fills_every_questionnaire_by_taps_and_keys(
    open_window: WindowOpener, tmp_path: Path
) -> None:
    clock = FakeClock()
    app = open_window(tmp_path, clock)
    start = app.window.start_page
    QTest.keyClicks(start.client_code, "c-0042")
    assert start.due.text() == "Intake questionnaires due: NDI, PSFS and Pain."
    page = _hand_over(app, "")
    assert not app.window.top_bar.isVisible()  # the whole screen is the client's
    assert not any(a.isEnabled() for a in app.window.bindings.actions.values())  # the therapist's keys off
    assert page.progress.text() == "Neck Disability Index"
    taps = 0
    tap(page.forward, clock)  # Start
    taps += 1
    for n, value in enumerate((3, 2, 2, 1, 2, 2, 2, None, 2, 2)):
        assert page.progress.text() == f"Neck Disability Index  ·  question {n + 1} of 10"
        assert page.answers is not None and len(page.answers.buttons) == 6
        if value is None:
            tap(page.skip, clock)  # driving: the client does not drive
        else:
            tap(page.answers.buttons[value], clock)
        taps += 1
    assert taps == 11  # the NDI: one tap to begin, one per section
    # Back from the PSFS's introduction to the last NDI section, and change it with a key
    key(app, Qt.Key.Key_Backspace, clock)
    assert page.answers is not None and page.answers.buttons[2].isChecked()
    key(app, Qt.Key.Key_2, clock)  # the second answer: 1 point
    assert page.progress.text() == "Patient-Specific Functional Scale"
    key(app, Qt.Key.Key_Return, clock)  # Start, by key
    assert page.name_edit is not None and page.name_edit.hasFocus()
    assert page.rating is not None and not page.rating.buttons[4].isEnabled()  # no name, no rating
    QTest.keyClicks(page.name_edit, "Reversing the car")
    key(app, Qt.Key.Key_Return, clock)  # on to the rating
    key(app, Qt.Key.Key_4, clock)
    assert page.name_edit is not None and page.name_edit.text() == ""
    tap(page.skip, clock)  # "No more activities"
    assert page.skip.text() != "No more activities" or page.progress.text() == "Pain rating"
    tap(page.forward, clock)  # the pain rating's Start
    assert page.rating is not None and page.rating.low_words.text() == "No pain"
    tap(page.rating.buttons[3], clock)
    assert page.progress.text() == "" and not page.back.isVisible()  # the thanks: hand it back
    tap(page.forward, clock)  # Done
    assert app.window.current_page() is start and app.window.top_bar.isVisible()
    assert all(a.isEnabled() for a in app.window.bindings.actions.values())
    assert start.due.text().startswith("Questionnaires filled today; next due 02 Feb 2026 (every 4 weeks)")

    app.journal.flush(10)
    with SessionStore.open(app.paths.database) as store:
        ndi, psfs, pain = store.responses(client="C-0042")
    assert (ndi.status, ndi.occasion, ndi.answered) == ("completed", "intake", 9)
    assert (ndi.total, ndi.percent) == (18.9, 37.8)  # 17 points of a possible 45
    assert [(a.item_id, a.value) for a in ndi.answers][-1] == ("recreation", 1)  # the change, a later entry
    assert len(ndi.answers) == 11 and ndi.values()["recreation"] == 1 and ndi.values()["driving"] is None
    assert (psfs.total, psfs.answers[0].name) == (4.0, "Reversing the car")
    assert pain.total == 3.0 and pain.session_id is None
    assert ndi.answers[0].at < ndi.answers[1].at  # each at its own time


def test_the_responses_join_the_session_started_next_for_the_client(
    open_window: WindowOpener, tmp_path: Path
) -> None:
    clock = FakeClock()
    app = open_window(tmp_path, clock)
    page = _hand_over(app, "C-7")
    tap(page.forward, clock)
    for _ in range(10):
        assert page.answers is not None
        tap(page.answers.buttons[1], clock)
    page.stop.click()  # the therapist takes the tablet back before the PSFS
    assert app.window.current_page() is app.window.start_page
    start = app.window.start_page
    start.choose("self-care")
    QTest.mouseClick(start.continue_button, Qt.MouseButton.LeftButton)
    screening = app.window.screening_page
    screening.all_no.click()
    screening.start.click()
    runner = app.model.runner
    assert runner is not None
    app.journal.flush(10)
    with SessionStore.open(app.paths.database) as store:
        (ndi,) = store.responses(client="C-7")
        assert store.responses(session_id=runner.record.session_id) == [ndi]
    assert (ndi.status, ndi.total) == ("completed", 10.0)


def test_stopping_keeps_the_answers_given(open_window: WindowOpener, tmp_path: Path) -> None:
    clock = FakeClock()
    decisions = FakeDecisions()
    app = open_window(tmp_path, clock, decisions)
    page = _hand_over(app, "C-8")
    tap(page.forward, clock)
    assert page.answers is not None
    tap(page.answers.buttons[4], clock)
    decisions.confirm_answer = False
    page.stop.click()
    assert app.window.current_page() is page  # "Go on"
    decisions.confirm_answer = True
    page.stop.click()
    assert decisions.asked == ["Stop the questionnaires?", "Stop the questionnaires?"]
    app.journal.flush(10)
    with SessionStore.open(app.paths.database) as store:
        (ndi,) = store.responses(client="C-8")
    assert (ndi.status, ndi.total, ndi.values()) == ("stopped", None, {"pain_intensity": 4})
    assert app.window.start_page.due.text() == "Intake questionnaires due: NDI, PSFS and Pain."


@pytest.mark.parametrize("size", [(1280, 800), (1024, 600)])
def test_every_client_screen_shows_whole(
    open_window: WindowOpener, tmp_path: Path, size: tuple[int, int]
) -> None:
    """Every label, button and field of every screen shows its text whole; the buttons that move
    on are always in view (the question and its answers scroll when the window is short)."""
    clock = FakeClock()
    app = open_window(tmp_path, clock, size=size)
    page = _hand_over(app, "C-9")
    problems: list[str] = []
    screens = 0
    while True:
        screens += 1
        QTest.qWait(0)
        for widget in page.findChildren(QWidget):
            if widget.isVisible():
                problems += [f"{page.progress.text()}: {p}" for p in (text_problems(widget) or [])]
        problems += [
            cut
            for b in (page.back, page.skip, page.forward, page.stop)
            if b.isVisible() and (cut := clipped(b))
        ]
        if page.filling is None or page.filling.finished:
            break
        if page.answers is not None:
            tap(page.answers.buttons[0], clock)
        elif page.name_edit is not None:
            tap(page.skip, clock)
        elif page.rating is not None:
            tap(page.rating.buttons[5], clock)
        else:
            tap(page.forward, clock)
    assert screens == 16  # 3 introductions, 10 NDI sections, 1 activity, the pain, the thanks
    assert problems == []
