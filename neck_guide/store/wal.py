"""The records file's write-ahead log (``sessions.sqlite3-wal``): checked before SQLite sees it.

SQLite trusts the log's 32-byte header: one flipped byte in it and the log is taken as empty, so
every session written since the last checkpoint vanishes without a word, and the next writing
connection to close deletes the log for good. So before opening, the header is checked here the
way SQLite checks it (magic, version, checksum, the first frame's salts and checksum); a damaged
one is copied aside with the file (:func:`copy_aside`) and, where one changed byte explains the
damage, repaired (:func:`repaired`). The format: https://sqlite.org/fileformat2.html#walformat
"""

from __future__ import annotations

import contextlib
import os
import shutil
import struct
from datetime import datetime
from pathlib import Path
from typing import Final, Literal

from neck_guide.paths import PRIVATE_FILE_MODE

HEADER_BYTES: Final = 32
FRAME_HEADER_BYTES: Final = 24
_MAGICS: Final = {0x377F0682: "<", 0x377F0683: ">"}  # the checksum's byte order
_VERSION: Final = 3007000
SIDE_FILES: Final = ("-wal", "-shm")
WalState = Literal["none", "ok", "damaged"]


def wal_path(path: Path) -> Path:
    return Path(f"{path}-wal")


def _checksum(data: bytes, order: str, s0: int = 0, s1: int = 0) -> tuple[int, int]:
    words = struct.unpack(f"{order}{len(data) // 4}I", data)
    for i in range(0, len(words), 2):
        s0 = (s0 + words[i] + s1) & 0xFFFFFFFF
        s1 = (s1 + words[i + 1] + s0) & 0xFFFFFFFF
    return s0, s1


def _valid(header: bytes, frame: bytes) -> bool:
    """``header`` is one SQLite would trust and ``frame`` (the first, maybe empty) follows from it."""
    magic, version, page_size, _, salt1, salt2, c0, c1 = struct.unpack(">8I", header)
    order = _MAGICS.get(magic)
    if order is None or version != _VERSION or _checksum(header[:24], order) != (c0, c1):
        return False
    if not frame:
        return True
    size = 65536 if page_size == 1 else page_size
    if len(frame) < FRAME_HEADER_BYTES + size or frame[8:16] != struct.pack(">2I", salt1, salt2):
        return False
    body = frame[:8] + frame[FRAME_HEADER_BYTES : FRAME_HEADER_BYTES + size]
    return _checksum(body, order, c0, c1) == struct.unpack(">2I", frame[16:24])


def _first_frame(log: bytes, page_size: int) -> bytes:
    size = 65536 if page_size == 1 else page_size
    if not 512 <= size <= 65536 or size & (size - 1):
        return log[HEADER_BYTES : HEADER_BYTES + FRAME_HEADER_BYTES + 4096]
    return log[HEADER_BYTES : HEADER_BYTES + FRAME_HEADER_BYTES + size]


def state(path: Path) -> WalState:
    """Whether the records file at ``path`` has a log, and whether SQLite would trust it whole."""
    try:
        with open(wal_path(path), "rb") as f:
            head = f.read(HEADER_BYTES + FRAME_HEADER_BYTES + 65536)
    except FileNotFoundError:
        return "none"
    if not head:
        return "none"
    if len(head) < HEADER_BYTES:
        return "damaged"
    page_size = struct.unpack(">I", head[8:12])[0]
    return "ok" if _valid(head[:HEADER_BYTES], _first_frame(head, page_size)) else "damaged"


def repaired(log: bytes) -> bytes | None:
    """``log`` with its header mended, when one changed byte of the header (or its checksum) explains
    the damage and the first frame then checks out; None when it cannot be told."""
    header = log[:HEADER_BYTES]
    if len(header) < HEADER_BYTES or len(log) < HEADER_BYTES + FRAME_HEADER_BYTES:
        return None
    for candidate in _candidates(header):
        page_size = struct.unpack(">I", candidate[8:12])[0]
        if _valid(candidate, _first_frame(log, page_size)):
            return candidate + log[HEADER_BYTES:]
    return None


def _candidates(header: bytes) -> list[bytes]:
    """The header with its checksum made again, then with each byte changed to each value."""
    found = []
    for magic, order in _MAGICS.items():
        body = struct.pack(">I", magic) + header[4:24]
        found.append(body + struct.pack(">2I", *_checksum(body, order)))
    for at in range(24):
        for value in range(256):
            if value != header[at]:
                found.append(header[:at] + bytes([value]) + header[at + 1 :])
    return found


def copy_aside(path: Path, why: str) -> Path:
    """Copy the records file and its -wal and -shm (as they are) beside it, owner-only, under a name
    with the time and ``why`` (e.g. ``sessions.sqlite3.wal-damaged-20261202-101500``); returns it."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    aside = path.with_name(f"{path.name}.{why}-{stamp}")
    n = 1
    while any(os.path.lexists(f"{aside}{s}") for s in ("", *SIDE_FILES)):
        n += 1
        aside = path.with_name(f"{path.name}.{why}-{stamp}-{n}")
    for suffix in ("", *SIDE_FILES):
        source = Path(f"{path}{suffix}")
        if source.is_file():
            _copy_private(source, Path(f"{aside}{suffix}"))
    return aside


def _copy_private(source: Path, target: Path) -> None:
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, PRIVATE_FILE_MODE)
    with os.fdopen(fd, "wb") as out, open(source, "rb") as src:
        shutil.copyfileobj(src, out)
        out.flush()
        os.fsync(out.fileno())


Identity = tuple[int, int]


def identity(path: Path) -> Identity | None:
    """The file at ``path`` as the system knows it (device, inode), or None when there is none."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


def drop_stale(path: Path, known: dict[str, Identity | None]) -> None:
    """Remove the ``-wal`` and ``-shm`` of the records file at ``path`` that are still the ones a
    connection knew before its log was lost (``known``: suffix -> identity). A new log with an old
    index makes SQLite fail every read ("disk I/O error"); a file made since by someone else stays."""
    for suffix in SIDE_FILES:
        side = Path(f"{path}{suffix}")
        if suffix == "-wal" or identity(side) == known.get(suffix):
            with contextlib.suppress(FileNotFoundError):
                side.unlink()
