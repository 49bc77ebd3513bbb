"""The settings file: read value by value within limits, kept aside when wrong, written atomically.

A settings file never stops the app. A value that is of the wrong type, out of range, not a
finite number or unknown falls back to its default alone; a file that cannot be read as a whole
(too large, nested too deep, not UTF-8 JSON, not a regular file) gives the defaults. Either way
the file as it was is kept aside (``settings.json.bad``) and the problems are said in words for
the user. Reading is linear in the size of the file and never blocks on a pipe or a device.
"""

from __future__ import annotations

import json
import os
import re
import stat
import tempfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Final

from pydantic import ValidationError

from neck_guide.paths import PRIVATE_FILE_MODE
from neck_guide.settings.model import Settings, SettingsFileError, problem

MAX_FILE_BYTES: Final = 64 * 1024  # a full settings file is well under 2 KiB
MAX_DEPTH: Final = 64  # settings nest 2 deep (the keys); far below the parser's recursion limit
MAX_INT_DIGITS: Final = 30  # longer integers are kept as Decimal: refused by every setting, no ValueError


@dataclass(frozen=True, slots=True)
class LoadedSettings:
    """What :func:`load_settings` found: the settings to use and what fell back, in words for the user.

    ``writable`` is False when the file is there but could be neither read nor kept aside
    (saving over it would lose it): the settings then apply for this run only.
    """

    settings: Settings
    problem: str = ""
    kept_as: Path | None = None
    writable: bool = True


def load_settings(path: Path, *, set_aside: bool = True) -> LoadedSettings:
    """Read ``path``; a missing file gives the defaults. Never raises for what the file holds.

    With problems, the file as it was is kept as ``settings.json.bad`` (``.bad.2``…) unless
    ``set_aside`` is False (a command that only reads changes no file): copied when some values
    were good (the file stays until the cleaned one replaces it, so a failed save loses nothing),
    moved when none could be read.
    """
    copy: bytes | None = None
    try:
        copy = _read(path)
        raw = _parse(_decoded(copy))
    except FileNotFoundError:
        return LoadedSettings(Settings())
    except (OSError, SettingsFileError) as e:
        reason = e.strerror if isinstance(e, OSError) and e.strerror else str(e)
        settings, problems, kept, copy = (
            Settings(),
            [f"the file {reason}"],
            "every setting is at its default",
            None,
        )
    else:
        settings, problems = _validated(raw)
        kept = "your other settings are in force"
        if not problems:
            return LoadedSettings(settings)
    said = f"Settings ({path}): " + "; ".join(problems) + f". For now {kept}."
    return _set_aside(path, settings, said, copy) if set_aside else LoadedSettings(settings, said)


def _set_aside(path: Path, settings: Settings, said: str, copy: bytes | None) -> LoadedSettings:
    """Keep the file as it was beside itself (``settings.json.bad``): a ``copy`` of its bytes, or
    the file itself moved; and say so."""
    try:
        if not stat.S_ISREG(path.lstat().st_mode) and not path.is_symlink():
            raise SettingsFileError("not a regular file")
        aside = _free_name(path)
        if copy is None:
            os.rename(path, aside)
        else:
            _write_new(aside, copy)
    except (OSError, SettingsFileError) as e:
        why = e.strerror if isinstance(e, OSError) and e.strerror else str(e)
        tail = f" The file was left where it is ({why}), so changes are not saved: move or remove it."
        return LoadedSettings(settings, said + tail, None, writable=False)
    return LoadedSettings(settings, f"{said} The file as it was is kept as {aside.name}.", aside)


def _free_name(path: Path) -> Path:
    for n in range(1, 1000):
        kept = path.with_name(f"{path.name}.bad" + (f".{n}" if n > 1 else ""))
        if not os.path.lexists(kept):
            return kept
    raise SettingsFileError(f"{path.name}.bad … .999 are all taken")


def _write_new(path: Path, data: bytes) -> None:
    """Write ``data`` to a new owner-only file ``path`` (never over another), synced; all or nothing."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), PRIVATE_FILE_MODE)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def _read(path: Path) -> bytes:
    """The bytes of ``path``: a regular file of at most MAX_FILE_BYTES.

    Opened without blocking and checked before reading, so a FIFO or a device never hangs us.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise SettingsFileError("is not a regular file (a folder, a pipe or a device)")
        chunks, size = [], 0
        while size <= MAX_FILE_BYTES and (chunk := os.read(fd, MAX_FILE_BYTES + 1 - size)):
            chunks.append(chunk)
            size += len(chunk)
    finally:
        os.close(fd)
    if size > MAX_FILE_BYTES:
        raise SettingsFileError(f"is larger than {MAX_FILE_BYTES // 1024} KiB")
    return b"".join(chunks)


def _decoded(data: bytes) -> str:
    """UTF-8 text, with or without a byte order mark (as some editors save it)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise SettingsFileError(f"is not UTF-8 text (byte {e.start})") from None


_STRING = re.compile(r'"(?:[^"\\]|\\.)*+"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")


def nesting_depth(text: str, stop_above: int | None = None) -> int:
    """How deep JSON ``text`` nests arrays and objects (a linear scan; brackets in strings skipped),
    or the first depth past ``stop_above``."""
    depth = deepest = 0
    for match in _BRACKET.finditer(_STRING.sub('""', text)):
        depth += 1 if match.group() in "[{" else -1
        deepest = max(deepest, depth)
        if stop_above is not None and deepest > stop_above:
            break
    return deepest


def _parse(text: str) -> dict[str, object]:
    if nesting_depth(text, stop_above=MAX_DEPTH) > MAX_DEPTH:
        raise SettingsFileError(f"is nested more than {MAX_DEPTH} deep (a settings file nests 2 deep)")
    try:
        raw = json.loads(text, parse_int=_integer)
    except json.JSONDecodeError as e:
        raise SettingsFileError(f"is not JSON ({e.msg} at line {e.lineno}, column {e.colno})") from None
    if not isinstance(raw, dict):
        raise SettingsFileError("does not hold an object ({…}) at the top")
    return raw


def _integer(text: str) -> int | Decimal:
    return int(text) if len(text.lstrip("-")) <= MAX_INT_DIGITS else Decimal(text)


def _validated(raw: dict[str, object]) -> tuple[Settings, list[str]]:
    """The settings of ``raw``, each value that fails replaced by its default; and what failed."""
    data: dict[str, Any] = dict(raw)
    problems: list[str] = []
    for _ in range(3):  # the second round finds nothing left to drop
        try:
            return Settings.model_validate(data), problems
        except ValidationError as e:
            errors = e.errors()
        for error in errors:
            loc = error["loc"]
            if not loc:
                break
            problems.append(problem(loc, error["input"], loading=True))
            _drop(data, loc)
    return Settings(), [*problems, "the rest could not be read"]


def _drop(data: dict[str, Any], loc: tuple[int | str, ...]) -> None:
    """Remove the value at ``loc`` (a key action alone when the keys are an object)."""
    top = str(loc[0])
    inner = data.get(top)
    if len(loc) > 1 and isinstance(inner, dict):
        data[top] = {k: v for k, v in inner.items() if k != loc[1]}
    else:
        data.pop(top, None)


def save_settings(settings: Settings, path: Path) -> None:
    """Write ``settings`` to ``path`` atomically (a temporary file, synced, then renamed), owner-only.

    Raises OSError (a full disk, a read-only folder) with the file left as it was.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".settings-", suffix=".json")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(settings.model_dump(mode="json"), f, indent=2, sort_keys=True)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, PRIVATE_FILE_MODE)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
