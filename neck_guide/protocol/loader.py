"""Load protocol files, and the catalog of every protocol the app knows.

Exceptions (all carry ``path``, ``place`` and ``message``; ``problems`` lists every one):

    ProtocolError            a protocol file cannot be used: bad TOML, wrong types, missing or
     │                       unknown fields, ranges, unknown muscles, duplicate ids, unreadable,
     │                       a required red flag or contraindication not screened
     └── UnknownProtocol     no protocol with the asked id (also a KeyError)

A bad file never hides the others: :class:`Catalog` keeps the errors beside what loaded.
Bundled protocols come from ``protocols/``; a clinic's own go in the user protocols folder
(:attr:`neck_guide.paths.Paths.user_protocols`) and replace a bundled one of the same id.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from neck_guide.datafile import folders
from neck_guide.datafile.files import (
    DataFileError,
    in_file_order,
    read_toml,
    shown_path,
    toml_files,
    validate,
)
from neck_guide.datafile.problems import FileKind, Problem, TomlLines, place_of
from neck_guide.protocol.model import Protocol
from neck_guide.protocol.safety import screening_gaps

__all__ = [
    "Catalog",
    "Loaded",
    "Problem",
    "ProtocolError",
    "UnknownProtocol",
    "load_file",
    "load_folder",
    "protocol_files",
    "shown_path",
]

PROTOCOL_FILE = FileKind(Protocol, "protocol")


class ProtocolError(DataFileError):
    """A protocol cannot be used. ``str()`` gives one line per problem: ``path: place: message (line N)``."""


class UnknownProtocol(ProtocolError, KeyError):  # noqa: N818 - the name says the outcome, like KeyError
    """No protocol has the asked id."""

    def __init__(self, protocol_id: str, known: Iterable[str]) -> None:
        self.protocol_id = protocol_id
        self.known = tuple(sorted(known))
        listing = ", ".join(self.known) if self.known else "none (no protocol loaded)"
        message = (
            f"no protocol has the id {protocol_id!r}. Known ids: {listing}. "
            "Run `neck-guide protocols` to see them with their titles."
        )
        super().__init__(None, [Problem("", message)])

    def __str__(self) -> str:
        return ProtocolError.__str__(self)  # not KeyError's quoted repr


# --- one file ---------------------------------------------------------------------------------


def load_file(path: Path) -> Protocol:
    """The protocol in ``path``, or a ProtocolError listing every problem found in it."""
    path = Path(path)
    data, text = read_toml(path, ProtocolError)
    return _validated(path, data, text)


def _validated(path: Path, data: dict[str, Any], text: str) -> Protocol:
    lines = TomlLines(text)
    duplicates = list(_duplicate_ids(data, lines))

    try:
        protocol = validate(Protocol, PROTOCOL_FILE, path, data, text, error=ProtocolError)
    except ProtocolError as e:
        problems = list(e.problems)
        if duplicates:  # ours name the place; the model's root-level ones do not
            problems = [p for p in problems if p.place or not p.message.startswith("duplicate ")]
        raise ProtocolError(path, in_file_order(problems + duplicates)) from None
    if duplicates:
        raise ProtocolError(path, duplicates)
    gaps = list(_screening_problems(protocol, data, lines))
    if gaps:
        raise ProtocolError(path, gaps)
    return protocol


def _screening_problems(protocol: Protocol, data: dict[str, Any], lines: TomlLines) -> Iterator[Problem]:
    """The findings a file must screen for and does not (see neck_guide.protocol.safety)."""
    for gap in screening_gaps(protocol):
        if gap.item is None:
            loc: tuple[str | int, ...] = ("screening",) if protocol.screening else ()
            line = lines.line_of(("screening", 0)) if protocol.screening else lines.line_of(("id",))
            yield Problem(place_of(loc, data) if loc else "screening", gap.message, line)
        else:
            loc = ("screening", gap.item, "kind")
            yield Problem(place_of(loc, data), gap.message, lines.line_of(loc))


def _duplicate_ids(data: Mapping[str, Any], lines: TomlLines) -> Iterator[Problem]:
    """Phase, step and screening ids (and rating_scale values) used twice, named at the second use."""
    phases = _items(data.get("phases"))
    groups: list[tuple[str, str, list[tuple[str | int, ...]]]] = [
        ("phase", "id", [("phases", i) for i, _ in phases]),
        ("step", "id", [("phases", i, "steps", j) for i, p in phases for j, _ in _items(p.get("steps"))]),
        ("screening item", "id", [("screening", i) for i, _ in _items(data.get("screening"))]),
        ("rating_scale point", "value", [("rating_scale", i) for i, _ in _items(data.get("rating_scale"))]),
    ]
    for what, key, locs in groups:
        first: dict[object, tuple[str | int, ...]] = {}
        for loc in locs:
            value = _get(data, loc).get(key)
            value = value.strip() if isinstance(value, str) else value
            if not isinstance(value, str | int) or isinstance(value, bool):
                continue
            if value in first:
                message = (
                    f"the {what} {key} {value!r} is used twice (first at {place_of(first[value], data)}): "
                    f"give each {what} its own {key}"
                )
                yield Problem(place_of((*loc, key), data), message, lines.line_of((*loc, key)))
            else:
                first[value] = loc


def _items(value: object) -> list[tuple[int, Mapping[str, Any]]]:
    if not isinstance(value, list):
        return []
    return [(i, v) for i, v in enumerate(value) if isinstance(v, Mapping)]


def _get(data: Mapping[str, Any], loc: tuple[str | int, ...]) -> Mapping[str, Any]:
    node: Any = data
    for part in loc:
        node = node[part]
    return node if isinstance(node, Mapping) else {}


# --- folders and the catalog ------------------------------------------------------------------


def _folder_pairs(folder: Path) -> tuple[list[tuple[Path, Protocol]], list[ProtocolError]]:
    return folders.load_folder(folder, load_file, lambda p: p.id, ProtocolError)


@dataclass(frozen=True, slots=True)
class Loaded:
    """A protocol and the file it came from."""

    path: Path
    protocol: Protocol


def protocol_files(folder: Path) -> list[Path]:
    """The ``*.toml`` files of ``folder``, by name."""
    return toml_files(folder)


def load_folder(folder: Path) -> tuple[list[Loaded], list[ProtocolError]]:
    """Every protocol in ``folder`` and the errors of the files that failed.

    Two files with the same id: the first by file name is used, the other is an error.
    """
    found, errors = folders.load_folder(folder, load_file, lambda p: p.id, ProtocolError)
    return [Loaded(path, protocol) for path, protocol in found], errors


@dataclass
class Catalog:
    """Every usable protocol, by id, with the file each came from, and what went wrong."""

    entries: dict[str, Loaded] = field(default_factory=dict)
    errors: list[ProtocolError] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    @classmethod
    def load(cls, bundled_dir: Path, user_dir: Path | None) -> Catalog:
        """The bundled protocols, then the user's (which replace bundled ones of the same id)."""
        layers = folders.load_layers(
            bundled_dir,
            user_dir,
            load_one_folder=_folder_pairs,
            id_of=lambda p: p.id,
            noun="protocol",
            error=ProtocolError,
        )
        entries = {pid: Loaded(path, protocol) for pid, (path, protocol) in layers.entries.items()}
        return cls(entries, layers.errors, layers.notices)

    @property
    def protocols(self) -> list[Protocol]:
        """Every protocol, by title."""
        return sorted((e.protocol for e in self.entries.values()), key=lambda p: (p.title.casefold(), p.id))

    @property
    def ids(self) -> list[str]:
        return sorted(self.entries)

    def __contains__(self, protocol_id: object) -> bool:
        return protocol_id in self.entries

    def __len__(self) -> int:
        return len(self.entries)

    def get(self, protocol_id: str) -> Protocol:
        """The protocol with ``protocol_id``; UnknownProtocol (a KeyError) lists the known ids."""
        return self._entry(protocol_id).protocol

    def source_of(self, protocol_id: str) -> Path:
        """The file the protocol was loaded from."""
        return self._entry(protocol_id).path

    def _entry(self, protocol_id: str) -> Loaded:
        try:
            return self.entries[protocol_id]
        except KeyError:
            raise UnknownProtocol(protocol_id, self.entries) from None
