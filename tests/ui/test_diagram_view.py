"""DiagramView paints the highlighted diagram: checked on the pixels it draws (offscreen)."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QImage, QTransform
from PySide6.QtWidgets import QSizePolicy
from pytestqt.qtbot import QtBot

from neck_guide.diagram import DiagramError, Highlight
from neck_guide.ui.widgets.diagram_view import DiagramView

TARGET_DARK = QColor("#ff7a3d")  # .muscle-target in the drawings' dark palette
TARGET_LIGHT = QColor("#e8590c")  # .muscle-target in the light palette
SKIN_LIGHT = QColor("#f6f3f0")  # .outline fill in the light palette
TOLERANCE = 6


def _view(qtbot: QtBot, width: int = 400, height: int = 440) -> DiagramView:
    view = DiagramView()
    qtbot.addWidget(view)
    view.resize(width, height)
    return view


def _image(view: DiagramView) -> QImage:
    return view.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)


def _matches(image: QImage, colour: QColor) -> list[tuple[int, int]]:
    """Pixels within TOLERANCE of ``colour`` (every other pixel, for speed)."""
    r, g, b = colour.red(), colour.green(), colour.blue()
    found = []
    for y in range(0, image.height(), 2):
        for x in range(0, image.width(), 2):
            c = image.pixelColor(x, y)
            if (
                abs(c.red() - r) <= TOLERANCE
                and abs(c.green() - g) <= TOLERANCE
                and abs(c.blue() - b) <= TOLERANCE
            ):
                found.append((x, y))
    return found


def _centre_x(points: list[tuple[int, int]]) -> float:
    return sum(x for x, _ in points) / len(points)


def _uniform(image: QImage) -> bool:
    first = image.pixel(0, 0)
    return all(
        image.pixel(x, y) == first for y in range(0, image.height(), 3) for x in range(0, image.width(), 3)
    )


def test_size_hints_and_policy(qtbot: QtBot) -> None:
    view = _view(qtbot)
    assert view.minimumSizeHint().width() >= 160
    assert view.minimumSizeHint().height() >= 176
    assert view.sizeHint().width() >= view.minimumSizeHint().width()
    assert view.sizePolicy().horizontalPolicy() == QSizePolicy.Policy.Expanding
    assert view.sizePolicy().verticalPolicy() == QSizePolicy.Policy.Expanding


def test_nothing_is_drawn_without_a_highlight(qtbot: QtBot) -> None:
    view = _view(qtbot)
    assert _uniform(_image(view))
    view.set_highlight(Highlight("posterior"))
    assert not _uniform(_image(view))
    view.set_highlight(None)
    assert view.highlight() is None
    assert _uniform(_image(view))


def test_target_colour_appears_only_when_a_muscle_is_highlighted(qtbot: QtBot) -> None:
    view = _view(qtbot)
    view.set_highlight(Highlight("posterior"))
    assert _matches(_image(view), TARGET_DARK) == []

    view.set_highlight(Highlight("posterior", muscles=("upper_trapezius",), side="left"))
    lit = _matches(_image(view), TARGET_DARK)
    assert len(lit) > 200
    # posterior view: the client's left is on the viewer's left
    assert _centre_x(lit) < view.width() / 2

    view.set_highlight(Highlight("posterior", muscles=("upper_trapezius",), side="right"))
    assert _centre_x(_matches(_image(view), TARGET_DARK)) > view.width() / 2


def test_anterior_view_puts_the_clients_right_on_the_viewers_left(qtbot: QtBot) -> None:
    view = _view(qtbot)
    view.set_highlight(Highlight("anterior", muscles=("pectoralis_major",), side="right"))
    assert _centre_x(_matches(_image(view), TARGET_DARK)) < view.width() / 2


def test_left_side_of_the_lateral_view_is_the_mirror_image(qtbot: QtBot) -> None:
    view = _view(qtbot)
    view.set_highlight(Highlight("lateral", muscles=("upper_trapezius",), side="right"))
    assert not view.is_mirrored()
    right = _image(view)
    view.set_highlight(Highlight("lateral", muscles=("upper_trapezius",), side="left"))
    assert view.is_mirrored()
    left = _image(view)

    right_x = _centre_x(_matches(right, TARGET_DARK))
    left_x = _centre_x(_matches(left, TARGET_DARK))
    assert right_x < view.width() / 2 - 20  # facing the viewer's right: the trapezius is at the back
    assert left_x == pytest.approx(view.width() - 1 - right_x, abs=2)

    flipped = right.transformed(QTransform().scale(-1, 1))
    assert flipped.size() == left.size()

    def far(a: QColor, b: QColor) -> bool:  # beyond antialiasing noise
        return max(abs(a.red() - b.red()), abs(a.green() - b.green()), abs(a.blue() - b.blue())) > 48

    differing = sum(
        1
        for y in range(0, left.height(), 2)
        for x in range(0, left.width(), 2)
        if far(left.pixelColor(x, y), flipped.pixelColor(x, y))
    )
    assert differing < 0.002 * (left.width() * left.height() / 4)
    assert left != right


def test_drawing_keeps_its_aspect_ratio_centred(qtbot: QtBot) -> None:
    view = _view(qtbot, 800, 440)
    view.set_highlight(Highlight("anterior", muscles=("scm",)))
    rect = view.drawing_rect()
    assert rect.width() == pytest.approx(400)
    assert rect.height() == pytest.approx(440)
    assert rect.center().x() == pytest.approx(400)
    image = _image(view)
    background = image.pixel(0, 0)
    for y in range(0, image.height(), 4):
        for x in (*range(0, 195, 7), *range(606, 800, 7)):
            assert image.pixel(x, y) == background, (x, y)
    lit = _matches(image, TARGET_DARK)
    assert lit
    assert all(200 <= x < 600 for x, _ in lit)


def test_light_theme_repaints_with_the_light_palette(qtbot: QtBot) -> None:
    view = _view(qtbot)
    view.set_highlight(Highlight("lateral", muscles=("upper_trapezius",)))
    assert len(_matches(_image(view), SKIN_LIGHT)) < 10  # a stray antialiased pixel at most
    view.set_theme("light")
    assert view.theme() == "light"
    image = _image(view)
    assert len(_matches(image, SKIN_LIGHT)) > 1000
    assert _matches(image, TARGET_LIGHT)
    assert _matches(image, TARGET_DARK) == []


def test_bad_highlight_raises_and_keeps_the_drawing(qtbot: QtBot) -> None:
    view = _view(qtbot)
    good = Highlight("posterior", muscles=("rhomboids",))
    view.set_highlight(good)
    before = _image(view)
    with pytest.raises(DiagramError, match="scm"):
        view.set_highlight(Highlight("posterior", muscles=("scm",)))
    assert view.highlight() == good
    assert _image(view) == before
