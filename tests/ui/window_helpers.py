"""Building the real window for UI tests: real store in a temp folder, a fake clock, a silent voice.

Only time is faked (FakeClock) and the voice is the voice module's silent player (no speech
engine, no audio). Dialogs are answered by :class:`FakeDecisions`.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QFontMetrics, QFontMetricsF
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyle,
    QStyleOptionComboBox,
    QStyleOptionFrame,
    QTabBar,
    QWidget,
)
from pytestqt.qtbot import QtBot

from neck_guide.engine.clock import Clock, FakeClock
from neck_guide.paths import Paths
from neck_guide.session.launch import LaunchOptions
from neck_guide.settings import Settings, load_settings
from neck_guide.ui.app import App, after_show, build
from neck_guide.ui.theme import MIN_TOUCH_PX
from neck_guide.ui.widgets.fitted_text import ELLIPSIS, FittedLabel
from neck_guide.ui.widgets.runner_parts import KeyButton
from neck_guide.voice.playback.controller import VoiceController
from neck_guide.voice.playback.player import VoicePlayer

# The offscreen platform warns when a window with size limits is shown; it says nothing about us.
OFFSCREEN_NOISE = r"This plugin does not support propagateSizeHints"

# What a hands-on protocol file must screen (neck_guide.protocol.safety), for test protocols
SCREENING_TOML = """
[[screening]]
id = "red-flags"
kind = "red_flag"
findings = ["dizziness", "numbness", "arm-pain", "headache-change"]
question = "Dizziness, numbness, arm pain or changed headaches?"
action = "Refer to a clinician."

[[screening]]
id = "not-today"
kind = "contraindication"
response = "defer"
findings = ["acute-injury", "skin-infection", "osteoporosis"]
question = "A fresh injury, a skin infection or fragile bones?"
action = "Put the session off."

[[screening]]
id = "needs-clearance"
kind = "contraindication"
response = "clearance"
findings = ["blood-clots", "recent-surgery"]
question = "Blood thinners or recent surgery?"
action = "Start only with a clearance."
"""


@dataclass
class FakeDecisions:
    """Answers the window's questions as a test says, and remembers what was asked."""

    confirm_answer: bool = True
    path: Path | None = None
    asked: list[str] = field(default_factory=list)
    informed: list[str] = field(default_factory=list)

    def confirm(self, title: str, text: str, *, yes: str = "Yes", no: str = "Cancel") -> bool:
        self.asked.append(title)
        return self.confirm_answer

    def ask_path(self, title: str, suggested: Path, name_filter: str) -> Path | None:
        self.asked.append(title)
        return self.path

    def inform(self, title: str, text: str) -> None:
        self.informed.append(f"{title}: {text}")


def silent_voice(clock: FakeClock) -> object:
    def make(paths: Paths, settings: Settings, _clock: Clock) -> VoiceController:
        return VoiceController(VoicePlayer(None, clock=clock, sounds={}), settings, clock)

    return make


def open_app(
    qtbot: QtBot,
    data_dir: Path,
    clock: FakeClock,
    decisions: FakeDecisions,
    *,
    size: tuple[int, int] = (1280, 800),
    protocol_id: str | None = None,
    client: str | None = None,
    practice: bool = False,
    time_scale: float = 1.0,
) -> App:
    """The whole app as ``neck-guide`` builds it, shown at ``size``. Tests open it through the
    ``open_window`` fixture (tests/conftest.py), which closes it."""
    options = LaunchOptions(data_dir, time_scale, protocol_id, client, practice)
    app = build(options, clock=clock, make_voice=silent_voice(clock), decisions=decisions)  # type: ignore[arg-type]
    qtbot.addWidget(app.window)
    app.window.resize(*size)
    app.window.show()
    app.window.activateWindow()
    qtbot.waitExposed(app.window)
    qtbot.waitUntil(app.window.isActiveWindow)
    after_show(app)
    return app


class WindowOpener(Protocol):
    """The ``open_window`` fixture: opens the app like :func:`open_app` (no qtbot to pass)."""

    def __call__(
        self,
        data_dir: Path,
        clock: FakeClock | None = None,
        decisions: FakeDecisions | None = None,
        *,
        size: tuple[int, int] = (1280, 800),
        protocol_id: str | None = None,
        client: str | None = None,
        practice: bool = False,
        time_scale: float = 1.0,
    ) -> App: ...


def key_a_moment_later(app: App, key: Qt.Key = Qt.Key.Key_Right, seconds: float = 1.0) -> None:
    """Press ``key`` a moment after whatever came before: past the mis-tap window, inside which a
    repeat of Next or Back is ignored (as a person at the table would, never in the same instant)."""
    clock = app.model.clock
    assert isinstance(clock, FakeClock)
    clock.advance(seconds)
    QTest.keyClick(app.window, key)


def visible_buttons(root: QWidget) -> Iterator[QPushButton]:
    for b in root.findChildren(QPushButton):
        if b.isVisibleTo(root) and b.isVisible():
            yield b


def in_scroll_area(widget: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def rect_in_window(widget: QWidget) -> QRect:
    window = widget.window()
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


def label_problems(label: QLabel) -> list[str]:
    """How ``label`` cuts its text, in words (empty: every glyph whole)."""
    name = label.accessibleName() or label.objectName() or repr(label.text()[:30])
    if isinstance(label, FittedLabel):
        shown = label.shown_lines()
        margins = label.contentsMargins()
        needed = len(shown) * label.line_height() + margins.top() + margins.bottom()
        problems = []
        if needed > label.height():
            problems.append(f"{name}: {len(shown)} lines need {needed}px, it has {label.height()}px")
        if shown and label.is_elided() and not shown[-1].endswith(ELLIPSIS):
            problems.append(f"{name}: text left out without an ellipsis")
        return problems
    if label.wordWrap():
        needed = label.heightForWidth(label.width())
        wide = 0
    else:
        needed, wide = label.sizeHint().height(), label.sizeHint().width()
    problems = []
    if needed > label.height():
        problems.append(f"{name}: needs {needed}px of height, has {label.height()}px")
    if wide > label.width():
        problems.append(f"{name}: needs {wide}px of width, has {label.width()}px")
    return problems


def clipped(widget: QWidget) -> str:
    """How ``widget`` is cut off by a widget around it (a scroll area's viewport, its parent, the
    window), '' if it shows whole."""
    rect = rect_in_window(widget)
    if rect.isEmpty():
        return ""  # nothing to show (a label's own check says whether it should have had room)
    visible = QRect(rect)
    ancestor = widget.parentWidget()
    while ancestor is not None:
        visible = visible.intersected(rect_in_window(ancestor))
        ancestor = ancestor.parentWidget()
    if visible == rect:
        return ""
    name = widget.accessibleName() or widget.objectName() or type(widget).__name__
    return f"{name}: only {visible.height()} of its {rect.height()}px show"


def button_problems(b: QPushButton) -> list[str]:
    metrics = QFontMetrics(b.font())
    key = b.key if isinstance(b, KeyButton) and b.key_shown() else ""  # shown: it fits under the title
    shown = b.text().replace("&&", "\0").replace("&", "").replace("\0", "&")  # "&" marks a mnemonic
    texts = [t for t in (shown, key) if t]
    problems = [
        f"{t!r} cut ({metrics.horizontalAdvance(t)}px in {b.width()}px)"
        for t in texts
        if metrics.horizontalAdvance(t) > b.width() - 8
    ]
    if b.height() < MIN_TOUCH_PX or b.width() < MIN_TOUCH_PX:
        problems.append(f"{b.text()!r} is {b.width()}x{b.height()}")
    return problems


def saved_settings(path: Path) -> Settings:
    """The settings as saved in the file at ``path`` (read as the app reads it, the file untouched)."""
    return load_settings(path, set_aside=False).settings


def with_text_scale(home: Path, text_scale: float) -> Path:
    """``home`` with a settings file asking for ``text_scale`` (the app reads it as it starts; use the
    ``themed`` fixture, so the next test gets the normal size back)."""
    (home / "config").mkdir(parents=True, exist_ok=True)
    (home / "config" / "settings.json").write_text(json.dumps({"text_scale": text_scale}), encoding="utf-8")
    return home


LINE_EDIT_MARGIN_PX = 2  # QLineEdit keeps this much room each side of its text, inside its contents


def _name(widget: QWidget) -> str:
    return widget.accessibleName() or widget.objectName() or type(widget).__name__


def _words(text: str) -> list[str]:
    """The pieces a line cannot break: it breaks at spaces, line breaks and zero-width spaces, and
    after a hyphen (a no-break space keeps its neighbours together)."""
    return [w for w in re.split(r"[ \n\u200b]+|(?<=-)", text) if w]


def word_problems(label: QLabel) -> list[str]:
    """Words wider than a word-wrapped ``label``: a line cannot break inside a word, so it is cut
    at the label's edge (``label_problems`` counts lines, and a cut word adds none)."""
    if not label.wordWrap() or isinstance(label, FittedLabel):
        return []
    metrics = QFontMetricsF(label.font())
    room = label.contentsRect().width()
    return [
        f"{_name(label)}: {word!r} needs {metrics.horizontalAdvance(word):.0f}px, has {room}px"
        for word in _words(label.text())
        if metrics.horizontalAdvance(word) > room
    ]


def edit_problems(widget: QLineEdit | QAbstractSpinBox) -> list[str]:
    """Text a line edit or spin box cuts: what it shows (a spin box at its minimum shows its
    special-value text, e.g. "not measured") or, when empty, its placeholder. A line edit scrolls a
    text wider than its room (showing its end) and cuts a placeholder short with "…"."""
    edit = widget if isinstance(widget, QLineEdit) else widget.findChild(QLineEdit)
    assert edit is not None
    shown = edit.displayText() or edit.placeholderText()
    if not shown:
        return []
    option = QStyleOptionFrame()
    edit.initStyleOption(option)
    contents = edit.style().subElementRect(QStyle.SubElement.SE_LineEditContents, option, edit)
    margins = edit.textMargins()
    room = contents.width() - margins.left() - margins.right() - 2 * LINE_EDIT_MARGIN_PX
    needed = math.ceil(QFontMetricsF(edit.font()).horizontalAdvance(shown)) + 1
    if needed <= room:
        return []
    return [f"{_name(widget)}: {shown!r} needs {needed}px, has {room}px"]


def check_box_problems(box: QCheckBox) -> list[str]:
    """A check box narrower than its mark and text: the text is cut."""
    if box.sizeHint().width() <= box.width():
        return []
    return [f"{_name(box)}: {box.text()!r} needs {box.sizeHint().width()}px, has {box.width()}px"]


def combo_problems(combo: QComboBox) -> list[str]:
    """A combo box whose chosen item does not fit the room left of its arrow."""
    option = QStyleOptionComboBox()
    combo.initStyleOption(option)
    field = combo.style().subControlRect(
        QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxEditField, combo
    )
    needed = math.ceil(QFontMetricsF(combo.font()).horizontalAdvance(combo.currentText()))
    if needed <= field.width():
        return []
    return [f"{_name(combo)}: {combo.currentText()!r} needs {needed}px, has {field.width()}px"]


def tab_problems(bar: QTabBar) -> list[str]:
    """Tabs that do not show whole: outside the bar (scrolled away, or under its scroll buttons)."""
    scrolling = any(b.isVisible() for b in bar.findChildren(QWidget) if b.parentWidget() is bar)
    problems = [f"{_name(bar)}: its tabs scroll" for _ in [scrolling] if scrolling]
    return problems + [
        f"{_name(bar)}: tab {bar.tabText(n)!r} cut"
        for n in range(bar.count())
        if not bar.rect().contains(bar.tabRect(n))
    ]


def text_problems(widget: QWidget) -> list[str] | None:
    """What ``widget`` cuts of its own text, by kind; None for a widget with no text of its own (a
    line edit inside a spin box or combo box is checked as part of it)."""
    if isinstance(widget, QLineEdit) and isinstance(widget.parentWidget(), QAbstractSpinBox | QComboBox):
        return None
    checks: tuple[tuple[type | tuple[type, ...], Callable[[Any], list[str]]], ...] = (
        (QLabel, lambda w: label_problems(w) + word_problems(w)),
        (QPushButton, button_problems),
        ((QLineEdit, QAbstractSpinBox), edit_problems),
        (QCheckBox, check_box_problems),
        (QComboBox, combo_problems),
        (QTabBar, tab_problems),
    )
    return next((check(widget) for kind, check in checks if isinstance(widget, kind)), None)
