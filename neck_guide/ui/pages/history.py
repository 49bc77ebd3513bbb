"""The history page: a client's sessions, pain before and after across them, one session's ratings,
and the client's progress on the outcome measures (NDI, PSFS, pain: each trend with the change
since intake and the points beyond the measure's MCID, see neck_guide.session.trends).

Treatment and practice sessions are listed apart. Charts are QtCharts views (imported with
this page, which the window builds only when history is first opened).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from PySide6.QtCharts import QChart, QChartView, QLineSeries, QScatterSeries, QValueAxis
from PySide6.QtCore import QMargins, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen, QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QSizePolicy,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from neck_guide.engine.rating import rating_rows
from neck_guide.engine.record import SessionRecord
from neck_guide.questionnaire.model import Questionnaire
from neck_guide.session.trends import trends
from neck_guide.store import SessionStore, SessionSummary, StoreError
from neck_guide.ui.theme import current_palette
from neck_guide.ui.widgets.common import NBSP, dotted, label
from neck_guide.ui.widgets.scrolling import ScrollColumn
from neck_guide.ui.widgets.trend_chart import TrendPanel

ALL: Final = ""
CHART_MIN_PX: Final = 150
CHART_TEXT_SCALE: Final = 0.8
Y_EVERY_2_FROM_PX: Final = 240
RATINGS_TITLE: Final = "Ratings of the selected session, by step (1–10)"


def summary_line(s: SessionSummary, *, with_client: bool = True) -> str:
    """One session in a list row; ``with_client`` False when the list is one client's already."""
    when = s.started_at[:16].replace("T", " ")
    pain = f"pain {_pain(s.pre_pain)} → {_pain(s.post_pain)}"
    status = "" if s.status == "finished" else f"{NBSP}· {s.status}"
    who = f"{s.client_code}{NBSP}· " if s.client_code and with_client else ""
    ratings = f"{s.ratings} rating{'' if s.ratings == 1 else 's'}"
    return dotted(when, who + s.protocol_title, pain, ratings + status)


def _pain(value: int | None) -> str:
    return "–" if value is None else str(value)


class LineChart(QChartView):
    """A small line chart with points, themed from the app palette; y runs ``y_min``..``y_max``.

    Its title is a word-wrapped label above it (see HistoryPage): a chart's own title is cut with
    "…" when it is wider than the chart, which large text makes it."""

    def __init__(self, y_min: int, y_max: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._y = (y_min, y_max)
        self.chart_ = QChart()
        self.chart_.setMargins(QMargins(4, 4, 4, 4))
        self.chart_.legend().setAlignment(Qt.AlignmentFlag.AlignRight)
        self.setChart(self.chart_)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(CHART_MIN_PX)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.series: dict[str, list[tuple[float, float]]] = {}
        self._y_axis: QValueAxis | None = None

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        """No taller than its minimum: the charts share what height the page has (their column
        scrolls only when it has less than that)."""
        return QSize(super().sizeHint().width(), CHART_MIN_PX)

    def _y_interval(self) -> int:
        """Every second value where there is room for six labels, else every fifth (0, 5, 10): a
        squeezed axis otherwise drops labels unevenly."""
        return 2 if self.height() >= Y_EVERY_2_FROM_PX else 5

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        if self._y_axis is not None:
            self._y_axis.setTickInterval(self._y_interval())

    def show_series(self, series: dict[str, list[tuple[float, float]]], x_title: str) -> None:
        """Replace the lines: name -> [(x, y), ...]."""
        self.series = series
        chart = self.chart_
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        xs = [x for points in series.values() for x, _ in points] or [1.0]
        x_axis = _axis(
            min(xs) - 0.5, max(xs) + 0.5, anchor=1, interval=max(1, round((max(xs) - min(xs)) / 10))
        )
        x_axis.setTitleText(x_title)
        x_axis.setTitleVisible(False)
        y_axis = _axis(*self._y, anchor=0, interval=self._y_interval())
        self._y_axis = y_axis
        chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
        p = current_palette()
        colours = [p.accent, p.warning, p.ok, p.danger]
        for n, (name, points) in enumerate(series.items()):
            colour = QColor(colours[n % len(colours)])
            line, dots = QLineSeries(), QScatterSeries()
            line.setName(name)
            line.setPen(QPen(colour, 3))
            dots.setColor(colour)
            dots.setBorderColor(colour)
            dots.setMarkerSize(10)
            for x, y in points:
                line.append(x, y)
                dots.append(x, y)
            for s in (line, dots):
                chart.addSeries(s)
                s.attachAxis(x_axis)
                s.attachAxis(y_axis)
            chart.legend().markers(dots)[0].setVisible(False)
        self._theme(x_axis, y_axis)

    def _theme(self, *axes: QValueAxis) -> None:
        p = current_palette()
        chart = self.chart_
        small = QFont(self.font())
        small.setPointSizeF(small.pointSizeF() * CHART_TEXT_SCALE)
        chart.legend().setFont(small)
        chart.setBackgroundBrush(QColor(p.surface))
        chart.setBackgroundRoundness(12)
        chart.legend().setLabelColor(QColor(p.text))
        for axis in axes:
            axis.setTruncateLabels(False)
            axis.setLabelsFont(small)
            axis.setTitleFont(small)
            axis.setLabelsColor(QColor(p.muted_text))
            axis.setTitleBrush(QColor(p.muted_text))
            axis.setGridLineColor(QColor(p.border))
            axis.setLinePenColor(QColor(p.border))
        self.setBackgroundBrush(QColor(p.background))


def _axis(low: float, high: float, *, anchor: float, interval: float) -> QValueAxis:
    """A value axis with whole-number ticks every ``interval`` from ``anchor``."""
    axis = QValueAxis()
    axis.setRange(low, high)
    axis.setTickType(QValueAxis.TickType.TicksDynamic)
    axis.setTickAnchor(anchor)
    axis.setTickInterval(interval)
    axis.setLabelFormat("%d")
    return axis


class HistoryPage(QWidget):
    """Sessions by client, charts of pain and ratings, notes."""

    def __init__(
        self,
        store: SessionStore,
        parent: QWidget | None = None,
        *,
        questionnaires: Sequence[Questionnaire] = (),
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._questionnaires = tuple(questionnaires)
        self._summaries: list[SessionSummary] = []
        page = QVBoxLayout(self)
        page.setContentsMargins(24, 12, 24, 12)
        top = QHBoxLayout()
        top.addWidget(label("History", "title"))
        top.addStretch(1)
        top.addWidget(label("Client"))
        self.client = QComboBox()
        self.client.setMinimumWidth(240)
        self.client.setAccessibleName("Client")
        self.client.currentIndexChanged.connect(self._on_client_changed)
        top.addWidget(self.client)
        page.addLayout(top)
        self.status = label("", "muted", wrap=True)
        page.addWidget(self.status)
        page.addLayout(self._build_body(), 1)

    def _build_body(self) -> QHBoxLayout:
        body = QHBoxLayout()
        body.setSpacing(16)
        self.tabs = QTabWidget()
        self.tabs.tabBar().setUsesScrollButtons(False)  # both tabs whole: the column is as wide as they
        self.treatments = QListWidget()
        self.practice = QListWidget()
        for lst in (self.treatments, self.practice):
            lst.setWordWrap(True)
            lst.setStyleSheet("QListWidget::item { min-height: 48px; padding: 4px; }")
            lst.currentItemChanged.connect(self._on_session_selected)
        self.tabs.addTab(self.treatments, "Treatment")
        self.tabs.addTab(self.practice, "Practice")
        body.addWidget(self.tabs, 2)
        body.addWidget(self._build_charts(), 3)
        return body

    def _build_charts(self) -> ScrollColumn:
        """The two charts under their titles, and the notes; they scroll when the window is too
        short for them (large text)."""
        box = QWidget()
        charts = QVBoxLayout(box)
        charts.setContentsMargins(0, 0, 8, 0)
        self.pain_title = label("Pain before and after, by treatment session (0–10)", "muted", wrap=True)
        self.pain_chart = LineChart(0, 10)
        self.ratings_title = label(RATINGS_TITLE, "muted", wrap=True)
        self.ratings_chart = LineChart(0, 10)
        self.notes = label("", "muted", wrap=True)
        for title, chart in ((self.pain_title, self.pain_chart), (self.ratings_title, self.ratings_chart)):
            charts.addWidget(title)
            charts.addWidget(chart, 1)
        charts.addWidget(self.notes)
        self.progress_title = label("Progress on the outcome measures, since intake", "subtitle", wrap=True)
        charts.addWidget(self.progress_title)
        self.progress_key = label(
            "Dashed lines: the minimal clinically important difference (MCID) either side of the "
            "intake value. A ring: a change since intake larger than the MCID.",
            "muted",
            wrap=True,
        )
        charts.addWidget(self.progress_key)
        self.trends: list[TrendPanel] = []
        for _ in self._questionnaires:
            panel = TrendPanel()
            self.trends.append(panel)
            charts.addWidget(panel)
        return ScrollColumn(box)

    def refresh(self, client_code: str | None = None) -> None:
        """Reload clients and sessions from the records; show ``client_code`` (None: all)."""
        try:
            clients = self._store.clients()
        except StoreError as e:
            self.status.setText(f"The records could not be read: {e}")
            return
        self.client.blockSignals(True)
        self.client.clear()
        self.client.addItem("All sessions", ALL)
        for c in clients:
            self.client.addItem(f"{c.code} ({c.sessions})", c.code)
        index = self.client.findData(client_code) if client_code else 0
        self.client.setCurrentIndex(max(0, index))
        self.client.blockSignals(False)
        self._on_client_changed()

    def _on_client_changed(self) -> None:
        code = self.client.currentData() or None
        try:
            self._summaries = self._store.sessions(client=code)
        except StoreError as e:
            self.status.setText(f"The records could not be read: {e}")
            return
        treat = [s for s in self._summaries if not s.practice]
        practice = [s for s in self._summaries if s.practice]
        for lst, rows in ((self.treatments, treat), (self.practice, practice)):
            lst.clear()
            for s in reversed(rows):  # newest first
                item = QListWidgetItem(summary_line(s, with_client=code is None))
                item.setData(Qt.ItemDataRole.UserRole, s.session_id)
                lst.addItem(item)
        self.tabs.setTabText(0, f"Treatment ({len(treat)})")
        self.tabs.setTabText(1, f"Practice ({len(practice)})")
        self.status.setText("" if self._summaries else "No sessions recorded yet.")
        self._show_pain(treat)
        self._show_progress(code, treat)
        self._show_session(None)
        for lst in (self.treatments, self.practice):
            if lst.count():
                lst.setCurrentRow(0)

    def _show_pain(self, treatments: list[SessionSummary]) -> None:
        pre = [(float(n), float(s.pre_pain)) for n, s in enumerate(treatments, 1) if s.pre_pain is not None]
        post = [
            (float(n), float(s.post_pain)) for n, s in enumerate(treatments, 1) if s.post_pain is not None
        ]
        self.pain_chart.show_series({"Before": pre, "After": post}, "treatment session")

    def _show_progress(self, code: str | None, treatments: list[SessionSummary]) -> None:
        """Each measure's trend for one client (none for "All sessions")."""
        shown = code is not None and bool(self.trends)
        self.progress_title.setVisible(shown)
        self.progress_key.setVisible(shown)
        for panel in self.trends:
            panel.setVisible(shown)
        if not shown:
            return
        try:
            responses = self._store.responses(client=code)
        except StoreError as e:
            self.status.setText(f"The questionnaires could not be read: {e}")
            return
        for panel, trend in zip(
            self.trends, trends(self._questionnaires, responses, treatments), strict=False
        ):
            panel.show_trend(trend)

    def _on_session_selected(self, item: QListWidgetItem | None) -> None:
        if item is None:
            return
        try:
            record = self._store.load(str(item.data(Qt.ItemDataRole.UserRole)))
        except StoreError as e:
            self.status.setText(f"The session could not be read: {e}")
            return
        self._show_session(record)

    def _show_session(self, record: SessionRecord | None) -> None:
        if record is None:
            self.ratings_chart.show_series({}, "step")
            self.ratings_title.setText(RATINGS_TITLE)
            self.notes.setText("")
            return
        series: dict[str, list[tuple[float, float]]] = {"Pressure": [], "Pain": []}
        for row in rating_rows(record):  # every rating that stands, at its own minute
            if row.standing == "counts":
                series["Pressure" if row.kind == "pressure" else "Pain"].append(
                    (row.minute, float(row.value))
                )
        self.ratings_chart.show_series({k: v for k, v in series.items() if v}, "minute")
        self.ratings_title.setText(
            f"Ratings over the session, by minute: {record.protocol_title}, {record.started_at[:10]} (1–10)"
        )
        self.notes.setText(f"Notes: {record.notes}" if record.notes else "No notes for this session.")
