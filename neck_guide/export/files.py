"""Writing an export file: all or nothing, owner-only, never over an existing file unless forced.

The content goes to a temporary file beside the target (same folder, so the final rename is
atomic), is flushed to disk, then takes the target's name. A failure half-way leaves no file.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TextIO

from neck_guide.export.errors import ExportError, OutputExists
from neck_guide.paths import PRIVATE_FILE_MODE

Verify = Callable[[Path, Path], None]  # (the file written, the name it is to take)


def check_target(path: Path, *, force: bool) -> None:
    """Refuse early (before any work) when the target exists and ``force`` is not set, or is
    anything but a regular file (a device, a pipe, a link: ``force`` never replaces those)."""
    if path.is_dir():
        raise ExportError(f"{path} is a folder: give a file name, for example {path / 'sessions.csv'}")
    if os.path.lexists(path):
        if not force:
            raise OutputExists(f"{path} exists already; add --force to replace it, or choose another name")
        if not stat.S_ISREG(path.lstat().st_mode):
            raise ExportError(
                f"{path} is not a regular file (a device, a pipe or a link): an export replaces only a "
                "regular file; choose another name"
            )
    if not path.parent.is_dir():
        raise ExportError(f"the folder {path.parent} does not exist; create it first or choose another place")


@contextlib.contextmanager
def temp_beside(path: Path, *, force: bool, verify: Verify | None = None) -> Iterator[Path]:
    """A temporary owner-only file beside ``path``; once written, ``verify`` reads it back (raising
    ExportError if it is not whole), then it becomes ``path``."""
    check_target(path, force=force)
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    os.close(fd)
    tmp = Path(name)
    try:
        os.chmod(tmp, PRIVATE_FILE_MODE)
        yield tmp
        _fsync(tmp)
        if verify is not None:
            verify(tmp, path)
        _publish(tmp, path, force=force)
    finally:
        tmp.unlink(missing_ok=True)


@contextlib.contextmanager
def atomic_text(path: Path, *, force: bool, verify: Verify | None = None) -> Iterator[TextIO]:
    """A text file (UTF-8, newline untranslated for csv) that appears at ``path`` only when complete
    (and, with ``verify``, read back whole)."""
    with (
        temp_beside(path, force=force, verify=verify) as tmp,
        open(tmp, "w", encoding="utf-8", newline="") as out,
    ):
        yield out


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _publish(tmp: Path, path: Path, *, force: bool) -> None:
    if force:
        os.replace(tmp, path)
        return
    try:
        os.link(tmp, path)  # fails if something took the name meanwhile: never overwrites
    except FileExistsError:
        raise OutputExists(f"{path} appeared while exporting; add --force to replace it") from None
    except OSError:  # no hard links here (a FAT memory stick): check, then rename
        if path.exists():
            raise OutputExists(f"{path} appeared while exporting; add --force to replace it") from None
        os.replace(tmp, path)
