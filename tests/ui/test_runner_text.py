"""Every step of every bundled protocol on the runner page, from 1024×600 to 3840×2160, at the
normal text size, 1.5×, 2× and 3× (as much of it as each window holds, see neck_guide.ui.text_fit):
all text whole.

A therapist reads this page from 2 m: a line sliced through the middle cannot be read, so no label
may be shorter than its lines (a FittedLabel shows fewer whole lines and ends in "…" instead), none
may be cut off by what holds it (a scroll area, its parent, the window), and no button may cut its
text, and the countdown's digits stay at least 15% of the window's height. The silent voice puts a
line in the notice bar: the tightest case.

Real window, real store in a temp folder, FakeClock (see window_helpers).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QWidget
from window_helpers import (
    OFFSCREEN_NOISE,
    FakeDecisions,
    WindowOpener,
    button_problems,
    clipped,
    key_a_moment_later,
    label_problems,
    with_text_scale,
)

from neck_guide.engine.clock import FakeClock
from neck_guide.paths import BUNDLED_PROTOCOLS_DIR
from neck_guide.protocol.loader import Catalog
from neck_guide.session.launch import StartChoice
from neck_guide.ui.app import App
from neck_guide.ui.pages.runner import RunnerPage
from neck_guide.ui.widgets.countdown_ring import DIGIT_HEIGHT_OF_DIAMETER
from neck_guide.ui.widgets.fitted_text import ELLIPSIS

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)

SIZES = [(1024, 600), (1280, 800), (1920, 1080), (3840, 2160)]
TEXT_SCALES = [1.0, 1.5, 2.0, 3.0]
RING_DIGITS_OF_HEIGHT = 0.15
# the share of steps that at least show a line of their instructions and their drawing
MOSTLY = {1.0: 0.95, 1.5: 0.7, 2.0: 0.7, 3.0: 0.7}
PROTOCOLS = sorted(p.id for p in Catalog.load(BUNDLED_PROTOCOLS_DIR, None).protocols)


def runner_text_problems(app: App) -> list[str]:
    page: RunnerPage = app.window.runner_page
    QApplication.processEvents()
    problems = []
    roots: list[QWidget] = [page, app.window.notice_box]
    for root in roots:
        for label in root.findChildren(QLabel):
            if label.isVisible() and label.width() > 0:
                problems += label_problems(label)
                problems += [s for s in [clipped(label)] if s]
        for b in root.findChildren(QPushButton):
            if b.isVisible():
                problems += button_problems(b) + [s for s in [clipped(b)] if s]
    return problems


def ring_problems(app: App) -> list[str]:
    page = app.window.runner_page
    if page.timer_stack.currentWidget() is not page.ring:
        return []
    digits = DIGIT_HEIGHT_OF_DIAMETER * min(page.ring.width(), page.ring.height())
    if digits >= RING_DIGITS_OF_HEIGHT * app.window.height():
        return []
    return [f"ring digits {digits:.0f}px in a {app.window.height()}px window"]


def _start(app: App, protocol_id: str) -> None:
    app.window.open_screening(StartChoice(protocol_id, None, False))
    page = app.window.screening_page
    QTest.mouseClick(page.all_no, Qt.MouseButton.LeftButton)
    QTest.mouseClick(page.start, Qt.MouseButton.LeftButton)
    QTest.keyClick(app.window, Qt.Key.Key_Space)


def walks() -> Iterator[pytest.ParameterSet]:
    """Every protocol at every size and text size; a sample runs by default, the rest is ``grid``.

    The sample is each size at each text size once, the protocol taking turns, so every protocol
    is walked at every size and at every text size (16 of 48 walks); ``./dev test -m grid`` walks
    the rest."""
    for i, size in enumerate(SIZES):
        for j, scale in enumerate(TEXT_SCALES):
            for k, protocol_id in enumerate(PROTOCOLS):
                sampled = k == (i + j) % len(PROTOCOLS)
                yield pytest.param(
                    protocol_id,
                    size,
                    scale,
                    marks=() if sampled else (pytest.mark.grid,),
                    id=f"{protocol_id}-{size[0]}x{size[1]}-text{scale}x",
                )


@pytest.mark.parametrize(("protocol_id", "size", "text_scale"), list(walks()))
def test_every_step_shows_only_whole_text(
    open_window: WindowOpener,
    themed: QApplication,
    tmp_path: Path,
    *,
    size: tuple[int, int],
    protocol_id: str,
    text_scale: float,
) -> None:
    home = with_text_scale(tmp_path / "home", text_scale)
    app = open_window(home, FakeClock(), FakeDecisions(), size=size)
    _start(app, protocol_id)
    assert app.window.notice_box.isVisible()  # the tight case: a notice line above the page
    runner = app.model.active
    panel = app.window.runner_page.step_panel
    found: dict[str, list[str]] = {}
    page = app.window.runner_page
    with_instructions = with_drawing = instructions_shown = drawings_shown = 0
    while True:
        step = runner.current
        where = f"{protocol_id} step {runner.index + 1} ({step.technique})"
        problems = runner_text_problems(app) + ring_problems(app)
        if step.kind != "rest" and step.step.instructions:
            with_instructions += 1
            instructions_shown += bool(panel.instructions.shown_lines())
        if step.kind != "rest" and step.step.diagram is not None:
            with_drawing += 1
            drawings_shown += page.diagram.isVisible()
        if step.rating is not None and step.rating.ease_off_at is not None:
            QTest.keyClick(app.window, Qt.Key.Key_9)  # an "Ease off" cue appears in the panel
            problems += runner_text_problems(app) + ring_problems(app)
        if problems:
            found[where] = problems
        for label in (panel.technique, panel.where):  # the title lines are never cut short
            assert label.heightForWidth(label.width()) <= label.height(), (where, label.text())
        if runner.index == len(runner.plan.steps) - 1:
            break
        key_a_moment_later(app)
    assert not found, "\n".join(f"{w}: {'; '.join(p)}" for w, p in found.items())
    print(
        f"{protocol_id} {size[0]}x{size[1]} {text_scale}x: instructions on {instructions_shown} of"
        f" {with_instructions} steps, drawing on {drawings_shown} of {with_drawing}"
    )
    # what gives way to the title lines, the safety banner and the countdown still gets room
    assert instructions_shown >= with_instructions * MOSTLY[text_scale]
    assert drawings_shown >= with_drawing * MOSTLY[text_scale]
    app.model.finish()


def test_long_instructions_end_in_whole_lines_and_an_ellipsis_at_1024x600(
    open_window: WindowOpener, tmp_path: Path
) -> None:
    """The step the review found cut ("Lift the muscle gently between" sliced through): the SCM's
    pinch and roll, under its safety banner."""
    app = open_window(tmp_path / "home", FakeClock(), FakeDecisions(), size=(1024, 600))
    _start(app, "clinical-neck")
    runner = app.model.active
    while not (runner.current.step.safety and runner.current.timed):
        key_a_moment_later(app)
    panel = app.window.runner_page.step_panel
    QApplication.processEvents()
    assert panel.safety.isVisible() and not label_problems(panel.safety)  # the banner whole
    instructions = panel.instructions
    shown = instructions.shown_lines()
    assert shown, "at least a line of the instructions shows beside the banner"
    assert shown[0].startswith("Lift the muscle gently")
    assert not label_problems(instructions)
    if instructions.is_elided():
        assert shown[-1].endswith(ELLIPSIS) and instructions.toolTip() == instructions.text()
    app.model.finish()
