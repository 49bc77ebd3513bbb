"""Reading a data file's text (a protocol, a questionnaire) within limits, before any parser sees it.

A data file is written by hand or copied from somewhere: it may be a pipe, a device, a folder
or a link to one; huge; nested thousands deep (tomllib recurses and raises RecursionError); hold
an integer of more than 4,300 digits (Python refuses to convert it: ValueError); or be saved as
UTF-16 or with a UTF-8 byte order mark. Each of these is refused here with a
:class:`~neck_guide.datafile.problems.Problem` that says what and, where it can, on which line;
nothing here blocks (a FIFO is opened without waiting) and every scan is linear in the file's size.

    TextRefused      the file cannot be read as a data file's text (one Problem)
"""

from __future__ import annotations

import os
import re
import stat
import tomllib
from pathlib import Path
from typing import Any, Final

from neck_guide.datafile.problems import Problem

MAX_FILE_BYTES: Final = 1024 * 1024  # the largest bundled protocol is under 30 KiB
MAX_DEPTH: Final = 16  # a protocol nests 4 deep ([[phases.steps]] > hold); tomllib recurses per level
MAX_FILES: Final = 200  # files read from one folder (by name); the rest are named and left out
MAX_INT_DIGITS: Final = 4300  # Python's own limit for converting text to int (sys.int_info)
_UTF16_BOMS: Final = (b"\xff\xfe", b"\xfe\xff")
_UTF8_BOM: Final = b"\xef\xbb\xbf"


class TextRefused(Exception):  # noqa: N818 - the outcome, like the other refusals
    """The file is not text a protocol can be read from; ``problem`` says why."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def read_bytes(path: Path) -> bytes:
    """The bytes of ``path``, a regular file of at most MAX_FILE_BYTES (links to one are fine).

    Opened without blocking and checked before reading: a FIFO or ``/dev/zero`` never hangs or
    fills memory."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as e:
        raise TextRefused(Problem("", f"cannot be read: {e.strerror or e}")) from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            message = f"is {_kind(mode)}, not a regular file: use an ordinary .toml file"
            raise TextRefused(Problem("", message))
        chunks, size = [], 0
        while size <= MAX_FILE_BYTES and (chunk := os.read(fd, MAX_FILE_BYTES + 1 - size)):
            chunks.append(chunk)
            size += len(chunk)
    except OSError as e:
        raise TextRefused(Problem("", f"cannot be read: {e.strerror or e}")) from None
    finally:
        os.close(fd)
    if size > MAX_FILE_BYTES:
        why = f"is larger than {MAX_FILE_BYTES // 1024} KiB: protocols and questionnaires are far smaller"
        raise TextRefused(Problem("", why))
    return b"".join(chunks)


def decoded(data: bytes) -> str:
    """UTF-8 text; a UTF-8 byte order mark (as some editors save) is accepted and dropped."""
    if data.startswith(_UTF16_BOMS):
        why = "is UTF-16 text (it starts with a UTF-16 byte order mark): save it as UTF-8"
        raise TextRefused(Problem("", why))
    try:
        return data.removeprefix(_UTF8_BOM).decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        why = f"is not UTF-8 text (byte {e.start}): save it as UTF-8"
        raise TextRefused(Problem("", why, line)) from None


# Whatever TOML can hold brackets inside (strings, comments) is matched whole and skipped: a
# possessive scan, linear whatever the text (an unclosed string runs to the end of its line or file).
_SKIPPED = "|".join(
    (
        r'"""(?:[^"\\]|\\.|"(?!""))*+(?:"""|$)',  # multi-line basic string
        r"'''(?:[^']|'(?!''))*+(?:'''|$)",  # multi-line literal string
        r'"(?:[^"\\\n]|\\.)*+"?',  # basic string
        r"'[^'\n]*+'?",  # literal string
        r"#[^\n]*+",  # comment
    )
)
_TOKEN: Final = re.compile(rf"{_SKIPPED}|[\[\]{{}}]", re.DOTALL)


def deepest_line(text: str, limit: int = MAX_DEPTH) -> int | None:
    """The line where arrays and tables first nest deeper than ``limit``, or None."""
    depth = 0
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > limit:
                return text.count("\n", 0, match.start()) + 1
        elif token in "]}":
            depth = max(0, depth - 1)
    return None


_DIGITS: Final = re.compile(r"[0-9_]++")


def parsed(text: str) -> dict[str, Any]:
    """``tomllib.loads(text)`` within the limits; tomllib's own syntax errors pass through."""
    line = deepest_line(text)
    if line is not None:
        why = f"arrays or tables are nested too deep: more than {MAX_DEPTH} levels (a protocol nests 4)"
        raise TextRefused(Problem("", why, line))
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        raise
    except RecursionError:  # the depth scan stops this first; kept so no traceback can get out
        raise TextRefused(Problem("", "arrays or tables are nested too deep (a protocol nests 4)")) from None
    except ValueError:  # tomllib's int() of a number past Python's digit limit
        raise TextRefused(_long_number(text)) from None


def _long_number(text: str) -> Problem:
    message = f"a number has more than {MAX_INT_DIGITS:,} digits: no value in a data file is that long"
    for match in _DIGITS.finditer(text):
        if len(match.group()) > MAX_INT_DIGITS:
            return Problem("", message, text.count("\n", 0, match.start()) + 1)
    return Problem("", message)
