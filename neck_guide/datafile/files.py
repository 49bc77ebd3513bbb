"""Reading data files (protocols, questionnaires): TOML within limits, validated, every problem placed.

Exceptions (all carry ``path``, ``place`` and ``message``; ``problems`` lists every one):

    DataFileError        a file cannot be used: unreadable, not a regular file, too large, not
                         UTF-8, bad TOML, nested too deep, or not what its model allows
                         (each kind of file subclasses it: ProtocolError, QuestionnaireError)

A file is read within the limits of :mod:`neck_guide.datafile.limits` (a pipe or a device is
refused, never waited on; size, nesting and numbers are bounded), and at most ``MAX_PROBLEMS`` of
what is wrong in it is listed.
"""

from __future__ import annotations

import os
import stat
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final, Literal, TypeVar

from pydantic import BaseModel, ValidationError

from neck_guide.datafile.limits import TextRefused, decoded, parsed, read_bytes
from neck_guide.datafile.problems import FileKind, Problem, TomlLines, syntax_problem, validation_problems

MAX_PROBLEMS: Final = 50  # reported per file: enough to act on; a damaged file cannot list thousands

M = TypeVar("M", bound=BaseModel)


class DataFileError(Exception):
    """A data file cannot be used. ``str()`` gives one line per problem: ``path: place: message (line N)``."""

    def __init__(self, path: Path | None, problems: Sequence[Problem]) -> None:
        if not problems:
            raise ValueError(f"a {type(self).__name__} needs at least one problem")
        self.path = path
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__(str(self))

    @property
    def place(self) -> str:
        return self.problems[0].place

    @property
    def message(self) -> str:
        return self.problems[0].message

    @property
    def line(self) -> int | None:
        return self.problems[0].line

    def lines(self) -> list[str]:
        """One line per problem, each naming the file."""
        if self.path is None:
            return [str(p) for p in self.problems]
        return [f"{shown_path(self.path)}: {p}" for p in self.problems]

    def __str__(self) -> str:
        return "\n".join(self.lines())


def shown_path(path: Path) -> str:
    """``path`` relative to the working folder when it is inside it (shorter messages)."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def toml_files(folder: Path) -> list[Path]:
    """The ``*.toml`` entries of ``folder``, by name, whatever each is (:func:`read_toml` names a
    pipe, a device or a folder among them); DataFileError when the folder cannot be listed."""
    try:
        with os.scandir(folder) as entries:
            names = sorted(e.name for e in entries if e.name.endswith(".toml") and not e.name.startswith("."))
    except OSError as e:
        why = f"this folder cannot be read ({e.strerror or e}): make it readable, or move its files"
        raise DataFileError(folder, [Problem("", why)]) from None
    return [folder / name for name in names]


def where_is(path: Path, error: type[DataFileError] = DataFileError) -> Literal["missing", "folder", "file"]:
    """What is at ``path`` (a link followed); ``error`` when it cannot be looked at (a folder on the
    way that this user may not enter)."""
    try:
        mode = os.stat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):
        return "missing"
    except OSError as e:
        raise error(path, [Problem("", f"cannot be looked at: {e.strerror or e}")]) from None
    return "folder" if stat.S_ISDIR(mode) else "file"


def read_toml(path: Path, error: type[DataFileError] = DataFileError) -> tuple[dict[str, Any], str]:
    """The table in the TOML file ``path`` and its text; ``error`` (one problem) when it cannot be
    read: see neck_guide.datafile.limits (a pipe, a device, too large, too deep, endless numbers)."""
    text = ""
    try:
        text = decoded(read_bytes(path))
        return parsed(text), text
    except TextRefused as e:
        raise error(path, [e.problem]) from None
    except tomllib.TOMLDecodeError as e:
        raise error(path, [syntax_problem(e, text)]) from None


def tuples(value: Any) -> Any:
    """TOML arrays as tuples, which the models' strict validation expects."""
    if isinstance(value, list):
        return tuple(tuples(v) for v in value)
    if isinstance(value, dict):
        return {k: tuples(v) for k, v in value.items()}
    return value


_MORE: Final = "… and "


def in_file_order(problems: Sequence[Problem]) -> list[Problem]:
    """By line (problems of the whole file first), the count of those left out last."""
    return sorted(problems, key=lambda p: (p.message.startswith(_MORE), p.line if p.line is not None else 0))


def validate(
    model: type[M],
    kind: FileKind,
    path: Path,
    data: dict[str, Any],
    text: str,
    *,
    error: type[DataFileError] = DataFileError,
) -> M:
    """``data`` as ``model`` (strict), or ``error`` with every problem placed, in file order."""
    try:
        return model.model_validate(tuples(data), strict=True)
    except ValidationError as e:
        errors = sorted(e.errors(), key=lambda err: err["type"] != "too_long")  # a limit first
        problems = list(validation_problems(errors[:MAX_PROBLEMS], data, TomlLines(text), kind))
        more = len(errors) - MAX_PROBLEMS
        said = f"{_MORE}{more} more problem(s) of the same kinds: fix these first"
        tail = [Problem("", said)] if more > 0 else []
        raise error(path, in_file_order(problems + tail) or [Problem("", str(e))]) from None
