"""The anatomy vocabulary shared by protocol files and the SVG diagrams.

Protocols name muscles, trigger points, referral zones and safety zones by these ids; the
diagrams in ``resources/diagrams/`` carry one element per id and side, so the app can
highlight by id. A test keeps the two in step.

Element ids in a diagram (``side`` is ``left`` or ``right``, the client's own side):

- muscle:         ``{muscle}_{side}``            e.g. ``upper_trapezius_left``
- trigger point:  ``tp_{muscle}_{n}_{side}``     e.g. ``tp_upper_trapezius_1_left``
- referral zone:  ``ref_{muscle}_{side}``        e.g. ``ref_scalenes_right``
- safety zone:    ``zone_{zone}_{side}``         e.g. ``zone_anterior_neck_left``

The posterior and anterior views show both sides; the lateral view shows the client's right
side only, and the app mirrors it to show the left.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

View = Literal["posterior", "lateral", "anterior"]
Side = Literal["left", "right"]

VIEWS: Final[tuple[View, ...]] = ("posterior", "lateral", "anterior")
SIDES: Final[tuple[Side, ...]] = ("left", "right")


@dataclass(frozen=True, slots=True)
class Muscle:
    """A muscle the protocols can target, where it is drawn, and its marked points."""

    id: str
    name: str
    short_name: str
    views: tuple[View, ...]
    trigger_points: int
    referral_views: tuple[View, ...]
    referral: str


@dataclass(frozen=True, slots=True)
class SafetyZone:
    """An area to keep pressure away from, drawn as its own element."""

    id: str
    name: str
    views: tuple[View, ...]


MUSCLES: Final[dict[str, Muscle]] = {
    m.id: m
    for m in (
        Muscle(
            "scm",
            "Sternocleidomastoid",
            "SCM",
            ("lateral", "anterior"),
            2,
            ("lateral", "anterior"),
            "forehead, around the eye and behind the ear",
        ),
        Muscle(
            "upper_trapezius",
            "Upper trapezius",
            "Upper trap",
            ("posterior", "lateral"),
            2,
            ("posterior", "lateral"),
            "side of the head, temple and angle of the jaw",
        ),
        Muscle(
            "levator_scapulae",
            "Levator scapulae",
            "Levator",
            ("posterior", "lateral"),
            2,
            ("posterior",),
            "angle of the neck and inner edge of the shoulder blade",
        ),
        Muscle(
            "suboccipitals",
            "Suboccipitals",
            "Suboccipitals",
            ("posterior",),
            1,
            ("posterior", "lateral"),
            "band around the head towards the forehead",
        ),
        Muscle(
            "scalenes",
            "Scalenes",
            "Scalenes",
            ("lateral", "anterior"),
            2,
            ("anterior",),
            "chest, upper arm and down into the hand",
        ),
        Muscle(
            "pectoralis_major",
            "Pectoralis major",
            "Pec major",
            ("anterior",),
            1,
            (),
            "",
        ),
        Muscle(
            "rhomboids",
            "Rhomboids",
            "Rhomboids",
            ("posterior",),
            1,
            (),
            "",
        ),
        Muscle(
            "deep_neck_flexors",
            "Deep neck flexors",
            "Deep flexors",
            ("anterior",),
            0,
            (),
            "",
        ),
    )
}

SAFETY_ZONES: Final[dict[str, SafetyZone]] = {
    "anterior_neck": SafetyZone(
        "anterior_neck", "Anterior neck (carotid) safety zone", ("lateral", "anterior")
    ),
}


def trigger_point_ids(muscle: str) -> tuple[str, ...]:
    """Side-free ids of a muscle's trigger points, as protocols name them: ``tp_scm_1``."""
    return tuple(f"tp_{muscle}_{n}" for n in range(1, MUSCLES[muscle].trigger_points + 1))


ALL_TRIGGER_POINTS: Final[frozenset[str]] = frozenset(tp for m in MUSCLES for tp in trigger_point_ids(m))


def sides_drawn(view: View) -> tuple[Side, ...]:
    """Which of the client's sides a view draws (the lateral view is mirrored for the left)."""
    return ("right",) if view == "lateral" else SIDES


def element_ids(view: View) -> frozenset[str]:
    """Every element id the diagram of ``view`` must carry."""
    ids: set[str] = set()
    for side in sides_drawn(view):
        for m in MUSCLES.values():
            if view in m.views:
                ids.add(f"{m.id}_{side}")
                ids.update(f"{tp}_{side}" for tp in trigger_point_ids(m.id))
            if view in m.referral_views:
                ids.add(f"ref_{m.id}_{side}")
        for z in SAFETY_ZONES.values():
            if view in z.views:
                ids.add(f"zone_{z.id}_{side}")
    return frozenset(ids)
