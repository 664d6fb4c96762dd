"""`geomap places FILE...`: the places each article mentions, with counts and contexts."""

from __future__ import annotations

import json
import sys

import click

from geomap.cli.options import cli_errors, format_option, make_parser, one_line, parser_options, progress


def place_rows(article) -> list[dict]:
    """One row per resolved place (most mentioned first), then one per unresolved name."""
    rows = []
    for pm in article.places:
        p = pm.place
        rows.append({"article": article.id, "name": p.name, "kind": p.kind, "country_code": p.country_code,
                     "lat": p.lat, "lon": p.lon, "place_id": p.id, "mentions": pm.count,
                     "as_written": sorted({m.text for m in pm.mentions}),
                     "score": round(max(m.score for m in pm.mentions), 3),
                     "sentences": [s.text for s in pm.sentences]})
    unresolved: dict[str, list] = {}
    for m in article.unresolved:
        unresolved.setdefault(m.text, []).append(m)
    for text, ms in unresolved.items():
        rows.append({"article": article.id, "name": text, "kind": None, "country_code": None, "lat": None,
                     "lon": None, "place_id": None, "mentions": len(ms), "as_written": [text], "score": 0.0,
                     "sentences": list(dict.fromkeys(m.sentence.text for m in ms))})
    return rows


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path())
@format_option("table", "json", "geojson", "csv")
@parser_options
@cli_errors
def places(files, fmt, config):
    """List the places each article in FILES mentions.

    FILES are text, Markdown or HTML files, directories of them, or JSONL files
    with one {"id", "text"} object a line; also globs and URLs, as `geomap parse`
    reads them. For each place: how often it is
    mentioned, as which spellings, where it is, and the sentences (table: the
    first one; json/geojson/csv: all). Names that could not be placed are
    listed as unresolved.

    \b
    Example:
      geomap places article.txt
      geomap places articles/ --format geojson > places.geojson
    """
    from geomap.reader import read_articles

    parser = None
    errors = []
    all_rows = []
    for item in progress(read_articles(files, on_error=errors.append), desc="parsing"):
        # built at the first good article: bad input is reported without waiting for the model to load
        parser = parser or make_parser(config, claims=False)
        article = parser.parse(item.text, id=item.id, title=item.title, source=item.source)
        rows = place_rows(article)
        if not rows:  # said, not left to an empty output
            click.echo(f"no places found in article {article.id!r}", err=True)
        all_rows.extend(rows)
    for err in errors:
        click.echo(f"skipped: {err}", err=True)
    write_rows(all_rows, fmt)
    if errors and not all_rows:
        raise SystemExit(1)


def write_rows(rows: list[dict], fmt: str) -> None:
    out = sys.stdout
    if fmt == "json":
        json.dump(rows, out, ensure_ascii=False, indent=2)
        out.write("\n")
    elif fmt == "geojson":
        feats = [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [r["lon"], r["lat"]]},
                  "properties": {k: v for k, v in r.items() if k not in ("lat", "lon")}}
                 for r in rows if r["lat"] is not None]
        json.dump({"type": "FeatureCollection", "features": feats}, out, ensure_ascii=False, indent=1)
        out.write("\n")
    elif fmt == "csv":
        from geomap.output.csvfile import write_csv

        cols = ["article", "name", "kind", "country_code", "lat", "lon", "place_id", "mentions", "as_written",
                "score", "sentences"]
        write_csv(out, cols, ({c: " | ".join(v) if isinstance(v := r[c], list) else v for c in cols} for r in rows))
    else:
        current = None
        for r in rows:
            if r["article"] != current:
                current = r["article"]
                click.echo(f"== {current}")
            where = f"{r['lat']:8.3f} {r['lon']:9.3f}" if r["lat"] is not None else "  (unresolved)   "
            first = one_line(r["sentences"][0]) if r["sentences"] else ""
            first = first if len(first) <= 90 else first[:87] + "..."
            click.echo(f"{r['mentions']:>3}x {one_line(r['name'])[:28]:<28} {str(r['kind'] or ''):<9} "
                       f"{r['country_code'] or '--':<3}{where}  {first}")
