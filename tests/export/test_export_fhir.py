"""The FHIR export validates under fhir.resources (R4B) and says what the session record says."""

# Reading optional FHIR elements back: a missing one fails the test with an error anyway.
# mypy: disable-error-code="union-attr,index"

from __future__ import annotations

from datetime import datetime

from export_sessions import run_session
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.procedure import Procedure
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from neck_guide.engine.record import SessionRecord
from neck_guide.export import fhir


def _read_back(records: list[SessionRecord]) -> Bundle:
    text = fhir.to_json(fhir.bundle(records))
    return Bundle.model_validate_json(text)


def _entries(b: Bundle) -> dict[str, object]:
    return {str(e.fullUrl): e.resource for e in b.entry or []}


def test_a_session_becomes_a_procedure_with_its_observations() -> None:
    record = run_session("clinical-neck", session_id="s-1", client="C-0042")
    b = _read_back([record])
    assert b.type == "collection"
    entries = _entries(b)
    assert all(url.startswith("urn:uuid:") for url in entries) and len(entries) == len(b.entry or [])
    for resource in entries.values():  # each resource valid on its own too
        type(resource).model_validate(resource.model_dump())  # type: ignore[attr-defined]

    (patient_url, patient), *_ = [(u, r) for u, r in entries.items() if isinstance(r, Patient)]
    assert [(i.system, i.value) for i in patient.identifier or []] == [(fhir.CLIENT_SYSTEM, "C-0042")]
    assert patient.name is None and patient.birthDate is None

    (proc_url, proc), *_ = [(u, r) for u, r in entries.items() if isinstance(r, Procedure)]
    assert proc.status == "completed"
    assert proc.subject.reference == patient_url
    assert proc.performedPeriod.start == datetime.fromisoformat(record.started_at)
    assert proc.performedPeriod.end == datetime.fromisoformat(record.ended_at or "")
    assert proc.code.coding[0].code == record.protocol_id and record.protocol_title in (proc.code.text or "")
    assert proc.note[0].text == record.notes

    observations = {u: r for u, r in entries.items() if isinstance(r, Observation)}
    assert all(
        o.partOf[0].reference == proc_url and o.subject.reference == patient_url
        for o in observations.values()
    )
    assert all(o.status == "final" for o in observations.values())
    seen: set[str] = set()

    def check(url: str, value: int | None, at: str, loinc: bool) -> Observation:
        o = observations[url]
        seen.add(url)
        coding = o.code.coding[0]
        if loinc:
            assert (coding.system, coding.code) == ("http://loinc.org", "72514-3")
        else:
            assert (coding.system, coding.code) == (fhir.RATING_SYSTEM, "pressure")
        assert o.valueInteger == value
        assert o.effectiveDateTime == datetime.fromisoformat(at)
        return o

    assert "before" in (check(fhir.urn("s-1", "pain", "pre"), 6, record.started_at, True).code.text or "")
    assert "after" in (check(fhir.urn("s-1", "pain", "post"), 2, record.ended_at or "", True).code.text or "")
    kinds = set()
    for v in record.steps:
        for kind in ("pressure", "pain"):
            rated = [r for r in v.ratings if r.kind == kind]
            if rated:  # the last rating counts
                o = check(
                    fhir.urn("s-1", "visit", str(v.visit), kind),
                    rated[-1].value,
                    rated[-1].at,
                    kind == "pain",
                )
                assert o.bodySite is not None and o.bodySite.text == fhir.body_site(v)
                assert v.title in (o.code.text or "")
                kinds.add(kind)
    seen |= {fhir.urn("s-1", "rotation", side) for side in ("left", "right")}  # see the test below
    assert seen == set(observations)  # nothing else
    assert kinds == {"pressure", "pain"}
    assert any(v.side and v.muscle for v in record.steps if v.ratings)


def test_statuses_clients_and_repeat_exports() -> None:
    done = run_session("self-care", session_id="s-1", client="C-1")
    stopped = run_session("self-care", session_id="s-2", client="C-1")
    stopped.status = "abandoned"
    anonymous = run_session("self-care", session_id="s-3", client=None, practice=True)
    anonymous.status = "running"
    anonymous.ended_at = None
    b = _read_back([done, stopped, anonymous])
    resources = [e.resource for e in b.entry or []]
    assert sum(isinstance(r, Patient) for r in resources) == 1  # one Patient per client
    procedures = [r for r in resources if isinstance(r, Procedure)]
    assert [p.status for p in procedures] == ["completed", "stopped", "in-progress"]
    assert procedures[2].subject.reference is None and procedures[2].subject.display
    assert "practice" in (procedures[2].code.text or "")
    assert procedures[2].performedPeriod.end is None
    again = fhir.to_json(fhir.bundle([done, stopped, anonymous]))
    assert again == fhir.to_json(fhir.bundle([done, stopped, anonymous]))  # stable ids


def test_no_sessions_is_an_empty_collection() -> None:
    assert _read_back([]).entry is None


def _procedure_and_patient(entries: dict[str, object]) -> tuple[str, str]:
    (proc_url,) = [u for u, r in entries.items() if isinstance(r, Procedure)]
    (patient_url,) = [u for u, r in entries.items() if isinstance(r, Patient)]
    return proc_url, patient_url


def test_screening_answers_become_a_questionnaire_response() -> None:
    record = run_session("clinical-neck", session_id="s-1", client="C-0042")
    first, second, *_ = record.screening
    assert first.answer and first.acknowledged and first.reason  # a "yes", gone ahead with
    second.answer, second.acknowledged, second.reason = True, False, ""  # a "yes" left unacknowledged
    entries = _entries(_read_back([record]))
    proc_url, patient_url = _procedure_and_patient(entries)
    (qr_url, qr), *others = [(u, r) for u, r in entries.items() if isinstance(r, QuestionnaireResponse)]
    assert others == [] and qr_url == fhir.urn("s-1", "screening")
    assert qr.status == "completed"
    assert qr.questionnaire == (
        f"https://neck-guide.invalid/fhir/Questionnaire/clinical-neck-screening|{record.protocol_version}"
    )
    assert qr.subject.reference == patient_url
    assert [p.reference for p in qr.partOf or []] == [proc_url]
    assert qr.authored == datetime.fromisoformat(record.started_at)

    items = qr.item or []
    assert [(i.linkId, i.text) for i in items] == [(a.item_id, a.question) for a in record.screening]
    assert len(items) == len(record.screening) >= 2
    for item, a in zip(items, record.screening, strict=True):
        (answer,) = item.answer or []
        assert answer.valueBoolean is a.answer
        follow = {f.linkId: f.answer[0] for f in answer.item or []}
        if a is first:
            assert follow[f"{a.item_id}.acknowledged"].valueBoolean is True
            assert follow[f"{a.item_id}.reason"].valueString == "checked with the client's GP"
            assert len(follow) == 2
        elif a is second:
            assert follow == {f"{a.item_id}.acknowledged": follow[f"{a.item_id}.acknowledged"]}
            assert follow[f"{a.item_id}.acknowledged"].valueBoolean is False
        else:
            assert not a.answer and follow == {}


def test_neck_rotation_becomes_an_observation_per_side() -> None:
    record = run_session("clinical-neck", session_id="s-1", client="C-0042")
    assert (record.rotation_left_deg, record.rotation_right_deg) == (70, 65)
    entries = _entries(_read_back([record]))
    proc_url, patient_url = _procedure_and_patient(entries)
    rotations = {
        u: r
        for u, r in entries.items()
        if isinstance(r, Observation) and r.code.coding[0].system == fhir.ROTATION_SYSTEM
    }
    assert set(rotations) == {fhir.urn("s-1", "rotation", side) for side in ("left", "right")}
    for side, degrees in (("left", 70), ("right", 65)):
        o = rotations[fhir.urn("s-1", "rotation", side)]
        assert o.code.coding[0].code == f"rotation-{side}" and side in (o.code.text or "")
        q = o.valueQuantity
        assert (q.value, q.unit, q.system, q.code) == (degrees, "deg", "http://unitsofmeasure.org", "deg")
        assert o.valueInteger is None
        assert [p.reference for p in o.partOf or []] == [proc_url]
        assert o.subject.reference == patient_url and o.status == "final"
        assert o.effectiveDateTime == datetime.fromisoformat(record.started_at)
        assert [c.code for c in o.category[0].coding or []] == ["exam"]
        assert o.bodySite is not None and "Neck" in (o.bodySite.text or "")

    record.rotation_right_deg = None  # one side measured: one Observation
    one = [r for r in _entries(_read_back([record])).values() if isinstance(r, Observation)]
    assert [o.code.coding[0].code for o in one if o.valueQuantity is not None] == ["rotation-left"]


def test_only_sessions_with_screening_or_rotation_get_them() -> None:
    measured = run_session("trigger-point", session_id="s-1", client="C-1")  # contraindications
    bare = run_session("self-care", session_id="s-2", client=None, practice=True)
    assert measured.screening
    bare.screening = []  # a session whose protocol asks no questions
    bare.rotation_left_deg = bare.rotation_right_deg = None  # and nothing was measured
    entries = _entries(_read_back([measured, bare]))
    screenings = [u for u, r in entries.items() if isinstance(r, QuestionnaireResponse)]
    assert screenings == [fhir.urn("s-1", "screening")]
    rotations = {u for u, r in entries.items() if isinstance(r, Observation) and r.valueQuantity is not None}
    assert rotations == {fhir.urn("s-1", "rotation", side) for side in ("left", "right")}
    assert not any(fhir.urn("s-2", "rotation", side) in entries for side in ("left", "right"))
