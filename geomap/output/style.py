"""How each kind of place, range and corridor looks on a map, and the legend that explains it.

One table (:data:`KIND_STYLES`) gives every gazetteer kind a colour and a
shape. The shapes are SVG paths in a 24x24 box (:data:`SHAPE_PATHS`): the
legend draws them here in Python, and the map's marker layer draws the same
paths in the browser from the same table, so the two cannot drift apart.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from markupsafe import Markup

from gazetteer.place import KINDS
from geomap.output.markup import render

#: Marker outlines in a 24x24 box, centred on (12, 12).
SHAPE_PATHS: dict[str, str] = {
    "circle": "M12 2a10 10 0 1 0 0.001 0z",
    "square": "M3 3h18v18H3z",
    "diamond": "M12 1l11 11-11 11L1 12z",
    "triangle": "M12 2l11 19H1z",
    "star": "M12 1l3.2 7 7.6 0.8-5.7 5.1 1.6 7.5L12 17.6 5.3 21.4l1.6-7.5L1.2 8.8 8.8 8z",
    "hexagon": "M12 1l9.5 5.5v11L12 23l-9.5-5.5v-11z",
    "pentagon": "M12 1l11 8-4.2 13H5.2L1 9z",
    "drop": "M12 1C12 1 3 11 3 15.5a9 9 0 0 0 18 0C21 11 12 1 12 1z",
}


@dataclass(frozen=True, slots=True)
class KindStyle:
    """The look of one kind of place: fill colour, marker shape and legend label."""

    colour: str
    shape: str
    label: str


#: Every gazetteer kind (see :data:`gazetteer.place.KINDS`), plus "unknown" for anything else.
KIND_STYLES: dict[str, KindStyle] = {
    "continent": KindStyle("#6d4c41", "hexagon", "Continent"),
    "region": KindStyle("#8e24aa", "hexagon", "Region / territory"),
    "country": KindStyle("#3949ab", "square", "Country"),
    "admin1": KindStyle("#00897b", "pentagon", "Province / governorate"),
    "admin2": KindStyle("#43a047", "pentagon", "District"),
    "city": KindStyle("#e53935", "circle", "City / town"),
    "camp": KindStyle("#fb8c00", "triangle", "Refugee camp"),
    "base": KindStyle("#212121", "star", "Military base"),
    "airport": KindStyle("#546e7a", "diamond", "Airport"),
    "water": KindStyle("#1e88e5", "drop", "Sea / lake / strait"),
    "river": KindStyle("#039be5", "drop", "River"),
    "mountain": KindStyle("#795548", "triangle", "Mountain"),
    "desert": KindStyle("#c0a062", "hexagon", "Desert"),
    "island": KindStyle("#26a69a", "circle", "Island"),
    "landmark": KindStyle("#d81b60", "diamond", "Crossing / site"),
    "unknown": KindStyle("#757575", "circle", "Other"),
}
assert set(KINDS) <= set(KIND_STYLES), "every gazetteer kind needs a style"

RANGE_COLOUR = "#c62828"
CORRIDOR_COLOUR = "#6a1b9a"
TARGET_INSIDE_COLOUR = "#c62828"
TARGET_OUTSIDE_COLOUR = "#2e7d32"
TARGET_UNKNOWN_COLOUR = "#757575"


def style_for(kind: str | None) -> KindStyle:
    """The style of a kind; unknown or missing kinds get the neutral "unknown" style."""
    return KIND_STYLES.get(kind or "unknown", KIND_STYLES["unknown"])


def marker_size(count: int) -> int:
    """Marker width in pixels for a place mentioned ``count`` times.

    Grows with the square root of the count, so the marker's area follows
    the count, and is capped so a much-repeated country does not hide a city.

    >>> marker_size(1), marker_size(4), marker_size(100)
    (20, 30, 44)
    """
    return int(min(44, 10 + 10 * math.sqrt(max(1, count))))


def shape_svg(shape: str, colour: str, size: int | str, label: str | None = None) -> Markup:
    """An inline SVG of a marker shape, optionally with a short label (the mention count) inside.

    ``size`` and ``label`` may be placeholders (strings) that the browser fills in per marker.
    """
    return render("shape_svg", path=SHAPE_PATHS[shape], colour=colour, size=size, label=label)


#: Placeholders in :func:`marker_templates`, replaced per marker in the browser.
SIZE_SLOT, LABEL_SLOT = "__SIZE__", "__LABEL__"


def marker_templates() -> dict[str, str]:
    """Per kind, the marker SVG with :data:`SIZE_SLOT` and :data:`LABEL_SLOT` left for the browser to fill."""
    return {kind: str(shape_svg(s.shape, s.colour, SIZE_SLOT, LABEL_SLOT)) for kind, s in KIND_STYLES.items()}


def _legend_row(symbol: Markup | str, label: str) -> dict:
    return {"symbol": symbol, "label": label}


def _line_symbol(colour: str, *, dashed: bool = False, fill: bool = False) -> Markup:
    # static SVG from the style table, no text from an article: it needs no escaping
    if fill:
        return Markup(f'<svg width="18" height="14"><rect x="1" y="1" width="16" height="12" fill="{colour}" '
                      f'fill-opacity="0.15" stroke="{colour}" stroke-width="2"/></svg>')
    dash = ' stroke-dasharray="4 3"' if dashed else ""
    return Markup(f'<svg width="18" height="14"><line x1="1" y1="7" x2="17" y2="7" stroke="{colour}" '
                  f'stroke-width="3"{dash}/></svg>')


def legend_html(kinds: list[str], *, ranges: bool, corridors: bool, targets: set[bool | None]) -> Markup:
    """The legend panel: one row per kind shown, then the claim symbols that appear on the map.

    Parameters
    ----------
    kinds : list of str
        The place kinds present on the map, in the order to show them.
    ranges, corridors : bool
        Whether range circles and corridors appear (their rows are shown only then).
    targets : set of bool or None
        The states of the range targets drawn: True inside, False outside, None not measured.
    """
    rows = [_legend_row(shape_svg(style_for(k).shape, style_for(k).colour, 16), style_for(k).label)
            for k in kinds]
    if kinds:
        rows.append(_legend_row("", "marker size and number: mentions"))
    if ranges:
        rows.append(_legend_row(_line_symbol(RANGE_COLOUR, fill=True), "Claimed range (geodesic)"))
    for state, colour, label in ((True, TARGET_INSIDE_COLOUR, "Target inside range"),
                                 (False, TARGET_OUTSIDE_COLOUR, "Target outside range"),
                                 (None, TARGET_UNKNOWN_COLOUR, "Target, distance not measured")):
        if state in targets:
            rows.append(_legend_row(shape_svg("circle", colour, 14), label))
    if corridors:
        rows.append(_legend_row(_line_symbol(CORRIDOR_COLOUR, dashed=True), "Corridor / route (arrows: direction)"))
    return render("legend", rows=rows)
