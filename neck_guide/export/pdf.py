"""The PDF session report: Qt lays out the report's items (:mod:`neck_guide.export.report`) and paints
the pages.

A report a clinic files: every page says whose session it is (client, session, date) at the top
and "page 2 of 3" at the foot; tables are split only between rows, each page they run onto
starting with their header row; no heading is left alone at the foot of a page (the rules are in
:mod:`neck_guide.export.pages`; this module measures and paints). Several sessions go into one PDF,
each from a new page, each page counting within its session. Text in any script is printed with
the system's fonts (DejaVu Sans, with Arabic, Hebrew, Greek and Cyrillic, then fontconfig's
fallbacks: on Debian fonts-noto-cjk, fonts-symbola, fonts-tlwg-loma and fonts-lohit-deva give
Chinese, Japanese, Korean, symbols, Thai and Devanagari) and embedded with its text, so a PDF reader
finds it; characters outside Unicode's basic plane (most emoji) are printed, but Qt writes no text
for them (its ToUnicode maps stop at U+FFFF).

Needs a QGuiApplication; one is made (offscreen) when none exists, so the command line can export
without a display.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Final

from PySide6.QtCore import QMarginsF, QPointF, QRectF, QSizeF, Qt, QUrl
from PySide6.QtGui import (
    QColor,
    QFont,
    QGuiApplication,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
    QTextDocument,
)

from neck_guide.engine.rating import RatingRow, rating_rows
from neck_guide.engine.record import SessionRecord
from neck_guide.export.pages import Paginator
from neck_guide.export.report import STYLE, Report, page_label, session_items

RESOLUTION_DPI: Final = 300
MARGIN_MM: Final = 15.0
BAND_MM: Final = 8.0  # the running header above the text, and the page number below it
FONT_FAMILIES: Final = ["DejaVu Sans"]  # fontconfig finds the others a script needs


def ensure_application() -> QGuiApplication:
    """The running Qt application, or a new one (offscreen when no platform was chosen)."""
    app = QGuiApplication.instance()
    if isinstance(app, QGuiApplication):
        return app
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    return QGuiApplication([])


def pdf_writer(path: Path, title: str) -> QPdfWriter:
    """An A4 PDF writer at RESOLUTION_DPI with the report's margins."""
    ensure_application()
    writer = QPdfWriter(str(path))
    writer.setResolution(RESOLUTION_DPI)
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM), QPageLayout.Unit.Millimeter)
    writer.setTitle(title)
    writer.setCreator("Neck Guide")
    return writer


class QtMeasure:
    """Heights of report HTML as Qt lays it out on ``writer`` at ``width`` (a pages.Measurer)."""

    def __init__(self, writer: QPdfWriter, width: float, images: dict[str, QImage]) -> None:
        self._writer, self._width, self._images = writer, width, images
        self._cache: dict[str, float] = {}

    def document(self, html: str) -> QTextDocument:
        doc = QTextDocument()
        doc.documentLayout().setPaintDevice(self._writer)  # else the layout comes out tiny
        doc.setDefaultStyleSheet(STYLE)
        font = QFont()
        font.setFamilies(FONT_FAMILIES)
        font.setPointSizeF(9)
        doc.setDefaultFont(font)
        for name, image in self._images.items():
            doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl(name), image)
        doc.setTextWidth(self._width)
        doc.setHtml(html)
        return doc

    def height(self, html: str) -> float:
        if html not in self._cache:
            doc = self.document(html)
            self._cache[html] = doc.size().height() - 2 * doc.documentMargin()
        return self._cache[html]

    def text_html(self, text: str) -> str:
        return f"<p>{escape(text)}</p>"

    def split_text(self, text: str, room: float) -> tuple[str, str]:
        doc = self.document(self.text_html(text))
        block = doc.begin()
        plain, layout = block.text(), block.layout()
        top = doc.documentLayout().blockBoundingRect(block).top() - doc.documentMargin()
        cut = 0
        for n in range(layout.lineCount()):
            line = layout.lineAt(n)
            if top + line.y() + line.height() > room:
                break
            cut = line.textStart() + line.textLength()
        return plain[:cut], plain[cut:].lstrip()


@dataclass(frozen=True, slots=True)
class Page:
    """One page: its HTML and the session it belongs to (its index in the reports)."""

    html: str
    session: int


def lay_out(
    reports: Sequence[Report], writer: QPdfWriter, clinic_name: str = ""
) -> tuple[list[Page], QtMeasure]:
    """The pages of the reports, each session from a new page."""
    page = writer.pageLayout().paintRectPixels(RESOLUTION_DPI)
    band = BAND_MM / 25.4 * RESOLUTION_DPI
    width = int(page.width() * 96 / RESOLUTION_DPI)  # HTML lengths are CSS pixels (1/96 in)
    images = {f"chart-{n}.png": c for n, r in enumerate(reports) if (c := rating_chart(r.record)) is not None}
    measure = QtMeasure(writer, page.width(), images)
    pages: list[Page] = []
    for n, report in enumerate(reports):
        chart = (f"chart-{n}.png", width) if f"chart-{n}.png" in images else None
        paginator = Paginator(measure, page.height() - 2 * band)
        paginator.add(session_items(report, clinic_name=clinic_name, chart=chart))
        pages += [Page("".join(parts), n) for parts in paginator.pages]
    return pages, measure


def write_pdf(reports: Sequence[Report], path: Path, *, clinic_name: str = "") -> int:
    """Write the reports to ``path`` as one PDF; returns the number of pages."""
    writer = pdf_writer(path, _title(reports, clinic_name))
    pages, measure = lay_out(reports, writer, clinic_name)
    rect = writer.pageLayout().paintRectPixels(RESOLUTION_DPI)
    band = BAND_MM / 25.4 * RESOLUTION_DPI
    size = QSizeF(rect.width(), rect.height() - 2 * band)
    painter = QPainter(writer)
    try:
        for n, page in enumerate(pages):
            if n:
                writer.newPage()
            painter.save()
            painter.translate(0, band)
            measure.document(page.html).drawContents(painter, QRectF(0, 0, size.width(), size.height()))
            painter.restore()
            of_session = [p for p in pages if p.session == page.session]
            count = f"page {of_session.index(page) + 1} of {len(of_session)}"
            _paint_bands(painter, size, band, page_label(reports[page.session].record), count)
    finally:
        painter.end()
    del writer  # the file is complete once the writer is gone
    return len(pages) or 1


def _paint_bands(painter: QPainter, size: QSizeF, band: float, label: str, count: str) -> None:
    """The page's header (whose session) and foot (which page of it)."""
    font = QFont()
    font.setFamilies(FONT_FAMILIES)
    font.setPointSizeF(7.5)
    painter.setFont(font)
    grey, middle = QColor("#555555"), Qt.AlignmentFlag.AlignVCenter
    painter.setPen(grey)
    painter.drawText(QRectF(0, 0, size.width(), band * 0.8), Qt.AlignmentFlag.AlignLeft | middle, label)
    painter.setPen(QPen(QColor("#bbbbbb"), 2))
    painter.drawLine(QPointF(0, band * 0.85), QPointF(size.width(), band * 0.85))
    foot = QRectF(0, band + size.height() + band * 0.2, size.width(), band * 0.8)
    painter.setPen(grey)
    painter.drawText(foot, Qt.AlignmentFlag.AlignRight | middle, count)
    painter.drawText(foot, Qt.AlignmentFlag.AlignLeft | middle, "Neck Guide session report")


def _title(reports: Sequence[Report], clinic_name: str) -> str:
    if len(reports) == 1:
        r = reports[0].record
        return f"Session report {r.client_code or ''} {r.started_at[:10]}".replace("  ", " ")
    return f"{clinic_name} session reports ({len(reports)})".strip()


# -- the ratings chart: a bar for every rating that stands, in the order given ------------------
# Pressure and pain have their own colour; a rating above the step's ease-off level a dark outline;
# below each bar, the step it was given on. Corrected and undone ratings are in the table only.

CHART_W: Final = 1300
CHART_H: Final = 420
COLOURS: Final = {"pressure": QColor("#2b6cb0"), "pain": QColor("#dd6b20")}
TEXT: Final = QColor("#333333")


def rating_chart(record: SessionRecord) -> QImage | None:
    """The chart of ``record``'s standing ratings; None when it has none."""
    rows = [r for r in rating_rows(record) if r.standing == "counts"]
    if not rows:
        return None
    image = QImage(CHART_W, CHART_H, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        font = QFont("DejaVu Sans")
        font.setPixelSize(22)
        painter.setFont(font)
        plot = QRectF(70, 60, CHART_W - 100, CHART_H - 130)
        _axes(painter, plot)
        _bars(painter, plot, rows)
        _legend(painter, plot, sorted({r.kind for r in rows}, key=list(COLOURS).index))
    finally:
        painter.end()
    return image


def _axes(painter: QPainter, plot: QRectF) -> None:
    for value in range(0, 11, 2):
        y = plot.bottom() - plot.height() * value / 10
        painter.setPen(QColor("#dddddd") if value else QColor("#555555"))
        painter.drawLine(int(plot.left()), int(y), int(plot.right()), int(y))
        painter.setPen(TEXT)
        painter.drawText(QRectF(0, y - 14, plot.left() - 12, 28), Qt.AlignmentFlag.AlignRight, str(value))
    painter.drawText(
        QRectF(plot.left(), plot.bottom() + 34, plot.width(), 30),
        Qt.AlignmentFlag.AlignHCenter,
        "step it was given on, ratings in the order given",
    )


def _bars(painter: QPainter, plot: QRectF, rows: list[RatingRow]) -> None:
    slot = plot.width() / len(rows)
    bar = max(2.0, min(40.0, slot * 0.6))
    label_every = max(1, round(28 / slot))
    for n, row in enumerate(rows):
        x = plot.left() + n * slot + slot / 2
        h = plot.height() * row.value / 10
        rect = QRectF(x - bar / 2, plot.bottom() - h, bar, h)
        painter.fillRect(rect, COLOURS[row.kind])
        if row.ease_off:
            painter.setPen(QPen(QColor("#000000"), 3))
            painter.drawRect(rect)
        if n % label_every == 0:
            painter.setPen(TEXT)
            painter.drawText(
                QRectF(x - 30, plot.bottom() + 4, 60, 28), Qt.AlignmentFlag.AlignHCenter, str(row.step_number)
            )


def _legend(painter: QPainter, plot: QRectF, kinds: list[str]) -> None:
    x = plot.right() - 170 * len(kinds)
    for kind in kinds:
        painter.fillRect(QRectF(x, 18, 24, 24), COLOURS[kind])
        painter.setPen(TEXT)
        painter.drawText(QRectF(x + 32, 14, 140, 32), Qt.AlignmentFlag.AlignVCenter, kind)
        x += 170
    painter.drawText(QRectF(plot.left(), 14, 600, 32), Qt.AlignmentFlag.AlignVCenter, "Every rating, 1-10")
