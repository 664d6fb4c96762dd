"""The one way text from an article or a table becomes part of a map: autoescaping templates and safe JSON.

Every piece of HTML a map shows (popups, tooltips, labels, the title panel,
the legend) is rendered here by a jinja2 environment with autoescape on, so
a title, sentence, place, weapon or corridor name that holds markup shows as
text and never runs. What reaches the page's scripts goes through
:func:`script_json`, which escapes ``<``, ``>``, ``&`` and quotes as
``\\u`` sequences: nothing in it can close a ``<script>`` element.

>>> str(render("text", text='</title><script>alert(1)</script>'))
'&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;'
>>> str(highlight("Rockets hit <Eilat>", [(12, 19)]))
'Rockets hit <mark>&lt;Eilat&gt;</mark>'
>>> script_json({"popup": "</script>"})
'{"popup":"\\\\u003c/script\\\\u003e"}'
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

from markupsafe import Markup

TEMPLATES: dict[str, str] = {
    "text": "{{ text }}",
    "highlight": "{% for text, marked in pieces %}{% if marked %}<mark>{{ text }}</mark>{% else %}{{ text }}"
                 "{% endif %}{% endfor %}",
    "place_tooltip": "<b>{{ name }}</b> <span>({{ count }}\u00d7)</span>",
    "place_popup": (
        '<div class="geomap-popup"><b>{{ name }}</b> <span class="geomap-meta">{{ meta }} &middot; '
        '{{ "%.4f"|format(lat) }}, {{ "%.4f"|format(lon) }}</span><div class="geomap-meta">{{ count }} '
        'mention{{ "s" if count != 1 }} in <i>{{ article }}</i>{% if source %} ({{ source }}){% endif %}</div>'
        "<ol>{% for sentence in sentences %}<li>{{ sentence }}</li>{% endfor %}</ol></div>"),
    "claim_popup": (
        '<div class="geomap-popup"><b>{{ heading }}</b>{% for line in lines %}<div>{{ line }}</div>{% endfor %}'
        "<p>\u201c{{ sentence }}\u201d</p></div>"),
    "label": "<span>{{ text }}</span>",
    "arrow": ('<svg width="18" height="18" viewBox="0 0 24 24" style="transform:rotate({{ angle }}deg)">'
              '<path d="M3 4l19 8-19 8 5-8z" fill="{{ colour }}" stroke="#fff" stroke-width="1.5"/></svg>'),
    "panels": (
        '<div class="geomap-title"><h1>{{ title }}</h1><details><summary>{{ articles|length }} '
        'article{{ "s" if articles|length != 1 }}: sources</summary><ul>{% for a in articles %}<li>{{ a.label }}'
        "{% if a.source %} &mdash; <span>{{ a.source }}</span>{% endif %}"
        "{% if a.empty %} <i>(no places found)</i>{% endif %}</li>{% endfor %}</ul></details></div>{{ legend }}"
        '{% if notice %}<div class="geomap-notice"><b>No places found</b> in {{ notice }}: nothing to map.</div>'
        "{% endif %}"),
    "shape_svg": (
        '<svg xmlns="http://www.w3.org/2000/svg" width="{{ size }}" height="{{ size }}" viewBox="0 0 24 24">'
        '<path d="{{ path }}" fill="{{ colour }}" fill-opacity="0.9" stroke="#fff" stroke-width="1.5"/>'
        '{% if label %}<text x="12" y="16" text-anchor="middle" font-size="10" font-family="sans-serif" '
        'font-weight="bold" fill="#fff">{{ label }}</text>{% endif %}</svg>'),
    "legend": (
        '<div class="geomap-legend"><div class="geomap-legend-title">Legend</div>{% for row in rows %}'
        '{% if row.symbol %}<div class="geomap-legend-row">{{ row.symbol }}<span>{{ row.label }}</span></div>'
        '{% else %}<div class="geomap-legend-note">{{ row.label }}</div>{% endif %}{% endfor %}</div>'),
}


@functools.cache
def environment():
    """The jinja2 environment of geomap's HTML: autoescape on, undefined names are errors."""
    from jinja2 import DictLoader, Environment, StrictUndefined

    return Environment(loader=DictLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined,
                       keep_trailing_newline=False)


def render(template: str, /, **context) -> Markup:
    """Render one of :data:`TEMPLATES`; every value given is escaped unless it is already :class:`Markup`."""
    return Markup(environment().get_template(template).render(**context))


def text(value: str) -> Markup:
    """A plain text as HTML (escaped): for titles, layer names and attributions the page shows as HTML."""
    return render("text", text=value)


def highlight(sentence: str, spans: Sequence[tuple[int, int]]) -> Markup:
    """HTML of ``sentence`` with each (start, end) span wrapped in ``<mark>``; overlapping spans stay unmarked."""
    pieces, pos = [], 0
    for start, end in sorted(set(spans)):
        if start < pos or start < 0 or end > len(sentence) or start >= end:
            continue  # overlapping or out-of-range span: keep the text unmarked rather than garble it
        pieces += [(sentence[pos:start], False), (sentence[start:end], True)]
        pos = end
    pieces.append((sentence[pos:], False))
    return render("highlight", pieces=pieces)


def script_json(value) -> str:
    """Compact JSON that is safe inside a ``<script>`` element (``<``, ``>``, ``&``, ``'`` as ``\\u`` escapes)."""
    from jinja2.utils import htmlsafe_json_dumps

    return str(htmlsafe_json_dumps(value, ensure_ascii=False, separators=(",", ":")))
