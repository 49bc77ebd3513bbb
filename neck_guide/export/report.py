"""The session report as HTML (pure Python): what the PDF writer lays out.

Everything the record holds that a clinician reads: who, when, which protocol, the screening
answers and acknowledgements, each step with its timing and ratings, notes and aftercare.
All text from records is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from html import escape

from neck_guide.engine.record import SessionRecord, StepRecord
from neck_guide.protocol.anatomy import MUSCLES

REASONS = {
    "completed": "done",
    "released": "released early",
    "next": "moved on",
    "back": "went back",
    "skipped": "skipped",
    "session_ended": "session ended",
}
STATUS = {"finished": "Finished", "abandoned": "Stopped before the end", "running": "Not finished"}

STYLE = """
body { font-size: 9.5pt; }
h1 { font-size: 17pt; margin-bottom: 2pt; }
h2 { font-size: 12.5pt; margin-top: 12pt; margin-bottom: 4pt; }
.small { font-size: 8pt; color: #555; }
th { background-color: #e8eef4; text-align: left; }
td.num, th.num { text-align: right; }
tr.phase td { background-color: #f3f3f3; font-weight: bold; }
tr.rest td { color: #777; }
"""


@dataclass(frozen=True, slots=True)
class Report:
    """One session to print, with the aftercare advice of its protocol (empty if unknown)."""

    record: SessionRecord
    aftercare: Sequence[str] = ()


def when(iso: str | None) -> str:
    if not iso:
        return "—"
    return datetime.fromisoformat(iso).strftime("%a %d %b %Y, %H:%M")


def clock_time(iso: str | None) -> str:
    return datetime.fromisoformat(iso).strftime("%H:%M") if iso else "—"


def seconds(value: float | None) -> str:
    if value is None:
        return "—"
    total = round(value)
    return f"{total // 60}:{total % 60:02d} min" if total >= 60 else f"{total} s"


def planned(v: StepRecord) -> str:
    lo, hi = v.planned_min_s, v.planned_max_s
    if hi is None:
        return "untimed"
    if lo is None or lo == hi:
        return seconds(hi)
    return f"{seconds(lo)} – {seconds(hi)}"


def _duration(record: SessionRecord) -> str:
    if not record.ended_at:
        return "—"
    start, end = datetime.fromisoformat(record.started_at), datetime.fromisoformat(record.ended_at)
    minutes = round((end - start).total_seconds() / 60)
    return f"{minutes} min"


def _pain(value: int | None) -> str:
    return "—" if value is None else f"{value}/10"


def _facts(r: SessionRecord) -> list[tuple[str, str]]:
    facts = [
        ("Client", r.client_code or "no code recorded"),
        ("Date", when(r.started_at)),
        ("Time", f"{clock_time(r.started_at)} – {clock_time(r.ended_at)} ({_duration(r)})"),
        ("Protocol", f"{r.protocol_title} ({r.protocol_id}, version {r.protocol_version})"),
        ("Outcome", STATUS[r.status] + (" · practice session, not a treatment" if r.practice else "")),
        ("Pain before → after", f"{_pain(r.pre_pain)} → {_pain(r.post_pain)}"),
    ]
    if r.rotation_left_deg is not None or r.rotation_right_deg is not None:
        left, right = r.rotation_left_deg, r.rotation_right_deg
        facts.append(
            (
                "Neck rotation",
                f"left {left if left is not None else '—'}°, right {right if right is not None else '—'}°",
            )
        )
    if r.time_scale != 1:
        facts.append(("Timing", f"run {r.time_scale:g}× faster than real time (a demonstration)"))
    return facts


def _table(
    head: Sequence[str], rows: Sequence[str], width: int, numeric: frozenset[int] = frozenset()
) -> str:
    cells = "".join(f"<th{' class=num' if n in numeric else ''}>{escape(h)}</th>" for n, h in enumerate(head))
    return (
        f'<table border="1" cellspacing="0" cellpadding="3" width="{width}" '
        'style="border-collapse: collapse">'
        f"<tr>{cells}</tr>{''.join(rows)}</table>"
    )


def _screening(r: SessionRecord, width: int) -> str:
    if not r.screening:
        return "<p>No screening questions were recorded.</p>"
    rows = []
    for a in r.screening:
        kind = "red flag" if a.kind == "red_flag" else "contraindication"
        if not a.answer:
            note = ""
        elif a.acknowledged:
            note = "acknowledged" + (f": {escape(a.reason)}" if a.reason else "")
        else:
            note = "<b>not acknowledged</b>"
        rows.append(
            f"<tr><td>{escape(a.question)}<br><span class=small>{kind}</span></td>"
            f"<td>{'<b>Yes</b>' if a.answer else 'No'}</td><td>{note}</td></tr>"
        )
    return _table(("Question", "Answer", "Acknowledgement"), rows, width)


def _step_row(v: StepRecord) -> str:
    muscle = MUSCLES[v.muscle].name if v.muscle in MUSCLES else (v.muscle or "")
    what = escape(v.title) + (
        f"<br><span class=small>{escape(muscle)} · {escape(v.technique)}</span>" if muscle else ""
    )
    pressure = "" if v.pressure is None else str(v.pressure)
    pain = "" if v.pain is None else str(v.pain)
    extra = f" (+{seconds(v.extended_s)})" if v.extended_s else ""
    return (
        f"<tr{' class=rest' if v.kind == 'rest' else ''}><td class=num>{v.index + 1}</td><td>{what}</td>"
        f"<td>{escape(v.side or '')}</td><td>{planned(v)}{extra}</td><td class=num>{seconds(v.actual_s)}</td>"
        f"<td class=num>{pressure}</td><td class=num>{pain}</td>"
        f"<td>{REASONS.get(v.end_reason or '', 'not ended')}</td></tr>"
    )


def _steps(r: SessionRecord, width: int) -> str:
    if not r.steps:
        return "<p>No step was started.</p>"
    rows: list[str] = []
    phase = None
    for v in r.steps:
        if v.phase_id != phase:
            phase = v.phase_id
            rows.append(f"<tr class=phase><td colspan=8>{escape(v.phase_title)}</td></tr>")
        rows.append(_step_row(v))
    head = ("#", "Step", "Side", "Planned", "Actual", "Pressure", "Pain", "Ended")
    return _table(head, rows, width, numeric=frozenset({0, 4, 5, 6}))


def session_html(report: Report, *, clinic_name: str, chart_url: str | None, width: int) -> str:
    """The body of one session's report (``width``: the text width in document pixels)."""
    r = report.record
    parts = [f"<h1>{escape(clinic_name) or 'Session report'}</h1>"]
    if clinic_name:
        parts.append("<p class=small>Session report</p>")
    facts = "".join(
        f"<tr><td width=30%><b>{escape(k)}</b></td><td>{escape(v)}</td></tr>" for k, v in _facts(r)
    )
    parts.append(f'<table cellspacing="0" cellpadding="2" width="{width}">{facts}</table>')
    parts += ["<h2>Screening</h2>", _screening(r, width), "<h2>Steps</h2>", _steps(r, width)]
    parts.append("<h2>Ratings</h2>")
    if chart_url:
        parts.append(f'<p><img src="{chart_url}" width="{width}"></p>')
    else:
        parts.append("<p>No ratings were recorded.</p>")
    notes = escape(r.notes.strip()).replace("\n", "<br>") if r.notes.strip() else "No notes."
    parts += ["<h2>Notes</h2>", f"<p>{notes}</p>"]
    if report.aftercare:
        items = "".join(f"<li>{escape(a)}</li>" for a in report.aftercare)
        parts += ["<h2>Aftercare</h2>", f"<ul>{items}</ul>"]
    parts.append(f"<p class=small>Session {escape(r.session_id)} · recorded with Neck Guide</p>")
    return "".join(parts)


def document_html(bodies: Sequence[str]) -> str:
    """Several sessions, each from a new page."""
    pages = [
        b if n == 0 else f'<div style="page-break-before: always">{b}</div>' for n, b in enumerate(bodies)
    ]
    return f"<html><body>{''.join(pages)}</body></html>"
