"""The anatomy diagrams against the vocabulary, and highlighting them (pure, no Qt)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import cast

import pytest

from neck_guide.diagram import (
    HIGHLIGHT_CLASS,
    LIGHT_THEME_CSS,
    SVG_NS,
    DiagramError,
    Highlight,
    Theme,
    diagram_path,
    highlighted_svg,
    needs_mirror,
)
from neck_guide.protocol.anatomy import MUSCLES, VIEWS, Side, View, element_ids, trigger_point_ids

NS = f"{{{SVG_NS}}}"
BASE_CLASSES = frozenset(HIGHLIGHT_CLASS)
LIT_CLASSES = frozenset(HIGHLIGHT_CLASS.values())
DECORATION_CLASSES = frozenset({"outline", "bone", "feature", "fibre"})
ALL_CLASSES = BASE_CLASSES | LIT_CLASSES | DECORATION_CLASSES
FORBIDDEN_TAGS = frozenset({"clipPath", "filter", "text", "image", "pattern", "mask", "foreignObject"})


def _root(view: View) -> ET.Element:
    return ET.parse(diagram_path(view)).getroot()


def _classes(root: ET.Element) -> dict[str, str]:
    """Class of every element with an id (the style element has no class)."""
    return {el.attrib["id"]: el.get("class", "") for el in root.iter() if "id" in el.attrib}


def _expected_class(element_id: str) -> str:
    for prefix, cls in (("tp_", "tp"), ("ref_", "ref"), ("zone_", "zone")):
        if element_id.startswith(prefix):
            return cls
    return "muscle"


def _rendered(highlight: Highlight, theme: Theme = "dark") -> ET.Element:
    return ET.fromstring(highlighted_svg(highlight, theme))


def _lit(highlight: Highlight) -> dict[str, str]:
    """Elements whose class the highlight changed, with their new class."""
    before = _classes(_rendered(Highlight(highlight.view)))
    after = _classes(_rendered(highlight))
    return {i: c for i, c in after.items() if before[i] != c}


def _css_classes(css: str) -> set[str]:
    return set(re.findall(r"\.([A-Za-z][\w-]*)\s*\{", css))


# -- the drawings ----------------------------------------------------------------------------


@pytest.mark.parametrize("view", VIEWS)
def test_drawing_file_is_next_to_the_package(view: View) -> None:
    path = diagram_path(view)
    assert path.is_file()
    assert path.parent.name == "diagrams"
    assert path.parent.parent.name == "resources"
    assert path.name == f"{view}.svg"


@pytest.mark.parametrize("view", VIEWS)
def test_every_vocabulary_id_is_drawn_once_with_its_class(view: View) -> None:
    root = _root(view)
    for element_id in element_ids(view):
        found = [el for el in root.iter() if el.get("id") == element_id]
        assert len(found) == 1, f"{view}: {element_id} drawn {len(found)} times"
        assert found[0].get("class") == _expected_class(element_id), f"{view}: {element_id}"


@pytest.mark.parametrize("view", VIEWS)
def test_no_highlightable_element_outside_the_vocabulary(view: View) -> None:
    allowed = element_ids(view)
    for el in _root(view).iter():
        cls = el.get("class")
        if cls in BASE_CLASSES | LIT_CLASSES:
            assert el.get("id") in allowed, f"{view}: {el.tag} {el.get('id')!r} has class {cls}"


@pytest.mark.parametrize("view", VIEWS)
def test_each_element_has_one_known_class_and_no_inline_paint(view: View) -> None:
    for el in _root(view).iter():
        cls = el.get("class")
        if cls is None:
            continue
        assert cls in ALL_CLASSES, f"{view}: unknown class {cls!r} on {el.get('id')}"
        if cls in BASE_CLASSES:
            for attr in ("fill", "stroke", "style", "opacity", "fill-opacity", "display"):
                assert attr not in el.attrib, f"{view}: {el.get('id')} sets {attr}"


@pytest.mark.parametrize("view", VIEWS)
def test_drawing_uses_only_what_qtsvg_draws(view: View) -> None:
    root = _root(view)
    assert root.tag == f"{NS}svg"
    assert root.get("viewBox") == "0 0 400 440"
    tags = {el.tag.removeprefix(NS) for el in root.iter()}
    assert not tags & FORBIDDEN_TAGS


@pytest.mark.parametrize("view", VIEWS)
def test_theme_style_comes_first_and_styles_every_class(view: View) -> None:
    root = _root(view)
    styles = list(root.iter(f"{NS}style"))
    assert [s.get("id") for s in styles] == ["theme"]
    drawing = [el for el in root if el.tag not in (f"{NS}title", f"{NS}desc")]
    assert drawing[0] is styles[0], "the theme style must come before the drawing"
    assert _css_classes(styles[0].text or "") == ALL_CLASSES
    assert _css_classes(LIGHT_THEME_CSS) == ALL_CLASSES


def test_all_views_share_one_dark_palette() -> None:
    css = {(next(_root(view).iter(f"{NS}style")).text or "").strip() for view in VIEWS}
    assert len(css) == 1


def test_base_state_hides_points_and_zones() -> None:
    css = next(_root("posterior").iter(f"{NS}style")).text or ""
    for cls in ("tp", "ref", "zone"):
        rule = re.search(rf"\.{cls}\{{([^}}]*)\}}", css)
        assert rule is not None
        assert "opacity:0" in rule.group(1) or "fill:none" in rule.group(1)


def _points(d: str) -> list[tuple[float, float]]:
    numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", d)]
    return list(zip(numbers[::2], numbers[1::2], strict=True))


def _mirrored(root: ET.Element) -> set[str]:
    """Ids drawn inside the mirror-image group (x -> 400 - x)."""
    return {
        el.attrib["id"]
        for group in root.iter(f"{NS}g")
        if group.get("transform") == "matrix(-1 0 0 1 400 0)"
        for el in group.iter()
        if "id" in el.attrib
    }


@pytest.mark.parametrize("view", VIEWS)
def test_trigger_points_sit_on_their_muscle(view: View) -> None:
    """Each trigger point lies within its muscle's outline box, in the same (mirrored) frame."""
    root = _root(view)
    by_id = {el.attrib["id"]: el for el in root.iter() if "id" in el.attrib}
    mirrored = _mirrored(root)
    checked = 0
    for element_id in element_ids(view):
        if not element_id.startswith("tp_"):
            continue
        muscle_id = re.sub(r"^tp_(.*)_\d+_(left|right)$", r"\1_\2", element_id)
        point = by_id[element_id]
        muscle = by_id[muscle_id]
        assert (element_id in mirrored) == (muscle_id in mirrored)
        xs, ys = zip(*_points(muscle.attrib["d"]), strict=True)
        x, y = float(point.attrib["cx"]), float(point.attrib["cy"])
        assert min(xs) <= x <= max(xs), f"{view}: {element_id} x={x} outside {muscle_id}"
        assert min(ys) <= y <= max(ys), f"{view}: {element_id} y={y} outside {muscle_id}"
        checked += 1
    assert checked > 0


def test_sides_follow_the_clients_own_left_and_right() -> None:
    """Posterior: client's left on the viewer's left; anterior: client's right on the viewer's left."""

    def centre_x(view: View, element_id: str) -> float:
        root = _root(view)
        el = next(e for e in root.iter() if e.get("id") == element_id)
        xs = [x for x, _ in _points(el.attrib["d"])]
        mid = (min(xs) + max(xs)) / 2
        return 400 - mid if element_id in _mirrored(root) else mid

    assert (
        centre_x("posterior", "upper_trapezius_left") < 200 < centre_x("posterior", "upper_trapezius_right")
    )
    assert centre_x("anterior", "scm_right") < 200 < centre_x("anterior", "scm_left")
    # the lateral view faces the viewer's right: the SCM runs down to the front, right of the trapezius
    assert centre_x("lateral", "upper_trapezius_right") < centre_x("lateral", "scm_right")


# -- highlighting ----------------------------------------------------------------------------


def test_highlight_swaps_exactly_the_requested_elements_on_one_side() -> None:
    hl = Highlight(
        "posterior",
        muscles=("upper_trapezius",),
        trigger_points=trigger_point_ids("upper_trapezius"),
        referral_zones=("upper_trapezius",),
        side="left",
    )
    assert _lit(hl) == {
        "upper_trapezius_left": "muscle-target",
        "tp_upper_trapezius_1_left": "tp-on",
        "tp_upper_trapezius_2_left": "tp-on",
        "ref_upper_trapezius_left": "ref-on",
    }


def test_right_side_only_touches_right_elements() -> None:
    hl = Highlight("anterior", muscles=("scm",), safety_zones=("anterior_neck",), side="right")
    assert _lit(hl) == {"scm_right": "muscle-target", "zone_anterior_neck_right": "zone-on"}


def test_no_side_highlights_both() -> None:
    hl = Highlight("anterior", muscles=("scalenes",), trigger_points=("tp_scalenes_2",))
    assert _lit(hl) == {
        "scalenes_left": "muscle-target",
        "scalenes_right": "muscle-target",
        "tp_scalenes_2_left": "tp-on",
        "tp_scalenes_2_right": "tp-on",
    }


def test_empty_highlight_changes_nothing() -> None:
    for view in VIEWS:
        classes = _classes(_rendered(Highlight(view)))
        assert classes == _classes(_root(view))
        assert not set(classes.values()) & LIT_CLASSES


@pytest.mark.parametrize("side", ["left", "right", None])
def test_lateral_view_always_lights_the_drawn_right_side(side: Side | None) -> None:
    hl = Highlight("lateral", muscles=("scm",), trigger_points=("tp_scm_1",), side=side)
    assert _lit(hl) == {"scm_right": "muscle-target", "tp_scm_1_right": "tp-on"}


def test_only_the_lateral_view_of_the_left_side_is_mirrored() -> None:
    assert needs_mirror(Highlight("lateral", side="left"))
    assert not needs_mirror(Highlight("lateral", side="right"))
    assert not needs_mirror(Highlight("lateral"))
    assert not needs_mirror(Highlight("posterior", side="left"))
    assert not needs_mirror(Highlight("anterior", side="left"))


def test_every_vocabulary_element_can_be_lit() -> None:
    for view in VIEWS:
        muscles = tuple(m.id for m in MUSCLES.values() if view in m.views)
        hl = Highlight(
            view,
            muscles=muscles,
            trigger_points=tuple(tp for m in muscles for tp in trigger_point_ids(m)),
            referral_zones=tuple(m.id for m in MUSCLES.values() if view in m.referral_views),
            safety_zones=("anterior_neck",) if view != "posterior" else (),
        )
        assert set(_lit(hl)) == element_ids(view)


def test_unknown_muscle_names_view_and_id() -> None:
    with pytest.raises(DiagramError, match=r"posterior.*'biceps_left'"):
        highlighted_svg(Highlight("posterior", muscles=("biceps",), side="left"))


def test_muscle_not_drawn_in_the_view_is_an_error() -> None:
    with pytest.raises(DiagramError, match=r"posterior.*pectoralis_major"):
        highlighted_svg(Highlight("posterior", muscles=("pectoralis_major",)))
    with pytest.raises(DiagramError, match=r"lateral.*ref_levator_scapulae_right"):
        highlighted_svg(Highlight("lateral", referral_zones=("levator_scapulae",)))
    with pytest.raises(DiagramError, match=r"anterior.*tp_scm_3_right"):
        highlighted_svg(Highlight("anterior", trigger_points=("tp_scm_3",), side="right"))


def test_unknown_view_is_an_error() -> None:
    with pytest.raises(DiagramError, match="dorsal"):
        highlighted_svg(Highlight(cast(View, "dorsal")))
    with pytest.raises(DiagramError, match="dorsal"):
        diagram_path(cast(View, "dorsal"))


def test_output_keeps_the_svg_namespace_without_prefixes() -> None:
    data = highlighted_svg(Highlight("lateral", muscles=("scm",)))
    assert data.startswith(b"<?xml")
    assert b"ns0" not in data
    assert b'<svg xmlns="http://www.w3.org/2000/svg"' in data
    assert ET.fromstring(data).tag == f"{NS}svg"


def test_light_theme_differs_in_the_style_block_only() -> None:
    hl = Highlight("posterior", muscles=("rhomboids",), trigger_points=("tp_rhomboids_1",))
    dark = _rendered(hl, "dark")
    light = _rendered(hl, "light")
    dark_style = next(dark.iter(f"{NS}style"))
    light_style = next(light.iter(f"{NS}style"))
    assert dark_style.text != light_style.text
    assert (light_style.text or "").strip() == LIGHT_THEME_CSS.strip()
    dark_style.text = light_style.text = ""
    assert ET.tostring(dark) == ET.tostring(light)


def test_unknown_theme_is_an_error() -> None:
    with pytest.raises(DiagramError, match="sepia"):
        highlighted_svg(Highlight("anterior"), cast(Theme, "sepia"))
