"""The PDF session report: Qt's QPdfWriter lays out the HTML of :mod:`neck_guide.export.report`.

The ratings chart is painted into a QImage (a bar pair per rated step: pressure and pain, 0-10)
and given to the document as an image resource. Several sessions go into one PDF, each from a
new page. Needs a QGuiApplication; one is made (offscreen) when none exists, so the command line
can export without a display.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt, QUrl
from PySide6.QtGui import (
    QColor,
    QFont,
    QGuiApplication,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextDocument,
)

from neck_guide.engine.record import SessionRecord
from neck_guide.export.report import STYLE, Report, document_html, session_html

RESOLUTION_DPI = 300
MARGIN_MM = 15.0
CHART_W, CHART_H = 1300, 420
PRESSURE_COLOUR = QColor("#2b6cb0")
PAIN_COLOUR = QColor("#dd6b20")


def ensure_application() -> QGuiApplication:
    """The running Qt application, or a new one (offscreen when no platform was chosen)."""
    app = QGuiApplication.instance()
    if isinstance(app, QGuiApplication):
        return app
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    return QGuiApplication([])


def write_pdf(reports: Sequence[Report], path: Path, *, clinic_name: str = "") -> int:
    """Write the reports to ``path`` as one PDF; returns the number of pages."""
    ensure_application()
    writer = QPdfWriter(str(path))
    writer.setResolution(RESOLUTION_DPI)
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM), QPageLayout.Unit.Millimeter)
    writer.setTitle(_title(reports, clinic_name))
    writer.setCreator("Neck Guide")
    doc = QTextDocument()
    doc.documentLayout().setPaintDevice(writer)  # else the layout comes out tiny
    page = writer.pageLayout().paintRectPixels(RESOLUTION_DPI)
    doc.setPageSize(QSizeF(page.width(), page.height()))
    doc.setDefaultStyleSheet(STYLE)
    doc.setDefaultFont(QFont("DejaVu Sans", 9))
    width = int(page.width() * 96 / RESOLUTION_DPI)  # HTML lengths are CSS pixels (1/96 in)
    bodies = []
    for n, report in enumerate(reports):
        chart = rating_chart(report.record)
        url = None
        if chart is not None:
            url = f"chart-{n}.png"
            doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl(url), chart)
        bodies.append(session_html(report, clinic_name=clinic_name, chart_url=url, width=width))
    doc.setHtml(document_html(bodies))
    doc.print_(writer)
    pages = doc.pageCount()
    del writer  # the file is complete once the writer is gone
    return pages


def _title(reports: Sequence[Report], clinic_name: str) -> str:
    if len(reports) == 1:
        r = reports[0].record
        return f"Session report {r.client_code or ''} {r.started_at[:10]}".replace("  ", " ")
    return f"{clinic_name} session reports ({len(reports)})".strip()


def rating_chart(record: SessionRecord) -> QImage | None:
    """Bars of the pressure and pain ratings per rated step, in session order; None without ratings."""
    rated = [
        (v.index + 1, v.pressure, v.pain)
        for v in record.steps
        if v.pressure is not None or v.pain is not None
    ]
    if not rated:
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
        _bars(painter, plot, rated)
        _legend(painter, plot, _kinds(rated))
    finally:
        painter.end()
    return image


def _axes(painter: QPainter, plot: QRectF) -> None:
    for value in range(0, 11, 2):
        y = plot.bottom() - plot.height() * value / 10
        painter.setPen(QColor("#dddddd") if value else QColor("#555555"))
        painter.drawLine(int(plot.left()), int(y), int(plot.right()), int(y))
        painter.setPen(QColor("#333333"))
        painter.drawText(QRectF(0, y - 14, plot.left() - 12, 28), Qt.AlignmentFlag.AlignRight, str(value))
    painter.drawText(
        QRectF(plot.left(), plot.bottom() + 34, plot.width(), 30), Qt.AlignmentFlag.AlignHCenter, "step"
    )


def _bars(painter: QPainter, plot: QRectF, rated: list[tuple[int, int | None, int | None]]) -> None:
    slot = plot.width() / len(rated)
    bar = max(2.0, min(40.0, slot * 0.38))
    kinds = _kinds(rated)
    offsets = {"pressure": -bar, "pain": 0.0} if len(kinds) == 2 else {k: -bar / 2 for k in kinds}
    label_every = max(1, round(28 / slot))
    for n, (step, pressure, pain) in enumerate(rated):
        x = plot.left() + n * slot + slot / 2
        for kind, value, colour in (("pressure", pressure, PRESSURE_COLOUR), ("pain", pain, PAIN_COLOUR)):
            if value is not None:
                h = plot.height() * value / 10
                painter.fillRect(QRectF(x + offsets[kind], plot.bottom() - h, bar, h), colour)
        if n % label_every == 0:
            painter.setPen(QColor("#333333"))
            painter.drawText(
                QRectF(x - 30, plot.bottom() + 4, 60, 28), Qt.AlignmentFlag.AlignHCenter, str(step)
            )


def _kinds(rated: list[tuple[int, int | None, int | None]]) -> list[str]:
    kinds = []
    if any(p is not None for _, p, _ in rated):
        kinds.append("pressure")
    if any(p is not None for _, _, p in rated):
        kinds.append("pain")
    return kinds


def _legend(painter: QPainter, plot: QRectF, kinds: list[str]) -> None:
    colours = {"pressure": PRESSURE_COLOUR, "pain": PAIN_COLOUR}
    x = plot.right() - 170 * len(kinds)
    for kind in kinds:
        painter.fillRect(QRectF(x, 18, 24, 24), colours[kind])
        painter.setPen(QColor("#333333"))
        painter.drawText(QRectF(x + 32, 14, 140, 32), Qt.AlignmentFlag.AlignVCenter, kind)
        x += 170
    painter.drawText(
        QRectF(plot.left(), 14, 600, 32), Qt.AlignmentFlag.AlignVCenter, "Ratings 1-10 per rated step"
    )
