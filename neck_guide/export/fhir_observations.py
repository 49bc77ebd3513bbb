"""The Observations of a session's FHIR export: every rating given during treatment, the client's pain
before and after, neck rotation; each at the time it was taken (see :mod:`neck_guide.export.fhir`).

Ratings during treatment are not the client's pain. A therapist asks "how strong is the pressure?"
or "how much does this hurt?" while working a muscle, aiming for a "good hurt" of 6-7: that says how
a technique was dosed, not how the client's condition is. So they never carry the pain-severity
code (LOINC 72514-3), which a receiving system would chart as the client's pain. They carry our
own codes, ``pressure-during-technique`` and ``discomfort-during-technique``, category
``therapy``, with the muscle and side worked as ``bodySite``. Only the pain before and after the
session, which does describe the client, is LOINC 72514-3 (category ``survey``).

Every rating is an Observation, with an identifier of its number in the session: one replaced by a
correction (a second tap within the mis-tap window) or undone by the therapist is exported as
``entered-in-error``, with a note saying so; the correction notes which rating it corrects.
"""

from __future__ import annotations

from datetime import datetime
from typing import Final

from fhir.resources.R4B.annotation import Annotation
from fhir.resources.R4B.codeableconcept import CodeableConcept
from fhir.resources.R4B.coding import Coding
from fhir.resources.R4B.identifier import Identifier
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.quantity import Quantity
from fhir.resources.R4B.reference import Reference

from neck_guide.engine.record import MeasureKind, Rating, SessionRecord, StepRecord
from neck_guide.protocol.anatomy import MUSCLES
from neck_guide.protocol.model import RatingKind

BASE: Final = "https://neck-guide.invalid/fhir"
RATING_SYSTEM: Final = f"{BASE}/CodeSystem/rating"  # ratings during treatment, 1-10
RATING_IDS: Final = f"{BASE}/NamingSystem/rating"  # "<session id>/<rating number>"
ROTATION_SYSTEM: Final = f"{BASE}/CodeSystem/range-of-motion"  # "rotation-left", "rotation-right"
LOINC: Final = "http://loinc.org"
UCUM: Final = "http://unitsofmeasure.org"
CATEGORY_SYSTEM: Final = "http://terminology.hl7.org/CodeSystem/observation-category"
PAIN_CODE: Final = "72514-3"
PAIN_DISPLAY: Final = "Pain severity - 0-10 verbal numeric rating [Score] - Reported"
TREATMENT_CODES: Final[dict[RatingKind, tuple[str, str]]] = {
    "pressure": ("pressure-during-technique", "Pressure felt during a treatment technique, 1-10"),
    "pain": (
        "discomfort-during-technique",
        "Discomfort felt during a treatment technique, 1-10 (how a technique was dosed, not a pain "
        "score of the client's condition)",
    ),
}


def category(code: str, display: str) -> list[CodeableConcept]:
    return [CodeableConcept(coding=[Coding(system=CATEGORY_SYSTEM, code=code, display=display)])]


def time(text: str | None) -> datetime | None:
    return None if not text else datetime.fromisoformat(text)


def rating_observation(
    record: SessionRecord, visit: StepRecord, rating: Rating, subject: Reference, part_of: Reference
) -> Observation:
    """One rating given during treatment, at its own time, on the muscle and side worked."""
    code, display = TREATMENT_CODES[rating.kind]
    standing = record.standing(rating)
    notes = [_standing_note(standing, rating)] if standing != "counts" else []
    if rating.corrects is not None:
        notes.append(f"Corrects rating {rating.corrects} (a second tap within the mis-tap window).")
    return Observation(
        identifier=[Identifier(system=RATING_IDS, value=f"{record.session_id}/{rating.number}")],
        status="final" if standing == "counts" else "entered-in-error",
        category=category("therapy", "Therapy"),
        code=CodeableConcept(
            coding=[Coding(system=RATING_SYSTEM, code=code, display=display)],
            text=f"{rating.kind.capitalize()} during: {visit.title}",
        ),
        subject=subject,
        partOf=[part_of],
        effectiveDateTime=time(rating.at),
        valueInteger=rating.value,
        bodySite=CodeableConcept(text=body_site(visit)),
        interpretation=_interpretation(rating),
        note=[Annotation(text=n) for n in notes] or None,
    )


def _standing_note(standing: str, rating: Rating) -> str:
    if standing == "undone":
        return f"Rating {rating.number} was undone by the therapist: it does not count."
    return f"Rating {rating.number} was replaced by a correction: it does not count."


def _interpretation(rating: Rating) -> list[CodeableConcept] | None:
    said = []
    if rating.ease_off:
        said.append("above the ease-off level")
    if rating.in_target is not None:
        said.append("in the target band" if rating.in_target else "outside the target band")
    return [CodeableConcept(text=", ".join(said))] if said else None


def body_site(visit: StepRecord) -> str:
    muscle = MUSCLES[visit.muscle].name if visit.muscle in MUSCLES else (visit.muscle or "Neck")
    return f"{muscle}, {visit.side}" if visit.side else muscle


def pain_observation(
    record: SessionRecord, when: MeasureKind, value: int, subject: Reference, part_of: Reference
) -> Observation:
    """The client's pain before or after the session: LOINC 72514-3, at the time it was asked."""
    fallback = record.started_at if when == "pre_pain" else (record.ended_at or record.started_at)
    word = "before" if when == "pre_pain" else "after"
    return Observation(
        status="final",
        category=category("survey", "Survey"),
        code=CodeableConcept(
            coding=[Coding(system=LOINC, code=PAIN_CODE, display=PAIN_DISPLAY)],
            text=f"Pain {word} the session",
        ),
        subject=subject,
        partOf=[part_of],
        effectiveDateTime=time(record.measured_at(when) or fallback),
        valueInteger=value,
    )


def rotation_observation(
    record: SessionRecord, side: str, degrees: int, subject: Reference, part_of: Reference
) -> Observation:
    """One Observation per side rather than one with two components: either side may be left
    unmeasured, and each is then found by its own code. The side goes in the code, not in a
    bodySite laterality: it is the direction of the turn, not a left or right part of the neck."""
    kind: MeasureKind = "rotation_left" if side == "left" else "rotation_right"
    return Observation(
        status="final",
        category=category("exam", "Exam"),
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
        subject=subject,
        partOf=[part_of],
        effectiveDateTime=time(record.measured_at(kind) or record.started_at),
        valueQuantity=Quantity(value=degrees, unit="deg", system=UCUM, code="deg"),
        bodySite=CodeableConcept(text="Neck (cervical spine)"),
    )
