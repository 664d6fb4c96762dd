"""Output of parsed articles: folium maps (online or self-contained) and GeoJSON/CSV export.

- :mod:`geomap.output.maps`: :func:`build_map`, :func:`render_map`, :func:`save_map`.
- :mod:`geomap.output.offline`: inlined assets, country-outline basemap, self-containment check (every map).
- :mod:`geomap.output.export`: :func:`to_geojson`, :func:`write_csv`.
- :mod:`geomap.output.csvfile`: the one CSV writer of every command, formula-like cells neutralised.
- :mod:`geomap.output.markup`: the autoescaping templates all map HTML is made with.
- :mod:`geomap.output.view`: a map's first view, where the articles' places and claims concentrate.
- :mod:`geomap.output.parse_records`: Articles rebuilt from ``geomap parse`` JSON lines.
- :mod:`geomap.output.style`: the look of each kind of place, and the legend.

Nothing heavy is imported here: folium and shapely load when a map or export is made.
"""
