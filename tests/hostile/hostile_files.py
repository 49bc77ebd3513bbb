"""Hostile files for any reader of user files (settings, protocols): a seeded generator.

Each :class:`Hostile` is one input: bytes to write (sizes, depths, encodings, numbers, mutations
of a valid sample) or a kind of file that is not a regular file (a FIFO, a folder, a link to a
device, a dangling link, a link loop). :func:`materialise` puts it at a path. A reader is then
checked for what a user is promised: no traceback, no hang, a clear message, nothing lost.

Format-agnostic parts take the format's brackets and a valid sample; a format adds its own
(see ``test_hostile_settings.py`` for JSON settings). The seed is fixed so a failure repeats;
set ``HOSTILE_SEED`` to explore others.
"""

from __future__ import annotations

import os
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Literal

SEED: Final = int(os.environ.get("HOSTILE_SEED", "20261202"))
Kind = Literal["file", "fifo", "folder", "device", "dangling", "loop"]
BOMS: Final = {"utf-8": b"\xef\xbb\xbf", "utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}


@dataclass(frozen=True, slots=True)
class Hostile:
    """One hostile input: ``name`` says what it is (shown when a reader fails on it)."""

    name: str
    content: bytes = b""
    kind: Kind = "file"


def materialise(hostile: Hostile, path: Path) -> Path:
    """Create ``hostile`` at ``path`` (whose folder exists); returns ``path``."""
    if hostile.kind == "file":
        path.write_bytes(hostile.content)
    elif hostile.kind == "fifo":
        os.mkfifo(path)
    elif hostile.kind == "folder":
        path.mkdir()
    elif hostile.kind == "device":
        path.symlink_to("/dev/zero")
    elif hostile.kind == "dangling":
        path.symlink_to(path.with_name("nowhere"))
    else:
        path.symlink_to(path.name)  # a link to itself: ELOOP
    return path


def special_files() -> Iterator[Hostile]:
    """Everything a path can be that is not a regular file."""
    for kind in ("fifo", "folder", "device", "dangling", "loop"):
        yield Hostile(f"a {kind} instead of a file", kind=kind)


def structural(opening: bytes, closing: bytes, sample: bytes) -> Iterator[Hostile]:
    """Sizes, depths, encodings and numbers that break naive parsers (``opening``/``closing``: the
    format's bracket, e.g. ``b"["`` and ``b"]"``)."""
    for depth in (1_000, 5_000, 30_000, 100_000):
        yield Hostile(f"nested {depth} deep", opening * depth + closing * depth)
        yield Hostile(f"opened {depth} deep, never closed", opening * depth)
    yield Hostile("empty")
    yield Hostile("only white space", b" \n\t\r\n" * 100)
    yield Hostile("one 300 KB line", b"x" * 300_000)
    yield Hostile("a NUL byte in the middle", sample[: len(sample) // 2] + b"\0" + sample[len(sample) // 2 :])
    yield Hostile("a sample repeated to 1 MB", sample * (1_000_000 // max(1, len(sample)) + 1))
    yield Hostile("an integer of 5,000 digits", b"9" * 5_000)
    yield Hostile("invalid UTF-8", b"\xc3\x28\xa0\xa1\xff\xfe" + sample)
    yield Hostile("surrogates in UTF-8", b"\xed\xa0\x80" + sample)
    for name, bom in BOMS.items():
        text = sample if name == "utf-8" else sample.decode().encode(name)
        yield Hostile(f"a {name} byte order mark", bom + text)


def mutations(sample: bytes, rng: random.Random, count: int) -> Iterator[Hostile]:
    """``count`` random damages of a valid ``sample``: flipped bytes, cuts, insertions, repeats."""
    for n in range(count):
        data = bytearray(sample)
        how = rng.choice(("flip", "truncate", "delete", "insert", "repeat", "swap"))
        at = rng.randrange(max(1, len(data)))
        if how == "flip":
            for _ in range(rng.randint(1, 4)):
                data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
        elif how == "truncate":
            del data[at:]
        elif how == "delete":
            del data[at : at + rng.randint(1, 20)]
        elif how == "insert":
            data[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 12)))
        elif how == "repeat":
            data[at:at] = data[at : at + rng.randint(1, 40)] * rng.randint(2, 50)
        else:
            other = rng.randrange(len(data))
            data[at], data[other] = data[other], data[at]
        yield Hostile(f"mutation {n}: {how} at byte {at}", bytes(data))
