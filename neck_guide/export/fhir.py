"""Sessions as a FHIR R4 (R4B) Bundle of type "collection", built with the fhir.resources models.

Only treatment sessions: a practice run is a trainee's drill, not care given to a patient, and is
never exported as a Procedure on a Patient (:func:`care` leaves it out; the export says so).

- Patient: the pseudonymous client code as an identifier only, no name or other details.
- Procedure: the session, the protocol as its code, performedPeriod from start to end, the notes
  as a note; ``status`` from the session's outcome (engine/outcome.py: finished -> completed,
  ended early or interrupted -> stopped, abandoned -> not-done, running -> in-progress) and,
  when it did not finish, ``statusReason`` in the words every format uses ("Ended early: 6 of
  41 steps done, 35 left (reason: ...)").
- Procedure, one per visit of a step, ``partOf`` the session's: the step as its code (our code
  system ``protocol-step``), performedPeriod when it was on screen, how it ended as its status,
  the time it ran and each pause (from, to, how long) as notes, the muscle as bodySite.
- Observations (fhir_observations.py): every rating given during treatment, one each at its own
  time, coded apart from the client's pain; the client's pain before and after (LOINC 72514-3)
  and neck rotation per side (UCUM ``deg``), each at the time it was taken; all ``partOf`` the
  Procedure.
- QuestionnaireResponse, the screening (only when answers were recorded), ``partOf`` the
  Procedure, ``questionnaire`` our canonical ``Questionnaire/<protocol id>-screening|<version>``,
  ``authored`` when the last answer was given: one item per question in protocol order,
  ``linkId`` the question's id, ``text`` the question, one valueBoolean answer. Under a "yes"
  answer, nested items ``<id>.acknowledged`` (valueBoolean: the therapist went ahead anyway) and
  ``<id>.reason`` (valueString, if given).
- fullUrl ``urn:uuid:...``: name-based UUIDs from the session id, so exporting the same session
  twice gives the same ids.

Our own identifiers and codes live under ``https://neck-guide.invalid/fhir/``: the ``.invalid``
top-level domain (RFC 2606) can never belong to anyone else, and says plainly that nothing is
served there.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from fhir.resources.R4B.annotation import Annotation
from fhir.resources.R4B.bundle import Bundle, BundleEntry
from fhir.resources.R4B.codeableconcept import CodeableConcept
from fhir.resources.R4B.coding import Coding
from fhir.resources.R4B.identifier import Identifier
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.period import Period
from fhir.resources.R4B.procedure import Procedure
from fhir.resources.R4B.questionnaireresponse import (
    QuestionnaireResponse,
    QuestionnaireResponseItem,
    QuestionnaireResponseItemAnswer,
)
from fhir.resources.R4B.reference import Reference

from neck_guide.engine.outcome import OUTCOMES
from neck_guide.engine.record import MeasureKind, Pause, ScreeningAnswer, SessionRecord, StepRecord
from neck_guide.engine.steps import DONE_REASONS, END_WORDS, outcome_line
from neck_guide.export.fhir_observations import (
    BASE,
    LOINC,
    PAIN_CODE,
    RATING_SYSTEM,
    ROTATION_SYSTEM,
    TREATMENT_CODES,
    body_site,
    pain_observation,
    rating_observation,
    rotation_observation,
    time,
)

PROTOCOL_SYSTEM = f"{BASE}/CodeSystem/protocol"  # code: the protocol id
STEP_SYSTEM = f"{BASE}/CodeSystem/protocol-step"  # code: the step's key in its protocol's plan
VISIT_IDS = f"{BASE}/NamingSystem/visit"  # "<session id>/<visit number from 1>"
CLIENT_SYSTEM = f"{BASE}/NamingSystem/client-code"
SESSION_SYSTEM = f"{BASE}/NamingSystem/session-id"
_NAMESPACE = uuid.UUID("0b8f2a52-7f2e-4d59-9a0c-5e1f3c7d9b21")

__all__ = [
    "CLIENT_SYSTEM", "LOINC", "PAIN_CODE", "PROTOCOL_SYSTEM", "RATING_SYSTEM", "ROTATION_SYSTEM",
    "SESSION_SYSTEM", "TREATMENT_CODES", "body_site", "bundle", "care", "procedure", "to_json", "urn",
]  # fmt: skip


def urn(*parts: str) -> str:
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, '/'.join(parts))}"


def care(records: Iterable[SessionRecord]) -> tuple[list[SessionRecord], int]:
    """The sessions that were care given to a client, and how many practice runs were left out."""
    kept, practice = [], 0
    for record in records:
        if record.practice:
            practice += 1
        else:
            kept.append(record)
    return kept, practice


def bundle(records: Iterable[SessionRecord]) -> Bundle:
    """One Bundle with every treatment session (practice runs left out), each client's Patient once."""
    entries: list[BundleEntry] = []
    patients: set[str] = set()
    for record in care(records)[0]:
        if record.client_code is not None and record.client_code not in patients:
            patients.add(record.client_code)
            entries.append(
                BundleEntry(fullUrl=urn("client", record.client_code), resource=patient(record.client_code))
            )
        entries.extend(session_entries(record))
    return Bundle(type="collection", entry=entries or None)


def to_json(b: Bundle) -> str:
    return b.model_dump_json(indent=2, exclude_none=True)


def patient(code: str) -> Patient:
    return Patient(identifier=[Identifier(system=CLIENT_SYSTEM, value=code)])


def subject(record: SessionRecord) -> Reference:
    if record.client_code is None:
        return Reference(display="Client without a code (not recorded)")
    return Reference(reference=urn("client", record.client_code))


def session_entries(record: SessionRecord) -> list[BundleEntry]:
    """The Procedure of the session, its screening QuestionnaireResponse and its Observations."""
    sid = record.session_id
    procedure_url = urn(sid, "procedure")
    entries = [BundleEntry(fullUrl=procedure_url, resource=procedure(record))]
    who, part_of = subject(record), Reference(reference=procedure_url)
    if record.screening:
        entries.append(BundleEntry(fullUrl=urn(sid, "screening"), resource=screening(record, part_of)))
    for side, degrees in (("left", record.rotation_left_deg), ("right", record.rotation_right_deg)):
        if degrees is not None:
            obs = rotation_observation(record, side, degrees, who, part_of)
            entries.append(BundleEntry(fullUrl=urn(sid, "rotation", side), resource=obs))
    pains: tuple[tuple[str, MeasureKind, int | None], ...] = (
        ("pre", "pre_pain", record.pre_pain),
        ("post", "post_pain", record.post_pain),
    )
    for when, kind, value in pains:
        if value is not None:
            obs = pain_observation(record, kind, value, who, part_of)
            entries.append(BundleEntry(fullUrl=urn(sid, "pain", when), resource=obs))
    for visit in record.steps:
        url = urn(sid, "visit", str(visit.visit))
        entries.append(BundleEntry(fullUrl=url, resource=visit_procedure(record, visit, who, part_of)))
        for rating in visit.ratings:
            obs = rating_observation(record, visit, rating, who, part_of)
            obs.partOf = [part_of, Reference(reference=url)]
            entries.append(BundleEntry(fullUrl=urn(sid, "rating", str(rating.number)), resource=obs))
    return entries


def visit_procedure(
    record: SessionRecord, visit: StepRecord, who: Reference, part_of: Reference
) -> Procedure:
    """A visit of a step: a procedure of its own, part of the session's. ``performedPeriod`` is when it
    was on screen; its pauses are in a note; how it ended is its status (done: completed; left
    before its end: stopped, with the reason; skipped: not-done)."""
    reason = visit.end_reason
    status = "in-progress" if reason is None else "completed" if reason in DONE_REASONS else "stopped"
    if reason == "skipped":
        status = "not-done"
    ran = f"ran {visit.actual_s:g} s" if visit.actual_s is not None else "time not known"
    notes = [ran + (f" (taking the step up at {visit.carried_s:g} s)" if visit.carried_s else "")]
    notes += [pause_text(p) for p in visit.pauses]
    return Procedure(
        identifier=[Identifier(system=VISIT_IDS, value=f"{record.session_id}/{visit.visit + 1}")],
        status=status,
        statusReason=CodeableConcept(text=END_WORDS[reason]) if reason and status != "completed" else None,
        partOf=[part_of],
        code=CodeableConcept(
            coding=[Coding(system=STEP_SYSTEM, code=visit.key, display=visit.title)],
            text=f"Step {visit.index + 1}: {visit.title} ({visit.technique})",
        ),
        subject=who,
        performedPeriod=Period(start=time(visit.started_at), end=time(visit.ended_at)),
        bodySite=[CodeableConcept(text=body_site(visit))] if visit.muscle else None,
        note=[Annotation(text=n) for n in notes],
    )


def pause_text(p: Pause) -> str:
    length = f" ({p.duration_s:g} s)" if p.duration_s is not None else ""
    return f"paused {p.started_at} – {p.ended_at or 'not resumed'}{length}"


def procedure(record: SessionRecord) -> Procedure:
    title = f"Neck massage: {record.protocol_title}"
    reason = None
    if record.status != "finished":
        reason = CodeableConcept(text=outcome_line(record))
    return Procedure(
        identifier=[Identifier(system=SESSION_SYSTEM, value=record.session_id)],
        status=OUTCOMES[record.status].fhir_status,
        statusReason=reason,
        code=CodeableConcept(
            coding=[
                Coding(
                    system=PROTOCOL_SYSTEM,
                    code=record.protocol_id,
                    version=record.protocol_version,
                    display=record.protocol_title,
                )
            ],
            text=title,
        ),
        subject=subject(record),
        performedPeriod=Period(start=time(record.started_at), end=time(record.ended_at)),
        note=[Annotation(text=record.notes)] if record.notes.strip() else None,
    )


def questionnaire(record: SessionRecord) -> str:
    """The canonical of the protocol's screening questions, versioned: they may change."""
    return f"{BASE}/Questionnaire/{record.protocol_id}-screening|{record.protocol_version}"


def screening(record: SessionRecord, part_of: Reference) -> QuestionnaireResponse:
    return QuestionnaireResponse(
        questionnaire=questionnaire(record),
        status="completed",
        subject=subject(record),
        partOf=[part_of],
        authored=time(max((a.at for a in record.screening if a.at), default=record.started_at)),
        item=[screening_item(a) for a in record.screening],
    )


def screening_item(a: ScreeningAnswer) -> QuestionnaireResponseItem:
    answer = QuestionnaireResponseItemAnswer(valueBoolean=a.answer)
    if a.answer:  # follow-up items nest under the answer they follow from
        answer.item = [_item(f"{a.item_id}.acknowledged", "Acknowledged: going ahead anyway", a.acknowledged)]
        if a.reason.strip():
            answer.item.append(_item(f"{a.item_id}.reason", "Reason for going ahead", a.reason))
    return QuestionnaireResponseItem(linkId=a.item_id, text=a.question, answer=[answer])


def _item(link_id: str, text: str, value: bool | str) -> QuestionnaireResponseItem:
    answer = (
        QuestionnaireResponseItemAnswer(valueBoolean=value)
        if isinstance(value, bool)
        else QuestionnaireResponseItemAnswer(valueString=value)
    )
    return QuestionnaireResponseItem(linkId=link_id, text=text, answer=[answer])
