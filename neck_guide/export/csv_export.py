"""One CSV row per step visit, for spreadsheets and statistics; streamed, so a year of records is fine.

Times are ISO 8601 with their UTC offset, durations protocol seconds (to the millisecond), ratings
1-10 (the last one given for the visit: a re-rating replaces the earlier). Text that a spreadsheet
would run as a formula (starting with = + - @, a tab or a carriage return) gets a leading
apostrophe; numbers are written by us and stay numbers.

Rows come from session records (:func:`step_rows`) or straight from the store
(``SessionStore.step_table``, the fast path for a whole year); both give the same StepRow tuples.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from typing import TextIO

from neck_guide.engine.record import SessionRecord, StepRecord
from neck_guide.store.models import StepRow

COLUMNS: tuple[str, ...] = (
    "session_id",
    "client_code",
    "protocol_id",
    "protocol_version",
    "phase",
    "step",
    "muscle",
    "side",
    "technique",
    "planned_min_s",
    "planned_max_s",
    "actual_s",
    "pressure",
    "pain",
    "started_at",
    "ended_at",
    "practice",
    "visit",
    "repetition",
    "end_reason",
)
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")  # full-width forms too
_QUOTE_OR_LINE_END = re.compile(r'["\r\n]')


def text(value: str | None) -> str:
    """A text cell a spreadsheet shows as text, never runs."""
    if not value:
        return ""
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def number(value: float | None) -> str:
    if value is None:
        return ""
    if float(value).is_integer():
        return str(int(value))
    return repr(round(value, 3))


def step_rows(records: Iterable[SessionRecord]) -> Iterator[StepRow]:
    """The step visits of ``records`` as flat rows, in session then visit order."""
    for r in records:
        for v in r.steps:
            pressure, pain = _last_ratings(v)
            yield (
                r.session_id, r.client_code, r.protocol_id, r.protocol_version,
                v.phase_id, v.step_id, v.muscle, v.side, v.technique, v.planned_min_s, v.planned_max_s,
                v.actual_s, pressure, pain, v.started_at, v.ended_at, int(r.practice), v.visit,
                v.repetition, v.end_reason,
            )  # fmt: skip


def _last_ratings(v: StepRecord) -> tuple[int | None, int | None]:
    """(pressure, pain): the last rating of each kind counts."""
    pressure = pain = None
    for r in v.ratings:
        if r.kind == "pressure":
            pressure = r.value
        else:
            pain = r.value
    return pressure, pain


def cells(row: StepRow) -> list[str]:
    """The CSV cells of one row: text neutralised, numbers formatted, times and reasons as they are."""
    return [*_head(row), *_step(row), *_own(row)]


def _head(row: StepRow) -> list[str]:
    return [text(row[0]), text(row[1]), text(row[2]), text(row[3])]


def _step(row: StepRow) -> list[str]:
    return [
        text(row[4]),
        text(row[5]),
        text(row[6]),
        text(row[7]),
        text(row[8]),
        number(row[9]),
        number(row[10]),
    ]


def _own(row: StepRow) -> list[str]:
    pressure, pain = row[12], row[13]
    return [
        number(row[11]), "" if pressure is None else str(pressure), "" if pain is None else str(pain),
        row[14], row[15] or "", "true" if row[16] else "false", str(row[17]), str(row[18]), row[19] or "",
    ]  # fmt: skip


def rows(records: Iterable[SessionRecord]) -> Iterator[list[str]]:
    """The data rows (cells, no header) of ``records``."""
    return (cells(row) for row in step_rows(records))


def write_csv(records: Iterable[SessionRecord], out: TextIO) -> int:
    """Header and rows of ``records`` to ``out`` (opened with ``newline=""``); returns the row count."""
    return write_table(step_rows(records), out)


def write_table(table: Iterable[StepRow], out: TextIO) -> int:
    """Header and rows to ``out``: the same text as ``csv.writer(out)`` given the cells, but the
    cells a session or a step repeats on every row are quoted once, not 250,000 times."""
    out.write(render(list(COLUMNS)) + "\r\n")
    steps: dict[tuple[object, ...], str] = {}
    head_of: tuple[object, ...] = ()
    head = ""
    chunk: list[str] = []
    n = 0
    for row in table:
        if row[:4] != head_of:
            head_of, head = row[:4], render(_head(row))
        key = row[4:11]
        step = steps.get(key)
        if step is None:
            step = steps[key] = render(_step(row))
        own = _own(row)
        tail = ",".join(own)
        if tail.count(",") != len(own) - 1 or _QUOTE_OR_LINE_END.search(tail):
            tail = render(own)  # never from our own values; kept right all the same
        chunk.append(f"{head},{step},{tail}\r\n")
        n += 1
        if len(chunk) == 2000:
            out.write("".join(chunk))
            chunk.clear()
    out.write("".join(chunk))
    return n


def render(row: list[str]) -> str:
    """Cells as CSV text without the line end, quoted by the csv module exactly as in a whole row."""
    buffer = io.StringIO()
    csv.writer(buffer).writerow(row)  # its "\r\n" line end makes it quote cells holding \r or \n
    return buffer.getvalue()[:-2]
