"""The JSON Schema of protocol files, generated from the pydantic model.

Authors point their editor at ``protocols/schema.json`` (TOML editors such as Taplo read a
``#:schema ./schema.json`` line at the top of a file) to get completion and checks while
typing. The file is generated, never edited by hand; a test keeps it in step with the model:

    python -m neck_guide.protocol.schema            # rewrite protocols/schema.json
    python -m neck_guide.protocol.schema --check    # exit 1 if it is out of date
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from neck_guide.datafile.schema import SchemaFile
from neck_guide.paths import BUNDLED_PROTOCOLS_DIR
from neck_guide.protocol.model import SCHEMA_VERSION, Protocol

SCHEMA_FILE = BUNDLED_PROTOCOLS_DIR / "schema.json"
REGENERATE = "python -m neck_guide.protocol.schema"
SCHEMA = SchemaFile(
    model=Protocol,
    path=SCHEMA_FILE,
    schema_id=f"urn:neck-guide:protocol:v{SCHEMA_VERSION}",
    title="Neck Guide protocol",
    description=(
        f"A Neck Guide protocol file (TOML, schema_version {SCHEMA_VERSION}): screening questions, "
        "phases of timed, held, paced-breathing or untimed steps, and aftercare. "
        f"Generated from the app's model by `{REGENERATE}`; do not edit. "
        "Check a file with `neck-guide validate FILE`."
    ),
    regenerate=REGENERATE,
)


def json_schema() -> dict[str, Any]:
    """The schema of a protocol file (JSON Schema draft 2020-12)."""
    return SCHEMA.json_schema()


def schema_text() -> str:
    """The schema as written to disk: stable key order, two-space indent, final newline."""
    return SCHEMA.text()


def write_schema(path: Path = SCHEMA_FILE) -> None:
    SCHEMA.write(path)


def main(argv: Sequence[str] | None = None) -> int:
    return SCHEMA.main(argv)


if __name__ == "__main__":
    raise SystemExit(main())
