"""Hostile protocol and questionnaire files: a clear, placed problem or a good load; never a traceback
of another kind, never a hang (a pipe, a device, nesting deeper than the parser can follow)."""

from __future__ import annotations

import random
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hostile_files import SEED, Hostile, materialise, mutations, special_files, structural

from neck_guide.datafile.files import DataFileError
from neck_guide.paths import BUNDLED_PROTOCOLS_DIR, BUNDLED_QUESTIONNAIRES_DIR
from neck_guide.protocol.loader import load_file as load_protocol
from neck_guide.questionnaire.loader import load_file as load_questionnaire

pytestmark = pytest.mark.hostile
Loader = Callable[[Path], object]
READERS: dict[str, tuple[Loader, Path]] = {
    "protocol": (load_protocol, BUNDLED_PROTOCOLS_DIR / "self-care.toml"),
    "questionnaire": (load_questionnaire, BUNDLED_QUESTIONNAIRES_DIR / "ndi.toml"),
}


# TOML values that are wrong for some field: not finite, out of range, of another type, huge, deep
VALUES = (
    "nan", "inf", "-inf", "1e400", "-0.0", "0", "-1", "4.9e-324", "9" * 4_000, "9" * 5_000,
    "-" + "9" * 40, "true", '""', '"' + "x" * 20_000 + '"', "[]", "{}", "[" * 40 + "]" * 40,
    "1979-05-27T07:32:00Z", '"\\u0000"', '""" """', "[1, 2, 3]", '{ a = 1 }',
)  # fmt: skip
# where a protocol's values are, as they appear in the bundled self-care file
FIELDS = (
    "schema_version = ", "\nversion = ", "duration_s = ", "repetitions = ", "rest_s = ", "estimate_s = ",
    "findings = ",
)  # fmt: skip


def hostile_toml(sample: bytes, rng: random.Random) -> Iterator[Hostile]:
    yield from structural(b"a = [", b"]", sample)
    yield from structural(b"a = {b = ", b"}", sample)
    yield Hostile("an integer of 5,000 digits as a value", b"a = " + b"9" * 5_000)
    yield from mutations(sample, rng, 120)
    yield from special_files()


def hostile_protocols(sample: bytes, rng: random.Random) -> Iterator[Hostile]:
    """Shapes of a protocol gone wrong: each field given each wrong value, long lines a line-finder
    must scan (a run of 300 KB of spaces once took hours), thousands of steps."""
    text = sample.decode()
    for field in FIELDS:
        start = text.index(field) + field.startswith("\n")
        end = text.index("\n", start)
        key = field.split("=")[0].strip() + " "
        for value in VALUES:
            yield Hostile(f"{key}= {value[:30]}", (text[:start] + f"{key}= {value}" + text[end:]).encode())
    for spaces in (1_000, 300_000):
        run = b" " * spaces
        yield Hostile(f"an array line of {spaces:,} spaces", sample + b"\nz = [\n[" + run + b"1],\n]\n")
        yield Hostile(f"a header of {spaces:,} spaces", sample + b"\n[" + run + b"\n")
        yield Hostile(f"a key of {spaces:,} dots", sample + b"\n" + b"a ." * (spaces // 3) + b"\n")
    step = b'[[phases.steps]]\nid = "s%d"\ntitle = "S"\ntechnique = "T"\nduration_s = %d\n'
    for sign in (1, -1):
        many = b"".join(step % (n, sign * (n + 1)) for n in range(5_000))
        yield Hostile(f"5,000 steps ({'good' if sign > 0 else 'bad'} ones)", sample + b"\n" + many)
    yield from hostile_toml(sample, rng)


def _outcome(load: Loader, path: Path) -> BaseException | None:
    """Load in a thread: a DataFileError or success is fine; anything else is returned; a hang fails."""
    result: list[BaseException | None] = []

    def run() -> None:
        try:
            load(path)
            result.append(None)
        except DataFileError as e:
            result.append(None if e.problems and str(e) else e)
        except BaseException as e:  # what this test counts
            result.append(e)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(timeout=60)
    if not result:
        raise AssertionError(f"loading {path} hung")
    return result[0]


@pytest.mark.parametrize("kind", list(READERS))
def test_hostile_files_give_a_placed_problem_or_load(tmp_path: Path, kind: str) -> None:
    load, sample_path = READERS[kind]
    make = hostile_protocols if kind == "protocol" else hostile_toml
    inputs = list(make(sample_path.read_bytes(), random.Random(SEED)))
    failures = []
    for n, hostile in enumerate(inputs):
        folder = tmp_path / str(n)
        folder.mkdir()
        error = _outcome(load, materialise(hostile, folder / "file.toml"))
        if error is not None:
            failures.append(f"{hostile.name}: {type(error).__name__}: {str(error)[:200]}")
    print(f"hostile {kind} files (seed {SEED}): {len(inputs)} tried, {len(failures)} failed")
    assert len(inputs) >= (300 if kind == "protocol" else 150)
    assert failures == [], "\n".join(failures[:20])
