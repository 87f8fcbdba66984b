"""Horizontal bar charts as SVG, drawn by matplotlib. Pure, no Django.

Each chart sits beside the table that holds the same figures, so the table is the accessible
version; the chart is an <svg role="img"> with a <title> and an aria-label saying so. Output is
deterministic (a fixed hash salt, no date) so the same figures give the same bytes, and it is
cached. Colours are from the GOV.UK palette, each at least 3:1 against white (WCAG 1.4.11),
and a second series is also hatched so colour is not the only difference.
"""

from __future__ import annotations

import functools
import io
import re
import textwrap
import threading

import matplotlib

# No display here: the Agg backend, chosen before anything else from matplotlib is imported.
matplotlib.use("Agg")

from matplotlib.figure import Figure

from selfdirect.dashboards.tables import ChartSpec, format_value

# GOV.UK Design System colours: blue 5.2:1 on white, purple 9.9:1; text black and dark grey.
BLUE = "#1d70b8"
PURPLE = "#4c2c92"
TEXT = "#0b0c0c"
SECONDARY_TEXT = "#505a5f"
BORDER = "#b1b4b6"
SERIES_STYLES = ((BLUE, ""), (PURPLE, "///"))

matplotlib.rcParams.update(
    {
        "svg.fonttype": "none",  # text stays text: it can be read, found and zoomed
        "svg.hashsalt": "selfdirect",  # clip-path ids, and so the whole file, are repeatable
        "font.family": "sans-serif",
        # Liberation Sans has Arial's metrics, so layout matches the house font (Arial).
        "font.sans-serif": ["Arial", "Liberation Sans", "DejaVu Sans"],
        "font.size": 14,
        "text.color": TEXT,
        "axes.labelcolor": TEXT,
        "axes.edgecolor": BORDER,
        "xtick.color": SECONDARY_TEXT,
        "ytick.color": TEXT,
        "hatch.color": "#ffffff",
        "hatch.linewidth": 1.0,
        # Labels are team and theme names people type: a "$" must not start mathematics.
        "text.parse_math": False,
    }
)

# matplotlib's text layout is not safe across threads, and a WSGI server may use several.
_LOCK = threading.Lock()
_LABEL_WIDTH = 30
_ROW_HEIGHT = 0.45  # inches per bar


def bar_chart(spec: ChartSpec, *, title: str, key: str) -> str:
    """SPEC as an inline SVG string, or "" when there is nothing to draw (the page then says
    "No data for these filters"). KEY prefixes every id, so several charts can share a page."""
    if spec.empty:
        return ""
    return _render(spec.drawn, title, key)


@functools.lru_cache(maxsize=256)
def _render(spec: ChartSpec, title: str, key: str) -> str:
    labels = [textwrap.fill(label, _LABEL_WIDTH) for label in spec.labels]
    groups = len(labels)
    count = len(spec.series)
    # Every row tall enough for its bars and for the longest label, wrapped.
    lines = max(label.count("\n") + 1 for label in labels)
    row = max(_ROW_HEIGHT * count, 0.26 * lines + 0.14)
    height = max(1.6, 0.9 + groups * row)
    with _LOCK:
        figure = Figure(figsize=(6.4, height))
        axes = figure.add_subplot()
        bar = 0.8 / count
        largest = max((v for s in spec.series for v in s.values if v is not None), default=0.0)
        for index, series in enumerate(spec.series):
            colour, hatch = SERIES_STYLES[index % len(SERIES_STYLES)]
            # Top to bottom in the order given; a missing value is a gap, not a zero.
            positions = [
                groups - 1 - g + (count - 1 - index - (count - 1) / 2) * bar for g in range(groups)
            ]
            values = [0.0 if v is None else v for v in series.values]
            bars = axes.barh(
                positions,
                values,
                height=bar * 0.92,
                color=colour,
                hatch=hatch or None,
                edgecolor=colour,
                label=series.name,
            )
            for rect, value in zip(bars, series.values, strict=True):
                if value is None:
                    rect.set_visible(False)
                    continue
                axes.annotate(
                    format_value(value, spec.kind),
                    (rect.get_width(), rect.get_y() + rect.get_height() / 2),
                    xytext=(4, 0),
                    textcoords="offset points",
                    va="center",
                    fontsize=13,
                    color=TEXT,
                )
        axes.set_yticks(range(groups - 1, -1, -1), labels)
        axes.set_xlim(0, largest * 1.18 if largest > 0 else 1)
        axes.set_ylim(-0.6, groups - 0.4)
        axes.set_xlabel(spec.axis_label)
        axes.spines[["top", "right"]].set_visible(False)
        axes.tick_params(axis="y", length=0)
        axes.grid(axis="x", color="#f3f2f1")
        axes.set_axisbelow(True)
        if count > 1:
            # Above the bars, so it never covers one.
            axes.legend(
                loc="lower left",
                bbox_to_anchor=(0, 1.0),
                ncols=count,
                frameon=False,
                fontsize=13,
            )
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    return _accessible(buffer.getvalue(), title, key)


def _escape(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def _accessible(svg: str, title: str, key: str) -> str:
    """matplotlib's SVG made fit to sit inside a page: no XML prolog, metadata or global
    stylesheet (its `*` rule would reach the whole page); ids made unique to this chart;
    role="img" with a title and label; sized by the page's CSS, not in points; and no
    inline styles (see _style_to_attributes)."""
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"\s*<metadata>.*?</metadata>", "", svg, flags=re.S)
    svg = re.sub(r"\s*<defs>\s*<style[^>]*>.*?</style>\s*</defs>", "", svg, flags=re.S)
    prefix = re.sub(r"[^a-z0-9-]", "-", key.lower())
    svg = re.sub(r'\bid="([^"]+)"', rf'id="{prefix}-\1"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", rf"url(#{prefix}-\1)", svg)
    svg = re.sub(r'xlink:href="#([^"]+)"', rf'xlink:href="#{prefix}-\1"', svg)
    label = _escape(f"Chart: {title}. The same figures are in the table.")
    svg = re.sub(
        r'<svg ([^>]*?)width="[^"]*" height="[^"]*"',
        rf'<svg class="sd-chart" role="img" aria-label="{label}" \1',
        svg,
        count=1,
    )
    svg = _STYLED_TAG.sub(_style_to_attributes, svg)
    head_end = svg.index(">") + 1
    return f"{svg[:head_end]}\n <title>{_escape(title)}</title>{svg[head_end:]}".strip()


# The Content Security Policy (core/security.py) forbids inline styles, and matplotlib writes
# every colour and font as style="...". Each of those properties is also an SVG presentation
# attribute, which a policy does not govern, so the chart looks the same without the styles.
_PRESENTATION_ATTRIBUTES = frozenset(
    {
        "clip-path",
        "color",
        "display",
        "fill",
        "fill-opacity",
        "fill-rule",
        "font-family",
        "font-size",
        "font-style",
        "font-weight",
        "opacity",
        "stroke",
        "stroke-dasharray",
        "stroke-dashoffset",
        "stroke-linecap",
        "stroke-linejoin",
        "stroke-miterlimit",
        "stroke-opacity",
        "stroke-width",
        "text-anchor",
        "visibility",
    }
)
_STYLED_TAG = re.compile(r"<[a-zA-Z][^>]*\sstyle=\"[^\"]*\"[^>]*>")
_STYLE_ATTRIBUTE = re.compile(r'\sstyle="([^"]*)"')


def _style_to_attributes(match: re.Match[str]) -> str:
    """One tag with its style="..." written out as presentation attributes. A property that
    has no such attribute, or that the tag already sets, is left out: never an inline style."""
    tag = match.group(0)
    style = _STYLE_ATTRIBUTE.search(tag)
    assert style is not None  # the pattern matched a tag with one
    attributes: list[str] = []
    for declaration in style.group(1).split(";"):
        name, colon, value = (part.strip() for part in declaration.partition(":"))
        if (
            colon
            and name in _PRESENTATION_ATTRIBUTES
            and not re.search(rf'\s{re.escape(name)}="', tag)
        ):
            attributes.append(f' {name}="{_escape(value)}"')
    return f"{tag[: style.start()]}{''.join(attributes)}{tag[style.end() :]}"
