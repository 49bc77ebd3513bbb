"""The JSON Schema of protocol files, generated from the pydantic model.

Authors point their editor at ``protocols/schema.json`` (TOML editors such as Taplo read a
``#:schema ./schema.json`` line at the top of a file) to get completion and checks while
typing. The file is generated, never edited by hand; a test keeps it in step with the model:

    python -m neck_guide.protocol.schema            # rewrite protocols/schema.json
    python -m neck_guide.protocol.schema --check    # exit 1 if it is out of date
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from neck_guide.paths import BUNDLED_PROTOCOLS_DIR
from neck_guide.protocol.model import SCHEMA_VERSION, Protocol

SCHEMA_FILE = BUNDLED_PROTOCOLS_DIR / "schema.json"
REGENERATE = "python -m neck_guide.protocol.schema"


def json_schema() -> dict[str, Any]:
    """The schema of a protocol file (JSON Schema draft 2020-12)."""
    body = Protocol.model_json_schema()
    head: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"urn:neck-guide:protocol:v{SCHEMA_VERSION}",
        "title": "Neck Guide protocol",
        "description": (
            f"A Neck Guide protocol file (TOML, schema_version {SCHEMA_VERSION}): screening questions, "
            "phases of timed, held, paced-breathing or untimed steps, and aftercare. "
            f"Generated from the app's model by `{REGENERATE}`; do not edit. "
            "Check a file with `neck-guide validate FILE`."
        ),
    }
    return head | {k: v for k, v in body.items() if k not in head}


def schema_text() -> str:
    """The schema as written to disk: stable key order, two-space indent, final newline."""
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"


def write_schema(path: Path = SCHEMA_FILE) -> None:
    path.write_text(schema_text(), encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=REGENERATE, description="Write the JSON Schema of protocol files.")
    parser.add_argument("path", nargs="?", type=Path, default=SCHEMA_FILE, help=f"default: {SCHEMA_FILE}")
    parser.add_argument("--check", action="store_true", help="only check that the file is up to date")
    args = parser.parse_args(argv)
    path: Path = args.path
    if args.check:
        current = path.read_text(encoding="utf-8") if path.is_file() else ""
        if current != schema_text():
            print(f"{path} is out of date: run `{REGENERATE}`", file=sys.stderr)
            return 1
        print(f"{path} is up to date")
        return 0
    write_schema(path)
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
