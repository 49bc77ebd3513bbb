"""Where on the body a tap on a diagram falls: the region, the client's side, the muscle under it.

Pure Python (no Qt): the posterior and anterior diagrams in ``resources/diagrams/`` are read as
shapes (their ``outline`` and ``muscle`` paths flattened to polygons, group transforms applied),
and a point in the drawing's own units (its viewBox) is tested against them. Off every outline is
off the body. The region follows the drawing's landmarks (the neck above the shoulder line, the
shoulders out to the arms, the arms beyond them, the upper back or the chest below); the muscle
is the topmost muscle shape holding the point.

Each region has the SNOMED CT body structure code where we are sure of it (head 69536005, neck
45048000, shoulder region 16982005, upper arm 40983000; laterality left 7771000, right 24028007)
and none otherwise (upper back, chest): exports then use Neck Guide's own code system.
"""

from __future__ import annotations

import functools
import itertools
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final, Literal

from neck_guide.paths import RESOURCES_DIR

Region = Literal["head", "neck", "shoulder", "upper_arm", "upper_back", "chest"]
MapView = Literal["posterior", "anterior"]
Side = Literal["left", "right"]
Point = tuple[float, float]
Polygon = list[Point]
Shape = list[Polygon]  # the subpaths of one path: a point is in it when it is inside an odd number
Matrix = tuple[float, float, float, float, float, float]

MAP_VIEWS: Final[tuple[MapView, ...]] = ("posterior", "anterior")
SVG: Final = "{http://www.w3.org/2000/svg}"
MIDLINE_X: Final = 200.0  # both views are drawn symmetric about x = 200
MIDLINE_PX: Final = 4.0  # closer to the midline than this: no side
CURVE_STEPS: Final = 12


@dataclass(frozen=True, slots=True)
class RegionInfo:
    name: str
    snomed: str | None  # SNOMED CT body structure, where we are sure of the code


REGIONS: Final[dict[Region, RegionInfo]] = {
    "head": RegionInfo("Head", "69536005"),
    "neck": RegionInfo("Neck", "45048000"),
    "shoulder": RegionInfo("Shoulder", "16982005"),
    "upper_arm": RegionInfo("Upper arm", "40983000"),
    "upper_back": RegionInfo("Upper back", None),
    "chest": RegionInfo("Chest", None),
}
LATERALITY: Final[dict[Side, str]] = {"left": "7771000", "right": "24028007"}


@dataclass(frozen=True, slots=True)
class Landmarks:
    """Where a view's regions meet, in drawing units: below ``neck_bottom`` is the trunk; above it,
    within ``neck_half`` of the midline is the neck; the shoulders run down to ``shoulder_bottom``
    from ``shoulder_from`` out; the arms are beyond ``arm_from``."""

    neck_bottom: float
    neck_half: float
    shoulder_bottom: float
    shoulder_from: float
    arm_from: float
    trunk: Region
    left_is_low_x: bool  # the client's left is on the viewer's left (seen from behind)


LANDMARKS: Final[dict[MapView, Landmarks]] = {
    "posterior": Landmarks(215, 50, 270, 50, 120, "upper_back", left_is_low_x=True),
    "anterior": Landmarks(250, 55, 300, 90, 120, "chest", left_is_low_x=False),
}


@dataclass(frozen=True, slots=True)
class Site:
    """A place on the body: region, the client's side (None on the midline), the muscle there."""

    region: Region
    side: Side | None
    muscle: str | None

    @property
    def name(self) -> str:
        return site_name(self.region, self.side, self.muscle)


def site_name(region: str, side: str | None, muscle: str | None, muscle_name: str | None = None) -> str:
    """``Neck, left (upper trapezius)``: words for a place, for screens and reports."""
    info = REGIONS.get(region)  # type: ignore[call-overload]
    text = info.name if info is not None else region.replace("_", " ").capitalize()
    text += f", {side}" if side else ""
    shown = muscle_name or (muscle.replace("_", " ") if muscle else None)
    return f"{text} ({shown})" if shown else text


def locate(view: str, x: float, y: float) -> Site | None:
    """The place at (``x``, ``y``) of ``view`` (drawing units), or None off the body."""
    if view not in LANDMARKS:
        raise ValueError(f"the body map is drawn in the {' and '.join(MAP_VIEWS)} views, not {view!r}")
    shapes = _shapes(view)
    if not any(_inside(shape, x, y) for shape in shapes.outlines):
        return None
    in_head = any(_inside(shape, x, y) for shape in shapes.head)
    marks = LANDMARKS[view]
    region = _region(marks, x, y, in_head)
    dx = x - MIDLINE_X
    side: Side | None = None
    if abs(dx) >= MIDLINE_PX:
        side = "left" if (dx < 0) == marks.left_is_low_x else "right"
    element = next((m for m, shape in reversed(shapes.muscles) if _inside(shape, x, y)), None)
    return Site(region, side, muscle_of(element)[0] if element else None)


def _region(marks: Landmarks, x: float, y: float, in_head: bool) -> Region:
    dx = abs(x - MIDLINE_X)
    if in_head:
        return "head"
    if y < marks.neck_bottom:
        return "neck" if dx < marks.neck_half else "shoulder"
    if y < marks.shoulder_bottom and dx >= marks.shoulder_from:
        return "shoulder"
    return "upper_arm" if dx >= marks.arm_from else marks.trunk


# --- the drawing as shapes --------------------------------------------------------------------


@dataclass(frozen=True)
class Shapes:
    outlines: list[Shape]
    head: list[Shape]  # the outlines wholly above the shoulders: head and ears
    muscles: list[tuple[str, Shape]]  # (element id, shape) in drawing order; sides in the id


HEAD_BELOW_Y: Final = 200.0


@functools.lru_cache(maxsize=len(MAP_VIEWS))
def _shapes(view: str) -> Shapes:
    root = ET.parse(RESOURCES_DIR / "diagrams" / f"{view}.svg").getroot()
    outlines: list[Shape] = []
    muscles: list[tuple[str, Shape]] = []
    for element, matrix in _paths(root, (1, 0, 0, 1, 0, 0)):
        shape = [[_apply(matrix, p) for p in sub] for sub in flatten(element.get("d", ""))]
        cls = element.get("class")
        if cls == "outline":
            outlines.append(shape)
        elif cls == "muscle" and element.get("id"):
            muscles.append((str(element.get("id")), shape))
    head = [s for s in outlines if max(y for sub in s for _, y in sub) < HEAD_BELOW_Y]
    return Shapes(outlines, head, muscles)


def muscle_of(element_id: str) -> tuple[str, Side | None]:
    """``upper_trapezius_left`` -> ("upper_trapezius", "left")."""
    for side in ("left", "right"):
        if element_id.endswith(f"_{side}"):
            return element_id[: -len(side) - 1], side
    return element_id, None


def _paths(element: ET.Element, matrix: Matrix) -> Iterator[tuple[ET.Element, Matrix]]:
    """Every ``<path>`` under ``element`` with the transform in force there."""
    for child in element:
        own = _compose(matrix, _matrix(child.get("transform", "")))
        if child.tag == f"{SVG}path":
            yield child, own
        yield from _paths(child, own)


_MATRIX = re.compile(r"matrix\(([^)]*)\)")
_NUMBER = re.compile(r"-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


def _matrix(transform: str) -> Matrix:
    found = _MATRIX.search(transform)
    if not transform.strip():
        return (1, 0, 0, 1, 0, 0)
    if found is None:
        raise ValueError(f"a diagram transform this reader does not follow: {transform!r}")
    a, b, c, d, e, f = (float(n) for n in _NUMBER.findall(found.group(1)))
    return (a, b, c, d, e, f)


def _compose(outer: Matrix, inner: Matrix) -> Matrix:
    a1, b1, c1, d1, e1, f1 = outer
    a2, b2, c2, d2, e2, f2 = inner
    return (
        a1 * a2 + c1 * b2, b1 * a2 + d1 * b2, a1 * c2 + c1 * d2, b1 * c2 + d1 * d2,
        a1 * e2 + c1 * f2 + e1, b1 * e2 + d1 * f2 + f1,
    )  # fmt: skip


def _apply(m: Matrix, p: Point) -> Point:
    x, y = p
    return (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])


_TOKEN = re.compile(r"[MLCQZmlcqzHVhvSsTtAa]|" + _NUMBER.pattern)


def flatten(d: str) -> Shape:
    """An SVG path of absolute M, L, Q, C and Z as polygons, one per subpath (curves in
    CURVE_STEPS pieces)."""
    tokens = _TOKEN.findall(d)
    shape: Shape = []
    at: Point = (0.0, 0.0)
    n, command = 0, ""
    while n < len(tokens):
        if tokens[n].isalpha():
            command, n = tokens[n], n + 1
            if command not in "MLQCZ":
                raise ValueError(f"a path command this reader does not follow: {command!r} in {d[:40]!r}")
            if command == "Z":
                continue
        size = {"M": 2, "L": 2, "Q": 4, "C": 6}[command]
        values = [float(t) for t in tokens[n : n + size]]
        n += size
        controls = [(values[i], values[i + 1]) for i in range(0, size, 2)]
        if command == "M":
            shape.append([])
        shape[-1] += _segment(at, controls)
        at = controls[-1]
    return shape


def _segment(start: Point, controls: list[Point]) -> Polygon:
    if len(controls) == 1:
        return [controls[0]]
    out = []
    for step in range(1, CURVE_STEPS + 1):
        t = step / CURVE_STEPS
        ps = [start, *controls]
        while len(ps) > 1:  # de Casteljau
            ps = [((1 - t) * a[0] + t * b[0], (1 - t) * a[1] + t * b[1]) for a, b in itertools.pairwise(ps)]
        out.append(ps[0])
    return out


def _inside(shape: Shape, x: float, y: float) -> bool:
    """Even-odd ray casting over every subpath."""
    inside = False
    for polygon in shape:
        j = len(polygon) - 1
        for i, (xi, yi) in enumerate(polygon):
            xj, yj = polygon[j]
            if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
                inside = not inside
            j = i
    return inside
