"""The session report as HTML (pure Python): what the PDF writer lays out.

Everything the record holds that a clinician reads: who, when, which protocol, the outcome (in the
words of every format), the screening answers and acknowledgements, each visit of a step with its
timing and ratings, every rating given (corrections and undone ones marked), notes and aftercare.
All text from records is escaped.

The report is a flow of :data:`Item` for the PDF writer to put on pages: headings (kept with what
follows them), blocks that are never split, plain text that may be split between lines (the notes),
and tables, split only between rows, their header row repeated on each page. Every cell of a table
carries its column's width, so a row measured alone is as tall as it is in the table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from html import escape
from typing import Final

from neck_guide.engine.rating import RatingRow, rating_rows
from neck_guide.engine.record import SessionRecord, StepRecord
from neck_guide.engine.steps import END_WORDS, outcome_line, tally
from neck_guide.protocol.anatomy import MUSCLES

STYLE: Final = """
body { font-size: 9.5pt; }
h1 { font-size: 17pt; margin-bottom: 2pt; }
h2 { font-size: 12.5pt; margin-top: 12pt; margin-bottom: 4pt; }
.small { font-size: 8pt; color: #555; }
th { background-color: #e8eef4; text-align: left; }
td.num, th.num { text-align: right; }
tr.phase td { background-color: #f3f3f3; font-weight: bold; }
tr.rest td { color: #777; }
tr.void td { color: #888; }
"""
STANDING_WORDS: Final = {"counts": "", "corrected": "replaced by a correction", "undone": "undone"}


@dataclass(frozen=True, slots=True)
class Report:
    """One session to print, with the aftercare advice of its protocol (empty if unknown)."""

    record: SessionRecord
    aftercare: Sequence[str] = ()


@dataclass(frozen=True, slots=True)
class Heading:
    """A section heading: on the same page as what follows it."""

    html: str


@dataclass(frozen=True, slots=True)
class Block:
    """HTML that is never split between pages (a paragraph, a list item, the chart)."""

    html: str


@dataclass(frozen=True, slots=True)
class Text:
    """Plain text that may be split between lines when it does not fit on a page (the notes)."""

    text: str


@dataclass(frozen=True, slots=True)
class Table:
    """A table split only between rows; ``head`` is its header row (cells), repeated on each page."""

    head: str
    rows: tuple[str, ...]
    keep: frozenset[int] = frozenset()  # rows that go on the page of the row after them (a phase's name)

    def html(self, rows: Sequence[str] | None = None) -> str:
        body = "".join(self.rows if rows is None else rows)
        return (
            '<table border="1" cellspacing="0" cellpadding="3" width="100%" '
            'style="border-collapse: collapse">'
            f"<thead><tr>{self.head}</tr></thead><tbody>{body}</tbody></table>"
        )


Item = Heading | Block | Text | Table


def when(iso: str | None) -> str:
    if not iso:
        return "—"
    return datetime.fromisoformat(iso).strftime("%a %d %b %Y, %H:%M")


def clock_time(iso: str | None, *, with_seconds: bool = False) -> str:
    return datetime.fromisoformat(iso).strftime("%H:%M:%S" if with_seconds else "%H:%M") if iso else "—"


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


def page_label(record: SessionRecord) -> str:
    """What every page of a session's report says it belongs to (the PDF's running header)."""
    who = f"Client {record.client_code}" if record.client_code else "No client code"
    return f"{who} · session {record.session_id} · {when(record.started_at)}"


def _duration(record: SessionRecord) -> str:
    if not record.ended_at:
        return "—"
    start, end = datetime.fromisoformat(record.started_at), datetime.fromisoformat(record.ended_at)
    return f"{round((end - start).total_seconds() / 60)} min"


def _pain(value: int | None) -> str:
    return "—" if value is None else f"{value}/10"


def _facts(r: SessionRecord) -> list[tuple[str, str]]:
    counts = tally(r)
    facts = [
        ("Client", r.client_code or "no code recorded"),
        ("Date", when(r.started_at)),
        ("Time", f"{clock_time(r.started_at)} – {clock_time(r.ended_at)} ({_duration(r)})"),
        ("Protocol", f"{r.protocol_title} ({r.protocol_id}, version {r.protocol_version})"),
        ("Outcome", outcome_line(r) + (" · practice session, not a treatment" if r.practice else "")),
        ("Steps and visits", f"{counts.steps_text()}, {counts.visits_text()}"),
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


def _cells(
    values: Sequence[str], widths: Sequence[int], tag: str = "td", numeric: frozenset[int] = frozenset()
) -> str:
    return "".join(
        f'<{tag} width="{w}%"{" class=num" if n in numeric else ""}>{v}</{tag}>'
        for n, (v, w) in enumerate(zip(values, widths, strict=True))
    )


def _table(
    head: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths: Sequence[int],
    numeric: frozenset[int] = frozenset(),
    classes: Sequence[str] = (),
) -> Table:
    """A Table of ``rows`` (cells of HTML) under ``head`` (plain words), each column ``widths`` percent."""
    marked = [f" class={c}" if c else "" for c in classes] or [""] * len(rows)
    return Table(
        _cells([escape(h) for h in head], widths, "th", numeric),
        tuple(f"<tr{m}>{_cells(r, widths, numeric=numeric)}</tr>" for r, m in zip(rows, marked, strict=True)),
        frozenset(n for n, c in enumerate(classes) if c == "phase"),
    )


SCREENING_WIDTHS: Final = (55, 10, 35)
STEP_WIDTHS: Final = (6, 6, 31, 6, 14, 11, 17, 9)
RATING_WIDTHS: Final = (5, 10, 6, 24, 7, 6, 9, 7, 14, 12)


def _screening(r: SessionRecord) -> Item:
    if not r.screening:
        return Block("<p>No screening questions were recorded.</p>")
    rows = []
    for a in r.screening:
        kind = a.kind.replace("_", " ")
        if not a.answer:
            note = ""
        elif a.acknowledged:
            note = "acknowledged" + (f": {escape(a.reason)}" if a.reason else "")
        else:
            note = "<b>not acknowledged</b>"
        rows.append(
            (
                f"{escape(a.question)}<br><span class=small>{kind}</span>",
                "<b>Yes</b>" if a.answer else "No",
                note,
            )
        )
    return _table(("Question", "Answer", "Acknowledgement"), rows, SCREENING_WIDTHS)


def _ratings_of(rows: Sequence[RatingRow]) -> str:
    """The ratings that stand, in the order given: "pressure 6, 7 · pain 5"."""
    kinds: dict[str, list[str]] = {}
    for row in rows:
        if row.standing == "counts":
            kinds.setdefault(row.kind, []).append(str(row.value))
    return " · ".join(f"{kind} {', '.join(values)}" for kind, values in kinds.items())


def _step_row(v: StepRecord, ratings: Sequence[RatingRow]) -> list[str]:
    muscle = MUSCLES[v.muscle].name if v.muscle in MUSCLES else (v.muscle or "")
    what = escape(v.title) + (
        f"<br><span class=small>{escape(muscle)} · {escape(v.technique)}</span>" if muscle else ""
    )
    extra = f" (+{seconds(v.extended_s)})" if v.extended_s else ""
    carried = f"<br><span class=small>from {seconds(v.carried_s)}</span>" if v.carried_s else ""
    if v.pauses:
        carried += f"<br><span class=small>paused {len(v.pauses)}×, {seconds(v.paused_s)}</span>"
    ended = END_WORDS[v.end_reason] if v.end_reason else "not ended"
    return [
        str(v.index + 1), str(v.visit + 1), what, escape(v.side or ""), f"{planned(v)}{extra}",
        seconds(v.actual_s) + carried, _ratings_of(ratings), ended,
    ]  # fmt: skip


def _steps(r: SessionRecord) -> Item:
    if not r.steps:
        return Block("<p>No step was started.</p>")
    by_visit: dict[int, list[RatingRow]] = {}
    for row in rating_rows(r):
        by_visit.setdefault(row.visit_number - 1, []).append(row)
    rows: list[list[str]] = []
    classes: list[str] = []
    phase = None
    for v in r.steps:
        if v.phase_id != phase:  # the phase's name in its own row, in the What column
            phase = v.phase_id
            rows.append(["", "", f"<b>{escape(v.phase_title)}</b>", "", "", "", "", ""])
            classes.append("phase")
        rows.append(_step_row(v, by_visit.get(v.visit, [])))
        classes.append("rest" if v.kind == "rest" else "")
    head = ("Step", "Visit", "What", "Side", "Planned", "Ran", "Ratings", "Ended")
    return _table(head, rows, STEP_WIDTHS, frozenset({0, 1, 5}), classes)


def _rating_row(row: RatingRow) -> list[str]:
    flags = []
    if row.in_target is not None:
        flags.append("in target" if row.in_target else "off target")
    if row.ease_off:
        flags.append("<b>ease off</b>")
    note = STANDING_WORDS[row.standing]
    if row.corrects is not None:
        note = f"corrects #{row.corrects}" + (f"; {note}" if note else "")
    return [
        str(row.number), clock_time(row.at, with_seconds=True), str(row.step_number), escape(row.title),
        escape(row.side or ""), str(row.repetition), row.kind, f"<b>{row.value}</b>", ", ".join(flags), note,
    ]  # fmt: skip


def _ratings(r: SessionRecord, chart: tuple[str, int] | None) -> list[Item]:
    rows = rating_rows(r)
    if not rows:
        return [Block("<p>No ratings were recorded.</p>")]
    items: list[Item] = [Block(f'<p><img src="{chart[0]}" width="{chart[1]}"></p>')] if chart else []
    head = ("#", "Time", "Step", "What", "Side", "Rep.", "Kind", "Value", "Target", "Note")
    classes = ["void" if row.standing != "counts" else "" for row in rows]
    cells = [_rating_row(row) for row in rows]
    items.append(_table(head, cells, RATING_WIDTHS, frozenset({0, 2, 5, 7}), classes))
    return items


def session_items(report: Report, *, clinic_name: str, chart: tuple[str, int] | None) -> list[Item]:
    """One session's report as a flow of items, in reading order (``chart``: the image resource of
    the ratings chart and its width in CSS pixels, if the session has ratings)."""
    r = report.record
    items: list[Item] = [Heading(f"<h1>{escape(clinic_name) or 'Session report'}</h1>")]
    if clinic_name:
        items.append(Block("<p class=small>Session report</p>"))
    facts = "".join(
        f"<tr><td width=30%><b>{escape(k)}</b></td><td>{escape(v)}</td></tr>" for k, v in _facts(r)
    )
    items.append(Block(f'<table cellspacing="0" cellpadding="2" width="100%">{facts}</table>'))
    items += [Heading("<h2>Screening</h2>"), _screening(r), Heading("<h2>Steps</h2>"), _steps(r)]
    items += [Heading("<h2>Every rating</h2>"), *_ratings(r, chart), Heading("<h2>Notes</h2>")]
    lines = [line for line in r.notes.strip().splitlines()] if r.notes.strip() else []
    items += [Text(line) for line in lines] or [Block("<p>No notes.</p>")]
    if report.aftercare:
        items.append(Heading("<h2>Aftercare</h2>"))
        items += [Block(f"<p>•&nbsp; {escape(a)}</p>") for a in report.aftercare]
    items.append(Block(f"<p class=small>Session {escape(r.session_id)} · recorded with Neck Guide</p>"))
    return items
