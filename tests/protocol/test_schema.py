"""The JSON Schema for protocol authors stays in step with the model."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from neck_guide.paths import PROJECT_DIR
from neck_guide.protocol.schema import REGENERATE, SCHEMA_FILE, json_schema, main, schema_text


def test_the_committed_schema_matches_the_model() -> None:
    committed = SCHEMA_FILE.read_text(encoding="utf-8") if SCHEMA_FILE.is_file() else ""
    assert committed == schema_text(), f"protocols/schema.json is out of date: run `{REGENERATE}`"


def test_the_schema_describes_a_protocol_file() -> None:
    schema = json_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == "urn:neck-guide:protocol:v1"
    assert schema["title"] == "Neck Guide protocol"
    assert "neck-guide validate" in schema["description"]
    assert schema["additionalProperties"] is False
    assert {"schema_version", "id", "title", "version", "summary", "phases"} <= set(schema["required"])
    hold = schema["$defs"]["HoldRange"]["properties"]["min_s"]
    assert hold["exclusiveMinimum"] == 0
    view = schema["$defs"]["DiagramRef"]["properties"]["view"]
    assert view["enum"] == ["posterior", "lateral", "anterior"]


def test_check_tells_when_the_file_is_stale(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "schema.json"
    assert main([str(path)]) == 0
    assert json.loads(path.read_text(encoding="utf-8")) == json_schema()
    assert main(["--check", str(path)]) == 0
    path.write_text("{}\n", encoding="utf-8")
    assert main(["--check", str(path)]) == 1
    assert f"out of date: run `{REGENERATE}`" in capsys.readouterr().err


def test_the_module_runs_as_a_command(tmp_path: Path) -> None:
    path = tmp_path / "out.json"
    env = {**os.environ, "PYTHONPATH": str(PROJECT_DIR)}
    done = subprocess.run(
        [sys.executable, "-m", "neck_guide.protocol.schema", str(path)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert path.read_text(encoding="utf-8") == schema_text()
