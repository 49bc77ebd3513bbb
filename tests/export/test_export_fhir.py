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

from neck_guide.engine.record import MeasureKind, Pause, SessionRecord, Undo
from neck_guide.engine.steps import outcome_line
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
    pre, post = observations[fhir.urn("s-1", "pain", "pre")], observations[fhir.urn("s-1", "pain", "post")]
    pains: tuple[tuple[Observation, int, MeasureKind], ...] = ((pre, 6, "pre_pain"), (post, 2, "post_pain"))
    for o, value, kind in pains:  # the client's pain: LOINC
        assert (o.code.coding[0].system, o.code.coding[0].code) == ("http://loinc.org", "72514-3")
        assert o.valueInteger == value and o.status == "final"
        assert o.effectiveDateTime == datetime.fromisoformat(record.measured_at(kind) or "")  # item 12
        assert [c.code for c in o.category[0].coding] == ["survey"]
    rated = {u: o for u, o in observations.items() if o.code.coding[0].system == fhir.RATING_SYSTEM}
    ratings = record.ratings()
    assert len(rated) == len(ratings) == sum(len(v.ratings) for v in record.steps)  # every rating: item 3
    visits = {v.visit: v for v in record.steps}
    for r in ratings:
        o = rated[fhir.urn("s-1", "rating", str(r.number))]
        assert o.code.coding[0].code == fhir.TREATMENT_CODES[r.kind][0]  # never the pain-severity code
        assert (o.valueInteger, o.effectiveDateTime) == (r.value, datetime.fromisoformat(r.at))
        assert o.identifier[0].value == f"s-1/{r.number}"
        assert o.bodySite.text == fhir.body_site(visits[r.visit])
        assert [c.code for c in o.category[0].coding] == ["therapy"]
    assert {o.code.coding[0].code for o in rated.values()} == {
        "pressure-during-technique", "discomfort-during-technique"
    }  # fmt: skip
    rotations = {fhir.urn("s-1", "rotation", side) for side in ("left", "right")}
    assert set(observations) == set(rated) | rotations | {fhir.urn("s-1", "pain", w) for w in ("pre", "post")}


def test_ratings_during_treatment_are_told_apart_from_the_clients_pain() -> None:
    """Item 13: a "good hurt" of 6-7 during a compression is not the client's pain score."""
    record = run_session("trigger-point", session_id="s-1", client="C-1")
    resources = [e.resource for e in _read_back([record]).entry or []]
    loinc = [o for o in resources if isinstance(o, Observation) and o.code.coding[0].code == "72514-3"]
    assert len(loinc) == 2 and {o.code.text for o in loinc} == {
        "Pain before the session", "Pain after the session"
    }  # fmt: skip
    during = [
        o for o in resources if isinstance(o, Observation) and o.code.coding[0].system == fhir.RATING_SYSTEM
    ]
    assert len(during) == len(record.ratings()) and all(o.bodySite.text for o in during)
    assert any(len(v.ratings) > 1 for v in record.steps)  # a visit rated twice: both are there


def test_a_corrected_or_undone_rating_is_exported_as_entered_in_error() -> None:
    record = run_session("trigger-point", session_id="s-1", client="C-1")
    visit = next(v for v in record.steps if len(v.ratings) >= 2)
    first, second = visit.ratings[:2]
    second.corrects = first.number
    record.undos.append(Undo(second.at, "rating", visit.visit, rating=second.number))
    entries = _entries(_read_back([record]))
    corrected, undone = (entries[fhir.urn("s-1", "rating", str(r.number))] for r in (first, second))
    assert isinstance(corrected, Observation) and isinstance(undone, Observation)
    assert corrected.status == undone.status == "entered-in-error"
    assert "replaced by a correction" in str(corrected.note[0].text)
    assert "undone" in str(undone.note[0].text) and f"Corrects rating {first.number}" in str(
        undone.note[1].text
    )


def test_statuses_clients_and_repeat_exports() -> None:
    """Item 4: the outcome is the Procedure's status and statusReason, in the words of every format."""
    done = run_session("self-care", session_id="s-1", client="C-1")
    stopped = run_session("self-care", session_id="s-2", client="C-1")
    stopped.status, stopped.end_note = "ended_early", "client felt dizzy"
    cut = run_session("self-care", session_id="s-4", client=None)
    cut.status = "interrupted"
    left = run_session("self-care", session_id="s-5", client="C-2")
    left.status = "abandoned"
    running = run_session("self-care", session_id="s-3", client=None)
    running.status, running.ended_at = "running", None
    b = _read_back([done, stopped, cut, left, running])
    resources = [e.resource for e in b.entry or []]
    assert sum(isinstance(r, Patient) for r in resources) == 2  # one Patient per client
    procedures = [r for r in resources if isinstance(r, Procedure) and r.partOf is None]  # the sessions
    assert [p.status for p in procedures] == ["completed", "stopped", "stopped", "not-done", "in-progress"]
    assert procedures[0].statusReason is None
    assert procedures[1].statusReason.text == outcome_line(stopped)
    assert procedures[1].statusReason.text.startswith("Ended early: ") and "client felt dizzy" in (
        procedures[1].statusReason.text
    )
    assert procedures[2].statusReason.text.startswith("Interrupted: ")
    assert procedures[3].statusReason.text.startswith("Abandoned: ")
    assert procedures[4].subject.reference is None and procedures[4].subject.display
    assert procedures[4].performedPeriod.end is None
    again = fhir.to_json(fhir.bundle([done, stopped, running]))
    assert again == fhir.to_json(fhir.bundle([done, stopped, running]))  # stable ids


def test_a_practice_session_is_never_care_given_to_a_patient() -> None:
    """Item 13: a trainee's drill is left out of the FHIR export (it says so)."""
    drill = run_session("trigger-point", session_id="s-p", client="C-1", practice=True)
    care = run_session("trigger-point", session_id="s-t", client="C-1")
    resources = [e.resource for e in _read_back([drill, care]).entry or []]
    procedures = [r for r in resources if isinstance(r, Procedure) and r.partOf is None]
    assert [p.identifier[0].value for p in procedures] == ["s-t"]
    assert not any("s-p" in str(p.identifier[0].value) for p in resources if isinstance(p, Procedure))
    assert not any("s-p" in fhir.to_json(fhir.bundle([drill])) for _ in [0])
    assert fhir.care([drill, care]) == ([care], 1)


def test_no_sessions_is_an_empty_collection() -> None:
    assert _read_back([]).entry is None


def _procedure_and_patient(entries: dict[str, object]) -> tuple[str, str]:
    (proc_url,) = [u for u, r in entries.items() if isinstance(r, Procedure) and r.partOf is None]
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
    assert qr.authored == datetime.fromisoformat(max(a.at for a in record.screening))  # the last answer

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
        kind: MeasureKind = "rotation_left" if side == "left" else "rotation_right"
        assert o.effectiveDateTime == datetime.fromisoformat(record.measured_at(kind) or "")  # its own time
        assert [c.code for c in o.category[0].coding or []] == ["exam"]
        assert o.bodySite is not None and "Neck" in (o.bodySite.text or "")

    record.rotation_right_deg = None  # one side measured: one Observation
    one = [r for r in _entries(_read_back([record])).values() if isinstance(r, Observation)]
    assert [o.code.coding[0].code for o in one if o.valueQuantity is not None] == ["rotation-left"]


def test_only_sessions_with_screening_or_rotation_get_them() -> None:
    measured = run_session("trigger-point", session_id="s-1", client="C-1")  # contraindications
    bare = run_session("self-care", session_id="s-2", client=None)
    assert measured.screening
    bare.screening = []  # a session whose protocol asks no questions
    bare.rotation_left_deg = bare.rotation_right_deg = None  # and nothing was measured
    entries = _entries(_read_back([measured, bare]))
    screenings = [u for u, r in entries.items() if isinstance(r, QuestionnaireResponse)]
    assert screenings == [fhir.urn("s-1", "screening")]
    rotations = {u for u, r in entries.items() if isinstance(r, Observation) and r.valueQuantity is not None}
    assert rotations == {fhir.urn("s-1", "rotation", side) for side in ("left", "right")}
    assert not any(fhir.urn("s-2", "rotation", side) in entries for side in ("left", "right"))


def test_every_visit_is_a_procedure_of_the_session_with_its_pauses() -> None:
    record = run_session("clinical-neck", session_id="s-1", client="C-0042")
    visit = record.steps[6]
    visit.pauses.append(Pause(visit.started_at, visit.ended_at, 12.5))
    entries = _entries(_read_back([record]))
    proc_url, _ = _procedure_and_patient(entries)
    visits = [r for r in entries.values() if isinstance(r, Procedure) and r.partOf is not None]
    assert len(visits) == len(record.steps)
    for v, p in zip(record.steps, visits, strict=True):
        assert [r.reference for r in p.partOf] == [proc_url]
        assert p.identifier[0].value == f"s-1/{v.visit + 1}" and p.code.coding[0].code == v.key
        assert p.performedPeriod.start == datetime.fromisoformat(v.started_at)
        assert p.status == "completed"  # this session ran every step to its end
        assert p.note[0].text == f"ran {v.actual_s:g} s"
    paused = str(visits[6].note[1].text)
    assert paused.startswith(f"paused {visit.started_at}") and "(12.5 s)" in paused
    rated = next(r for r in entries.values() if isinstance(r, Observation) and r.identifier)
    assert len(rated.partOf or []) == 2  # the session, and the visit it was given in
