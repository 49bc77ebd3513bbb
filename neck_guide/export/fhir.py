"""Sessions as a FHIR R4 (R4B) Bundle of type "collection", built with the fhir.resources models.

- Patient: the pseudonymous client code as an identifier only, no name or other details.
- Procedure: the session (completed / in-progress / stopped), the protocol as its code,
  performedPeriod from start to end, the notes as a note.
- Observation, one per rated step visit and kind (the last rating given: a re-rating replaces
  the earlier one), ``partOf`` the Procedure, the muscle and side as bodySite text:
  pain is LOINC 72514-3 with valueInteger; pressure has no standard code and uses our own code
  system (below). Pre- and post-session pain are LOINC 72514-3 Observations as well.
- QuestionnaireResponse, the screening (only when answers were recorded), ``partOf`` the
  Procedure, ``questionnaire`` our canonical ``Questionnaire/<protocol id>-screening|<version>``,
  ``authored`` at the session start (the session begins as its screening is recorded): one
  item per question in protocol order, ``linkId`` the question's id, ``text`` the
  question, one valueBoolean answer. Under a "yes" answer, nested items ``<id>.acknowledged``
  (valueBoolean: the therapist went ahead anyway) and ``<id>.reason`` (valueString, if given).
- Observation, exam category, one per measured side of neck rotation (each side is optional),
  ``partOf`` the Procedure: our own code ``rotation-left`` / ``rotation-right`` (no LOINC code
  we could be sure of), valueQuantity in UCUM ``deg``, the neck as bodySite text.
- fullUrl ``urn:uuid:...``: name-based UUIDs from the session id, so exporting the same session
  twice gives the same ids.

Our own identifiers and codes live under ``https://neck-guide.invalid/fhir/``: the ``.invalid``
top-level domain (RFC 2606) can never belong to anyone else, and says plainly that nothing is
served there.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime

from fhir.resources.R4B.annotation import Annotation
from fhir.resources.R4B.bundle import Bundle, BundleEntry
from fhir.resources.R4B.codeableconcept import CodeableConcept
from fhir.resources.R4B.coding import Coding
from fhir.resources.R4B.identifier import Identifier
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.period import Period
from fhir.resources.R4B.procedure import Procedure
from fhir.resources.R4B.quantity import Quantity
from fhir.resources.R4B.questionnaireresponse import (
    QuestionnaireResponse,
    QuestionnaireResponseItem,
    QuestionnaireResponseItemAnswer,
)
from fhir.resources.R4B.reference import Reference

from neck_guide.engine.record import Rating, ScreeningAnswer, SessionRecord, StepRecord
from neck_guide.protocol.anatomy import MUSCLES

BASE = "https://neck-guide.invalid/fhir"
RATING_SYSTEM = f"{BASE}/CodeSystem/rating"  # code "pressure": pressure felt during a hold, 1-10
PROTOCOL_SYSTEM = f"{BASE}/CodeSystem/protocol"  # code: the protocol id
CLIENT_SYSTEM = f"{BASE}/NamingSystem/client-code"
SESSION_SYSTEM = f"{BASE}/NamingSystem/session-id"
ROTATION_SYSTEM = f"{BASE}/CodeSystem/range-of-motion"  # codes "rotation-left", "rotation-right"
LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
CATEGORY_SYSTEM = "http://terminology.hl7.org/CodeSystem/observation-category"
PAIN_CODE = "72514-3"
PAIN_DISPLAY = "Pain severity - 0-10 verbal numeric rating [Score] - Reported"
PRESSURE_CODE = "pressure"
PRESSURE_DISPLAY = "Pressure felt during the hold, 1-10"
STATUS = {"finished": "completed", "running": "in-progress", "abandoned": "stopped"}
_NAMESPACE = uuid.UUID("0b8f2a52-7f2e-4d59-9a0c-5e1f3c7d9b21")


def urn(*parts: str) -> str:
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, '/'.join(parts))}"


def bundle(records: Iterable[SessionRecord]) -> Bundle:
    """One Bundle with every session, each client's Patient once."""
    entries: list[BundleEntry] = []
    patients: set[str] = set()
    for record in records:
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
    part_of = Reference(reference=procedure_url)
    if record.screening:
        entries.append(BundleEntry(fullUrl=urn(sid, "screening"), resource=screening(record, part_of)))
    for side, degrees in (("left", record.rotation_left_deg), ("right", record.rotation_right_deg)):
        if degrees is not None:
            obs = rotation(record, side, degrees, part_of)
            entries.append(BundleEntry(fullUrl=urn(sid, "rotation", side), resource=obs))
    end = record.ended_at or _last_time(record)
    pains = (("pre", "before", record.pre_pain, record.started_at), ("post", "after", record.post_pain, end))
    for when, word, value, at in pains:
        if value is not None:
            obs = _observation(record, part_of, _pain_code(f"Pain {word} the session"), value, at)
            entries.append(BundleEntry(fullUrl=urn(sid, "pain", when), resource=obs))
    for visit in record.steps:
        for rating in _last_ratings(visit):
            obs = step_observation(record, visit, rating, part_of)
            entries.append(
                BundleEntry(fullUrl=urn(sid, "visit", str(visit.visit), rating.kind), resource=obs)
            )
    return entries


def procedure(record: SessionRecord) -> Procedure:
    title = f"Neck massage: {record.protocol_title}"
    if record.practice:
        title += " (practice, not a treatment)"
    return Procedure(
        identifier=[Identifier(system=SESSION_SYSTEM, value=record.session_id)],
        status=STATUS[record.status],
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
        performedPeriod=Period(start=_time(record.started_at), end=_time(record.ended_at)),
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
        authored=_time(record.started_at),
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


def rotation(record: SessionRecord, side: str, degrees: int, part_of: Reference) -> Observation:
    """One Observation per side rather than one with two components: either side may be left
    unmeasured, and each is then found by its own code. The side goes in the code, not in a
    bodySite laterality: it is the direction of the turn, not a left or right part of the neck."""
    return Observation(
        status="final",
        category=[CodeableConcept(coding=[Coding(system=CATEGORY_SYSTEM, code="exam", display="Exam")])],
        code=CodeableConcept(
            coding=[
                Coding(
                    system=ROTATION_SYSTEM,
                    code=f"rotation-{side}",
                    display=f"Neck rotation range to the {side}, degrees from neutral",
                )
            ],
            text=f"Neck rotation to the {side}",
        ),
        subject=subject(record),
        partOf=[part_of],
        effectiveDateTime=_time(record.started_at),
        valueQuantity=Quantity(value=degrees, unit="deg", system=UCUM, code="deg"),
        bodySite=CodeableConcept(text="Neck (cervical spine)"),
    )


def step_observation(
    record: SessionRecord, visit: StepRecord, rating: Rating, part_of: Reference
) -> Observation:
    if rating.kind == "pain":
        code = _pain_code(f"Pain during: {visit.title}")
    else:
        code = CodeableConcept(
            coding=[Coding(system=RATING_SYSTEM, code=PRESSURE_CODE, display=PRESSURE_DISPLAY)],
            text=f"Pressure during: {visit.title}",
        )
    obs = _observation(record, part_of, code, rating.value, rating.at)
    obs.bodySite = CodeableConcept(text=body_site(visit))
    notes = []
    if rating.ease_off:
        notes.append("above the ease-off level")
    if rating.in_target is not None:
        notes.append("in the target band" if rating.in_target else "outside the target band")
    if notes:
        obs.interpretation = [CodeableConcept(text=", ".join(notes))]
    return obs


def body_site(visit: StepRecord) -> str:
    muscle = MUSCLES[visit.muscle].name if visit.muscle in MUSCLES else (visit.muscle or "Neck")
    return f"{muscle}, {visit.side}" if visit.side else muscle


def _observation(
    record: SessionRecord, part_of: Reference, code: CodeableConcept, value: int, at: str
) -> Observation:
    return Observation(
        status="final",
        code=code,
        subject=subject(record),
        partOf=[part_of],
        effectiveDateTime=_time(at),
        valueInteger=value,
    )


def _pain_code(text: str) -> CodeableConcept:
    return CodeableConcept(coding=[Coding(system=LOINC, code=PAIN_CODE, display=PAIN_DISPLAY)], text=text)


def _last_ratings(visit: StepRecord) -> list[Rating]:
    last: dict[str, Rating] = {}
    for r in visit.ratings:
        last[r.kind] = r
    return list(last.values())


def _last_time(record: SessionRecord) -> str:
    times = [record.started_at] + [v.ended_at or v.started_at for v in record.steps]
    return max(times)


def _time(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)
