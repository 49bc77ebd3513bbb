"""Open the real window at one scene, for the README screenshots.

    NECK_GUIDE_HOME=$(mktemp -d) ../shared/tools/screenshot docs/screenshots/runner-hold-1280x800.png \\
        --size 1280x800 -- python docs/screenshots/stage.py runner-hold

The window is the one ``neck-guide`` opens (``neck_guide.ui.app.build``, real clock, real voice,
records in $NECK_GUIDE_HOME); this script only presses what a therapist would press to get to the
scene, and for history and recovery first writes a few sessions through the engine and the store.
``make.sh`` beside it takes every scene at 1280x800 and 1024x600.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from neck_guide.engine.clock import FakeClock
from neck_guide.engine.runner import SessionRunner
from neck_guide.paths import BUNDLED_PROTOCOLS_DIR, resolve
from neck_guide.protocol.loader import Catalog
from neck_guide.protocol.plan import expand
from neck_guide.session.body_chart import new_mark
from neck_guide.store import SessionStore
from neck_guide.ui import app as ui_app
from neck_guide.ui.pages.start import StartChoice

Scene = Callable[[ui_app.App], None]
TIME_SCALES = {"summary": 1000.0, "summary-practice": 400.0}  # a whole session in a few seconds


def seed(sessions: list[tuple[int, int]], *, unfinished: int = 0, practice: bool = False) -> None:
    """Write finished sessions (pre, post pain) for client C-0042, and some left running."""
    paths = resolve(None).ensure()
    plan = expand(Catalog.load(BUNDLED_PROTOCOLS_DIR, None).get("clinical-neck"))
    with SessionStore.open(paths.database) as store:
        for n, (pre, post) in enumerate(sessions):
            clock = FakeClock(wall=datetime(2026, 1, 5, 9, 0).astimezone() + timedelta(weeks=n))
            runner = SessionRunner(plan, clock, client_code="C-0042", practice=practice)
            runner.begin(clock.monotonic())
            runner.record_pain(clock.monotonic(), "pre", pre)
            runner.start(clock.monotonic())
            for step in range(12):
                if step >= 8:
                    runner.rate(clock.monotonic(), "pressure", 3 + (step + n) % 4)
                clock.advance(30)
                runner.next(clock.monotonic())
            if n < len(sessions) - unfinished:
                runner.finish(clock.monotonic())
                runner.record_pain(clock.monotonic(), "post", post)
                runner.set_notes(
                    clock.monotonic(), "Turning left easier; keep the pressure at 4-5 on the SCM."
                )
            store.save(runner.record)


def act(app: ui_app.App, *actions: str) -> None:
    """What the keys do (the window may not be active yet on a bare X screen, so no key events)."""
    for action in actions:
        app.window.runner_page.act(action)


def rate(app: ui_app.App, value: int) -> None:
    app.window.runner_page.rate_from_key(value)


def to_runner(app: ui_app.App, protocol: str = "clinical-neck", practice: bool = False) -> None:
    app.window.open_screening(StartChoice(protocol, "C-0042", practice))
    page = app.window.screening_page
    page.all_no.click()
    page.pre_pain.button_for(6).click()
    page.start.click()


def forward_to(app: ui_app.App, test: Callable[[], bool]) -> None:
    act(app, "start_pause")
    while not test():
        act(app, "next")


def runner_at(kind: str) -> Scene:
    def scene(app: ui_app.App) -> None:
        to_runner(app)
        forward_to(app, lambda: app.model.active.current.kind == kind)
        if kind == "range":
            rate(app, 5)

    return scene


def runner_safety(app: ui_app.App) -> None:
    to_runner(app)
    forward_to(app, lambda: bool(app.model.active.current.step.safety) and app.model.active.current.timed)
    rate(app, 4)


def runner_untimed(app: ui_app.App) -> None:
    to_runner(app)
    act(app, "start_pause")


def screening(app: ui_app.App) -> None:
    app.window.open_screening(StartChoice("clinical-neck", "C-0042", False))
    page = app.window.screening_page
    page.questions[0].yes.click()
    page.questions[0].reason.setText("Only on standing up quickly; seen by her GP last week")
    page.all_no.click()
    page.pre_pain.button_for(6).click()


def autopilot(app: ui_app.App, on_step: Callable[[], None], done: Callable[[], None]) -> None:
    """Run the session at the app's time scale: untimed steps are moved on, the rest auto-advance."""
    timer = QTimer(app.window)

    def tick() -> None:
        runner = app.model.active
        if runner.state == "finished":
            timer.stop()
            done()
            return
        on_step()
        if not runner.current.timed:
            act(app, "next")

    timer.timeout.connect(tick)
    timer.start(40)


def summary(app: ui_app.App) -> None:
    to_runner(app)
    act(app, "start_pause")
    rated: set[int] = set()

    def on_step() -> None:
        step = app.model.active.current
        if step.step.rating and step.kind != "rest" and step.index not in rated:
            rated.add(step.index)
            rate(app, 4 + step.index % 3)

    def done() -> None:
        page = app.window.summary_page
        page.post_pain.button_for(3).click()
        page.notes.setPlainText("Upper trapezius eased after the second hold. Turning left is freer.")

    autopilot(app, on_step, done)


def summary_practice(app: ui_app.App) -> None:
    to_runner(app, "trigger-point", practice=True)
    holds = iter([20.0, 45.0, 60.0, 130.0])  # protocol seconds to hold each range hold
    release_at: list[float] = []

    def on_step() -> None:
        runner = app.model.active
        now = app.model.now()
        if runner.current.kind != "range":
            release_at.clear()
            return
        if not release_at:
            held = next(holds, None)
            if held is None:
                app.model.finish()
                return
            if held > (runner.current.max_s or 0):
                app.model.extend(held - (runner.current.max_s or 0))
            release_at.append(now + held / runner.time_scale)
        elif now >= release_at[0]:
            release_at.clear()
            act(app, "release")

    act(app, "start_pause")
    autopilot(app, on_step, lambda: None)


def client_mode(answers: int, activity: str = "") -> Scene:
    """The tablet handed to client C-0042: ``answers`` NDI sections answered; with ``activity``, on
    to the PSFS's first activity with that name typed."""

    def scene(app: ui_app.App) -> None:
        app.window.start_page.client_code.setText("C-0042")
        app.window.start_page.questionnaires.click()
        page = app.window.outcomes.page
        assert page is not None
        page.forward.click()
        for n in range(answers):
            assert page.answers is not None
            page.answers.buttons[(1, 2, 2, 1, 0, 2, 3, 1, 2, 1)[n]].click()
        if activity:
            page.forward.click()
            assert page.name_edit is not None
            page.name_edit.setText(activity)

    return scene


def seed_marks() -> None:
    """Client C-0042's sessions of four and two weeks ago, each with body marks."""
    paths = resolve(None).ensure()
    plan = expand(Catalog.load(BUNDLED_PROTOCOLS_DIR, None).get("clinical-neck"))
    marks = (
        [("posterior", 178, 172, 7, "local"), ("posterior", 142, 226, 6, "local"),
         ("posterior", 168, 80, 5, "referred")],
        [("posterior", 178, 174, 4, "local"), ("posterior", 146, 228, 3, "local")],
    )  # fmt: skip
    with SessionStore.open(paths.database) as store:
        for n, chart in enumerate(marks):
            clock = FakeClock(wall=datetime.now().astimezone() - timedelta(weeks=4 - 2 * n))
            runner = SessionRunner(plan, clock, client_code="C-0042")
            runner.begin(clock.advance(1))
            for view, x, y, intensity, pattern in chart:
                mark = new_mark(view, x, y, intensity, pattern)  # type: ignore[arg-type]
                assert mark is not None
                runner.mark_body(clock.advance(5), mark)
            runner.finish(clock.advance(60))
            store.save(runner.record)


def seed_outcomes() -> None:
    """Client C-0042's questionnaires at intake and every four weeks (NDI, PSFS, pain falling)."""
    from neck_guide.paths import BUNDLED_QUESTIONNAIRES_DIR
    from neck_guide.questionnaire.loader import QuestionnaireCatalog
    from neck_guide.questionnaire.response import Answer, ResponseRecord
    from neck_guide.questionnaire.scoring import score

    catalog = QuestionnaireCatalog.load(BUNDLED_QUESTIONNAIRES_DIR, None)
    fillings = {
        "ndi": ([3, 3, 2, 2, 3, 2, 3, 2, 2, 2], [2, 2, 2, 1, 2, 2, 2, 1, 1, 2],
                [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]),
        "psfs": ([3, 2, None, None, None], [5, 4, None, None, None], [7, 6, None, None, None]),
        "pain": ([7], [5], [3]),
    }  # fmt: skip
    paths = resolve(None).ensure()
    with SessionStore.open(paths.database) as store:
        for qid, rounds in fillings.items():
            q = catalog.get(qid)
            for n, values in enumerate(rounds):
                day = datetime(2026, 1, 5, 9, 0).astimezone() + timedelta(weeks=4 * n)
                record = ResponseRecord.begin(q, f"{qid}-{n}", "C-0042", "scheduled", day.isoformat())
                for item, value in zip(q.items, values, strict=True):
                    name = "Checking over my shoulder" if item.id == "activity_1" else "Reading"
                    named = name if item.kind == "activity" and value is not None else ""
                    record.answers.append(Answer(item.id, value, day.isoformat(), named))
                record.status, record.completed_at = "completed", day.isoformat()
                record.set_score(score(q, record.values()))
                store.save_response(record)


def body_map(app: ui_app.App) -> None:
    app.window.open_screening(StartChoice("clinical-neck", "C-0042", False))
    app.window.screening_page.body_map.click()
    flow = app.window.body_map
    for view, x, y, intensity, pattern in (
        ("posterior", 176, 170, 3, "local"),
        ("posterior", 240, 168, 2, "local"),
    ):
        mark = new_mark(view, x, y, intensity, pattern)  # type: ignore[arg-type]
        assert mark is not None and flow.page is not None
        flow.page.mark_made.emit(mark)


def progress(app: ui_app.App) -> None:
    """The client's history scrolled to the progress on the outcome measures."""
    app.window.open_history("C-0042")
    page = app.window.history_page

    def scroll() -> None:
        bar = page.progress_title.parentWidget()
        area = bar.parentWidget().parentWidget() if bar is not None else None  # the ScrollColumn
        from PySide6.QtWidgets import QScrollArea

        if isinstance(area, QScrollArea):
            area.ensureWidgetVisible(page.trends[-1], 0, 0)
            area.ensureWidgetVisible(page.progress_title, 0, 0)

    QTimer.singleShot(300, scroll)


def start_problem(app: ui_app.App) -> None:
    app.window.start_page.problems_button.click()


SCENES: dict[str, Scene] = {
    "start": lambda app: None,
    "start-problem": start_problem,
    "start-client": lambda app: app.window.start_page.client_code.setText("C-0042"),
    "client-question": client_mode(2),
    "body-map": body_map,
    "client-activity": client_mode(10, "Checking over my shoulder when driving"),
    "screening": screening,
    "runner-untimed": runner_untimed,
    "runner-hold": runner_at("range"),
    "runner-safety": runner_safety,
    "runner-breathing": runner_at("breathing"),
    "summary": summary,
    "summary-practice": summary_practice,
    "history": lambda app: app.window.open_history("C-0042"),
    "progress": progress,
    "settings": lambda app: app.window.open_settings(),
    "recovery": lambda app: None,
}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("scene", choices=sorted(SCENES))
    scene = parser.parse_args().scene
    if scene in ("history", "progress"):
        seed([(7, 4), (6, 4), (6, 3), (5, 2), (4, 2)])
    if scene == "progress":
        seed_outcomes()
    if scene == "body-map":
        seed_marks()
    if scene == "recovery":
        seed([(6, 3), (5, 3)], unfinished=2)
    if scene == "start-problem":
        user = resolve(None).ensure().user_protocols
        user.mkdir(exist_ok=True)
        (user / "my-protocol.toml").write_text(
            'schema_version = 1\nid = "mine"\ntitle = \n', encoding="utf-8"
        )
    args = argparse.Namespace(
        data_dir=os.environ.get("NECK_GUIDE_HOME"),
        time_scale=TIME_SCALES.get(scene, 1.0),
        protocol_id=None,
        client=None,
        practice=False,
    )
    app = ui_app.build(args)
    app.model.set_guard_s(0.0)  # scenes step through by code, faster than the mis-tap window
    qapp = QApplication.instance()
    assert isinstance(qapp, QApplication)
    ui_app.place(app.window)
    app.window.show()

    def stage() -> None:
        ui_app.after_show(app)
        SCENES[scene](app)

    QTimer.singleShot(0, stage)
    try:
        return qapp.exec()
    finally:
        app.close()


if __name__ == "__main__":
    raise SystemExit(main())
