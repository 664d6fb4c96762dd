"""`geomap resolve IN.jsonl -o OUT.jsonl`: resolution only, for spans the input gives."""

from __future__ import annotations

import json

import click

from geomap.cli.options import cli_errors, make_parser, parser_options, progress


@click.command()
@click.argument("infile", type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--output", type=click.Path(dir_okay=False), required=True, help="Output JSONL file ('-': stdout).")
@parser_options
@cli_errors
def resolve(infile, output, config):
    """Place the spans given in INFILE: lines {"id", "text", "toponyms": [{"start", "end"}, ...]}.

    Output lines have the format of `geomap parse` (mentions only), one mention
    per given span, in the given order.
    """
    from geomap.reader import iter_jsonl_articles

    parser = make_parser(config, claims=False)
    errors: list[str] = []
    items = list(iter_jsonl_articles(infile, on_error=lambda e: errors.append(str(e))))
    out = click.open_file(output, "w", encoding="utf-8", atomic=output != "-")
    with out:
        for item in progress(items, desc="resolving"):
            spans = []
            for t in item.meta.get("toponyms") or []:
                try:
                    s, e = int(t["start"]), int(t["end"])
                except (KeyError, TypeError, ValueError):
                    errors.append(f"{item.source}: a toponym without integer start/end: {t!r}")
                    continue
                if not 0 <= s < e <= len(item.text):
                    errors.append(f"{item.source}: span {s}-{e} is outside the text")
                    continue
                spans.append((s, e))
            mentions = parser.resolve_spans(item.text, spans)
            out.write(json.dumps({"id": item.id, "mentions": [m.to_record() for m in mentions]},
                                 ensure_ascii=False) + "\n")
    for e in errors:
        click.echo(f"skipped: {e}", err=True)
