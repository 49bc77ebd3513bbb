"""The protocol subcommands: ``neck-guide protocols``, ``validate`` and ``show``.

Each handler takes the typed arguments and returns the exit code; the work is done by
functions that take a :class:`Catalog` (or paths) and the output streams, so they can be
used and tested with any folder. Output is plain text that fits an 80-column terminal.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from neck_guide.datafile.files import DataFileError, where_is
from neck_guide.datafile.text import INDENT as _INDENT
from neck_guide.datafile.text import WIDTH, error_block
from neck_guide.datafile.text import wrap as _wrap
from neck_guide.paths import BUNDLED_PROTOCOLS_DIR, Paths
from neck_guide.protocol.loader import (
    Catalog,
    Loaded,
    ProtocolError,
    UnknownProtocol,
    load_file,
    load_folder,
    shown_path,
)
from neck_guide.protocol.model import Protocol
from neck_guide.protocol.plan import Plan, PlannedStep, duration_range, expand, expand_all, minutes_range

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2


# --- handlers ---------------------------------------------------------------------------------


def list_protocols(paths: Paths) -> int:
    return print_protocols(_catalog(paths), sys.stdout, sys.stderr)


def validate(paths: Paths, files: Sequence[Path]) -> int:
    return validate_paths(list(files) or _known_folders(paths), sys.stdout, sys.stderr)


def show(paths: Paths, protocol_id: str) -> int:
    return print_plan(_catalog(paths), protocol_id, sys.stdout, sys.stderr)


def _catalog(paths: Paths) -> Catalog:
    return Catalog.load(BUNDLED_PROTOCOLS_DIR, paths.user_protocols)


def _known_folders(paths: Paths) -> list[Path]:
    user = paths.user_protocols
    try:
        there = where_is(user)
    except DataFileError:
        there = "folder"  # validate says why it cannot be read
    return [BUNDLED_PROTOCOLS_DIR] + ([user] if there == "folder" else [])


# --- protocols --------------------------------------------------------------------------------


def print_protocols(catalog: Catalog, out: TextIO, err: TextIO) -> int:
    """The table of protocols, then notices; files that failed go to ``err``. Always 0."""
    if catalog.protocols:
        out.write(protocol_table(catalog.protocols))
    else:
        print("No protocols found.", file=out)
    for notice in catalog.notices:
        print(_wrap(notice), file=out)
    _report_errors(catalog, err)
    return EXIT_OK


def protocol_table(protocols: Sequence[Protocol]) -> str:
    rows = [("ID", "TITLE", "STEPS", "PLANNED", "VERSION")]
    for protocol in protocols:
        plan = expand(protocol)
        planned = minutes_range(*duration_range(protocol))
        rows.append((protocol.id, protocol.title, str(len(plan.steps)), planned, protocol.version))
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    room = WIDTH - 1 - sum(widths) + widths[1] - 2 * 4
    widths[1] = max(10, min(widths[1], room))
    lines = []
    for ident, title, steps, planned, version in rows:
        cells = (
            ident.ljust(widths[0]),
            _cut(title, widths[1]).ljust(widths[1]),
            steps.rjust(widths[2]),
            planned.rjust(widths[3]),
            version,
        )
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines) + "\n"


def _report_errors(catalog: Catalog, err: TextIO) -> None:
    if not catalog.errors:
        return
    print("These protocol files could not be used and are left out:", file=err)
    for error in catalog.errors:
        print(error_block(error), file=err)
    print("Fix them, then check with `neck-guide validate`.", file=err)


# --- validate ---------------------------------------------------------------------------------


def validate_paths(paths: Sequence[Path], out: TextIO, err: TextIO) -> int:
    """Check files (a folder means its ``*.toml``): 0 all valid, 1 any invalid, 2 a path missing."""
    status = EXIT_OK
    for path in paths:
        loaded: list[Loaded] = []
        try:
            there = where_is(path, ProtocolError)
        except ProtocolError as e:
            errors = [e]
        else:
            if there == "missing":
                print(f"neck-guide validate: no such file or folder: {path}", file=err)
                status = EXIT_USAGE
                continue
            loaded, errors = _check(path, there == "folder", err)
        for entry in loaded:
            steps = len(expand(entry.protocol).steps)
            print(f"ok  {shown_path(entry.path)}  ({entry.protocol.id}, {steps} steps)", file=out)
        for error in errors:
            print(error_block(error), file=out)
        if errors and status == EXIT_OK:
            status = EXIT_INVALID
    return status


def _check(path: Path, folder: bool, err: TextIO) -> tuple[list[Loaded], list[ProtocolError]]:
    if not folder:
        try:
            return [Loaded(path, load_file(path))], []
        except ProtocolError as e:
            return [], [e]
    loaded, errors = load_folder(path)
    if not loaded and not errors:
        print(f"neck-guide validate: no protocol files (*.toml) in {path}", file=err)
    return loaded, errors


# --- show -------------------------------------------------------------------------------------


def print_plan(catalog: Catalog, protocol_id: str, out: TextIO, err: TextIO) -> int:
    """The expanded plan of one protocol; 2 and the known ids when there is no such protocol."""
    try:
        protocol = catalog.get(protocol_id)
    except UnknownProtocol as e:
        print(_wrap(str(e)), file=err)
        _report_errors(catalog, err)
        return EXIT_USAGE
    out.write(plan_text(expand_all(protocol), catalog.source_of(protocol_id)))
    return EXIT_OK


def plan_text(plan: Plan, source: Path | None = None) -> str:
    """The whole plan as text: phases, numbered steps, screening, aftercare, course and total.

    Optional steps in ``plan`` are marked; the total runs from the shortest session (no optional
    step, holds at their minimum) to the longest."""
    p = plan.protocol
    lines = [f"{p.title}  ({p.id}, version {p.version})", *_wrap(p.summary).splitlines()]
    if source is not None:
        lines.append(f"File: {shown_path(source)}")
    phase_index = -1
    for step in plan.steps:
        if step.phase_index != phase_index:
            phase_index = step.phase_index
            lines += ["", f"Phase {phase_index + 1}: {step.phase.title}"]
            lines += [_wrap(step.phase.goal, "  ")] if step.phase.goal else []
        lines += step_lines(step)
    lines += _screening_lines(p) + _aftercare_lines(p) + _course_lines(p)
    lines += ["", _total(plan)]
    return "\n".join(lines) + "\n"


def step_lines(step: PlannedStep) -> list[str]:
    """One planned step: a numbered head line, then its details, indented."""
    head = [step.title, timing(step)]
    head += [step.side] if step.side else []
    head += (
        [f"rep {step.repetition}/{step.repetitions}"] if step.repetitions > 1 and step.kind != "rest" else []
    )
    head += ["waits for Next"] if step.timed and not step.auto_advance else []
    head += ["optional: runs only when chosen"] if step.step.optional and step.kind != "rest" else []
    lines = [_wrap(" · ".join(head), f"{step.index + 1:>4}. ", _INDENT)]
    if step.kind == "rest":
        return lines
    what = [f"muscle: {step.muscle_name}"] if step.muscle_name else []
    lines.append(_wrap(" · ".join([*what, f"technique: {step.technique}"]), _INDENT))
    rating = step.rating
    if rating is not None:
        parts = [f"rating: ask {', '.join(rating.ask)}"]
        parts += [f"target {rating.target[0]}–{rating.target[1]}"] if rating.target else []
        parts += [f"ease off above {rating.ease_off_at}"] if rating.ease_off_at is not None else []
        parts += ["once per set"] if rating.per == "set" and step.repetitions > 1 else []
        lines.append(_wrap(" · ".join(parts), _INDENT))
    if step.safety:
        lines.append(_wrap(f"safety: {step.safety}", _INDENT, _INDENT + "  "))
    return lines


def timing(step: PlannedStep) -> str:
    """How a step is timed: "hold 10–20 s", "timed 90 s", "breathing 4-0-6 ×5 = 50 s", "untimed ~10:00"."""
    s = step.step
    if step.kind == "rest":
        return f"rest {span(step.planned_s)}"
    if step.kind == "range" and s.hold is not None:
        lo, hi = s.hold.min_s, s.hold.max_s
        return f"hold {lo:g}–{hi:g} s" if hi < _CLOCK_FROM_S else f"hold {clock(lo)}–{clock(hi)}"
    if step.kind == "breathing" and s.breathing is not None:
        b = s.breathing
        pattern = [b.inhale_s, b.hold_s, b.exhale_s] + ([b.rest_s] if b.rest_s else [])
        return f"breathing {'-'.join(f'{x:g}' for x in pattern)} ×{b.cycles} = {span(b.total_s)}"
    if step.kind == "fixed":
        return f"timed {span(step.planned_s)}"
    return f"untimed ~{clock(s.estimate_s)}" if s.estimate_s else "untimed"


def _screening_lines(p: Protocol) -> list[str]:
    if not p.screening:
        return []
    lines = ["", 'Screening (ask before starting; a "yes" holds the start)']
    lines += [_wrap(p.screening_intro, "  ")] if p.screening_intro else []
    for item in p.screening:
        lines.append(_wrap(f"- [{item.kind_words}] {item.question}", "  ", "    "))
        lines.append(_wrap(f"If yes: {item.action}", "    "))
    lines.append(_wrap(_GATES, "  "))
    return lines


_GATES = (
    "A red flag stops the session (recorded as referred) unless a clinician's clearance is "
    "recorded; a contraindication either defers it or needs a recorded clearance; a precaution "
    "needs an acknowledgement and adds its guidance to the steps."
)


def _course_lines(p: Protocol) -> list[str]:
    if p.course_of_care is None:
        return []
    lines = ["", "Course of care"]
    lines += [_wrap(p.course_of_care.note, "  ")] if p.course_of_care.note else []
    for stage in p.course_of_care.stages:
        gaps = [f"every {stage.every_weeks:g} weeks"] if stage.every_weeks else []
        gaps += (
            [f"long-standing pain every {stage.chronic_every_weeks:g} weeks"]
            if stage.chronic_every_weeks
            else []
        )
        tail = f" ({'; '.join(gaps)})" if gaps else ""
        lines.append(_wrap(f"- visits {stage.visits}: {stage.aim}{tail}", "  ", "    "))
    return lines


def _aftercare_lines(p: Protocol) -> list[str]:
    if not p.aftercare:
        return []
    return ["", "Aftercare", *(_wrap(f"- {advice}", "  ", "    ") for advice in p.aftercare)]


def _total(plan: Plan) -> str:
    low, high = duration_range(plan.protocol)
    span_text = clock(high) if round(low) == round(high) else f"{clock(low)}–{clock(high)}"
    text = f"Total planned: {span_text} ({len(plan.steps)} steps)"
    optional = [s.title for s in plan.protocol.optional_steps]
    if optional:
        text += f"; the longest with the optional steps ({', '.join(optional)})"
    if any(s.kind == "untimed" and not s.step.estimate_s for s in plan.steps):
        text += "; plus the untimed steps that have no estimate"
    return _wrap(text)


# --- formatting -------------------------------------------------------------------------------

_CLOCK_FROM_S = 180


def clock(seconds: float | None) -> str:
    """``m:ss``, or ``h:mm:ss`` from an hour up."""
    total = round(seconds or 0)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def span(seconds: float) -> str:
    """A short length: "90 s" below three minutes, else a clock ("5:00")."""
    return f"{seconds:g} s" if seconds < _CLOCK_FROM_S else clock(seconds)


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
