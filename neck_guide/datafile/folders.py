"""Folders of data files: every file of a folder, and the bundled folder with a clinic's own on top.

A bad file never hides the others: what loaded is kept beside the errors of what did not. Two
files of one folder with the same id: the first by name is used, the other is an error. A file
in the user folder with the id of a bundled one replaces it, and a notice says so.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar

from neck_guide.datafile.files import DataFileError, shown_path, toml_files, where_is
from neck_guide.datafile.limits import MAX_FILES, TextRefused, decoded, read_bytes
from neck_guide.datafile.problems import Problem, TomlLines

T = TypeVar("T")
E = TypeVar("E", bound=DataFileError)


def load_folder(
    folder: Path, load: Callable[[Path], T], id_of: Callable[[T], str], error: type[E]
) -> tuple[list[tuple[Path, T]], list[E]]:
    """Every file of ``folder`` that ``load`` accepts (with its path), and the errors of the others
    (or the folder's own, when it cannot be read). At most MAX_FILES files, the first by name."""
    try:
        paths = toml_files(folder)
    except DataFileError as e:
        return [], [error(e.path, e.problems)]
    loaded, errors = load_files(paths[:MAX_FILES], load, id_of, error)
    if len(paths) > MAX_FILES:
        said = (
            f"holds {len(paths)} .toml files; only the first {MAX_FILES} by name are read (from "
            f"{paths[MAX_FILES].name} on they are left out): move the ones you do not use"
        )
        errors.append(error(folder, [Problem("", said)]))
    return loaded, errors


def load_files(
    paths: Iterable[Path], load: Callable[[Path], T], id_of: Callable[[T], str], error: type[E]
) -> tuple[list[tuple[Path, T]], list[E]]:
    """Each of ``paths`` that ``load`` accepts (the first of an id wins), and the errors of the others."""
    loaded: dict[str, tuple[Path, T]] = {}
    errors: list[E] = []
    for path in paths:
        try:
            item = load(path)
        except DataFileError as e:
            errors.append(e if isinstance(e, error) else error(e.path, e.problems))
            continue
        item_id = id_of(item)
        if item_id in loaded:
            errors.append(_same_id(loaded[item_id][0], path, item_id, error))
            continue
        loaded[item_id] = (path, item)
    return list(loaded.values()), errors


def _same_id(kept: Path, other: Path, item_id: str, error: type[E]) -> E:
    message = (
        f"has the same id {item_id!r} as {kept.name} in the same folder, so it is not used "
        f"({kept.name} is). Give one of them another id."
    )
    try:
        line = TomlLines(decoded(read_bytes(other))).line_of(("id",))
    except TextRefused:
        line = None
    return error(other, [Problem("id", message, line)])


@dataclass
class Layers(Generic[T, E]):
    """What a bundled folder and a user folder hold together: by id, with where each came from."""

    entries: dict[str, tuple[Path, T]] = field(default_factory=dict)
    errors: list[E] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


def load_layers(
    bundled_dir: Path,
    user_dir: Path | None,
    *,
    load_one_folder: Callable[[Path], tuple[list[tuple[Path, T]], list[E]]],
    id_of: Callable[[T], str],
    noun: str,
    error: type[E],
) -> Layers[T, E]:
    """The bundled files, then the user's (which replace bundled ones of the same id, with a notice)."""
    layers: Layers[T, E] = Layers()
    if bundled_dir.is_dir():
        bundled, errors = load_one_folder(bundled_dir)
        layers.errors.extend(errors)
        layers.entries.update((id_of(item), (path, item)) for path, item in bundled)
    else:
        problem = Problem("", f"the folder of bundled {noun}s is missing: reinstall Neck Guide")
        layers.errors.append(error(bundled_dir, [problem]))
    if not is_user_folder(user_dir, bundled_dir, layers.errors, error):
        return layers
    assert user_dir is not None
    mine, errors = load_one_folder(user_dir)
    layers.errors.extend(errors)
    for path, item in mine:
        item_id = id_of(item)
        if item_id in layers.entries:
            layers.notices.append(
                f"Your {noun} {item_id!r} ({shown_path(path)}) replaces the bundled one of the same id."
            )
        layers.entries[item_id] = (path, item)
    return layers


def is_user_folder(user_dir: Path | None, bundled_dir: Path, errors: list[E], error: type[E]) -> bool:
    """Whether ``user_dir`` is a folder of the user's own to read; one that cannot be looked at is
    named in ``errors`` (never skipped silently)."""
    if user_dir is None:
        return False
    try:
        there = where_is(user_dir, error)
    except DataFileError as e:
        errors.append(error(e.path, e.problems))
        return False
    return there == "folder" and user_dir.resolve() != bundled_dir.resolve()
