"""Where a tap on a diagram falls (neck_guide.body_sites): off the body, the region by the drawing's
landmarks, the client's side as each view is drawn, the muscle under it."""

from __future__ import annotations

import pytest

from neck_guide.body_sites import LATERALITY, MAP_VIEWS, REGIONS, Site, flatten, locate, site_name
from neck_guide.protocol.anatomy import MUSCLES


@pytest.mark.parametrize(
    ("view", "x", "y", "site"),
    [
        ("posterior", 200, 80, Site("head", None, None)),
        ("posterior", 135, 112, Site("head", "left", None)),  # the left ear, seen from behind
        ("posterior", 180, 170, Site("neck", "left", "upper_trapezius")),
        ("posterior", 150, 220, Site("shoulder", "left", "upper_trapezius")),
        ("posterior", 320, 240, Site("shoulder", "right", "upper_trapezius")),
        ("posterior", 60, 350, Site("upper_arm", "left", None)),
        ("posterior", 200, 300, Site("upper_back", None, None)),
        ("posterior", 215, 300, Site("upper_back", "right", "rhomboids")),
        ("anterior", 170, 220, Site("neck", "right", "scm")),  # seen from the front: the client's right
        ("anterior", 180, 300, Site("chest", "right", "pectoralis_major")),
        ("anterior", 300, 270, Site("shoulder", "left", None)),
        ("anterior", 360, 380, Site("upper_arm", "left", None)),
        ("anterior", 200, 120, Site("head", None, None)),
    ],
)
def test_a_tap_is_placed_by_the_drawings_landmarks(view: str, x: float, y: float, site: Site) -> None:
    assert locate(view, x, y) == site


@pytest.mark.parametrize(
    ("view", "x", "y"), [("posterior", 10, 10), ("posterior", 395, 200), ("anterior", 100, 60)]
)
def test_off_the_body_is_nowhere(view: str, x: float, y: float) -> None:
    assert locate(view, x, y) is None


def test_only_the_whole_body_views_are_a_body_map() -> None:
    assert MAP_VIEWS == ("posterior", "anterior")
    with pytest.raises(ValueError, match="drawn in the posterior and anterior views, not 'lateral'"):
        locate("lateral", 100, 100)


def test_every_muscle_found_is_one_the_app_knows() -> None:
    found = {
        site.muscle
        for view in MAP_VIEWS
        for x in range(0, 400, 6)
        for y in range(0, 440, 6)
        if (site := locate(view, x, y)) is not None and site.muscle is not None
    }
    assert found <= set(MUSCLES) and {"upper_trapezius", "scm", "levator_scapulae"} <= found


def test_snomed_codes_only_where_sure() -> None:
    assert {r: i.snomed for r, i in REGIONS.items()} == {
        "head": "69536005", "neck": "45048000", "shoulder": "16982005", "upper_arm": "40983000",
        "upper_back": None, "chest": None,
    }  # fmt: skip
    assert LATERALITY == {"left": "7771000", "right": "24028007"}


def test_names_for_screens_and_reports() -> None:
    assert site_name("neck", "left", "upper_trapezius") == "Neck, left (upper trapezius)"
    assert site_name("upper_back", None, None) == "Upper back"
    assert site_name("shoulder", "right", "levator_scapulae", "Levator scapulae") == (
        "Shoulder, right (Levator scapulae)"
    )


def test_paths_flatten_with_their_subpaths_apart() -> None:
    shape = flatten("M0,0 L10,0 L10,10 Z M20,20 C20,30 30,30 30,20 Q25,15 20,20 Z")
    assert len(shape) == 2 and shape[0] == [(0, 0), (10, 0), (10, 10)]
    assert shape[1][-1] == pytest.approx((20, 20))
    with pytest.raises(ValueError, match="path command this reader does not follow: 'a'"):
        flatten("M0,0 a5,5 0 0 1 10,0")
