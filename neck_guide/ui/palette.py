"""The named colours of each theme, and colour arithmetic (blending).

Data only: :mod:`neck_guide.ui.theme` turns a Palette into Qt's palette and style sheet, and the
self-painted widgets take one through ``set_palette``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from PySide6.QtGui import QColor


@dataclass(frozen=True, slots=True)
class Palette:
    """Named colours as ``#rrggbb``; widgets build QColors from them."""

    name: str
    is_dark: bool
    background: str
    surface: str  # panels and cards
    surface_raised: str  # buttons
    border: str
    text: str
    muted_text: str
    accent: str
    on_accent: str  # text on an accent fill
    focus: str
    warning: str
    danger: str
    on_danger: str
    ok: str
    ring_track: str
    ring_fill: str
    ring_min_mark: str
    ring_release: str  # the arc once a range hold's minimum is passed
    rating: tuple[str, ...]  # ten colours, calm (1) to hot (10)
    on_rating: str  # text on a full rating colour

    def rating_color(self, value: int) -> str:
        """The colour of rating ``value`` (1–10)."""
        return self.rating[max(1, min(10, value)) - 1]


def _rating_scale(saturation: float, value: float) -> tuple[str, ...]:
    """Ten hues from a calm blue (1) through green and amber to red (10)."""
    hues = [205, 190, 165, 135, 95, 60, 45, 30, 15, 2]
    return tuple(QColor.fromHsvF(h / 360, saturation, value).name() for h in hues)


DARK: Final = Palette(
    name="dark",
    is_dark=True,
    background="#15181c",
    surface="#1d2127",
    surface_raised="#272c34",
    border="#353c46",
    text="#e4e7eb",
    muted_text="#a3acb7",
    accent="#5cb8c9",
    on_accent="#0e1417",
    focus="#8fd3e0",
    warning="#e6b450",
    danger="#ef7063",
    on_danger="#16090a",
    ok="#6cc98f",
    ring_track="#2b313a",
    ring_fill="#5cb8c9",
    ring_min_mark="#e4e7eb",
    ring_release="#6cc98f",
    rating=_rating_scale(0.55, 0.86),
    on_rating="#111417",
)

LIGHT: Final = Palette(
    name="light",
    is_dark=False,
    background="#f3f4f6",
    surface="#ffffff",
    surface_raised="#e6e9ee",
    border="#c5ccd6",
    text="#1b2027",
    muted_text="#545e6b",
    accent="#17708a",
    on_accent="#ffffff",
    focus="#0b5cad",
    warning="#9a6200",
    danger="#b3261e",
    on_danger="#ffffff",
    ok="#1d7a45",
    ring_track="#dde2e8",
    ring_fill="#17708a",
    ring_min_mark="#1b2027",
    ring_release="#1d8a4c",
    rating=_rating_scale(0.55, 0.88),
    on_rating="#111417",
)

HIGH_CONTRAST: Final = Palette(
    name="high_contrast",
    is_dark=True,
    background="#000000",
    surface="#000000",
    surface_raised="#1a1a1a",
    border="#ffffff",
    text="#ffffff",
    muted_text="#e0e0e0",
    accent="#ffd600",
    on_accent="#000000",
    focus="#ffd600",
    warning="#ffd600",
    danger="#ff6e6e",
    on_danger="#000000",
    ok="#5cff9d",
    ring_track="#3a3a3a",
    ring_fill="#ffd600",
    ring_min_mark="#ffffff",
    ring_release="#5cff9d",
    rating=_rating_scale(0.75, 1.0),
    on_rating="#000000",
)


def blend(a: str, b: str, amount: float) -> str:
    """``a`` moved ``amount`` (0–1) of the way towards ``b``."""
    ca, cb = QColor(a), QColor(b)
    return QColor.fromRgbF(
        ca.redF() + (cb.redF() - ca.redF()) * amount,
        ca.greenF() + (cb.greenF() - ca.greenF()) * amount,
        ca.blueF() + (cb.blueF() - ca.blueF()) * amount,
    ).name()
