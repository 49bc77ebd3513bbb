"""The pages as a person at the table sees them: cards, problems, sizes, keys, recovery.

Real window, real store in a temp folder, FakeClock, the silent voice (see window_helpers).
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, Qt, QTimer
from PySide6.QtGui import QColor, QFontMetrics, QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot
from window_helpers import (
    OFFSCREEN_NOISE,
    SCREENING_TOML,
    FakeDecisions,
    WindowOpener,
    in_scroll_area,
    key_a_moment_later,
    rect_in_window,
    saved_settings,
    visible_buttons,
    with_text_scale,
)

from neck_guide.engine.clock import FakeClock
from neck_guide.paths import BUNDLED_PROTOCOLS_DIR
from neck_guide.protocol.loader import Catalog
from neck_guide.protocol.plan import duration_range
from neck_guide.session.launch import LaunchOptions, StartChoice
from neck_guide.settings import SETTINGS
from neck_guide.store import SessionStore
from neck_guide.store.journal import JournalStatus
from neck_guide.ui import main_window
from neck_guide.ui.app import App, run
from neck_guide.ui.keys import KeyBindings
from neck_guide.ui.pages.settings import SettingsPage
from neck_guide.ui.preferences import Preferences
from neck_guide.ui.theme import MIN_TOUCH_PX, current_palette
from neck_guide.ui.widgets.common import NBSP
from neck_guide.ui.widgets.runner_parts import KeyButton
from neck_guide.ui.widgets.voice_picker import VoicePicker
from neck_guide.voice.cache import PhraseCache
from neck_guide.voice.synth import Synthesiser

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)

SIZES = [(1024, 600), (1280, 800)]
RING_DIGITS_OF_HEIGHT = 0.15


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def _open(open_window: WindowOpener, tmp_path: Path, clock: FakeClock, **kwargs: object) -> App:
    return open_window(tmp_path / "home", clock, FakeDecisions(), **kwargs)  # type: ignore[arg-type]


def _into_session(app: App, qtbot: QtBot, protocol_id: str = "clinical-neck") -> None:
    app.window.open_screening(StartChoice(protocol_id, None, False))
    page = app.window.screening_page
    QTest.mouseClick(page.all_no, Qt.MouseButton.LeftButton)
    QTest.mouseClick(page.start, Qt.MouseButton.LeftButton)
    assert app.window.current_page() is app.window.runner_page


def test_start_page_shows_every_bundled_protocol_as_a_card(
    open_window: WindowOpener, tmp_path: Path, clock: FakeClock
) -> None:
    app = _open(open_window, tmp_path, clock)
    page = app.window.start_page
    bundled = Catalog.load(BUNDLED_PROTOCOLS_DIR, None).protocols
    assert len(bundled) >= 3
    assert sorted(page.cards) == sorted(p.id for p in bundled)
    card = page.cards["clinical-neck"]
    assert card.title.text() == "Clinical neck massage"
    low, high = duration_range(Catalog.load(BUNDLED_PROTOCOLS_DIR, None).get("trigger-point"))
    shown = page.cards["trigger-point"].duration.text().replace(NBSP, " ")
    assert shown.startswith(f"{round(low / 60)}–{round(high / 60)} min · ")  # a range: holds vary
    assert "SCM" in card.muscles.text()
    assert not page.problems_box.isVisible()  # nothing wrong, nothing shown


def test_a_broken_protocol_file_is_named_and_the_others_still_load(
    open_window: WindowOpener, tmp_path: Path, clock: FakeClock
) -> None:
    user = tmp_path / "home" / "data" / "protocols"
    user.mkdir(parents=True)
    (user / "broken.toml").write_text('schema_version = 1\nid = "broken"\ntitle = \n', encoding="utf-8")
    app = _open(open_window, tmp_path, clock)
    page = app.window.start_page
    assert "clinical-neck" in page.cards and "broken" not in page.cards
    assert page.problems_box.isVisible()
    assert "1 protocol file could not be loaded" in page.problems_summary.text()
    assert not page.problems.isVisible()  # discreet until asked
    QTest.mouseClick(page.problems_button, Qt.MouseButton.LeftButton)
    assert page.problems.isVisible()
    assert "broken.toml" in page.problems.text()
    assert "line 3" in page.problems.text()


def _digit_rows(image: QImage, colour: QColor, box: QRect) -> list[int]:
    """Rows of ``box`` holding a pixel of (nearly) ``colour``."""
    rows = []
    for y in range(box.top(), box.bottom() + 1):
        for x in range(box.left(), box.right() + 1, 2):
            c = image.pixelColor(x, y)
            if (
                abs(c.red() - colour.red()) + abs(c.green() - colour.green()) + abs(c.blue() - colour.blue())
                < 40
            ):
                rows.append(y)
                break
    return rows


@pytest.mark.parametrize("text_scale", [1.0, 1.5], ids=lambda s: f"text{s}x")
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_ring_digits_are_at_least_15_percent_of_the_window_height(
    qtbot: QtBot,
    open_window: WindowOpener,
    themed: QApplication,
    tmp_path: Path,
    clock: FakeClock,
    *,
    size: tuple[int, int],
    text_scale: float,
) -> None:
    with_text_scale(tmp_path / "home", text_scale)  # large text leaves the ring less room
    app = _open(open_window, tmp_path, clock, size=size)
    _into_session(app, qtbot)
    QTest.keyClick(app.window, Qt.Key.Key_Space)
    for _ in range(5):  # to the first timed step: "60"
        key_a_moment_later(app)
    ring = app.window.runner_page.ring
    assert ring.display_text()[0] == "60"
    assert app.window.notice_box.isVisible()  # the silent voice says so: the tight case
    qtbot.wait(20)
    image = ring.grab().toImage()
    side = min(ring.width(), ring.height())
    inner = QRect(
        ring.width() // 2 - side * 3 // 10,
        ring.height() // 2 - side * 3 // 10,
        side * 6 // 10,
        side * 6 // 10,
    )
    rows = _digit_rows(image, QColor(current_palette().text), inner)
    digit_px = (max(rows) - min(rows) + 1) * image.devicePixelRatio()
    window_h = app.window.height()
    assert window_h == size[1]
    print(f"ring digits {digit_px}px in a {window_h}px window ({digit_px / window_h:.0%})")
    assert digit_px >= RING_DIGITS_OF_HEIGHT * window_h, f"digits {digit_px}px in a {window_h}px window"


def _check_buttons(app: App, where: str) -> None:
    window = app.window
    QApplication.processEvents()
    bounds = window.rect()
    problems = []
    for b in visible_buttons(window):
        name = f"{where}: {b.text() or b.accessibleName()!r}"
        if b.height() < MIN_TOUCH_PX or b.width() < MIN_TOUCH_PX:
            problems.append(f"{name} is {b.width()}x{b.height()}")
        if not in_scroll_area(b) and not bounds.contains(rect_in_window(b)):
            problems.append(f"{name} sticks out of the window at {rect_in_window(b)}")
        metrics = QFontMetrics(b.font())
        texts = [b.text(), b.key] if isinstance(b, KeyButton) else [b.text()]
        for text in texts:
            if text and "\n" not in text and metrics.horizontalAdvance(text) > b.width() - 8:
                problems.append(
                    f"{name}: its text is cut ({metrics.horizontalAdvance(text)}px in {b.width()}px)"
                )
    assert not problems, "\n".join(problems)


def test_nothing_is_clipped_at_1024x600(open_window: WindowOpener, tmp_path: Path, clock: FakeClock) -> None:
    app = _open(open_window, tmp_path, clock, size=(1024, 600))
    window = app.window
    _check_buttons(app, "start")
    window.open_screening(StartChoice("clinical-neck", "C-0042", False))
    QTest.mouseClick(window.screening_page.questions[0].yes, Qt.MouseButton.LeftButton)
    _check_buttons(app, "screening")
    window.screening_page.questions[0].reason.setText("checked")
    window.screening_page.questions[0].acknowledge.setChecked(True)
    QTest.mouseClick(window.screening_page.all_no, Qt.MouseButton.LeftButton)
    QTest.mouseClick(window.screening_page.start, Qt.MouseButton.LeftButton)
    _check_buttons(app, "runner, ready")
    QTest.keyClick(window, Qt.Key.Key_Space)
    while app.model.active.current.kind != "range":
        key_a_moment_later(app)
    _check_buttons(app, "runner, a hold")
    QTest.mouseClick(window.runner_page.end, Qt.MouseButton.LeftButton)
    _check_buttons(app, "summary")
    QTest.mouseClick(window.summary_page.history, Qt.MouseButton.LeftButton)
    _check_buttons(app, "history")
    window.open_settings()
    _check_buttons(app, "settings")


def test_remapped_keys_take_effect_and_persist(
    qtbot: QtBot, open_window: WindowOpener, tmp_path: Path, clock: FakeClock
) -> None:
    app = _open(open_window, tmp_path, clock)
    app.window.open_settings()
    table = app.window.settings_page.key_table
    QTest.mouseClick(table.buttons[("next", "Change")], Qt.MouseButton.LeftButton)
    QTest.keyClick(table.capture["next"], Qt.Key.Key_N)  # a pedal that sends N
    assert table.shown["next"].text() == "N"
    assert saved_settings(app.paths.settings_file).keys.next == "N"
    _into_session(app, qtbot)
    assert app.window.runner_page.controls.buttons["next"].key == "N"
    QTest.keyClick(app.window, Qt.Key.Key_Space)
    key_a_moment_later(app)  # no longer bound
    assert app.model.active.index == 0
    key_a_moment_later(app, Qt.Key.Key_N)
    assert app.model.active.index == 1
    app.model.finish()
    app.close()
    again = _open(open_window, tmp_path, clock)  # the next start keeps the pedal
    assert again.window.bindings.keys("next") == "N"


def test_m_mutes_and_f11_goes_full_screen(
    qtbot: QtBot, open_window: WindowOpener, tmp_path: Path, clock: FakeClock
) -> None:
    app = _open(open_window, tmp_path, clock)
    _into_session(app, qtbot)
    QTest.keyClick(app.window, Qt.Key.Key_M)
    assert app.window.runner_page.voice.text() == "Muted"
    assert app.voice.narrator.muted  # the voice hears it
    assert saved_settings(app.paths.settings_file).voice_muted is True  # remembered
    QTest.keyClick(app.window, Qt.Key.Key_M)
    assert app.window.runner_page.voice.text() == "Mute"
    QTest.keyClick(app.window, Qt.Key.Key_F11)
    assert app.window.windowState() & Qt.WindowState.WindowFullScreen
    QTest.keyClick(app.window, Qt.Key.Key_Escape)
    assert not app.window.windowState() & Qt.WindowState.WindowFullScreen


def test_voice_and_records_problems_show_in_the_notice_bar(
    qtbot: QtBot, open_window: WindowOpener, tmp_path: Path, clock: FakeClock
) -> None:
    app = _open(open_window, tmp_path, clock)
    assert "Voice is off" in app.window.notice_bar.full_text()  # the silent voice says why
    failing = JournalStatus("failing", "the disk is full: 3 record(s) wait.", 3)
    writer = threading.Thread(target=lambda: app.relay.status.emit(failing))  # as the journal does
    writer.start()
    writer.join()
    qtbot.waitUntil(lambda: "Records are kept in memory" in app.window.notice_bar.full_text())
    assert app.window.notice_box.isVisible()
    _into_session(app, qtbot)  # still there during a session, one line each
    assert app.window.notice_box.isVisible()
    assert "disk is full" in app.window.notice_bar.toolTip()
    app.relay.status.emit(JournalStatus("ok"))
    qtbot.waitUntil(lambda: "Records" not in app.window.notice_bar.full_text())


def test_records_held_in_memory_again_stay_told_after_an_earlier_recovered_notice_expires(
    qtbot: QtBot, open_window: WindowOpener, tmp_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 10, case 8: "recovered", then the disk failed again: the "held in memory" notice was
    cleared when the earlier notice's 15 s ran out, and the database held 1 of 6 ratings unsaid."""
    monkeypatch.setattr(main_window, "RECOVERED_NOTICE_MS", 50)
    app = _open(open_window, tmp_path, clock)
    app.window.show_records_status(JournalStatus("recovered", "Session records are being saved again.", 0, 2))
    app.window.show_records_status(JournalStatus("failing", "the disk is full: 1 record(s) wait.", 1))
    ran_out: list[bool] = []  # a timer set after the notice's, twice as long: when it fires, that one has
    QTimer.singleShot(2 * main_window.RECOVERED_NOTICE_MS, lambda: ran_out.append(True))
    qtbot.waitUntil(lambda: bool(ran_out))
    assert "Records are kept in memory" in app.window.notice_bar.full_text()
    app.window.show_records_status(JournalStatus("recovered", "Session records are being saved again.", 0, 1))
    qtbot.waitUntil(lambda: "Records" not in app.window.notice_bar.full_text())  # this one does go


def test_a_key_already_in_use_is_refused(open_window: WindowOpener, tmp_path: Path, clock: FakeClock) -> None:
    app = _open(open_window, tmp_path, clock)
    app.window.open_settings()
    page = app.window.settings_page
    QTest.mouseClick(page.key_table.buttons[("extend", "Change")], Qt.MouseButton.LeftButton)
    QTest.keyClick(page.key_table.capture["extend"], Qt.Key.Key_Space)
    assert "already does" in page.status.text()
    assert app.window.bindings.keys("extend") == "E"


def test_settings_page_has_one_editor_per_setting_and_saves_on_change(
    open_window: WindowOpener, tmp_path: Path, clock: FakeClock
) -> None:
    app = _open(open_window, tmp_path, clock)
    app.window.open_settings()
    page = app.window.settings_page
    assert sorted(page.editors) == sorted(s.name for s in SETTINGS if s.name != "keys")
    extend = page.editors["extend_s"]
    QTest.mouseClick(extend.up, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    assert saved_settings(app.paths.settings_file).extend_s == 15  # in steps of 5 s
    page.editors["theme"].setCurrentIndex(1)  # type: ignore[attr-defined]
    assert saved_settings(app.paths.settings_file).theme == "light"
    assert current_palette().name == "light"  # applied at once


def test_the_voice_is_picked_from_the_installed_voices_and_saved(
    qtbot: QtBot, open_window: WindowOpener, tmp_path: Path, clock: FakeClock
) -> None:
    app = _open(open_window, tmp_path, clock)
    app.window.open_settings()
    picker = app.window.settings_page.editors["voice_id"]
    assert isinstance(picker, VoicePicker)
    qtbot.waitUntil(lambda: picker.listed, timeout=30_000)  # the real espeak-ng, asked on a thread
    combo = picker.combo
    assert combo.isVisible() and not picker.text.isVisible()
    assert (combo.itemText(0), combo.itemData(0), combo.currentIndex()) == ("Engine default", "", 0)
    names = [combo.itemText(i) for i in range(1, combo.count())]
    assert len(names) > 10 and "English (America)" in names
    american = combo.itemData(names.index("English (America)") + 1)
    combo.setCurrentIndex(combo.findData(american))
    assert saved_settings(app.paths.settings_file).voice_id == american
    app.close()
    again = _open(open_window, tmp_path, clock)  # the next start shows the voice chosen
    again.window.open_settings()
    reopened = again.window.settings_page.editors["voice_id"]
    assert isinstance(reopened, VoicePicker)
    qtbot.waitUntil(lambda: reopened.listed, timeout=30_000)
    assert reopened.combo.currentText() == "English (America)"
    reopened.combo.setCurrentIndex(0)
    assert saved_settings(again.paths.settings_file).voice_id == ""


class _NoEngine(Synthesiser):
    """A synthesiser whose speech process cannot start (as on a machine without it)."""

    def command(self) -> list[str]:
        return [str(Path("/nonexistent") / "speech-engine")]


def test_without_an_engine_the_voice_is_typed_and_a_note_says_why(qtbot: QtBot, tmp_path: Path) -> None:
    preferences = Preferences.load(tmp_path / "settings.json")
    preferences.set("voice_id", "gmw/en")
    holder = QWidget()
    qtbot.addWidget(holder)
    page = SettingsPage(
        preferences, KeyBindings(preferences, holder), voices=_NoEngine(PhraseCache(tmp_path)).voices
    )
    qtbot.addWidget(page)
    page.show()
    picker = page.editors["voice_id"]
    assert isinstance(picker, VoicePicker)
    qtbot.waitUntil(picker.text.isVisible, timeout=10_000)
    assert not picker.combo.isVisible() and not picker.listed
    assert picker.text.text() == "gmw/en"
    assert "could not be listed" in picker.note.text() and picker.note.isVisible()
    picker.text.setText("gmw/en-us")
    picker.text.editingFinished.emit()
    assert saved_settings(tmp_path / "settings.json").voice_id == "gmw/en-us"


def test_a_step_asking_pressure_and_pain_records_either_with_one_tap(
    qtbot: QtBot, open_window: WindowOpener, tmp_path: Path, clock: FakeClock
) -> None:
    user = tmp_path / "home" / "data" / "protocols"
    user.mkdir(parents=True)
    (user / "both.toml").write_text(
        "\n".join(
            [
                "schema_version = 1",
                'id = "both"',
                'title = "Both ratings"',
                'version = "1.0"',
                'summary = "A test protocol."',
                "[[phases]]",
                'id = "p"',
                'title = "Work"',
                "[[phases.steps]]",
                'id = "hold"',
                'title = "Hold"',
                'technique = "Compression hold"',
                'muscle = "upper_trapezius"',
                "duration_s = 30",
                'rating = { ask = ["pressure", "pain"], target = [4, 6], ease_off_above = 6 }',
                SCREENING_TOML,
            ]
        ),
        encoding="utf-8",
    )
    app = _open(open_window, tmp_path, clock)
    _into_session(app, qtbot, "both")
    page = app.window.runner_page
    QTest.keyClick(app.window, Qt.Key.Key_Space)
    assert page.kind_buttons["pressure"].isVisible() and page.kind_buttons["pressure"].isChecked()
    QTest.keyClick(app.window, Qt.Key.Key_5)  # keys record pressure
    QTest.mouseClick(page.kind_buttons["pain"], Qt.MouseButton.LeftButton)
    assert page.kind_buttons["pain"].isChecked()  # the checked kind says what a tap records:
    assert not page.rating_pad.ask_label.isVisible()  # no second "Pain" beside it
    assert not page.rating_pad.target_label.isVisible()  # the target band is the pressure's
    QTest.mouseClick(page.rating_pad.buttons[2], Qt.MouseButton.LeftButton)  # one tap: pain 3
    assert page.kind_buttons["pressure"].isChecked()  # back to pressure for the next tap
    QTest.mouseClick(page.rating_pad.buttons[5], Qt.MouseButton.LeftButton)
    visit = app.model.active.record.steps[0]
    assert [(r.kind, r.value) for r in visit.ratings] == [("pressure", 5), ("pain", 3), ("pressure", 6)]


def test_unfinished_sessions_are_offered_for_resume_or_close_out(
    qtbot: QtBot, open_window: WindowOpener, tmp_path: Path, clock: FakeClock
) -> None:
    for _ in range(2):  # two sessions left running, as after a crash
        app = _open(open_window, tmp_path, clock)
        _into_session(app, qtbot)
        QTest.keyClick(app.window, Qt.Key.Key_Space)
        key_a_moment_later(app)
        app.close()
    app = _open(open_window, tmp_path, clock, size=(1024, 600))
    page = app.window.recovery_page
    assert app.window.current_page() is page
    assert len(page.rows) == 2
    _check_buttons(app, "recovery")
    closed_id = page.rows[0].record.session_id
    QTest.mouseClick(page.rows[0].close_button, Qt.MouseButton.LeftButton)
    assert len(page.rows) == 1
    resumed_id = page.rows[0].record.session_id
    QTest.mouseClick(page.rows[0].resume_button, Qt.MouseButton.LeftButton)
    assert app.window.current_page() is app.window.runner_page
    runner = app.model.active
    assert (runner.record.session_id, runner.index, runner.state) == (resumed_id, 1, "ready")
    QTest.keyClick(app.window, Qt.Key.Key_Space)  # takes up where it stopped
    key_a_moment_later(app)
    app.model.finish()
    app.close()
    later = _open(open_window, tmp_path, clock, protocol_id="self-care")  # nothing left to recover now
    assert later.window.current_page() is later.window.screening_page
    later.close()
    with SessionStore.open(app.paths.database) as store:
        assert store.load(closed_id).status == "interrupted"
        resumed = store.load(resumed_id)
    assert resumed.status == "ended_early"
    assert [(s.index, s.end_reason, s.continues) for s in resumed.steps][:3] == [
        (0, "completed", None),
        (1, "interrupted", None),
        (1, "completed", 1),  # the same step taken up again
    ]
    assert [i.handled for i in resumed.interruptions] == ["resumed"]


def test_a_close_out_meeting_a_locked_records_file_is_kept_and_written_once_it_is_free(
    qtbot: QtBot, open_window: WindowOpener, tmp_path: Path, clock: FakeClock
) -> None:
    """The page used to write the close-out itself, on the GUI thread: it waited for the lock, then
    said it could not; now the records journal takes it at once and writes it in turn."""
    app = _open(open_window, tmp_path, clock)
    _into_session(app, qtbot)
    session_id = app.model.active.record.session_id
    app.close()  # left running
    app = _open(open_window, tmp_path, clock)
    page = app.window.recovery_page
    other = sqlite3.connect(app.paths.database, timeout=0)
    other.execute("BEGIN IMMEDIATE")  # another program writing to the records
    try:
        QTest.mouseClick(page.rows[0].close_button, Qt.MouseButton.LeftButton)
        assert not page.rows and app.window.current_page() is app.window.start_page
        qtbot.waitUntil(lambda: "kept in memory" in app.window.notice_bar.full_text(), timeout=15_000)
    finally:
        other.rollback()
        other.close()
    assert app.journal.flush(30)
    app.close()
    with SessionStore.open(app.paths.database) as store:
        assert store.load(session_id).status == "interrupted"


def test_run_id_with_unfinished_sessions_offers_them_first_then_opens_the_screening(
    qtbot: QtBot, open_window: WindowOpener, tmp_path: Path, clock: FakeClock
) -> None:
    app = _open(open_window, tmp_path, clock)
    _into_session(app, qtbot)
    app.close()  # left running
    app = _open(open_window, tmp_path, clock, protocol_id="self-care")
    assert app.window.current_page() is app.window.recovery_page
    QTest.mouseClick(app.window.recovery_page.later, Qt.MouseButton.LeftButton)
    assert app.window.current_page() is app.window.screening_page
    assert "Neck self-care routine" in app.window.screening_page.subtitle.text()


def test_an_unknown_protocol_id_exits_2_and_lists_the_known_ones(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(LaunchOptions(tmp_path, protocol_id="no-such")) == 2
    err = capsys.readouterr().err
    assert "'no-such'" in err
    for known in ("clinical-neck", "self-care", "trigger-point"):
        assert known in err


def test_a_client_code_that_looks_like_a_name_is_refused_on_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(LaunchOptions(tmp_path, protocol_id="clinical-neck", client_code="Jane Doe")) == 2
    assert "--client" in capsys.readouterr().err
