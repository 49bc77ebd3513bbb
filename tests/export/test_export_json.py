"""The JSON export holds the complete record and reads back to an equal one."""

from __future__ import annotations

import io
import json

import pytest
from export_sessions import run_session

from neck_guide.export.errors import ExportError
from neck_guide.export.json_export import (
    FORMAT,
    FORMAT_MANY,
    SCHEMA_VERSION,
    read_sessions,
    write_session,
    write_sessions,
)


def test_one_session_round_trips() -> None:
    record = run_session("trigger-point", session_id="s-1", client="C-1")
    out = io.StringIO()
    write_session(record, out)
    data = json.loads(out.getvalue())
    assert (data["format"], data["schema_version"]) == (FORMAT, SCHEMA_VERSION)
    assert data["steps"][0]["title"] == record.steps[0].title
    assert read_sessions(data) == [record]


def test_many_sessions_are_one_object_with_a_list() -> None:
    records = [
        run_session("trigger-point", session_id="s-1", client="C-1"),
        run_session("self-care", session_id="s-2", client=None, practice=True),
    ]
    out = io.StringIO()
    assert write_sessions(iter(records), out) == 2
    data = json.loads(out.getvalue())
    assert (data["format"], data["schema_version"]) == (FORMAT_MANY, SCHEMA_VERSION)
    assert len(data["sessions"]) == 2
    assert read_sessions(data) == records
    empty = io.StringIO()
    write_sessions([], empty)
    assert json.loads(empty.getvalue())["sessions"] == []


def test_other_documents_are_refused() -> None:
    with pytest.raises(ExportError, match="not a Neck Guide session file"):
        read_sessions({"resourceType": "Bundle"})
    with pytest.raises(ExportError, match="newer"):
        read_sessions({"format": FORMAT, "schema_version": SCHEMA_VERSION + 1})


def test_the_outcome_and_the_counts_are_there_in_the_words_of_every_format() -> None:
    """Items 4 and 6: the outcome and the numbers of steps and visits, as the screens say them."""
    record = run_session("trigger-point", session_id="s-1", client="C-1")
    record.status, record.end_note = "ended_early", "client felt dizzy"
    out = io.StringIO()
    write_session(record, out)
    data = json.loads(out.getvalue())
    summary = data["outcome"]
    assert (summary["status"], summary["title"]) == ("ended_early", "Ended early")
    assert summary["line"].startswith("Ended early: ") and summary["line"].endswith(
        "(reason: client felt dizzy)"
    )
    assert (summary["steps_in_protocol"], summary["visits"]) == (record.protocol_steps, len(record.steps))
    assert summary["ratings"] == len(record.ratings()) == sum(len(s["ratings"]) for s in data["steps"])
    assert read_sessions(data) == [record]


def test_a_version_1_file_still_reads() -> None:
    record = run_session("self-care", session_id="s-1", client="C-1")
    old = {
        k: v
        for k, v in record.to_dict().items()
        if k not in ("measures", "undos", "ignored", "interruptions")
    }
    old |= {"format": FORMAT, "schema_version": 1}
    for step in old["steps"]:
        step.pop("ticks"), step.pop("carried_s"), step.pop("continues")
        for rating in step["ratings"]:
            rating.pop("number"), rating.pop("corrects")
    (back,) = read_sessions(old)
    assert [v.title for v in back.steps] == [v.title for v in record.steps]
