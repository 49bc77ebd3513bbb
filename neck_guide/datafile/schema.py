"""The JSON Schema of a kind of data file, generated from its pydantic model, and its command.

Authors point their editor at the schema (TOML editors such as Taplo read a ``#:schema
./schema.json`` line at the top of a file) to get completion and checks while typing. Each
schema file is generated, never edited by hand; a test keeps it in step with its model.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel


@dataclass(frozen=True, slots=True)
class SchemaFile:
    """One kind of file's schema: the model, where the schema is written, how it is headed."""

    model: type[BaseModel]
    path: Path
    schema_id: str
    title: str
    description: str
    regenerate: str  # the command that writes it, e.g. "python -m neck_guide.protocol.schema"

    def json_schema(self) -> dict[str, Any]:
        """The schema (JSON Schema draft 2020-12)."""
        body = self.model.model_json_schema()
        head: dict[str, Any] = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": self.schema_id,
            "title": self.title,
            "description": self.description,
        }
        return head | {k: v for k, v in body.items() if k not in head}

    def text(self) -> str:
        """The schema as written to disk: stable key order, two-space indent, final newline."""
        return json.dumps(self.json_schema(), indent=2, ensure_ascii=False) + "\n"

    def write(self, path: Path | None = None) -> None:
        (path or self.path).write_text(self.text(), encoding="utf-8")

    def main(self, argv: Sequence[str] | None = None) -> int:
        """The command: write the schema, or ``--check`` that the file is up to date (exit 1 if not)."""
        about = f"Write the JSON Schema of {self.title} files."
        parser = argparse.ArgumentParser(prog=self.regenerate, description=about)
        parser.add_argument("path", nargs="?", type=Path, default=self.path, help=f"default: {self.path}")
        parser.add_argument("--check", action="store_true", help="only check that the file is up to date")
        args = parser.parse_args(argv)
        path: Path = args.path
        if args.check:
            current = path.read_text(encoding="utf-8") if path.is_file() else ""
            if current != self.text():
                print(f"{path} is out of date: run `{self.regenerate}`", file=sys.stderr)
                return 1
            print(f"{path} is up to date")
            return 0
        self.write(path)
        print(f"wrote {path}")
        return 0
