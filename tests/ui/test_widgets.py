"""The session widgets and the themes, as a therapist would see and touch them (real widgets, offscreen)."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from neck_guide.ui.palette import DARK, HIGH_CONTRAST, LIGHT, Palette
from neck_guide.ui.theme import MIN_TOUCH_PX, ThemeError, apply_theme, current_palette, palette_for
from neck_guide.ui.widgets.breathing_pacer import BreathingPacer, BreathPhase
from neck_guide.ui.widgets.countdown_ring import LABEL_MIN_PX, CountdownRing
from neck_guide.ui.widgets.dial import SquareDial
from neck_guide.ui.widgets.phase_strip import PhaseStrip, remaining_text
from neck_guide.ui.widgets.rating_pad import RatingPad

# The offscreen platform says this whenever a top-level window with a layout is shown; not our concern.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

# -- helpers -------------------------------------------------------------------------------------


def _distance(a: QColor, b: QColor) -> float:
    return math.dist((a.red(), a.green(), a.blue()), (b.red(), b.green(), b.blue()))


def _near(image: QImage, x: int, y: int, colour: str, tolerance: float = 40) -> bool:
    return _distance(image.pixelColor(x, y), QColor(colour)) <= tolerance


def _shown(qtbot: QtBot, widget: QWidget, width: int, height: int) -> QImage:
    qtbot.addWidget(widget)
    widget.resize(width, height)
    widget.show()
    qtbot.waitExposed(widget)
    return widget.grab().toImage()


def _tap(qtbot: QtBot, widget: QWidget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)  # type: ignore[no-untyped-call]


def _wcag_contrast(a: str, b: str) -> float:
    def luminance(hex_colour: str) -> float:
        rgb = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.fixture
def restore_app(qapp: QApplication) -> Iterator[QApplication]:
    """Themes change the whole application: put it back for the next test."""
    font, palette, style = QFont(qapp.font()), QPalette(qapp.palette()), qapp.style().name()
    yield qapp
    apply_theme(qapp, "dark")  # widgets without a palette of their own follow the theme: back to the default
    qapp.setStyleSheet("")
    qapp.setPalette(palette)
    qapp.setFont(font)
    qapp.setStyle(style)


@pytest.fixture
def dark_app(restore_app: QApplication) -> QApplication:
    """The dark theme, so windows are painted in its background like on the real screen."""
    apply_theme(restore_app, "dark")
    return restore_app


# -- rating pad ----------------------------------------------------------------------------------


@pytest.fixture
def pad(qtbot: QtBot) -> RatingPad:
    pad = RatingPad(palette=DARK)
    pad.set_spec("Pressure", (6, 7), 8)
    _shown(qtbot, pad, 1000, 160)
    return pad


def test_tapping_each_number_emits_it_and_records_nothing(qtbot: QtBot, pad: RatingPad) -> None:
    chosen: list[int] = []
    pad.rating_chosen.connect(chosen.append)
    for button in pad.buttons:
        _tap(qtbot, button)
    assert [b.text() for b in pad.buttons] == [str(v) for v in range(1, 11)]
    assert chosen == list(range(1, 11))
    assert pad.value() is None  # the page records and calls set_value; the pad does not


def test_disabled_pad_emits_nothing(qtbot: QtBot, pad: RatingPad) -> None:
    chosen: list[int] = []
    pad.rating_chosen.connect(chosen.append)
    pad.set_enabled_pad(False)
    _tap(qtbot, pad.buttons[4])
    pad.set_enabled_pad(True)
    _tap(qtbot, pad.buttons[4])
    assert chosen == [5]


def test_buttons_never_take_the_keyboard(pad: RatingPad) -> None:
    assert pad.focusPolicy() == Qt.FocusPolicy.NoFocus
    assert all(b.focusPolicy() == Qt.FocusPolicy.NoFocus for b in pad.buttons)


def test_buttons_are_one_row_of_finger_sized_targets_in_a_1024x600_page(qtbot: QtBot) -> None:
    page = QWidget()
    column = QVBoxLayout(page)
    column.addWidget(CountdownRing(palette=DARK), 1)
    pad = RatingPad(palette=DARK)
    column.addWidget(pad)
    _shown(qtbot, page, 1024, 600)
    assert not pad.is_narrow()
    assert len({b.geometry().top() for b in pad.buttons}) == 1
    for button in pad.buttons:
        assert button.width() >= MIN_TOUCH_PX and button.height() >= MIN_TOUCH_PX, button.text()
        assert pad.rect().contains(button.geometry()), button.text()


def test_narrow_pad_uses_two_rows_of_five_and_goes_back_when_widened(qtbot: QtBot) -> None:
    pad = RatingPad(palette=DARK)
    _shown(qtbot, pad, 400, 260)
    tops = sorted({b.geometry().top() for b in pad.buttons})
    assert pad.is_narrow() and len(tops) == 2
    assert [b.text() for b in pad.buttons if b.geometry().top() == tops[0]] == ["1", "2", "3", "4", "5"]
    assert all(b.width() >= MIN_TOUCH_PX and b.height() >= MIN_TOUCH_PX for b in pad.buttons)
    pad.resize(900, 200)
    qtbot.waitUntil(lambda: len({b.geometry().top() for b in pad.buttons}) == 1)
    assert not pad.is_narrow()


def test_target_band_and_ease_off_line_are_shown(pad: RatingPad) -> None:
    assert pad.target_label.isVisible() and pad.target_label.text() == "target 6–7"
    assert pad.ease_off_label.isVisible() and pad.ease_off_label.text() == "ease off above 8"
    assert [b.text() for b in pad.buttons if b.property("ease_off")] == ["9", "10"]
    image = pad.grab().toImage()

    # the band's outline runs in the gap left of 6, and nowhere near 3
    def left_of(n: int) -> tuple[int, int]:
        g = pad.buttons[n - 1].geometry()
        return g.left() - 4, g.center().y()

    assert _near(image, *left_of(6), DARK.accent)
    assert not _near(image, *left_of(3), DARK.accent)
    # the ease-off buttons have a warning-coloured edge, the others not
    for n, warned in ((9, True), (5, False)):
        g = pad.buttons[n - 1].geometry()
        assert _near(image, g.left() + 1, g.center().y(), DARK.warning, 60) is warned


def test_spec_without_band_or_threshold_hides_their_marks(pad: RatingPad) -> None:
    pad.set_spec("Pain", None, None)
    assert pad.ask_label.text() == "Pain"
    assert not pad.target_label.isVisible() and not pad.ease_off_label.isVisible()
    assert not any(b.property("ease_off") for b in pad.buttons)
    pad.set_spec("Pressure", (5, 5), None)
    assert pad.target_label.text() == "target 5"


def test_recorded_value_is_filled_with_its_colour(pad: RatingPad) -> None:
    pad.set_value(7)
    image = pad.grab().toImage()

    def body(n: int) -> QColor:
        g = pad.buttons[n - 1].geometry()
        return image.pixelColor(g.left() + 10, g.top() + 14)

    assert _distance(body(7), QColor(DARK.rating_color(7))) < 30
    assert _distance(body(6), QColor(DARK.rating_color(6))) > 60
    assert [b.text() for b in pad.buttons if b.property("chosen")] == ["7"]
    pad.set_value(None)
    assert not any(b.property("chosen") for b in pad.buttons)


def test_flash_ease_off_shows_a_banner_that_goes_away(qtbot: QtBot) -> None:
    pad = RatingPad(palette=DARK, flash_ms=50)
    pad.set_spec("Pressure", (6, 7), 8)
    _shown(qtbot, pad, 1000, 160)
    assert not pad.ease_off_banner.isVisible()
    pad.flash_ease_off()
    assert pad.ease_off_banner.isVisible() and pad.ease_off_banner.text() == "Ease off"
    assert pad.is_flashing()
    qtbot.waitUntil(lambda: not pad.ease_off_banner.isVisible())
    assert pad.ask_label.isVisible() and not pad.is_flashing()


# -- countdown ring --------------------------------------------------------------------------------


def _ring_extent(image: QImage) -> tuple[int, int]:
    """Leftmost and rightmost painted pixel on the middle row (the ring's outer diameter)."""
    y = image.height() // 2
    background = image.pixelColor(0, 0).name()
    assert background == DARK.background
    painted = [x for x in range(image.width()) if not _near(image, x, y, background, 12)]
    return painted[0], painted[-1]


def _digit_box(image: QImage, colour: str, inner_r: float) -> tuple[int, int]:
    """Top and bottom rows holding pixels of the digit colour inside the ring."""
    cx, cy = image.width() / 2, image.height() / 2
    rows = [
        y
        for y in range(int(cy - inner_r), int(cy + inner_r))
        for x in range(int(cx - inner_r * 0.7), int(cx + inner_r * 0.7), 2)
        if _near(image, x, y, colour, 40)
    ]
    return min(rows), max(rows)


@pytest.mark.parametrize(("remaining", "digits"), [(17.0, "17"), (87.3, "88"), (4.0, "4")])
def test_ring_digits_are_at_least_forty_percent_of_its_diameter(
    qtbot: QtBot, dark_app: QApplication, remaining: float, digits: str
) -> None:
    ring = CountdownRing(palette=DARK)
    ring.set_time(remaining_s=remaining, elapsed_s=120 - remaining, total_s=120)
    image = _shown(qtbot, ring, 400, 400)
    assert ring.display_text()[0] == digits
    left, right = _ring_extent(image)
    diameter = right - left + 1
    top, bottom = _digit_box(image, DARK.text, diameter * 0.4)
    assert bottom - top + 1 >= 0.40 * diameter, (bottom - top + 1, diameter)


def test_ring_digits_read_from_two_metres_in_a_600_px_window(qtbot: QtBot, dark_app: QApplication) -> None:
    ring = CountdownRing(palette=DARK)
    ring.set_time(remaining_s=12.0, elapsed_s=18.0, total_s=30.0)
    image = _shown(qtbot, ring, 240, 240)  # ~40% of a 600 px tall window
    top, bottom = _digit_box(image, DARK.text, 90)
    assert bottom - top + 1 >= 0.15 * 600


def test_ring_counts_whole_seconds_up_so_the_last_three_are_on_time(qtbot: QtBot) -> None:
    ring = CountdownRing(palette=DARK)
    shown = []
    for remaining in (3.0, 2.9, 2.0, 1.01, 0.2, 0.0):
        ring.set_time(remaining_s=remaining, elapsed_s=10 - remaining, total_s=10)
        shown.append(ring.display_text()[0])
    assert shown == ["3", "3", "2", "2", "1", "0"]


def test_ring_labels_say_what_kind_of_time_it_is(qtbot: QtBot) -> None:
    ring = CountdownRing(palette=DARK)
    ring.set_time(remaining_s=12, elapsed_s=8, total_s=20, min_s=10)
    assert ring.display_text() == ("12", "min 10 · max 20")
    ring.set_time(remaining_s=12, elapsed_s=8, total_s=20, paused=True)
    assert ring.display_text()[1] == "PAUSED"
    ring.set_time(remaining_s=0, elapsed_s=24, total_s=20, overtime=True)
    assert ring.display_text()[1] == "OVERTIME +0:04"
    ring.set_time(remaining_s=None, elapsed_s=83.6, total_s=None)
    assert ring.display_text() == ("1:23", "untimed")
    ring.set_time(remaining_s=150, elapsed_s=30, total_s=180)
    assert ring.display_text() == ("2:30", "of 3:00")


def test_ring_arc_turns_to_release_colour_once_the_minimum_is_passed(
    qtbot: QtBot, dark_app: QApplication
) -> None:
    ring = CountdownRing(palette=DARK)
    ring.set_time(remaining_s=15, elapsed_s=5, total_s=20, min_s=10)
    image = _shown(qtbot, ring, 400, 400)
    left, right = _ring_extent(image)
    radius = (right - left) / 2 * 0.925  # the middle of the band
    angle = math.radians(30)  # 30° clockwise from 12 o'clock: inside the arc in both states
    point = QPoint(round(200 + radius * math.sin(angle)), round(200 - radius * math.cos(angle)))
    assert _near(image, point.x(), point.y(), DARK.ring_fill)
    ring.set_time(remaining_s=8, elapsed_s=12, total_s=20, min_s=10)
    image = ring.grab().toImage()
    assert _near(image, point.x(), point.y(), DARK.ring_release)
    assert not _near(image, point.x(), point.y(), DARK.ring_fill)
    # the far side, not yet run, is still the plain track
    assert _near(image, 400 - point.x(), point.y(), DARK.ring_track, 20)


def test_ring_marks_the_minimum_on_the_ring(qtbot: QtBot, dark_app: QApplication) -> None:
    ring = CountdownRing(palette=DARK)
    ring.set_time(remaining_s=18, elapsed_s=2, total_s=20, min_s=10)  # minimum at 6 o'clock
    image = _shown(qtbot, ring, 400, 400)
    left, right = _ring_extent(image)
    y = round(200 + (right - left) / 2 * 0.925)
    assert _near(image, 200, y, DARK.ring_min_mark)
    assert not _near(image, 200, 400 - y, DARK.ring_min_mark)


def _label_pixels(image: QImage, colour: str) -> list[tuple[int, int]]:
    """Pixels of the label's colour between the digits' bottom and the ring's bottom (and a mark there)."""
    side = min(image.width(), image.height())
    cx, cy = image.width() / 2, image.height() / 2
    digits_bottom = max(
        y
        for y in range(round(cy), round(cy + side * 0.3))
        for x in range(round(cx - side * 0.3), round(cx + side * 0.3))
        if _near(image, x, y, DARK.text, 20)
    )
    return [
        (x, y)
        for y in range(digits_bottom + 2, round(cy + side * 0.34))
        for x in range(image.width())
        if _near(image, x, y, colour, 30)
    ]


@pytest.mark.parametrize("side", [200, 236, 300, 400, 600])
@pytest.mark.parametrize(("min_s", "total_s"), [(10, 20), (30, 120), (100, 120)])
def test_ring_label_is_always_whole_and_inside_the_ring(
    qtbot: QtBot, dark_app: QApplication, side: int, min_s: float, total_s: float
) -> None:
    """ "min 10 · max 20" is never cut to "min 10 · max …": the label shrinks to fit instead."""
    ring = CountdownRing(palette=DARK)
    ring.set_time(remaining_s=total_s - 3, elapsed_s=3, total_s=total_s, min_s=min_s)
    image = _shown(qtbot, ring, side, side)
    label = ring.display_text()[1]
    font = ring.label_font()
    assert font.pixelSize() >= LABEL_MIN_PX
    width = QFontMetricsF(font).horizontalAdvance(label)
    pixels = _label_pixels(image, DARK.muted_text)
    xs = [x for x, _ in pixels]
    painted = max(xs) - min(xs) + 1
    assert width - 6 <= painted <= width + 2, (label, painted, width)  # the whole label is painted
    diameter = side * 0.94
    inner_r = diameter / 2 - diameter * 0.07
    assert all(math.dist((x, y), (side / 2, side / 2)) < inner_r for x, y in pixels)  # inside the ring


def test_ring_digits_keep_clear_of_the_minimum_mark(qtbot: QtBot, dark_app: QApplication) -> None:
    """A minimum at a quarter puts the mark at 3 o'clock, beside wide digits like "2:00"."""
    ring = CountdownRing(palette=DARK)
    ring.set_time(remaining_s=120, elapsed_s=0, total_s=120, min_s=30)
    image = _shown(qtbot, ring, 236, 236)
    assert ring.display_text()[0] == "2:00"
    y = image.height() // 2
    inked = [x for x in range(image.width() // 2, image.width()) if _near(image, x, y, DARK.text, 60)]
    runs = [[inked[0]]]
    for x in inked[1:]:
        if x - runs[-1][-1] > 1:
            runs.append([])
        runs[-1].append(x)
    digits, mark = runs[-2], runs[-1]  # the last run is the mark, the one before it the digits' edge
    assert mark[0] - digits[-1] >= 4, (digits[-1], mark[0])


# -- what the ring and the pacer share -------------------------------------------------------------


def _timed_ring(palette: Palette | None = None) -> CountdownRing:
    ring = CountdownRing(palette=palette)
    ring.set_time(remaining_s=10.0, elapsed_s=0.0, total_s=10.0)  # the plain track, no arc yet
    return ring


# (the dial, the y of its track's middle at the top when 600 px square)
DIALS = [(_timed_ring, 300 - round((600 * 0.94 - 600 * 0.94 * 0.07) / 2)), (BreathingPacer, 300 - 282)]


@pytest.mark.parametrize(("make", "track_y"), DIALS)
def test_dials_are_square_by_nature_without_squeezing_the_layout(
    qtbot: QtBot, make: Callable[..., SquareDial], track_y: int
) -> None:
    dial = make(palette=DARK)
    qtbot.addWidget(dial)
    assert isinstance(dial, SquareDial)
    assert (dial.sizeHint().width(), dial.sizeHint().height()) == (320, 320)
    assert (dial.minimumSizeHint().width(), dial.minimumSizeHint().height()) == (160, 160)
    assert dial.heightForWidth(250) == 250 and not dial.hasHeightForWidth()
    assert dial.focusPolicy() == Qt.FocusPolicy.NoFocus


@pytest.mark.parametrize(("make", "track_y"), DIALS)
def test_dials_follow_the_theme_unless_given_a_palette(
    qtbot: QtBot, restore_app: QApplication, make: Callable[..., SquareDial], track_y: int
) -> None:
    apply_theme(restore_app, "dark")
    following, fixed = make(), make(palette=DARK)
    for dial in (following, fixed):
        _shown(qtbot, dial, 600, 600)
    assert _near(following.grab().toImage(), 300, track_y, DARK.ring_track, 12)
    apply_theme(restore_app, "light")
    QApplication.processEvents()
    assert _near(following.grab().toImage(), 300, track_y, LIGHT.ring_track, 12)  # followed the theme
    assert _near(fixed.grab().toImage(), 300, track_y, DARK.ring_track, 12)  # kept its own
    fixed.set_palette(HIGH_CONTRAST)
    assert _near(fixed.grab().toImage(), 300, track_y, HIGH_CONTRAST.ring_track, 12)


# -- breathing pacer -------------------------------------------------------------------------------


def _circle_radius(image: QImage, palette: Palette) -> int:
    """Distance from the centre down to the first pixel of the circle's accent outline."""
    cx, cy = image.width() // 2, image.height() // 2
    return next(d for d in range(cy) if _near(image, cx, cy + d, palette.accent, 50))


def test_pacer_circle_grows_while_breathing_in(qtbot: QtBot, dark_app: QApplication) -> None:
    pacer = BreathingPacer(palette=DARK)
    pacer.set_phase("inhale", 0.0, 4.0)
    start = _circle_radius(_shown(qtbot, pacer, 400, 400), DARK)
    pacer.set_phase("inhale", 0.5, 2.0)
    middle = _circle_radius(pacer.grab().toImage(), DARK)
    pacer.set_phase("hold", 0.3, 1.0)
    held = _circle_radius(pacer.grab().toImage(), DARK)
    pacer.set_phase("exhale", 1.0, 0.0)
    out = _circle_radius(pacer.grab().toImage(), DARK)
    assert start < middle - 20 < held - 40
    assert abs(out - start) <= 2
    assert pacer.word() == "Breathe out"


def test_pacer_words(qtbot: QtBot) -> None:
    pacer = BreathingPacer(palette=DARK)
    words = []
    for phase in ("inhale", "hold", "exhale", "rest", None):
        pacer.set_phase(phase, 0.5, 1.0)
        words.append(pacer.word())
    assert words == ["Breathe in", "Hold", "Breathe out", "Rest", ""]


@pytest.mark.parametrize("size", [(160, 160), (400, 170), (400, 400)])
@pytest.mark.parametrize(
    ("phase", "fraction"), [("exhale", 1.0), ("inhale", 0.0), ("exhale", 0.4), ("hold", 0.5)]
)
def test_pacer_words_stay_inside_the_circle(
    qtbot: QtBot, dark_app: QApplication, size: tuple[int, int], phase: BreathPhase, fraction: float
) -> None:
    pacer = BreathingPacer(palette=DARK)
    pacer.set_phase(phase, fraction, 3.0)
    image = _shown(qtbot, pacer, *size)
    centre = (image.width() / 2, image.height() / 2)
    inked = [
        (x, y)
        for y in range(image.height())
        for x in range(image.width())
        if _near(image, x, y, DARK.text, 40)  # the word, and the seconds a shade dimmer
    ]
    assert inked, "the word is shown"
    radius = pacer.radius()
    outside = [p for p in inked if math.dist(p, centre) > radius - 2]
    assert not outside, f"{pacer.word()!r} runs outside the circle (r {radius:.0f}) at {outside[:3]}"


def test_pacer_words_are_big_when_the_circle_is(qtbot: QtBot, dark_app: QApplication) -> None:
    pacer = BreathingPacer(palette=DARK)
    pacer.set_phase("hold", 0.5, 3.0)
    image = _shown(qtbot, pacer, 400, 400)
    rows = [y for y in range(400) for x in range(100, 300, 2) if _near(image, x, y, DARK.text, 40)]
    assert max(rows) - min(rows) >= 0.15 * pacer.radius()  # read from across the room


# -- phase strip -----------------------------------------------------------------------------------


def test_phase_strip_says_where_the_session_is(qtbot: QtBot, dark_app: QApplication) -> None:
    strip = PhaseStrip(palette=DARK)
    strip.set_phases(["Screening", "Warm-up", "Upper trapezius", "Levator scapulae", "Cool-down"])
    strip.set_position(2, 12, 40, 18 * 60 + 10)
    image = _shown(qtbot, strip, 1024, strip.sizeHint().height())
    assert strip.status_text() == "Step 12 of 40 · about 18 min left"
    assert [strip.phase_state(i) for i in range(5)] == ["done", "done", "current", "upcoming", "upcoming"]
    segment = 1024 / 5
    y = 6
    assert _near(image, round(segment * 2.5), y, DARK.accent, 10)
    assert not _near(image, round(segment * 3.5), y, DARK.accent, 60)
    # the status line fits at 1024 px with room to spare
    assert strip.fontMetrics().horizontalAdvance(strip.status_text()) * 1.1 < 1024
    assert strip.height() >= strip.sizeHint().height()


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(30, "under a minute left"), (18 * 60 + 10, "about 18 min left"), (3900, "about 1 h 05 min left")],
)
def test_remaining_time_is_said_roughly(seconds: float, text: str) -> None:
    assert remaining_text(seconds) == text


# -- themes ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("palette", "least"), [(DARK, 7.0), (HIGH_CONTRAST, 7.0), (LIGHT, 4.5)])
def test_theme_text_is_readable(palette: Palette, least: float) -> None:
    for ground in (palette.background, palette.surface, palette.surface_raised):
        assert _wcag_contrast(palette.text, ground) >= least, ground
        assert _wcag_contrast(palette.muted_text, ground) >= 4.5, ground
    assert _wcag_contrast(palette.on_accent, palette.accent) >= 4.5
    assert _wcag_contrast(palette.on_danger, palette.danger) >= 4.5
    for colour in palette.rating:
        assert _wcag_contrast(palette.on_rating, colour) >= 4.5, colour


def test_dark_theme_is_dim_but_not_pure_black() -> None:
    assert DARK.background != "#000000"
    assert _wcag_contrast(DARK.background, "#000000") < 1.3


@pytest.mark.parametrize("name", ["dark", "light", "high_contrast", "system"])
def test_apply_theme_styles_the_application(qtbot: QtBot, restore_app: QApplication, name: str) -> None:
    palette = apply_theme(restore_app, name, text_scale=1.5)
    assert palette == palette_for(name) == current_palette()
    assert restore_app.palette().color(QPalette.ColorRole.Window) == QColor(palette.background)
    assert restore_app.palette().color(QPalette.ColorRole.WindowText) == QColor(palette.text)
    assert restore_app.font().pointSizeF() == pytest.approx(14 * 1.5)
    window = QWidget()
    column = QVBoxLayout(window)
    button, title, body = QPushButton("Next"), QLabel("Upper trapezius"), QLabel("Hold until it softens.")
    title.setProperty("role", "title")
    for w in (button, title, body):
        column.addWidget(w)
    _shown(qtbot, window, 600, 400)
    assert button.height() >= MIN_TOUCH_PX
    assert title.font().pointSizeF() > body.font().pointSizeF() * 1.5


def test_system_theme_follows_the_os_and_falls_back_to_dark(restore_app: QApplication) -> None:
    scheme = restore_app.styleHints().colorScheme()
    expected = LIGHT if scheme == Qt.ColorScheme.Light else DARK
    assert palette_for("system") == expected


def test_unknown_theme_says_which_exist() -> None:
    with pytest.raises(ThemeError, match="high_contrast"):
        palette_for("sepia")


def test_widgets_follow_the_theme_unless_given_a_palette(qtbot: QtBot, restore_app: QApplication) -> None:
    apply_theme(restore_app, "dark")
    following, fixed = CountdownRing(), CountdownRing(palette=DARK)
    for ring in (following, fixed):
        ring.set_time(remaining_s=None, elapsed_s=5, total_s=None)
        _shown(qtbot, ring, 300, 300)
    apply_theme(restore_app, "light")

    def track_at(ring: CountdownRing) -> QColor:
        return ring.grab().toImage().pixelColor(150, 14)  # on the band at 12 o'clock

    assert _distance(track_at(following), track_at(fixed)) > 60
