"""Hundreds of hostile settings files: never a traceback, never a hang, nothing lost, one clean retry.

For each input the loader must return settings that are valid (every number finite and in range),
say what was wrong when anything was, keep the file as it was (beside it, or untouched when it is
not a regular file), and, once the cleaned settings are saved, read them back with no problem.
"""

from __future__ import annotations

import json
import random
import stat
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from hostile_files import SEED, Hostile, materialise, mutations, special_files, structural

from neck_guide.settings import DEFAULT_KEYS, SETTINGS, LoadedSettings, Settings, load_settings, save_settings

pytestmark = pytest.mark.hostile

# JSON values that are wrong for some setting: not finite, out of range, of another type, huge
VALUES = (
    "NaN", "Infinity", "-Infinity", "1e400", "-1e400", "-0", "0", "-1", "0.74", "3.01", "4.9e-324",
    "9" * 5_000, "-" + "9" * 40, "true", "false", "null", '""', '"1.5"', '"dark "', '"\\u0000"',
    '"\\ud800"', '"' + "x" * 20_000 + '"', "[]", "{}", '{"a": 1}', "[[[[[[[[[[[[1]]]]]]]]]]]]", '"DARK"',
)  # fmt: skip
SAMPLE = json.dumps(
    {"theme": "light", "text_scale": 1.25, "voice_rate": 180, "keys": {"next": "N"}}, indent=2
).encode()


def hostile_settings(rng: random.Random) -> Iterator[Hostile]:
    """A few hundred: each setting and key action given each wrong value (the rest of the file
    good), the format-agnostic shapes, random damage of a good file, and what is not a file."""
    for s in SETTINGS:
        for value in VALUES:
            text = f'{{"{s.name}": {value}, "clinic_name": "Kept"}}'
            yield Hostile(f"{s.name} = {value[:30]}", text.encode())
    for action in DEFAULT_KEYS:
        for value in rng.sample(VALUES, 6):
            yield Hostile(f"keys.{action} = {value[:30]}", f'{{"keys": {{"{action}": {value}}}}}'.encode())
    yield from structural(b"[", b"]", SAMPLE)
    yield from structural(b'{"a":', b"}", SAMPLE)
    yield Hostile("duplicate names", b'{"theme": "light", "theme": NaN}')
    yield Hostile("a name that is not text", b'{1: "light"}')
    yield from mutations(SAMPLE, rng, 150)
    yield from special_files()


def _load(path: Path) -> LoadedSettings | BaseException:
    """Load in a thread: an exception is returned, a hang fails the test (a guard, not a goal)."""
    result: list[LoadedSettings | BaseException] = []

    def run() -> None:
        try:
            result.append(load_settings(path))
        except BaseException as e:  # a traceback is what this test counts
            result.append(e)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(timeout=60)
    if not result:
        raise AssertionError(f"loading {path} hung")
    return result[0]


def _failures(hostile: Hostile, folder: Path) -> list[str]:
    path = materialise(hostile, folder / "settings.json")
    before = path.read_bytes() if hostile.kind == "file" else None
    loaded = _load(path)
    if isinstance(loaded, BaseException):
        return [f"{hostile.name}: {type(loaded).__name__}: {loaded}"]
    problems = []
    if Settings.model_validate(loaded.settings.model_dump()) != loaded.settings:
        problems.append(f"{hostile.name}: settings that do not validate")
    if loaded.problem and before is not None and loaded.writable:
        kept = loaded.kept_as
        if kept is None or kept.read_bytes() != before:
            problems.append(f"{hostile.name}: the file as it was is lost")
    if not loaded.writable and (hostile.kind == "file" and path.read_bytes() != before):
        problems.append(f"{hostile.name}: a file not kept aside was changed")
    if not loaded.problem and before is not None and path.read_bytes() != before:
        problems.append(f"{hostile.name}: a good file was changed")
    if loaded.writable:  # as the app does: the cleaned settings are saved and read back quietly
        if path.is_symlink() or (path.exists() and not stat.S_ISREG(path.lstat().st_mode)):
            path.unlink()
        save_settings(loaded.settings, path)
        again = load_settings(path)
        if again.problem or again.settings != loaded.settings:
            problems.append(f"{hostile.name}: the saved settings read back differently ({again.problem})")
    return problems


def test_hostile_settings_files_never_raise_hang_or_lose_the_file(tmp_path: Path) -> None:
    inputs = list(hostile_settings(random.Random(SEED)))
    failures: list[str] = []
    told = 0
    for n, hostile in enumerate(inputs):
        folder = tmp_path / str(n)
        folder.mkdir()
        failures += _failures(hostile, folder)
        told += any(p.name != "settings.json" for p in folder.iterdir()) or hostile.kind != "file"
    print(f"hostile settings files (seed {SEED}): {len(inputs)} tried, {len(failures)} failed, {told} told")
    assert len(inputs) >= 300
    assert failures == [], "\n".join(failures[:20])


def test_every_wrong_value_falls_back_alone(tmp_path: Path) -> None:
    """The good value beside a wrong one is kept: a wrong value never costs the others."""
    for s in SETTINGS:
        for value in VALUES:
            path = tmp_path / "settings.json"
            path.write_text(f'{{"{s.name}": {value}, "clinic_name": "Kept"}}', encoding="utf-8")
            loaded = load_settings(path)
            if s.name != "clinic_name":
                assert loaded.settings.clinic_name == "Kept", (s.name, value, loaded.problem)
            if loaded.problem and not (s.name == "keys" and "not a key action (ignored)" in loaded.problem):
                assert repr(s.name) in loaded.problem and "default" in loaded.problem, loaded.problem
                assert getattr(loaded.settings, s.name) == s.default
            for kept in tmp_path.glob("settings.json.bad*"):
                kept.unlink()
