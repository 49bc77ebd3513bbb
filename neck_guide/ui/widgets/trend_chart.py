"""A measure's trend across a course of care, with its MCID band and the points beyond it marked.

Shows a :class:`~neck_guide.session.trends.Trend`: the values over the weeks since intake, a
dashed band of the minimal clinically important difference either side of the intake value, and
each point outside the band ringed (the change is larger than the MCID: better or worse, as the
summary above the chart says). The title and the summary are word-wrapped labels above the chart
(a chart's own title is cut when the chart is narrow).
"""

from __future__ import annotations

from datetime import datetime
from typing import Final

from PySide6.QtCharts import QChart, QChartView, QLineSeries, QScatterSeries, QValueAxis
from PySide6.QtCore import QMargins, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QVBoxLayout, QWidget

from neck_guide.session.trends import Trend
from neck_guide.ui.theme import current_palette
from neck_guide.ui.widgets.common import label

CHART_PX: Final = 170
TEXT_SCALE: Final = 0.8
DAYS_PER_WEEK: Final = 7.0


def weeks_since(first: str, at: str) -> float:
    return (
        (datetime.fromisoformat(at) - datetime.fromisoformat(first)).total_seconds() / 86400 / DAYS_PER_WEEK
    )


class TrendChart(QChartView):
    """The chart of one trend: the line, the MCID band around the intake value, rings beyond it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.chart_ = QChart()
        self.chart_.setMargins(QMargins(4, 4, 4, 4))
        self.chart_.legend().hide()
        self.setChart(self.chart_)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(CHART_PX)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.beyond: list[tuple[float, float]] = []  # the ringed points (weeks, value), for tests

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(super().sizeHint().width(), CHART_PX)

    def show_trend(self, trend: Trend) -> None:
        chart, p = self.chart_, current_palette()
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        points = [(weeks_since(trend.points[0].at, t.at), t.value, t.beyond_mcid) for t in trend.points]
        last = max([w for w, _, _ in points] + [1.0])
        x_axis, y_axis = _axis(0, last * 1.05 + 0.1, "weeks"), _axis(trend.low, trend.high, "")
        chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
        series: list[QLineSeries] = []
        if points:
            base = points[0][1]
            for edge in (base - trend.mcid, base + trend.mcid):
                if trend.low <= edge <= trend.high:
                    band = QLineSeries()
                    band.setPen(QPen(QColor(p.muted_text), 1.5, Qt.PenStyle.DashLine))
                    band.append(0, edge)
                    band.append(last * 1.05 + 0.1, edge)
                    series.append(band)
        line, dots, rings = QLineSeries(), QScatterSeries(), QScatterSeries()
        line.setPen(QPen(QColor(p.accent), 3))
        for s, colour, size in ((dots, p.accent, 10.0), (rings, p.warning, 20.0)):
            s.setColor(QColor(colour) if s is dots else QColor(0, 0, 0, 0))
            s.setBorderColor(QColor(colour))
            s.setMarkerSize(size)
        rings.setPen(QPen(QColor(p.warning), 3))
        self.beyond = []
        for weeks, value, beyond in points:
            line.append(weeks, value)
            dots.append(weeks, value)
            if beyond:
                rings.append(weeks, value)
                self.beyond.append((weeks, value))
        for each in (*series, line, dots, rings):
            chart.addSeries(each)
            each.attachAxis(x_axis)
            each.attachAxis(y_axis)
        self._theme(x_axis, y_axis)

    def _theme(self, *axes: QValueAxis) -> None:
        p = current_palette()
        small = QFont(self.font())
        small.setPointSizeF(small.pointSizeF() * TEXT_SCALE)
        self.chart_.setBackgroundBrush(QColor(p.surface))
        self.chart_.setBackgroundRoundness(12)
        for axis in axes:
            axis.setLabelsFont(small)
            axis.setTitleFont(small)
            axis.setLabelsColor(QColor(p.muted_text))
            axis.setTitleBrush(QColor(p.muted_text))
            axis.setGridLineColor(QColor(p.border))
            axis.setLinePenColor(QColor(p.border))
        self.setBackgroundBrush(QColor(p.background))


def _axis(low: float, high: float, title: str) -> QValueAxis:
    axis = QValueAxis()
    axis.setRange(low, high)
    axis.setTickType(QValueAxis.TickType.TicksDynamic)
    axis.setTickAnchor(low)
    span = high - low
    axis.setTickInterval(max(1.0, round(span / 5)))
    axis.setLabelFormat("%g")
    axis.setTruncateLabels(False)
    if title:
        axis.setTitleText(title)
    return axis


class TrendPanel(QWidget):
    """A measure's name, its change since intake in words, and its chart."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        self.title = label("", "muted", wrap=True)
        self.summary = label("", "", wrap=True)
        self.chart = TrendChart()
        for w in (self.title, self.summary, self.chart):
            column.addWidget(w)

    def show_trend(self, trend: Trend) -> None:
        self.title.setText(f"{trend.title} ({trend.low:g}–{trend.high:g}, {trend.better} is better)")
        self.summary.setText(trend.summary())
        self.chart.show_trend(trend)
