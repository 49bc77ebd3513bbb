"""Anatomy diagrams: locate a view's SVG and highlight muscles, points and zones in it.

Pure Python (no Qt): the diagrams in ``resources/diagrams/`` carry one element per id of
:func:`neck_guide.protocol.anatomy.element_ids`, each with one base class (``muscle``,
``tp``, ``ref`` or ``zone``). Highlighting replaces that class with its highlighted variant
(``muscle-target``, ``tp-on``, ``ref-on``, ``zone-on``); the look of every class lives in
the single ``<style id="theme">`` element, which the light theme swaps for its own palette.
"""

from __future__ import annotations

import functools
import io
import pathlib
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Final, Literal

from neck_guide.paths import RESOURCES_DIR
from neck_guide.protocol.anatomy import VIEWS, Side, View, sides_drawn

Theme = Literal["dark", "light"]

SVG_NS: Final = "http://www.w3.org/2000/svg"
DIAGRAM_DIR: Final = RESOURCES_DIR / "diagrams"

#: Base class of each kind of highlightable element, and the class that highlights it.
HIGHLIGHT_CLASS: Final[dict[str, str]] = {
    "muscle": "muscle-target",
    "tp": "tp-on",
    "ref": "ref-on",
    "zone": "zone-on",
}

#: The palette for a light background; the dark palette is the one in the SVG files.
LIGHT_THEME_CSS: Final = """
.outline{fill:#f6f3f0;stroke:#3b4149;stroke-width:1.6;stroke-linejoin:round}
.bone{fill:none;stroke:#8a9099;stroke-width:1.1;stroke-linecap:round;stroke-linejoin:round}
.feature{fill:none;stroke:#8a9099;stroke-width:1.1;stroke-linecap:round}
.fibre{fill:none;stroke:#5a2a1c;stroke-opacity:0.22;stroke-width:0.8;stroke-linecap:round}
.muscle{fill:#d4a59c;fill-opacity:0.6;stroke:#a07a72;stroke-width:0.9;stroke-linejoin:round}
.muscle-target{fill:#e8590c;stroke:#8a2c00;stroke-width:1.4;stroke-linejoin:round}
.tp{fill:none;stroke:none;opacity:0}
.tp-on{fill:#ffd43b;stroke:#1b1e22;stroke-width:1.6}
.ref{fill:none;stroke:none;opacity:0}
.ref-on{fill:#7b2cbf;fill-opacity:0.26;stroke:#7b2cbf;stroke-opacity:0.75;stroke-width:1;stroke-dasharray:3 2}
.zone{fill:none;stroke:none;opacity:0}
.zone-on{fill:#e03131;fill-opacity:0.22;stroke:#c92a2a;stroke-width:1.6;stroke-dasharray:5 3}
"""

ET.register_namespace("", SVG_NS)


class DiagramError(Exception):
    """A view or element id the diagrams do not have."""


@dataclass(frozen=True)
class Highlight:
    """What to highlight in one view.

    Ids are side-free: muscles and referral zones by muscle id (``"scm"``), trigger points
    as protocols name them (``"tp_scm_1"``), safety zones by zone id (``"anterior_neck"``).
    ``side`` is the client's own side; ``None`` highlights both sides.
    """

    view: View
    muscles: tuple[str, ...] = ()
    trigger_points: tuple[str, ...] = ()
    referral_zones: tuple[str, ...] = ()
    safety_zones: tuple[str, ...] = ()
    side: Side | None = None


def _check_view(view: str) -> View:
    for known in VIEWS:
        if view == known:
            return known
    raise DiagramError(f"unknown view {view!r} (known views: {', '.join(VIEWS)})")


def diagram_path(view: View) -> pathlib.Path:
    """The SVG file that draws ``view``."""
    return DIAGRAM_DIR / f"{_check_view(view)}.svg"


def needs_mirror(highlight: Highlight) -> bool:
    """Whether to flip the drawing horizontally: the lateral view drawn for the left side."""
    return highlight.view == "lateral" and highlight.side == "left"


@functools.lru_cache(maxsize=len(VIEWS))
def _svg_text(view: View) -> str:
    path = diagram_path(view)
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DiagramError(f"cannot read the {view} diagram {path}: {exc}") from exc


def _drawn_sides(highlight: Highlight) -> tuple[Side, ...]:
    drawn = sides_drawn(highlight.view)
    if highlight.side is None or highlight.side not in drawn:
        # The lateral view only draws the right side; the left is the mirrored right.
        return drawn
    return (highlight.side,)


def _target_ids(highlight: Highlight) -> Iterator[tuple[str, str]]:
    """``(element id, base class)`` of every element the highlight targets."""
    for side in _drawn_sides(highlight):
        for muscle in highlight.muscles:
            yield f"{muscle}_{side}", "muscle"
        for tp in highlight.trigger_points:
            yield f"{tp}_{side}", "tp"
        for muscle in highlight.referral_zones:
            yield f"ref_{muscle}_{side}", "ref"
        for zone in highlight.safety_zones:
            yield f"zone_{zone}_{side}", "zone"


def _index(root: ET.Element) -> dict[str, ET.Element]:
    return {el.attrib["id"]: el for el in root.iter() if "id" in el.attrib}


def _swap_classes(view: View, by_id: dict[str, ET.Element], targets: Iterable[tuple[str, str]]) -> None:
    for element_id, base in targets:
        element = by_id.get(element_id)
        if element is None:
            raise DiagramError(f"the {view} diagram has no element {element_id!r}")
        cls = element.get("class")
        if cls not in (base, HIGHLIGHT_CLASS[base]):
            raise DiagramError(
                f"element {element_id!r} in the {view} diagram has class {cls!r}, expected {base!r}"
            )
        element.set("class", HIGHLIGHT_CLASS[base])


def _theme_style(view: View, root: ET.Element) -> ET.Element:
    for style in root.iter(f"{{{SVG_NS}}}style"):
        if style.get("id") == "theme":
            return style
    raise DiagramError(f'the {view} diagram has no <style id="theme"> element')


def highlighted_svg(highlight: Highlight, theme: Theme = "dark") -> bytes:
    """The view's SVG with the highlight applied, in ``theme``, as UTF-8 bytes."""
    view = _check_view(highlight.view)
    if theme not in ("dark", "light"):
        raise DiagramError(f"unknown theme {theme!r}")
    root = ET.fromstring(_svg_text(view))
    _swap_classes(view, _index(root), _target_ids(highlight))
    style = _theme_style(view, root)
    if theme == "light":
        style.text = LIGHT_THEME_CSS
    out = io.BytesIO()
    ET.ElementTree(root).write(out, encoding="utf-8", xml_declaration=True)
    return out.getvalue()
