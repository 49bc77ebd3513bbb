"""What is wrong in a data file (a protocol, a questionnaire), said plainly, with where it is.

Turns tomllib's syntax errors and pydantic's validation errors into :class:`Problem` values
an author can act on: a readable place (``phases[2] "scm" > steps[1] "scm-strip" >
hold.min_s``, list positions counted from 1 as the file reads, with the ids where the file
gives them), a plain message, and a line number.

Line numbers of validation errors are best-effort: the raw text is scanned for table headers
(``[[phases]]``, ``[[phases.steps]]``, ``[phases.steps.hold]``) and ``key = value`` lines,
counting repeated headers the way TOML does. A place that cannot be found falls back to the
nearest enclosing table or key; values inside multi-line arrays and inline tables get the line
of their key. Syntax errors always carry tomllib's exact line and column.
"""

from __future__ import annotations

import difflib
import re
import tomllib
import types
import typing
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from pydantic import BaseModel
from pydantic_core import ErrorDetails

from neck_guide.datafile.fields import ID_PATTERN, VERSION_PATTERN

Path_ = tuple[str | int, ...]

# Possessive quantifiers: each character is looked at a bounded number of times, so a line of any
# length is scanned in linear time (a lazy name between optional spaces was cubic in a run of
# spaces: 1,000 took 0.6 s, a 300 KB line hours). The table name keeps its spaces; _split_key drops them.
_HEADER = re.compile(r"^\s*+(\[\[?+)\s*+([^\[\]#]++)\]\]?+\s*+(?:#.*)?$")
_NAME = r"""(?:[A-Za-z0-9_-]++|"[^"]*+"|'[^']*+')"""
_KEY = re.compile(rf"^\s*+({_NAME}(?:\s*+\.\s*+{_NAME})*+)\s*+=")
_TOML_POSITION = re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)$")
_QUOTED = re.compile(r"'([^']+)'")


_TOML_WORDING: Final[dict[str, str]] = {
    "Invalid value": "a value is missing or not valid TOML (text needs quotes, lists [ ], tables { })",
    "Cannot overwrite a value": "this key is given twice: keep one",
    "Unterminated string": "a text value is not closed: add the closing quote",
    "Illegal character '\\n'": "a text value is not closed on its line: add the closing quote",
    "Expected '=' after a key in a key/value pair": "expected '=' after the key (key = value)",
}


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong in a data file: where, what, and (when known) the line."""

    place: str
    message: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        text = f"{self.place}: {self.message}" if self.place else self.message
        if self.line is not None:
            where = f"line {self.line}" + (f", column {self.column}" if self.column is not None else "")
            text += f" ({where})"
        return text


# --- syntax -----------------------------------------------------------------------------------


def syntax_problem(error: tomllib.TOMLDecodeError, text: str) -> Problem:
    """A tomllib error as a Problem carrying its line and column."""
    raw = str(error)
    match = _TOML_POSITION.search(raw)
    line = column = None
    if match:
        raw = raw[: match.start()]
        if match.group(1):
            line, column = int(match.group(1)), int(match.group(2))
        else:
            line = max(1, text.count("\n") + (0 if text.endswith("\n") else 1))
    declared = re.fullmatch(r"Cannot declare \((.*)\) twice", raw)
    if declared:
        names = ".".join(n.strip(" '\"") for n in declared.group(1).split(",") if n.strip())
        message = f"the table [{names}] is declared twice: merge the two"
    else:
        message = _TOML_WORDING.get(raw, raw[:1].lower() + raw[1:])
    return Problem("TOML syntax", message, line, column)


# --- where things are in the raw text ---------------------------------------------------------


class TomlLines:
    """Best-effort map from a place in the data (``("phases", 1, "steps", 0, "hold")``) to a line."""

    def __init__(self, text: str) -> None:
        self._lines: dict[Path_, int] = {}
        self._headers: list[tuple[int, Path_]] = []
        self._text = text.splitlines()
        self._scan()

    def _scan(self) -> None:
        arrays: dict[Path_, int] = {}
        table: Path_ = ()
        in_string = False
        for number, line in enumerate(self._text, start=1):
            quotes = line.count('"""') + line.count("'''")
            if in_string:
                in_string = quotes % 2 == 0
                continue
            in_string = quotes % 2 == 1
            header = _HEADER.match(line)
            if header:
                table = self._table(_split_key(header.group(2)), header.group(1) == "[[", arrays)
                self._lines.setdefault(table, number)
                self._headers.append((number, table))
                continue
            key = _KEY.match(line)
            if key:
                names = _split_key(key.group(1))
                for end in range(1, len(names) + 1):
                    self._lines.setdefault(table + names[:end], number)

    @staticmethod
    def _table(names: tuple[str, ...], is_array: bool, arrays: dict[Path_, int]) -> Path_:
        path: Path_ = ()
        for name in names[:-1]:
            path += (name,)
            if path in arrays:
                path += (arrays[path] - 1,)
        path += (names[-1],)
        if is_array:
            count = arrays.get(path, 0)
            arrays[path] = count + 1
            path += (count,)
        return path

    def line_of(self, loc: Path_, hint: str | None = None) -> int | None:
        """The line of ``loc`` or of its nearest enclosing table or key; ``hint`` (a value named
        in the message) narrows it to the first line from there, in the same table, quoting it."""
        for end in range(len(loc), 0, -1):
            line = self._lines.get(loc[:end])
            if line is not None:
                return self._narrow(line, hint) if hint else line
        return None

    def _narrow(self, start: int, hint: str) -> int:
        container: Path_ = ()
        for number, path in self._headers:
            if number <= start:
                container = path
        stops = (n for n, p in self._headers if n > start and p[: len(container)] != container)
        stop = min(stops, default=len(self._text) + 1)
        quoted = (f'"{hint}"', f"'{hint}'")
        for number in range(start, stop):
            if any(q in self._text[number - 1] for q in quoted):
                return number
        return start


def _split_key(key: str) -> tuple[str, ...]:
    parts = re.findall(_NAME, key)
    return tuple(p.strip("\"'") for p in parts)


# --- validation errors ------------------------------------------------------------------------


def place_of(loc: Sequence[str | int], data: object) -> str:
    """``("phases", 1, "steps", 0, "hold", "min_s")`` as ``phases[2] "a" > steps[1] "b" > hold.min_s``."""
    segments: list[str] = []
    current = ""
    node: object = data
    for part in loc:
        if isinstance(part, int):
            node = node[part] if isinstance(node, Sequence) and 0 <= part < len(node) else None
            current += f"[{part + 1}]"
            item_id = node.get("id") if isinstance(node, Mapping) else None
            if isinstance(item_id, str) and item_id.strip():
                current += f' "{item_id.strip()}"'
            segments.append(current)
            current = ""
            continue
        node = node.get(part) if isinstance(node, Mapping) else None
        current = f"{current}.{part}" if current else part
    if current:
        segments.append(current)
    return " > ".join(segments)


@dataclass(frozen=True, slots=True)
class FileKind:
    """What kind of file a message is about: its model (for "did you mean" field names) and its noun
    (``"protocol"``: "this version of Neck Guide reads protocol format 1")."""

    model: type[BaseModel]
    noun: str


def validation_problems(
    errors: Sequence[ErrorDetails], data: object, lines: TomlLines, kind: FileKind
) -> Iterator[Problem]:
    """One Problem per meaningful pydantic error, in the order of the file."""
    for error in errors:
        loc = tuple(error["loc"])
        if _is_echo(error):
            continue
        message = plain_message(error, kind)
        hint = None
        if error["type"] in ("value_error", "assertion_error"):
            quoted = _QUOTED.search(message)
            hint = quoted.group(1) if quoted else None
        yield Problem(place_of(loc, data), message, lines.line_of(loc, hint))


def _is_echo(error: ErrorDetails) -> bool:
    """pydantic drops invalid items before checking a length; the real errors are the items'."""
    if error["type"] != "too_short":
        return False
    given = error.get("input")
    minimum = error.get("ctx", {}).get("min_length", 0)
    return isinstance(given, list | tuple) and len(given) >= minimum


def plain_message(error: ErrorDetails, file_kind: FileKind) -> str:
    """pydantic's message in words an author understands."""
    kind = error["type"]
    loc = tuple(error["loc"])
    if kind == "missing":
        return "missing"
    if kind == "extra_forbidden":
        return _unknown_field(loc, file_kind.model)
    said = _by_kind(kind, dict(error.get("ctx") or {}), error.get("input"), loc, file_kind.noun)
    if said is not None:
        return said
    text = re.sub(r"^(Value|Assertion) error, ", "", error["msg"])
    return text[:1].lower() + text[1:]


def _by_kind(kind: str, ctx: dict[str, Any], given: object, loc: Path_, noun: str) -> str | None:
    if kind in _BOUNDS:
        return f"{_BOUNDS[kind]} {_number(ctx[_BOUND_KEYS[kind]])} (got {_shown(given)})"
    if kind in _TYPES:
        return f"must be {_TYPES[kind]}, not {_kind_of(given)}"
    if kind == "literal_error":
        return _literal(loc, ctx["expected"], given, noun)
    if kind == "string_pattern_mismatch":
        return _pattern(ctx["pattern"], given)
    if kind in ("string_too_short", "string_too_long", "too_short", "too_long"):
        return _length(kind, ctx, given)
    return None


_BOUNDS: Final = {
    "greater_than": "must be more than",
    "greater_than_equal": "must be at least",
    "less_than": "must be less than",
    "less_than_equal": "must be at most",
}
_BOUND_KEYS: Final = {
    "greater_than": "gt",
    "greater_than_equal": "ge",
    "less_than": "lt",
    "less_than_equal": "le",
}
_TYPES: Final = {
    "float_type": "a number",
    "float_parsing": "a number",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "string_type": "text in quotes",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "tuple_type": "a list [ … ]",
    "list_type": "a list [ … ]",
    "model_type": "a table ([section] or { … })",
    "model_attributes_type": "a table ([section] or { … })",
    "dict_type": "a table ([section] or { … })",
}


def _kind_of(value: object) -> str:
    """What the file gave, in TOML's words: ``text ("ten")``, ``a decimal number (2.5)``."""
    if isinstance(value, bool):
        return f"true/false ({str(value).lower()})"
    if isinstance(value, str | int | float):
        kind = {str: "text", int: "a number", float: "a decimal number"}[type(value)]
        return f"{kind} ({_shown(value)})"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return f"a {type(value).__name__}"  # dates and times


def _number(value: object) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _shown(value: object) -> str:
    if isinstance(value, str):
        return f'"{value}"' if len(value) <= 40 else f'"{value[:37]}…"'
    shown = _number(value)
    return shown if len(shown) <= 40 else f"{shown[:20]}… ({len(shown)} digits)"


def _literal(loc: Path_, expected: str, given: object, noun: str) -> str:
    if loc == ("schema_version",):
        return (
            f"must be {expected}: this version of Neck Guide reads {noun} format {expected} "
            f"(got {_shown(given)})"
        )
    return f"must be {expected} (got {_shown(given)})"


def _pattern(pattern: str, given: object) -> str:
    if pattern == ID_PATTERN:
        return (
            "must be a lower-case id of a-z, 0-9, _ and -, starting with a letter or digit "
            f"(got {_shown(given)})"
        )
    if pattern == VERSION_PATTERN:
        return f'must be a version like "1.0" or "1.2.3" (got {_shown(given)})'
    return f"must match the pattern {pattern} (got {_shown(given)})"


def _length(kind: str, ctx: dict[str, Any], given: object) -> str:
    if kind == "string_too_short":
        n = ctx["min_length"]
        return "must not be empty" if n == 1 else f"needs at least {n} characters"
    if kind == "string_too_long":
        size = len(given) if isinstance(given, str) else "more"
        return f"is too long: at most {ctx['max_length']} characters (it has {size})"
    if kind == "too_short":
        n = ctx["min_length"]
        return "must not be empty: add at least one" if n == 1 else f"needs at least {n} entries"
    return f"has too many entries: at most {ctx['max_length']} (it has {ctx.get('actual_length', 'more')})"


def _unknown_field(loc: Path_, root: type[BaseModel]) -> str:
    message = "unknown field — check the spelling"
    known = _fields_at(loc[:-1], root)
    close = difflib.get_close_matches(str(loc[-1]), known, n=1, cutoff=0.6) if known else []
    return f"{message} (did you mean '{close[0]}'?)" if close else message


def _fields_at(loc: Path_, root: type[BaseModel]) -> list[str]:
    """The field names of the model that ``loc`` points into, or [] when it cannot tell."""
    model: type[BaseModel] | None = root
    for part in loc:
        if isinstance(part, int) or model is None:
            continue
        field = model.model_fields.get(part)
        model = _model_in(field.annotation) if field else None
    return list(model.model_fields) if model else []


def _model_in(annotation: object) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _model_in(typing.get_args(annotation)[0])
    if origin in (tuple, list, typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            found = _model_in(arg)
            if found:
                return found
    return None
