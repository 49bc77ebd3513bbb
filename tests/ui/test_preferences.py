"""One owner per setting, driven through the real window: a change anywhere shows everywhere at once,
the next session uses what Settings shows, a save that fails is told, a bad file costs one value."""

from __future__ import annotations

import gc
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, Qt, QTimer
from PySide6.QtGui import QFontInfo
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QCheckBox, QMainWindow
from pytestqt.qtbot import QtBot
from window_helpers import OFFSCREEN_NOISE, FakeDecisions, WindowOpener, saved_settings

from neck_guide.engine.clock import FakeClock
from neck_guide.session.launch import LaunchOptions, StartChoice
from neck_guide.ui.app import App, run
from neck_guide.ui.main_window import MainWindow
from neck_guide.ui.theme import current_palette
from neck_guide.ui.window_place import on_a_screen, restore_place

pytestmark = [pytest.mark.qt_log_ignore(OFFSCREEN_NOISE), pytest.mark.usefixtures("themed")]

Opener = Callable[..., App]


@pytest.fixture
def opened(open_window: WindowOpener, tmp_path: Path) -> Opener:
    """Opens the whole app on ``tmp_path / "home"`` as often as asked (``open_window`` closes each)."""

    def open_one(**kwargs: object) -> App:
        return open_window(tmp_path / "home", FakeClock(), FakeDecisions(), **kwargs)  # type: ignore[arg-type]

    return open_one


def _settings_file(tmp_path: Path, content: str | bytes) -> None:
    config = tmp_path / "home" / "config"
    config.mkdir(parents=True, exist_ok=True)
    data = content.encode("utf-8") if isinstance(content, str) else content
    (config / "settings.json").write_bytes(data)


def _into_session(app: App) -> None:
    app.window.open_screening(StartChoice("clinical-neck", None, False))
    page = app.window.screening_page
    QTest.mouseClick(page.all_no, Qt.MouseButton.LeftButton)
    QTest.mouseClick(page.start, Qt.MouseButton.LeftButton)
    assert app.window.current_page() is app.window.runner_page
    QTest.keyClick(app.window, Qt.Key.Key_Space)


def _end_session(app: App) -> None:
    QTest.mouseClick(app.window.runner_page.end, Qt.MouseButton.LeftButton)  # FakeDecisions says yes
    QTest.mouseClick(app.window.summary_page.new_session, Qt.MouseButton.LeftButton)
    assert app.window.current_page() is app.window.start_page


def _check_box(app: App, name: str) -> QCheckBox:
    editor = app.window.settings_page.editors[name]
    assert isinstance(editor, QCheckBox)
    return editor


def _mute_everywhere(app: App) -> list[bool]:
    """Mute as each place shows it: top bar, runner switch, settings page, voice, the saved file."""
    window = app.window
    return [
        window.mute_button.isChecked() and window.mute_button.text() == "Muted",
        window.runner_page.voice.isChecked() and window.runner_page.voice.text() == "Muted",
        _check_box(app, "voice_muted").isChecked(),
        app.voice.narrator.muted,
        saved_settings(app.paths.settings_file).voice_muted,
    ]


def test_mute_changed_anywhere_shows_everywhere_at_once(opened: Opener) -> None:
    app = opened()
    app.window.open_settings()  # the settings page is built and stays built
    _into_session(app)
    QTest.keyClick(app.window, Qt.Key.Key_M)  # the M key (a pedal)
    assert _mute_everywhere(app) == [True] * 5
    QTest.mouseClick(app.window.runner_page.voice, Qt.MouseButton.LeftButton)  # the runner's switch
    assert _mute_everywhere(app) == [False] * 5
    _end_session(app)
    QTest.mouseClick(app.window.mute_button, Qt.MouseButton.LeftButton)  # the top bar
    assert _mute_everywhere(app) == [True] * 5
    app.window.open_settings()
    _check_box(app, "voice_muted").click()  # Settings
    assert _mute_everywhere(app) == [False] * 5


def test_auto_advance_turned_off_in_the_runner_is_what_settings_shows_and_the_next_session_uses(
    opened: Opener,
) -> None:
    app = opened()
    app.window.open_settings()
    _into_session(app)
    runner_switch = app.window.runner_page.auto_advance
    assert runner_switch.isChecked() and "later sessions" in runner_switch.toolTip()  # it says what it is
    QTest.mouseClick(runner_switch, Qt.MouseButton.LeftButton)
    assert not app.model.active.auto_advance  # this session
    _end_session(app)
    app.window.open_settings()
    assert not _check_box(app, "auto_advance").isChecked()  # Settings shows what the sessions use
    _into_session(app)
    assert not app.model.active.auto_advance and not runner_switch.isChecked()  # the next session
    _end_session(app)
    app.window.open_settings()
    _check_box(app, "auto_advance").click()  # back on in Settings
    _into_session(app)
    assert app.model.active.auto_advance and runner_switch.isChecked()
    assert saved_settings(app.paths.settings_file).auto_advance


def test_a_setting_that_cannot_be_saved_is_told_in_the_notice_bar(opened: Opener) -> None:
    app = opened()
    app.paths.settings_file.mkdir()  # the settings file cannot be replaced now
    app.window.open_settings()
    _check_box(app, "chime").click()
    assert "Settings could not be saved" in app.window.notice_bar.full_text()
    assert str(app.paths.settings_file) in app.window.notice_bar.full_text()
    assert not app.preferences.current.chime  # in force for this run
    assert "could not be saved" in app.window.settings_page.status.text()
    app.paths.settings_file.rmdir()
    QTest.keyClick(app.window, Qt.Key.Key_M)  # the next save works: the notice goes
    assert "Settings" not in app.window.notice_bar.full_text()
    assert saved_settings(app.paths.settings_file).voice_muted and not app.preferences.current.chime


def test_a_text_scale_that_is_not_a_number_falls_back_alone_and_is_told(
    opened: Opener, tmp_path: Path
) -> None:
    _settings_file(tmp_path, '{"theme": "light", "text_scale": NaN}')
    app = opened()
    assert app.text_fit.in_force == 1.0 and current_palette().name == "light"  # the theme is kept
    brand = app.window.brand
    assert QFontInfo(brand.font()).pixelSize() >= 12 and brand.sizeHint().height() > 10  # labels show
    notice = app.window.notice_bar.full_text()
    assert "'text_scale' is nan" in notice and "settings.json.bad" in notice
    assert saved_settings(app.paths.settings_file).theme == "light"  # the file is clean again
    assert (app.paths.config / "settings.json.bad").read_text() == '{"theme": "light", "text_scale": NaN}'


@pytest.mark.parametrize(
    ("content", "said"),
    [
        ("[" * 100_000, "larger than 64 KiB"),
        ('{"keys": ' + "[" * 30_000 + "]" * 30_000 + "}", "nested more than 64 deep"),
    ],
)
def test_a_settings_file_nested_deep_does_not_stop_the_app(
    opened: Opener, tmp_path: Path, content: str, said: str
) -> None:
    _settings_file(tmp_path, content)
    app = opened()
    assert app.window.isVisible() and app.preferences.current.theme == "dark"
    assert said in app.window.notice_bar.full_text()


def test_a_byte_order_mark_keeps_the_users_settings(opened: Opener, tmp_path: Path) -> None:
    _settings_file(tmp_path, b'\xef\xbb\xbf{"theme": "light", "keys": {"next": "N"}}')
    app = opened()
    assert app.preferences.current.theme == "light" and app.window.bindings.keys("next") == "N"
    assert "Settings" not in app.window.notice_bar.full_text()


def test_a_key_qt_cannot_read_falls_back_to_its_default_and_is_told(opened: Opener, tmp_path: Path) -> None:
    _settings_file(tmp_path, json.dumps({"keys": {"extend": "Ctrl+Nonsense", "next": "N"}}))
    app = opened()
    assert app.window.bindings.actions["extend"].shortcut().toString() == "E"
    assert app.window.bindings.actions["next"].shortcut().toString() == "N"  # the others kept
    assert "Extend the step" in app.window.notice_bar.full_text()


def test_the_window_opens_where_it_was_closed(opened: Opener) -> None:
    app = opened()
    app.window.setGeometry(QRect(0, 40, 1000, 640))
    app.close()  # as the app does when it quits
    again = opened()
    fresh = QMainWindow()
    fresh.setMinimumSize(again.window.minimumSize())
    assert restore_place(fresh, again.paths.window_file)
    assert fresh.geometry() == QRect(0, 40, 1000, 640)


def test_a_place_off_every_screen_is_not_restored(opened: Opener) -> None:
    app = opened()
    app.window.setGeometry(QRect(5000, 4000, 1000, 640))  # a monitor since unplugged
    app.close()
    fresh = QMainWindow()
    before = fresh.geometry()
    assert not restore_place(fresh, app.paths.window_file)
    assert fresh.geometry() == before
    app.paths.window_file.write_text("[window]\nx=1\ny=zz\nwidth=99999999999999999999\n")  # edited by hand
    assert not restore_place(fresh, app.paths.window_file)


def test_a_place_is_fitted_to_the_screen_that_shows_most_of_it() -> None:
    screens = [QRect(0, 0, 1920, 1080), QRect(1920, 0, 1280, 800)]
    assert on_a_screen(QRect(100, 100, 1280, 800), screens) == QRect(100, 100, 1280, 800)
    assert on_a_screen(QRect(1800, 100, 1000, 600), screens) == QRect(1920, 100, 1000, 600)  # moved in
    assert on_a_screen(QRect(2000, 0, 1920, 1080), screens) == QRect(1920, 0, 1280, 800)  # shrunk
    assert on_a_screen(QRect(3150, 100, 1000, 600), screens) is None  # 50 px on screen: not enough
    assert on_a_screen(QRect(-5000, -5000, 800, 600), screens) is None


def test_the_app_opens_where_it_was_closed(qtbot: QtBot, tmp_path: Path) -> None:
    """``neck-guide`` itself: restored as it starts, saved as it quits."""
    config = tmp_path / "config"
    config.mkdir(parents=True)
    (config / "window.ini").write_text("[window]\nx=0\ny=40\nwidth=1000\nheight=640\n")
    seen: list[QRect] = []

    def look_then_quit() -> None:
        window = next(
            w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()
        )
        seen.append(window.geometry())
        window.setGeometry(QRect(0, 60, 1000, 650))
        window.close()

    QTimer.singleShot(0, look_then_quit)
    assert run(LaunchOptions(tmp_path)) == 0
    assert seen == [QRect(0, 40, 1000, 640)]
    fresh = QMainWindow()
    fresh.setMinimumSize(1000, 580)
    assert restore_place(fresh, config / "window.ini") and fresh.geometry() == QRect(0, 60, 1000, 650)
    gc.collect()  # the app's Qt objects freed here, on the GUI thread (see the open_window fixture)


SAVE_ON_A_FULL_DISK = """
import resource, signal, sys
from pathlib import Path
from neck_guide.ui.preferences import Preferences
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG) like a full disk
resource.setrlimit(resource.RLIMIT_FSIZE, (200, 200))
preferences = Preferences.load(Path(sys.argv[1]))
print(preferences.current.theme, preferences.current.text_scale)
print(preferences.notice)
"""


def test_a_fallback_that_cannot_be_saved_loses_nothing(tmp_path: Path) -> None:
    """Files can grow to 200 bytes only: the cleaned settings (about 500) cannot be written."""
    path = tmp_path / "settings.json"
    original = '{"theme": "light", "text_scale": NaN}'
    path.write_text(original, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", SAVE_ON_A_FULL_DISK, str(path)], capture_output=True, text=True, check=True
    )
    shown, notice = done.stdout.splitlines()[:2]
    assert shown == "light 1.0"  # in force for this run
    assert "'text_scale' is nan" in notice and "could not be saved" in notice
    assert path.read_text(encoding="utf-8") == original  # the file as it was, still in its place
    assert (tmp_path / "settings.json.bad").read_text(encoding="utf-8") == original
