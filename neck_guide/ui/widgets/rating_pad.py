"""The 1–10 rating pad: ten big buttons a client's answer can be tapped into with an oily finger.

The pad is dumb on purpose: it shows the step's target band and ease-off threshold, emits the
number tapped, and shows whatever value the page says was recorded. It writes nothing.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRect, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPen, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QBoxLayout,
    QGridLayout,
    QLabel,
    QLayout,
    QSizePolicy,
    QStackedLayout,
    QWidget,
)

from neck_guide.ui.palette import DARK, Palette, blend
from neck_guide.ui.theme import MIN_TOUCH_PX, current_palette

RATINGS = range(1, 11)
BUTTON_SPACING_PX = 8
BAND_MARGIN_PX = 6  # room around the buttons for the target outline
BUTTON_HEIGHT_PX = 76
HEADER_GAP_PX = 6
# below this width ten buttons in a row would be narrower than a fingertip: two rows of five
NARROW_PX = 10 * MIN_TOUCH_PX + 9 * BUTTON_SPACING_PX + 2 * BAND_MARGIN_PX
FLASH_MS = 4000


class RatingButton(QAbstractButton):
    """One number of the pad, painted by hand: a tinted body, a bar of the rating's colour, a big digit.

    Not a QPushButton, so the application's button style sheet (padding, minimum widths) stays out.
    """

    def __init__(self, value: int, parent: QWidget) -> None:
        super().__init__(parent)
        self.value = value
        self.setText(str(value))
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Space and arrows stay with the window
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setMinimumSize(MIN_TOUCH_PX, MIN_TOUCH_PX)
        self.setMaximumHeight(120)
        self.setAccessibleName(f"Rating {value}")
        self._palette = DARK
        self._chosen = False
        self._warn = False

    def set_look(self, palette: Palette, *, chosen: bool, warn: bool) -> None:
        """Colours, whether this is the recorded value, and whether it lies above the ease-off line."""
        self._palette, self._chosen, self._warn = palette, chosen, warn
        self.setProperty("chosen", chosen)
        self.setProperty("ease_off", warn)
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(BUTTON_HEIGHT_PX, BUTTON_HEIGHT_PX)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(MIN_TOUCH_PX, MIN_TOUCH_PX)

    def _colours(self) -> tuple[str, str, str, float]:
        """Body, digit, edge colours and edge width for the current state."""
        p = self._palette
        colour = p.rating_color(self.value)
        if not self.isEnabled():
            if self._chosen:  # the recorded value stays visible on a disabled pad, dimmed
                return blend(colour, p.surface, 0.35), p.on_rating, p.muted_text, 3.0
            return p.surface, blend(p.muted_text, p.surface, 0.45), p.border, 1.5
        if self._chosen or self.isDown():
            body, ink = colour, p.on_rating
        else:
            body, ink = blend(p.surface_raised, colour, 0.2 if p.is_dark else 0.26), p.text
        if self._chosen:
            return body, ink, p.text, 3.0
        if self._warn:
            return body, ink, p.warning, 2.5
        return body, ink, p.border, 1.5

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        body, ink, edge, edge_px = self._colours()
        colour = self._palette.rating_color(self.value)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        box = QRectF(self.rect()).adjusted(edge_px / 2, edge_px / 2, -edge_px / 2, -edge_px / 2)
        painter.setPen(QPen(QColor(edge), edge_px))
        painter.setBrush(QColor(body))
        painter.drawRoundedRect(box, 12, 12)
        bar_h = max(5.0, self.height() * 0.08)
        if not self._chosen and not self.isDown():  # the colour bar, unless the button is filled with it
            bar = QRectF(box.left() + 10, box.bottom() - bar_h - 6, box.width() - 20, bar_h)
            painter.setPen(Qt.PenStyle.NoPen)
            dimmed = not self.isEnabled()
            painter.setBrush(QColor(blend(colour, self._palette.surface, 0.65) if dimmed else colour))
            painter.drawRoundedRect(bar, bar_h / 2, bar_h / 2)
        font = QFont(self.font())
        font.setWeight(QFont.Weight.Bold)
        font.setPixelSize(max(14, round(min(self.height(), self.width()) * 0.42)))
        painter.setFont(font)
        painter.setPen(QColor(ink))
        text_box = QRectF(box.left(), box.top(), box.width(), box.height() - bar_h - 4)
        painter.drawText(text_box, Qt.AlignmentFlag.AlignCenter, self.text())
        painter.end()


def _named_label(name: str, parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setObjectName(name)
    return label


class RatingPad(QWidget):
    """Ten rating buttons, 1 (calm) to 10 (hot), with the target band and ease-off threshold marked.

    Signals:
        rating_chosen(int): a button was tapped; the value 1–10.
    """

    rating_chosen = Signal(int)

    def __init__(
        self, parent: QWidget | None = None, *, palette: Palette | None = None, flash_ms: int = FLASH_MS
    ) -> None:
        super().__init__(parent)
        self._palette = palette or current_palette()
        self._palette_given = palette is not None
        self._target: tuple[int, int] | None = None
        self._ease_off_above: int | None = None
        self._value: int | None = None
        self._narrow = False
        self._dense = False
        self._flashing = False
        self._flash_timer = QTimer(self)
        self._flash_timer.setSingleShot(True)
        self._flash_timer.setInterval(flash_ms)
        self._flash_timer.timeout.connect(self._end_flash)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self._build()
        self._restyle()

    def _build(self) -> None:
        self._header_stack = QStackedLayout()
        self._header_stack.addWidget(self._build_header())
        self._header_stack.addWidget(self.ease_off_banner)
        self._grid = QGridLayout()
        self._grid.setSpacing(BUTTON_SPACING_PX)
        self._grid.setContentsMargins(BAND_MARGIN_PX, BAND_MARGIN_PX, BAND_MARGIN_PX, BAND_MARGIN_PX)
        self.buttons: list[RatingButton] = []
        for value in RATINGS:
            button = RatingButton(value, self)
            button.clicked.connect(lambda _=False, v=value: self.rating_chosen.emit(v))
            self.buttons.append(button)
        self._place_buttons()
        outer = self._outer = QBoxLayout(QBoxLayout.Direction.TopToBottom, self)
        # the minimum comes from minimumSizeHint (two rows), not from the ten-in-a-row grid
        outer.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(HEADER_GAP_PX)
        outer.addLayout(self._header_stack)
        outer.addLayout(self._grid, 1)

    def _build_header(self) -> QWidget:
        """The question and the target/ease-off chips; the banner that replaces them while flashing."""
        self.ask_label = _named_label("ask_label", self)
        self.target_label = _named_label("target_label", self)
        self.ease_off_label = _named_label("ease_off_label", self)
        self.target_label.hide()
        self.ease_off_label.hide()
        self.ease_off_banner = _named_label("ease_off_banner", self)
        self.ease_off_banner.setText("Ease off")
        self.ease_off_banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.ease_off_banner.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        header = QWidget(self)
        header.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self._header = QGridLayout(header)
        self._header.setContentsMargins(BAND_MARGIN_PX, 0, BAND_MARGIN_PX, 0)
        self._header.setHorizontalSpacing(12)
        self._header.setVerticalSpacing(6)
        return header

    # -- API ---------------------------------------------------------------------------------
    def set_palette(self, palette: Palette) -> None:
        self._palette = palette
        self._palette_given = True
        self._restyle()

    def set_spec(self, ask_label: str, target: tuple[int, int] | None, ease_off_above: int | None) -> None:
        """What is asked ("Pressure"), the band to aim for and the value above which to ease off."""
        self.ask_label.setText(ask_label)
        self._target = target
        self._ease_off_above = ease_off_above
        if target is not None:
            low, high = target
            self.target_label.setText(f"target {low}" if low == high else f"target {low}–{high}")
        self.target_label.setVisible(target is not None)
        if ease_off_above is not None:
            self.ease_off_label.setText(f"ease off above {ease_off_above}")
        self.ease_off_label.setVisible(ease_off_above is not None and not self._dense)
        self.ask_label.setVisible(bool(ask_label))
        self._restyle()

    def set_value(self, value: int | None) -> None:
        """Show ``value`` as the last recorded rating (None: nothing recorded yet)."""
        self._value = value
        self._restyle()

    def value(self) -> int | None:
        return self._value

    def set_enabled_pad(self, enabled: bool) -> None:
        for button in self.buttons:
            button.setEnabled(enabled)
        self.update()

    def flash_ease_off(self) -> None:
        """Show a loud "Ease off" for a few seconds (the page calls it when a rating crosses the line)."""
        self._flashing = True
        self._header_stack.setCurrentWidget(self.ease_off_banner)
        self._flash_timer.start()
        self.update()

    def is_flashing(self) -> bool:
        return self._flashing

    def set_dense(self, dense: bool) -> None:
        """Dense (a short window at a large text size): the question and target beside the buttons,
        not above them; the ease-off line is then shown by the buttons' amber edges alone."""
        if dense != self._dense:
            self._dense = dense
            self._outer.setDirection(
                QBoxLayout.Direction.LeftToRight if dense else QBoxLayout.Direction.TopToBottom
            )
            self._outer.setAlignment(
                self._header_stack, Qt.AlignmentFlag.AlignVCenter if dense else Qt.AlignmentFlag(0)
            )
            self._place_buttons()
            self.ease_off_label.setVisible(self._ease_off_above is not None and not dense)

    @property
    def dense(self) -> bool:
        return self._dense

    def is_narrow(self) -> bool:
        """True when the buttons sit in two rows of five."""
        return self._narrow

    def _end_flash(self) -> None:
        self._flashing = False
        self._header_stack.setCurrentIndex(0)
        self.update()

    # -- layout --------------------------------------------------------------------------------
    def _place_header(self) -> None:
        """Wide: the question, then the target and ease-off chips on the right. Narrow or dense: chips
        below."""
        for label in (self.ask_label, self.target_label, self.ease_off_label):
            self._header.removeWidget(label)
        stacked = self._narrow or self._dense
        chips_row, first_chip_column = (1, 0) if stacked else (0, 2)
        self._header.addWidget(self.ask_label, 0, 0, 1, 2 if stacked else 1)
        self._header.addWidget(self.target_label, chips_row, first_chip_column)
        self._header.addWidget(self.ease_off_label, chips_row, first_chip_column + 1)
        for column in range(4):
            self._header.setColumnStretch(column, 0)
        self._header.setColumnStretch(2 if stacked else 1, 1)

    def _place_buttons(self) -> None:
        self._place_header()
        columns = 5 if self._narrow else 10
        for button in self.buttons:
            self._grid.removeWidget(button)
        for index, button in enumerate(self.buttons):
            self._grid.addWidget(button, index // columns, index % columns)
        for column in range(10):
            self._grid.setColumnStretch(column, 1 if column < columns else 0)
        self.updateGeometry()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        beside = self._header_size().width() + HEADER_GAP_PX if self._dense else 0
        narrow = event.size().width() - beside < NARROW_PX
        if narrow != self._narrow:
            self._narrow = narrow
            self._place_buttons()
            layout = self.layout()
            if layout is not None:
                layout.activate()  # lay out now: the layout already handled this resize the old way
        super().resizeEvent(event)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        width = 5 * MIN_TOUCH_PX + 4 * BUTTON_SPACING_PX + 2 * BAND_MARGIN_PX
        if self._dense:
            width += self._header_size().width() + HEADER_GAP_PX
        # as narrow as two rows allow, whatever the current mode: the pad must be able to become narrow
        return QSize(width, self._height_for_rows(2 if self._narrow else 1, MIN_TOUCH_PX))

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        rows = 2 if self._narrow else 1
        width = 10 * BUTTON_HEIGHT_PX + 9 * BUTTON_SPACING_PX
        if self._dense:
            width += self._header_size().width() + HEADER_GAP_PX
        # dense: buttons no taller than a touch target needs, so the height goes to the step
        button_px = MIN_TOUCH_PX + 8 if self._dense else BUTTON_HEIGHT_PX
        return QSize(width, self._height_for_rows(rows, button_px))

    def _header_size(self) -> QSize:
        stack, banner = self._header_stack.sizeHint(), self.ease_off_banner.sizeHint()
        return QSize(max(stack.width(), banner.width()), max(stack.height(), banner.height()))

    def _height_for_rows(self, rows: int, button_px: int) -> int:
        header = self._header_size().height()
        grid = rows * button_px + (rows - 1) * BUTTON_SPACING_PX + 2 * BAND_MARGIN_PX
        return max(header, grid) if self._dense else header + HEADER_GAP_PX + grid

    # -- looks ---------------------------------------------------------------------------------
    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.PaletteChange and not self._palette_given:
            self._palette = current_palette()
            self._restyle()
        super().changeEvent(event)

    def _restyle(self) -> None:
        p = self._palette
        base_pt = QApplication.font().pointSizeF()
        for button in self.buttons:
            warn = self._ease_off_above is not None and button.value > self._ease_off_above
            button.set_look(p, chosen=button.value == self._value, warn=warn)
        self.ask_label.setStyleSheet(f"color: {p.text}; font-size: {base_pt * 1.15:.1f}pt; font-weight: 600;")
        chip = f"border-radius: 8px; padding: 3px 12px; font-weight: 600; font-size: {base_pt:.1f}pt;"
        self.target_label.setStyleSheet(f"color: {p.accent}; border: 2px solid {p.accent}; {chip}")
        self.ease_off_label.setStyleSheet(f"color: {p.warning}; border: 2px dashed {p.warning}; {chip}")
        self.ease_off_banner.setStyleSheet(
            f"background: {p.danger}; color: {p.on_danger}; border-radius: 8px; padding: 0px 16px;"
            f" font-size: {base_pt * 1.3:.1f}pt; font-weight: 800;"
        )
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        super().paintEvent(event)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        if self._target is not None:
            pen = QPen(QColor(self._palette.accent), 3)
            painter.setPen(pen)
            low, high = self._target
            for rect in self._row_rects(low, high):
                painter.drawRoundedRect(QRectF(rect).adjusted(-4.5, -4.5, 4.5, 4.5), 15, 15)
        if self._flashing:
            painter.setPen(QPen(QColor(self._palette.danger), 4))
            painter.drawRoundedRect(QRectF(self.rect()).adjusted(2, 2, -2, -2), 14, 14)
        painter.end()

    def _row_rects(self, low: int, high: int) -> list[QRect]:
        """Bounding boxes of the buttons low..high, one per row they sit on."""
        rows: dict[int, QRect] = {}
        for button in self.buttons[low - 1 : high]:
            top = button.geometry().top()
            rows[top] = rows[top].united(button.geometry()) if top in rows else button.geometry()
        return list(rows.values())
