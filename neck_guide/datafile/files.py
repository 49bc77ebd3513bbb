"""Reading data files (protocols, questionnaires): TOML within limits, validated, every problem placed.

Exceptions (all carry ``path``, ``place`` and ``message``; ``problems`` lists every one):

    DataFileError        a file cannot be used: unreadable, not a regular file, too large, not
                         UTF-8, bad TOML, nested too deep, or not what its model allows
                         (each kind of file subclasses it: ProtocolError, QuestionnaireError)

A file is read without blocking (a pipe or a device is refused, never waited on), at most
``MAX_FILE_BYTES`` of it, and a nesting too deep for the parser is a problem, not a crash.
"""

from __future__ import annotations

import os
import stat
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final, TypeVar

from pydantic import BaseModel, ValidationError

from neck_guide.datafile.problems import FileKind, Problem, TomlLines, syntax_problem, validation_problems

MAX_FILE_BYTES: Final = 1024 * 1024  # the largest bundled protocol is under 30 KiB

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
    """The ``*.toml`` files of ``folder``, by name."""
    return sorted((p for p in folder.glob("*.toml") if p.is_file()), key=lambda p: p.name)


def read_toml(path: Path, error: type[DataFileError] = DataFileError) -> tuple[dict[str, Any], str]:
    """The table in the TOML file ``path`` and its text; ``error`` (one problem) when it cannot be read."""
    try:
        text = _read_bytes(path).decode("utf-8")
    except UnicodeDecodeError as e:
        raise error(path, [Problem("", f"is not UTF-8 text (byte {e.start}): save it as UTF-8")]) from None
    except OSError as e:
        reason = e.strerror or str(e)
        raise error(path, [Problem("", f"cannot be read: {reason}")]) from None
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as e:
        raise error(path, [syntax_problem(e, text)]) from None
    except RecursionError:
        raise error(path, [Problem("TOML syntax", "lists or tables are nested too deep to read")]) from None
    except ValueError as e:  # a number past the parser's limit of digits
        raise error(path, [Problem("TOML syntax", f"a value cannot be read: {e}")]) from None


def _read_bytes(path: Path) -> bytes:
    """At most MAX_FILE_BYTES of a regular file, opened without blocking (a FIFO never hangs us)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(0, "it is not a regular file (a folder, a pipe or a device)")
        chunks, size = [], 0
        while size <= MAX_FILE_BYTES and (chunk := os.read(fd, MAX_FILE_BYTES + 1 - size)):
            chunks.append(chunk)
            size += len(chunk)
    finally:
        os.close(fd)
    if size > MAX_FILE_BYTES:
        raise OSError(0, f"it is larger than {MAX_FILE_BYTES // 1024} KiB")
    return b"".join(chunks)


def tuples(value: Any) -> Any:
    """TOML arrays as tuples, which the models' strict validation expects."""
    if isinstance(value, list):
        return tuple(tuples(v) for v in value)
    if isinstance(value, dict):
        return {k: tuples(v) for k, v in value.items()}
    return value


def in_file_order(problems: Sequence[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: p.line if p.line is not None else 0)


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
        problems = list(validation_problems(e.errors(), data, TomlLines(text), kind))
        raise error(path, in_file_order(problems) or [Problem("", str(e))]) from None
