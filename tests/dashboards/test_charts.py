"""Charts: deterministic, accessible SVG that can sit inside a page; never a crash on empty
or awkward data."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from selfdirect.dashboards import charts
from selfdirect.dashboards.charts import BLUE, bar_chart
from selfdirect.dashboards.tables import ChartSpec, Series

SPEC = ChartSpec(
    labels=("Older people – North", "Mental health – South"),
    series=(Series("Median", (12.0, 30.5)), Series("90th percentile", (40.0, None))),
    axis_label="Days",
    kind="days",
)


def test_same_figures_same_bytes() -> None:
    first = bar_chart(SPEC, title="Waits", key="waits")
    charts._render.cache_clear()  # drawn afresh, not served from the cache
    assert bar_chart(SPEC, title="Waits", key="waits") == first


def test_an_accessible_svg_fit_for_a_page() -> None:
    svg = bar_chart(SPEC, title="Waiting times", key="waits")
    root = ET.fromstring(svg)  # noqa: S314 (our own output)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("role") == "img"
    assert root.get("aria-label") == "Chart: Waiting times. The same figures are in the table."
    assert root.find("{http://www.w3.org/2000/svg}title").text == "Waiting times"  # type: ignore[union-attr]
    assert root.get("width") is None and root.get("viewBox")  # sized by the page's CSS
    # No prolog, no metadata, no stylesheet that would reach the rest of the page.
    assert "<?xml" not in svg and "<metadata" not in svg and "<style" not in svg
    # No inline style, which the Content Security Policy blocks: presentation attributes.
    assert "style=" not in svg
    bars = [e for e in root.iter("{http://www.w3.org/2000/svg}path") if e.get("fill") == BLUE]
    assert bars and all(e.get("stroke") == BLUE for e in bars)
    # Every id belongs to this chart, and every reference points at one of them.
    ids = re.findall(r'\bid="([^"]+)"', svg)
    assert ids and all(i.startswith("waits-") for i in ids)
    for ref in re.findall(r"url\(#([^)]+)\)", svg):
        assert ref in ids
    # Text stays text, with the figures written as in the table.
    assert "Older people – North" in svg and ">30.5<" in svg and ">40<" in svg
    assert "#1d70b8" in svg  # GOV.UK blue


def test_nothing_to_draw_gives_no_chart() -> None:
    assert bar_chart(ChartSpec((), (), "Days"), title="Empty", key="e") == ""
    zeros = ChartSpec(("A", "B"), (Series("People", (0.0, 0.0)),), "People")
    assert bar_chart(zeros, title="Zeros", key="z") == ""
    suppressed = ChartSpec(("A",), (Series("People", (None,)),), "People")
    assert bar_chart(suppressed, title="Suppressed", key="s") == ""


def test_suppressed_groups_are_left_out() -> None:
    spec = ChartSpec(("Shown", "Hidden"), (Series("People", (7.0, None)),), "People")
    assert spec.has_gaps
    svg = bar_chart(spec, title="Groups", key="g")
    assert "Shown" in svg and "Hidden" not in svg


def test_names_people_type_are_escaped_and_never_mathematics() -> None:
    spec = ChartSpec(
        ("<script>alert(1)</script>", "Costs $5 & $6", 'A "quoted" name ' * 4),
        (Series("People", (5.0, 6.0, 7.0)),),
        "People",
    )
    svg = bar_chart(spec, title='Theme <b>"x"</b>', key="t")
    ET.fromstring(svg)  # noqa: S314 (our own output, and it must be well formed)
    assert "<script>" not in svg and "<b>" not in svg
    assert "&lt;script&gt;" in svg and "$5 &amp; $6" in svg
