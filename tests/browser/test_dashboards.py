"""The figures pages in the browser: a team manager and a commissioner open each page, apply a
filter and download a table as CSV. JavaScript on and off; axe checks every page (charts are
inline SVG beside their tables)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import nav_link, sign_in, sign_out

pytestmark = pytest.mark.browser

PAGES = (
    ("Continuity and prevention", "/figures/continuity/"),
    ("Waiting times and sign-off", "/figures/flow/"),
    ("Outcomes, learning and equality", "/figures/commissioning/"),
)


def _heading(page: Page) -> Any:
    return page.get_by_role("heading", level=1)


@pytest.mark.parametrize("username", ["manager", "commissioner"])
def test_figures_pages(
    any_page: Page, live_server: Any, axe_check: Callable[[Page], None], username: str
) -> None:
    page = any_page
    sign_in(page, live_server, username)
    nav_link(page, "Figures").click()
    expect(_heading(page)).to_have_text("Figures")
    axe_check(page)

    for title, path in PAGES:
        page.goto(f"{live_server.url}/figures/")
        page.get_by_role("link", name=title).click()
        expect(page).to_have_url(f"{live_server.url}{path}")
        expect(_heading(page)).to_have_text(title)
        # Every figure has its definition; every chart is an image with a name.
        expect(page.locator(".govuk-details").first).to_contain_text("How this is worked out")
        for chart in page.locator("svg.sd-chart").all():
            expect(chart).to_have_attribute("role", "img")
            expect(chart).to_have_attribute("aria-label", re.compile(r"^Chart: "))
        axe_check(page)

    # A manager starts on their own team; the names list is theirs alone.
    page.goto(f"{live_server.url}/figures/continuity/")
    if username == "manager":
        expect(page.get_by_label("Team", exact=True)).not_to_have_value("all")
        expect(page.get_by_role("heading", name=re.compile("People in your team"))).to_be_visible()
    else:
        expect(page.get_by_label("Team", exact=True)).to_have_value("all")
        expect(page.get_by_role("heading", name=re.compile("People in your team"))).to_have_count(0)

    # Apply a filter: all teams, the last 3 months, split by route of access.
    page.goto(f"{live_server.url}/figures/flow/")
    page.get_by_label("Team", exact=True).select_option("all")
    page.get_by_label("Period", exact=True).select_option(label="The last 3 months")
    page.get_by_label("Split waiting times by").select_option(label="Route of access")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"period=3m"))
    expect(page.get_by_label("Period", exact=True)).to_have_value("3m")
    expect(page.locator("main")).to_contain_text("The last 3 months")
    expect(page.get_by_role("columnheader", name="Route of access")).to_be_visible()
    axe_check(page)

    # Download the waiting times as CSV, with the same filters.
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile(r"^Download this table as CSV")).first.click()
    download = download_info.value
    assert download.suggested_filename == "waits-3m.csv"
    rows = list(csv.reader(io.StringIO(Path(download.path()).read_text(encoding="utf-8"))))
    assert rows[0] == [
        "Stage",
        "Route of access",
        "People",
        "Median days",
        "90th percentile days",
    ]
    assert [row[0] for row in rows[1:]][:1] == ["Assessment completed"]
    sign_out(page)
