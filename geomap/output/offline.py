"""Self-contained maps: inlined Leaflet/jQuery/markercluster, a country-outline basemap, a final check.

Every map opens on a machine with no network: every script and stylesheet
folium would link from a CDN is replaced by the same library read from a
Python package that ships it (``xstatic-leaflet``, ``xstatic-jquery``,
``xstatic-leaflet-markercluster``), images are inlined as ``data:`` URIs,
and the background is the country outlines ``countryinfo`` ships,
simplified once per process. An online map draws OpenStreetMap tiles over
the outlines (which show wherever a tile cannot load); an ``--offline`` map
has no tile layer and requests nothing.
"""

from __future__ import annotations

import base64
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from geomap.errors import MapError

#: folium resources our maps never use: folium.Map always links them (for folium.Icon,
#: which geomap does not use; :func:`make_self_contained` refuses maps that contain one).
UNUSED_ASSETS = frozenset({
    "bootstrap", "awesome_markers", "bootstrap_css", "glyphicons_css",
    "awesome_markers_font_css", "awesome_markers_css", "awesome_rotate_css",
})

#: Country outlines: simplification tolerance (degrees, ~5 km) and coordinate decimals.
OUTLINE_TOLERANCE_DEG = 0.05
OUTLINE_DECIMALS = 2

BASEMAP_ATTRIBUTION = "Outlines: countryinfo"
SEA_COLOUR = "#cfe3f3"


@dataclass(frozen=True, slots=True)
class Asset:
    """A JavaScript or CSS file from an installed package, to inline under a folium resource name."""

    package: str       # the xstatic module under xstatic.pkg
    filename: str
    kind: str          # "js" or "css"


#: folium's resource names -> where the same library lives in an installed package.
INLINE_ASSETS: dict[str, Asset] = {
    "leaflet_css": Asset("leaflet", "leaflet.css", "css"),
    "leaflet": Asset("leaflet", "leaflet.js", "js"),
    "jquery": Asset("jquery", "jquery.min.js", "js"),
    "markerclustercss": Asset("leaflet_markercluster", "MarkerCluster.css", "css"),
    "markerclusterdefaultcss": Asset("leaflet_markercluster", "MarkerCluster.Default.css", "css"),
    "markerclusterjs": Asset("leaflet_markercluster", "leaflet.markercluster.js", "js"),
}

_PIP_NAMES = {"leaflet": "xstatic-leaflet", "jquery": "xstatic-jquery",
              "leaflet_markercluster": "xstatic-leaflet-markercluster"}


def _package_dir(package: str) -> Path:
    """The data directory of an ``xstatic`` package, with an install hint when it is missing."""
    import importlib

    try:
        module = importlib.import_module(f"xstatic.pkg.{package}")
    except ImportError:
        raise MapError(f"--offline needs the Python package {_PIP_NAMES[package]}, which ships the file "
                       f"to inline; install it: pip install {_PIP_NAMES[package]}") from None
    return Path(module.BASE_DIR)


def _data_uri(path: Path) -> str:
    mime = "image/png" if path.suffix == ".png" else "application/octet-stream"
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


@functools.cache
def asset_text(name: str) -> str:
    """The content of an inline asset, made safe to embed.

    Relative ``url(...)`` references in CSS become ``data:`` URIs,
    source-map comments are dropped (devtools would fetch them) and
    ``</script`` is escaped so a script cannot close its own tag.
    """
    asset = INLINE_ASSETS[name]
    base = _package_dir(asset.package)
    text = (base / asset.filename).read_text(encoding="utf-8")
    text = re.sub(r"^[ \t]*//# sourceMappingURL=.*$", "", text, flags=re.M)
    text = re.sub(r"/\*# sourceMappingURL=.*?\*/", "", text)
    if asset.kind == "css":
        def inline(match: re.Match) -> str:
            target = base / match.group(1)
            return f"url({_data_uri(target)})" if target.is_file() else match.group(0)
        text = re.sub(r"url\((?!data:)['\"]?([^)'\"]+)['\"]?\)", inline, text)
    return text.replace("</script", "<\\/script")


def asset_tag(name: str) -> str:
    """The ``<script>`` or ``<style>`` element that inlines an asset."""
    kind = INLINE_ASSETS[name].kind
    body = asset_text(name)
    return f"<script>{body}</script>" if kind == "js" else f"<style>{body}</style>"


def iter_elements(element) -> Iterator:
    """Every branca element below ``element`` (itself included), depth first."""
    yield element
    for child in list(element._children.values()):
        yield from iter_elements(child)


def make_self_contained(figure) -> None:
    """Replace every CDN link of a folium figure by the inlined library, in place.

    Raises
    ------
    MapError
        When an element needs a resource with no packaged copy (a folium
        plugin that only exists on a CDN, or folium.Icon's awesome-markers).
    """
    import folium
    from branca.element import Element

    wanted: list[str] = []
    for el in iter_elements(figure):
        if isinstance(el, folium.Icon):
            raise MapError("folium.Icon loads awesome-markers and Bootstrap from CDNs; offline maps use DivIcon")
        links = list(getattr(el, "default_css", [])) + list(getattr(el, "default_js", []))
        for name, url in links:
            if name in INLINE_ASSETS:
                wanted.append(name)
            elif name not in UNUSED_ASSETS:
                raise MapError(f"{type(el).__name__} needs {url} from the network and no installed package "
                               "ships it: it cannot be part of an offline map")
        if links:
            el.default_js, el.default_css = [], []   # instance attributes shadow folium's class lists
    # Leaflet first, then what builds on it; CSS before scripts.
    for name in INLINE_ASSETS:
        if name in wanted:
            figure.header.add_child(Element(asset_tag(name)), name=f"geomap_inline_{name}")


#: Markup that would make a browser fetch something: script/img/iframe sources and stylesheet links.
_EXTERNAL_ELEMENT = re.compile(
    r"""<(?:script|img|iframe|embed|source)\b[^>]*\bsrc\s*=\s*["']?(?!data:)[^"'\s>]+"""
    r"""|<link\b[^>]*\bhref\s*=\s*["']?(?!data:)[^"'\s>]+""",
    re.I,
)
#: A ``<style>`` element, and a CSS ``url()`` outside the page inside it.
_STYLE_ELEMENT = re.compile(r"<style\b[^>]*>(.*?)</style>", re.I | re.S)
_EXTERNAL_URL = re.compile(r"""url\(\s*["']?(?:https?:)?//""", re.I)


def external_references(html: str) -> list[str]:
    """The places in an HTML page that would load something from outside it (empty for a self-contained page).

    Elements are found by their ``<``, which text from an article never holds once escaped; CSS
    ``url()`` is looked for inside ``<style>`` elements only, so an article quoting CSS is no resource.
    """
    found = [m.group(0)[:120] for m in _EXTERNAL_ELEMENT.finditer(html)]
    return found + [m.group(0)[:120] for style in _STYLE_ELEMENT.finditer(html)
                    for m in _EXTERNAL_URL.finditer(style.group(1))]


def _round_coords(coords, decimals: int):
    if isinstance(coords, (int, float)):
        return round(coords, decimals)
    return [_round_coords(c, decimals) for c in coords]


@functools.cache
def country_outlines(tolerance: float = OUTLINE_TOLERANCE_DEG, decimals: int = OUTLINE_DECIMALS) -> dict:
    """Every country outline countryinfo ships, simplified, as one GeoJSON FeatureCollection.

    ``properties`` hold the country ``name`` and ISO alpha-2 ``code``.
    Computed once per process and shared by all maps (a map embeds it once).
    """
    from countryinfo import CountryInfo
    from shapely.geometry import mapping, shape

    features = []
    for info in CountryInfo.all().values():
        for feature in (info.get("geoJSON") or {}).get("features", []):
            geometry = shape(feature["geometry"]).simplify(tolerance, preserve_topology=True)
            if geometry.is_empty:
                continue
            geo = mapping(geometry)
            features.append({
                "type": "Feature",
                "properties": {"name": info.get("name"), "code": (info.get("ISO") or {}).get("alpha2")},
                "geometry": {"type": geo["type"], "coordinates": _round_coords(geo["coordinates"], decimals)},
            })
    return {"type": "FeatureCollection", "features": features}


#: The map pane of the outlines: under Leaflet's tile pane (z-index 200), so tiles cover them where they load.
BASEMAP_PANE, BASEMAP_PANE_Z = "geomapBasemap", 150


def add_country_basemap(m) -> None:
    """Draw the country outlines under everything else, tiles included: the background when no tile loads."""
    import folium
    from branca.element import Element
    from folium.map import CustomPane

    m.get_root().header.add_child(Element(f"<style>body .leaflet-container{{background:{SEA_COLOUR}}}</style>"),
                                  name="geomap_sea")
    CustomPane(BASEMAP_PANE, z_index=BASEMAP_PANE_Z, pointer_events=False).add_to(m)
    folium.GeoJson(
        country_outlines(), name="Country outlines", control=False, interactive=False, pane=BASEMAP_PANE,
        style_function=lambda _f: {"fillColor": "#f2efe6", "fillOpacity": 1, "color": "#9a9a9a", "weight": 0.7,
                                   "className": "geomap-basemap"},
    ).add_to(m)
