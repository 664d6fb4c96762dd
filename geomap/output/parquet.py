"""``geomap parse --format parquet``: the parse records as four GeoParquet tables.

``OUT/articles.parquet``, ``mentions.parquet``, ``ranges.parquet`` and
``corridors.parquet``, one row per article, mention, range claim and corridor,
joined on ``article_id`` (and ordered as the articles were given). Mentions,
ranges and corridors have a ``geometry`` column in WKB with GeoParquet 1.1.0
metadata (lon/lat, OGC:CRS84), so DuckDB, GeoPandas and Spark read them as
geometries: a mention's point, a range's geodesic circle (or lines to its
targets), a corridor's geodesic line (or its one located waypoint). A place
that could not be located has a null geometry.

Rows are written in row groups as they come: memory stays bounded however many
articles there are. The tables appear under their names only when the run ends
well; until then they are ``*.parquet.partial``.
"""

from __future__ import annotations

import json
from pathlib import Path

from geomap.cluster.inputs import require
from geomap.errors import InputError

#: Rows kept in memory per table before they are written as a row group.
ROW_GROUP_ROWS = 10_000
#: The four tables, in the order of ``geomap parse`` records.
TABLES = ("articles", "mentions", "ranges", "corridors")


def _schemas() -> dict:
    """The Arrow schema of each table (explicit: a batch of nulls must not change a column's type)."""
    pa = require("pyarrow", "--format parquet")
    place = [("text", pa.string()), ("lat", pa.float64()), ("lon", pa.float64())]
    target = pa.struct(place + [("distance_km", pa.float64()), ("inside", pa.bool_())])
    claim = [("sentence", pa.string()), ("start", pa.int64()), ("end", pa.int64()), ("geometry", pa.binary())]
    return {
        "articles": pa.schema([("article_id", pa.string()), ("mentions", pa.int32()), ("ranges", pa.int32()),
                               ("corridors", pa.int32())]),
        "mentions": pa.schema([("article_id", pa.string()), ("mention", pa.int32()), ("start", pa.int64()),
                               ("end", pa.int64()), ("text", pa.string()), ("lat", pa.float64()),
                               ("lon", pa.float64()), ("place_id", pa.string()), ("name", pa.string()),
                               ("kind", pa.string()), ("country_code", pa.string()), ("score", pa.float64()),
                               ("sentence", pa.string()), ("geometry", pa.binary())]),
        "ranges": pa.schema([("article_id", pa.string()), ("range", pa.int32()), ("weapon", pa.string()),
                             ("range_km", pa.float64()), ("range_min_km", pa.float64()),
                             ("range_max_km", pa.float64()), ("qualifier", pa.string()),
                             ("origin", pa.struct(place + [("inferred", pa.bool_())])),
                             ("targets", pa.list_(target))] + claim),
        "corridors": pa.schema([("article_id", pa.string()), ("corridor", pa.int32()), ("kind", pa.string()),
                                ("name", pa.string()), ("waypoints", pa.list_(pa.struct(place)))] + claim),
    }


def range_geometry(claim):
    """A range claim's shape (lon/lat): its geodesic circle, else lines to its targets, else its targets;
    None when nothing of it is located."""
    from shapely.geometry import shape

    from geomap.claims.geometry import range_features

    features = range_features(claim)
    return shape(features[0]["geometry"]) if features else None


def corridor_geometry(claim):
    """A corridor's shape (lon/lat): its geodesic line, or its one located waypoint; None when none is."""
    from shapely.geometry import Point

    from geomap.claims.geometry import geodesic_line

    points = [(w.lat, w.lon) for w in claim.waypoints if w.lat is not None and w.lon is not None]
    if len(points) >= 2:
        return geodesic_line(points)
    return Point(points[0][1], points[0][0]) if points else None


def mention_geometry(mention: dict):
    """A mention's point (lon/lat), None when it was not placed."""
    from shapely.geometry import Point

    return None if mention.get("lat") is None or mention.get("lon") is None else Point(mention["lon"],
                                                                                       mention["lat"])


class _GeometryColumn:
    """What the GeoParquet metadata says of one table's geometry column: its types and bounding box."""

    def __init__(self):
        self.types: set[str] = set()
        self.bounds = [float("inf"), float("inf"), float("-inf"), float("-inf")]

    def wkb(self, geometry) -> bytes | None:
        import shapely

        if geometry is None:
            return None
        self.types.add(geometry.geom_type)
        minx, miny, maxx, maxy = geometry.bounds
        self.bounds = [min(self.bounds[0], minx), min(self.bounds[1], miny),
                       max(self.bounds[2], maxx), max(self.bounds[3], maxy)]
        return shapely.to_wkb(geometry)

    def metadata(self) -> dict:
        """GeoParquet 1.1.0 ``geo`` metadata (no ``crs``: OGC:CRS84, longitude first)."""
        column = {"encoding": "WKB", "geometry_types": sorted(self.types)}
        if self.types:
            column["bbox"] = self.bounds
        return {"version": "1.1.0", "primary_column": "geometry", "columns": {"geometry": column}}


class ParquetWriter:
    """Writes ``geomap parse`` records into the four tables of a directory.

    Parameters
    ----------
    directory : path-like
        Created when missing; a file there is an error.

    Use it as a context manager; leaving on an exception removes the partial tables.

    Examples
    --------
    >>> import tempfile, pyarrow.parquet as pq                            # doctest: +SKIP
    >>> with ParquetWriter(tempfile.mkdtemp()) as out:                    # doctest: +SKIP
    ...     out.write({"id": "a", "mentions": [], "ranges": [], "corridors": []})
    """

    def __init__(self, directory):
        self.pq = require("pyarrow.parquet", "--format parquet")
        self.pa = require("pyarrow", "--format parquet")
        self.directory = Path(directory)
        if self.directory.exists() and not self.directory.is_dir():
            raise InputError(f"{self.directory}: is a file; --format parquet writes a directory of tables")
        self.directory.mkdir(parents=True, exist_ok=True)
        self.schemas = _schemas()
        self.rows: dict[str, list[dict]] = {name: [] for name in TABLES}
        self.geometry = {name: _GeometryColumn() for name in TABLES if "geometry" in self.schemas[name].names}
        # Without the serialized Arrow schema, readers take the "geo" key of the footer as the schema's metadata.
        self.writers = {name: self.pq.ParquetWriter(self._partial(name), self.schemas[name], store_schema=False)
                        for name in TABLES}

    def _partial(self, name: str) -> Path:
        return self.directory / f"{name}.parquet.partial"

    def write(self, record: dict) -> None:
        """Add one parse record (a line of ``geomap parse``)."""
        from geomap.output.parse_records import article_from_record

        article_id = record["id"]
        article = article_from_record(record)
        self._add("articles", {"article_id": article_id, "mentions": len(record["mentions"]),
                               "ranges": len(record["ranges"]), "corridors": len(record["corridors"])})
        for i, m in enumerate(record["mentions"]):
            self._add("mentions", {**m, "article_id": article_id, "mention": i}, mention_geometry(m))
        for i, (r, claim) in enumerate(zip(record["ranges"], article.ranges)):
            self._add("ranges", {**r, "article_id": article_id, "range": i}, range_geometry(claim))
        for i, (c, claim) in enumerate(zip(record["corridors"], article.corridors)):
            self._add("corridors", {**c, "article_id": article_id, "corridor": i}, corridor_geometry(claim))

    def _add(self, table: str, row: dict, geometry=None) -> None:
        if table in self.geometry:
            row["geometry"] = self.geometry[table].wkb(geometry)
        rows = self.rows[table]
        rows.append(row)
        if len(rows) >= ROW_GROUP_ROWS:
            self._flush(table)

    def _flush(self, table: str) -> None:
        if self.rows[table]:
            self.writers[table].write_table(self.pa.Table.from_pylist(self.rows[table], schema=self.schemas[table]))
            self.rows[table] = []

    def close(self, keep: bool = True) -> None:
        """Write what is left and the GeoParquet metadata, and give the tables their names (``keep``), or
        remove them."""
        for name, writer in self.writers.items():
            if keep:
                self._flush(name)
                if name in self.geometry:
                    writer.add_key_value_metadata({"geo": json.dumps(self.geometry[name].metadata())})
            writer.close()
            if keep:
                self._partial(name).replace(self.directory / f"{name}.parquet")
            else:
                self._partial(name).unlink(missing_ok=True)

    def __enter__(self) -> ParquetWriter:
        return self

    def __exit__(self, exc_type, *_) -> None:
        self.close(keep=exc_type is None)
