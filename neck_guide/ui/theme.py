"""Colour themes and the application style: readable from 2 m in a dim treatment room.

The screen sits 1–2 m from a therapist whose eyes are on the client, so everything is large,
calm and low-glare: the dark theme is a soft charcoal (never pure black, which glares against
bright text), the light theme is for daylight rooms, and high contrast is black, white and
yellow. "system" follows the operating system's light/dark setting, also when it changes.

Label roles (set a dynamic property before the widget is shown: ``label.setProperty("role", "title")``;
after a change call ``style().unpolish(w); style().polish(w)``):
    title, subtitle, technique, instructions, cue, muted, banner-safety, notice,
    question (the client mode's question, the largest text in the app), answer-text, answer-key,
    answer-chosen (the words inside the client mode's answer buttons)
``density="compact"`` on a title, technique, instructions or banner-safety label makes it a size
smaller, for a short window (the runner page at 1024×600).
Button roles: primary, danger, quiet, answer (the client mode's answers: large, left-aligned text,
the chosen one in the accent colour); each has its own disabled look, so a button only needs
``setEnabled``. ``density="compact"`` trims a button's padding (still at least MIN_TOUCH_PX tall).
Buttons have no minimum width of their own: a push button is never laid out narrower than its text
(its minimumSizeHint), and the padding keeps even a one-letter button MIN_TOUCH_PX wide.

Self-painted widgets take a :class:`Palette` through ``set_palette``; until they are given one they
follow the palette of the last :func:`apply_theme` (they repaint on the application's palette change).

Exceptions:
    ValueError
     └── ThemeError   an unknown theme name
"""

from __future__ import annotations

import functools
import logging
from typing import Final

from PySide6.QtCore import QObject, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QGuiApplication,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QApplication, QComboBox, QProxyStyle, QStyle, QStyleOption, QWidget

from neck_guide.paths import RESOURCES_DIR
from neck_guide.ui.palette import DARK, HIGH_CONTRAST, LIGHT, Palette, blend

log = logging.getLogger(__name__)

THEME_NAMES: Final = ("dark", "light", "high_contrast", "system")
BASE_POINT_SIZE: Final = 14.0  # body text; read at 1–2 m on a 10–15" screen
MIN_TOUCH_PX: Final = 48
_BUTTON_SIDE_PX: Final = 22  # with the 2 px border: any button with text is wider than MIN_TOUCH_PX
_COMPACT_SIDE_PX: Final = 16
_STATE_NAME: Final = "neck_guide_theme"


class ThemeError(ValueError):
    """An unknown theme name."""


_PALETTES: Final[dict[str, Palette]] = {p.name: p for p in (DARK, LIGHT, HIGH_CONTRAST)}


def palette_for(name: str) -> Palette:
    """The palette of theme ``name``; "system" asks the OS (dark when it does not say)."""
    if name == "system":
        app = QGuiApplication.instance()
        scheme = app.styleHints().colorScheme() if isinstance(app, QGuiApplication) else None
        return LIGHT if scheme == Qt.ColorScheme.Light else DARK
    try:
        return _PALETTES[name]
    except KeyError:
        raise ThemeError(
            f"unknown theme {name!r}; choose one of {', '.join(THEME_NAMES)} (setting 'theme')"
        ) from None


def current_palette() -> Palette:
    """The palette of the last :func:`apply_theme`, or the dark one before any."""
    app = QGuiApplication.instance()
    state = _state(app) if isinstance(app, QApplication) else None
    return state.palette if state is not None else DARK


class _ThemeState(QObject):
    """The theme in force, kept as a child of the application; follows the OS when "system".

    A Python attribute on a QObject child rather than a dynamic property: with PySide6 6.12,
    reading an unset (None) dynamic property drops a reference to None each time, and the
    interpreter later aborts with "none_dealloc".
    """

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self.setObjectName(_STATE_NAME)
        self.app = app
        self.name = "dark"
        self.palette = DARK
        self.text_scale = 1.0
        self.style: QStyle | None = None
        app.styleHints().colorSchemeChanged.connect(self._on_color_scheme_changed)

    def _on_color_scheme_changed(self, _scheme: Qt.ColorScheme) -> None:
        if self.name == "system":
            _apply_palette(self, palette_for("system"))


def _state(app: QApplication) -> _ThemeState | None:
    found = app.findChild(_ThemeState, _STATE_NAME)
    return found if isinstance(found, _ThemeState) else None


class TouchStyle(QProxyStyle):
    """Fusion, with the two marks a style sheet cannot draw without image files: a big check box
    that reads at a glance (an outlined box; filled with the accent and ticked when on) and a clear
    chevron on combo boxes (Fusion's own are small and dark on a dark theme)."""

    def drawPrimitive(  # noqa: N802 (Qt override)
        self,
        element: QStyle.PrimitiveElement,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        if element == QStyle.PrimitiveElement.PE_IndicatorCheckBox:
            _paint_check_box(painter, option, current_palette())
        elif element == QStyle.PrimitiveElement.PE_IndicatorArrowDown and isinstance(widget, QComboBox):
            # cover the little bevelled button the style sheet engine draws behind the arrow
            painter.fillRect(
                option.rect.adjusted(-3, -3, 3, 3), option.palette.color(QPalette.ColorRole.Button)
            )
            _paint_chevron(painter, QRectF(option.rect), current_palette().muted_text)
        else:
            super().drawPrimitive(element, option, painter, widget)


def _paint_check_box(painter: QPainter, option: QStyleOption, p: Palette) -> None:
    box = QRectF(option.rect).adjusted(1.5, 1.5, -1.5, -1.5)
    on = bool(option.state & QStyle.StateFlag.State_On)
    enabled = bool(option.state & QStyle.StateFlag.State_Enabled)
    edge = (p.accent if on else p.muted_text) if enabled else disabled_text(p)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(QColor(edge), 2))
    painter.setBrush(QColor(edge if on else p.surface))
    painter.drawRoundedRect(box, 6, 6)
    if on:
        tick = QPainterPath(QPointF(box.left() + box.width() * 0.22, box.top() + box.height() * 0.52))
        tick.lineTo(box.left() + box.width() * 0.43, box.top() + box.height() * 0.72)
        tick.lineTo(box.left() + box.width() * 0.78, box.top() + box.height() * 0.30)
        pen = QPen(QColor(p.on_accent if enabled else p.surface), max(2.0, box.width() * 0.13))
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(tick)
    painter.restore()


def _paint_chevron(painter: QPainter, box: QRectF, colour: str) -> None:
    reach = min(box.width(), box.height(), 24.0) * 0.3
    centre = box.center()
    pen = QPen(QColor(colour), max(2.0, reach * 0.35))
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    path = QPainterPath(QPointF(centre.x() - reach, centre.y() - reach / 2))
    path.lineTo(centre.x(), centre.y() + reach / 2)
    path.lineTo(centre.x() + reach, centre.y() - reach / 2)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(pen)
    painter.drawPath(path)
    painter.restore()


def apply_theme(app: QApplication, name: str, text_scale: float = 1.0) -> Palette:
    """Style the whole application: Fusion (with touch-sized marks), a QPalette, scaled fonts and the
    style sheet."""
    palette = palette_for(name)
    state = _state(app) or _ThemeState(app)
    state.name, state.text_scale = name, text_scale
    state.style = TouchStyle("Fusion")  # the application owns it; the reference keeps its Python side
    app.setStyle(state.style)
    _apply_palette(state, palette)
    return palette


@functools.cache
def load_fonts() -> list[str]:
    """The families of the fonts the app ships (resources/fonts), registered once with Qt.

    The UI is laid out for these: the text-fitting rules promise whole lines and a countdown
    readable from 2 m, and a different system font (Noto Sans where installed, Segoe UI on
    Windows) would move every break. Scripts they lack (Chinese, emoji) fall back to the
    system's fonts glyph by glyph.
    """
    families: dict[str, None] = {}
    for path in sorted((RESOURCES_DIR / "fonts").glob("*.ttf")):
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id < 0:
            log.warning("the font %s could not be loaded; the system's font is used", path)
            continue
        families.update(dict.fromkeys(QFontDatabase.applicationFontFamilies(font_id)))
    return list(families)


def _apply_palette(state: _ThemeState, palette: Palette) -> None:
    app = state.app
    state.palette = palette  # before setPalette: widgets read it on their PaletteChange
    font = QFont(app.font())
    if families := load_fonts():
        font.setFamilies(families)
    font.setPointSizeF(BASE_POINT_SIZE * state.text_scale)
    app.setFont(font)
    app.setPalette(qpalette_for(palette))
    app.setStyleSheet(style_sheet(palette, state.text_scale))


def qpalette_for(p: Palette) -> QPalette:
    """A QPalette for widgets the style sheet does not cover (menus, dialogs, item views)."""
    qp = QPalette()
    roles = {
        QPalette.ColorRole.Window: p.background,
        QPalette.ColorRole.WindowText: p.text,
        QPalette.ColorRole.Base: p.surface,
        QPalette.ColorRole.AlternateBase: p.surface_raised,
        QPalette.ColorRole.Text: p.text,
        QPalette.ColorRole.Button: p.surface_raised,
        QPalette.ColorRole.ButtonText: p.text,
        QPalette.ColorRole.BrightText: p.danger,
        QPalette.ColorRole.Highlight: p.accent,
        QPalette.ColorRole.HighlightedText: p.on_accent,
        QPalette.ColorRole.ToolTipBase: p.surface_raised,
        QPalette.ColorRole.ToolTipText: p.text,
        QPalette.ColorRole.PlaceholderText: p.muted_text,
        QPalette.ColorRole.Link: p.accent,
        QPalette.ColorRole.Light: p.surface_raised,
        QPalette.ColorRole.Midlight: p.border,
        QPalette.ColorRole.Mid: p.border,
        QPalette.ColorRole.Dark: p.background,
        QPalette.ColorRole.Shadow: "#000000",
    }
    for role, colour in roles.items():
        qp.setColor(role, QColor(colour))
    disabled = blend(p.muted_text, p.background, 0.35)
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        qp.setColor(QPalette.ColorGroup.Disabled, role, QColor(disabled))
    return qp


def style_sheet(p: Palette, text_scale: float = 1.0) -> str:
    """The application style sheet: big rounded buttons, visible focus, label roles."""
    return _control_rules(p, text_scale) + _label_rules(p, text_scale)


def _pt(factor: float, text_scale: float) -> str:
    return f"{BASE_POINT_SIZE * text_scale * factor:.1f}pt"


def _control_rules(p: Palette, scale: float) -> str:
    return f"""
QMainWindow, QDialog {{ background: {p.background}; }}
QToolTip {{ background: {p.surface_raised}; color: {p.text}; border: 1px solid {p.border}; padding: 6px; }}
QPushButton, QToolButton {{
    background: {p.surface_raised}; color: {p.text}; border: 2px solid {p.border};
    border-radius: 12px; min-height: {MIN_TOUCH_PX - 4}px;
    padding: 4px {_BUTTON_SIDE_PX}px; font-size: {_pt(1.1, scale)}; font-weight: 600;
}}
QPushButton[density="compact"], QToolButton[density="compact"] {{ padding: 0px {_COMPACT_SIDE_PX}px; }}
QPushButton:hover, QToolButton:hover {{ border-color: {p.muted_text}; }}
QPushButton:pressed, QToolButton:pressed {{ background: {p.border}; }}
QPushButton:checked {{ background: {p.accent}; color: {p.on_accent}; border-color: {p.accent}; }}
QPushButton:focus, QToolButton:focus {{ border: 3px solid {p.focus}; }}
QPushButton[role="primary"] {{ background: {p.accent}; color: {p.on_accent}; border-color: {p.accent}; }}
QPushButton[role="primary"]:focus {{ border: 3px solid {p.text}; }}
QPushButton[role="danger"] {{ background: {p.danger}; color: {p.on_danger}; border-color: {p.danger}; }}
QPushButton[role="quiet"] {{ background: transparent; border-color: transparent; color: {p.muted_text}; }}
QPushButton[role="quiet"]:focus {{ border: 3px solid {p.focus}; }}
QPushButton[role="answer"] {{ font-size: {_pt(1.45, scale)}; text-align: left; padding: 8px 24px; }}
QLineEdit[role="answer"] {{ font-size: {_pt(1.45, scale)}; padding: 10px 14px; }}
{_disabled_rules(p)}
QLineEdit, QComboBox, QSpinBox, QDoubleSpinBox, QPlainTextEdit, QTextEdit {{
    background: {p.surface}; color: {p.text}; border: 2px solid {p.border}; border-radius: 10px;
    padding: 6px 10px; min-height: {MIN_TOUCH_PX - 16}px; font-size: {_pt(1.0, scale)};
    selection-background-color: {p.accent}; selection-color: {p.on_accent};
}}
QLineEdit:focus, QComboBox:focus, QSpinBox:focus, QDoubleSpinBox:focus,
QPlainTextEdit:focus, QTextEdit:focus {{ border-color: {p.focus}; }}
QComboBox {{ padding-right: 44px; }}
QComboBox::drop-down {{
    subcontrol-origin: padding; subcontrol-position: center right; width: 40px; height: 30px;
}}
QCheckBox, QRadioButton {{ spacing: 14px; font-size: {_pt(1.05, scale)}; min-height: {MIN_TOUCH_PX}px; }}
QCheckBox::indicator, QRadioButton::indicator {{ width: 30px; height: 30px; }}
QTabWidget::pane {{ border: 2px solid {p.border}; border-radius: 10px; background: {p.surface}; top: -2px; }}
QTabBar::tab {{
    background: {p.background}; color: {p.muted_text}; border: 2px solid {p.border}; border-bottom: none;
    border-top-left-radius: 10px; border-top-right-radius: 10px; padding: 10px 18px; margin-right: 4px;
    min-height: {MIN_TOUCH_PX - 24}px; font-size: {_pt(1.0, scale)}; font-weight: 600;
}}
QTabBar::tab:selected {{ background: {p.surface}; color: {p.text}; border-color: {p.accent}; }}
QListView {{ background: {p.surface}; color: {p.text}; border: none; outline: none; }}
QListView::item {{ border-bottom: 1px solid {p.border}; }}
QListView::item:selected {{ background: {p.accent}; color: {p.on_accent}; }}
QScrollBar:vertical {{ width: 18px; background: {p.background}; }}
QScrollBar::handle:vertical {{ background: {p.border}; border-radius: 8px; min-height: 48px; margin: 2px; }}
QScrollBar::add-line, QScrollBar::sub-line {{ height: 0; width: 0; }}
"""


def disabled_text(p: Palette) -> str:
    """The text colour of a disabled control: clearly fainter than any enabled text, still legible."""
    return blend(p.muted_text, p.surface_raised, 0.45)


def _disabled_rules(p: Palette) -> str:
    """Disabled looks, after the role rules: ``[role=…]:disabled`` outranks ``[role=…]`` (and the
    plain ``:disabled`` does not, as both weigh the same and the later rule wins).

    Every role turns into the same flat, faint button; a disabled primary keeps a faint accent edge
    so the way on is still visible, and a quiet button stays without a box."""
    faint, flat = disabled_text(p), f"background: {p.surface}; border: 2px solid {p.surface_raised};"
    return f"""
QPushButton:disabled, QToolButton:disabled, QPushButton:checked:disabled,
QPushButton[role="danger"]:disabled {{ color: {faint}; {flat} }}
QPushButton[role="primary"]:disabled {{
    color: {faint}; {flat} border-color: {blend(p.accent, p.surface, 0.62)};
}}
QPushButton[role="quiet"]:disabled {{ color: {faint}; background: transparent; border-color: transparent; }}
"""


def _label_rules(p: Palette, scale: float) -> str:
    warning_bg = blend(p.surface, p.warning, 0.16)
    notice_bg = blend(p.surface, p.accent, 0.14)
    return f"""
QLabel {{ background: transparent; }}
QLabel[role="title"] {{ font-size: {_pt(2.0, scale)}; font-weight: 700; }}
QLabel[role="subtitle"] {{ font-size: {_pt(1.35, scale)}; font-weight: 600; color: {p.muted_text}; }}
QLabel[role="technique"] {{ font-size: {_pt(1.6, scale)}; font-weight: 600; color: {p.accent}; }}
QLabel[role="instructions"] {{ font-size: {_pt(1.25, scale)}; }}
QLabel[role="cue"] {{ font-size: {_pt(1.5, scale)}; font-weight: 600; }}
QLabel[role="muted"] {{ font-size: {_pt(0.95, scale)}; color: {p.muted_text}; }}
QLabel[role="question"] {{ font-size: {_pt(1.9, scale)}; font-weight: 600; }}
QLabel[role="answer-text"] {{ font-size: {_pt(1.45, scale)}; font-weight: 600; color: {p.text}; }}
QLabel[role="answer-key"] {{ font-size: {_pt(1.1, scale)}; font-weight: 700; color: {p.muted_text}; }}
QLabel[role="answer-chosen"] {{ font-size: {_pt(1.45, scale)}; font-weight: 600; color: {p.on_accent}; }}
QLabel[role="banner-safety"] {{
    font-size: {_pt(1.15, scale)}; font-weight: 700; color: {p.text}; background: {warning_bg};
    border: 2px solid {p.warning}; border-radius: 10px; padding: 10px 16px;
}}
QLabel[role="notice"] {{
    font-size: {_pt(1.15, scale)}; color: {p.text}; background: {notice_bg};
    border: 2px solid {p.accent}; border-radius: 10px; padding: 10px 16px;
}}
QLabel[role="title"][density="compact"] {{ font-size: {_pt(1.6, scale)}; }}
QLabel[role="technique"][density="compact"] {{ font-size: {_pt(1.3, scale)}; }}
QLabel[role="instructions"][density="compact"] {{ font-size: {_pt(1.15, scale)}; }}
QLabel[role="cue"][density="compact"] {{ font-size: {_pt(1.25, scale)}; }}
QLabel[role="banner-safety"][density="compact"] {{ font-size: {_pt(1.05, scale)}; padding: 5px 12px; }}
"""
