"""Data files on a terminal: a failed file as a head line and its problems, wrapped to 80 columns."""

from __future__ import annotations

import textwrap
from typing import Final

from neck_guide.datafile.files import DataFileError, shown_path
from neck_guide.datafile.problems import Problem

WIDTH: Final = 80
INDENT: Final = " " * 6


def error_block(error: DataFileError) -> str:
    """A failed file as a head line and its problems, one each, wrapped to the width."""
    count = len(error.problems)
    head = f"bad {shown_path(error.path)}  ({count} problem{'s' if count > 1 else ''})" if error.path else ""
    body = [wrap(problem_text(p), "    ", INDENT + "  ") for p in error.problems]
    return "\n".join([head, *body] if head else body)


def problem_text(problem: Problem) -> str:
    """``line 41: place: message``: the line first, so the eye finds it."""
    text = f"{problem.place}: {problem.message}" if problem.place else problem.message
    if problem.line is None:
        return text
    column = f", column {problem.column}" if problem.column is not None else ""
    return f"line {problem.line}{column}: {text}"


def wrap(text: str, indent: str = "", subsequent: str | None = None) -> str:
    """``text`` filled to the width; paragraphs (blank-line separated) stay apart."""
    later = indent if subsequent is None else subsequent
    paragraphs = [p for p in text.split("\n\n") if p.strip()] or [""]
    return "\n".join(
        textwrap.fill(
            p,
            WIDTH,
            initial_indent=indent,
            subsequent_indent=later,
            break_long_words=False,
            break_on_hyphens=False,
        )
        for p in paragraphs
    )
