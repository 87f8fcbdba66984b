"""The statutory return and closing a request, in the browser: with and without JavaScript,
axe on every page."""

from __future__ import annotations

import csv
import datetime
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from selfdirect.assessments.models import Contact
from selfdirect.returns.cld_map import last_quarter_end
from selfdirect.returns.models import CldExport
from selfdirect.returns.spec import load
from tests.browser.helpers import assert_error_summary, nav_link, sign_in, success_banner

pytestmark = pytest.mark.browser


def test_admin_makes_the_return_and_downloads_it(
    any_page: Page, live_server: Any, axe_check: Callable[[Page], None], tmp_path: Path
) -> None:
    page = any_page
    sign_in(page, live_server, "admin")
    nav_link(page, "Returns").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Client Level Data return")
    axe_check(page)

    # The last quarter's end is filled in; 31 February is not a date.
    page.locator("#id_period_end_0").fill("31")
    page.locator("#id_period_end_1").fill("2")
    page.get_by_role("button", name="Make the return").click()
    assert_error_summary(
        page, [("The last day of the period must be a real date", "#id_period_end_0")]
    )
    axe_check(page)

    end = last_quarter_end(datetime.date.today())
    page.locator("#id_period_end_0").fill(str(end.day))
    page.locator("#id_period_end_1").fill(str(end.month))
    page.locator("#id_period_end_2").fill(str(end.year))
    page.get_by_role("button", name="Make the return").click()
    # The demo runs the job at once, so the finished page comes straight back.
    expect(page.get_by_role("heading", name="Ready to send")).to_be_visible()
    expect(page.get_by_role("table", name="Fields by status")).to_be_visible()
    axe_check(page)
    run = CldExport.objects.get()
    assert run.failure_count == 0 and run.rows_written > 0

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the return (CSV)").click()
    target = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(target)
    with target.open(encoding="utf-8", newline="") as stream:
        header = next(csv.reader(stream))
    assert tuple(header) == load().columns

    page.get_by_role("link", name="Back to the Client Level Data return").click()
    expect(page.get_by_role("link", name=f"{run.period_start:%-d %b %Y} to")).to_be_visible()
    axe_check(page)


def test_a_worker_closes_a_request_without_an_assessment(
    any_page: Page, live_server: Any, axe_check: Callable[[Page], None]
) -> None:
    page = any_page
    sign_in(page, live_server, "worker")
    nav_link(page, "Requests").click()
    close_links = page.get_by_role("link", name="Close without an assessment")
    if close_links.count() == 0:
        pytest.fail("the demo council should have requests waiting in the worker's team")
    close_links.first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Close a request without an assessment"
    )
    axe_check(page)
    page.get_by_role("button", name="Close the request").click()
    assert_error_summary(
        page,
        [
            ("Select how the request ended", "#id_outcome"),
            ("Enter the date it ended", "#id_closed_on_0"),
        ],
    )
    axe_check(page)
    contact_id = int(page.url.rstrip("/").split("/")[-2])
    page.get_by_label("Given information and advice, or signposted").check()
    today = datetime.date.today()
    page.locator("#id_closed_on_0").fill(str(today.day))
    page.locator("#id_closed_on_1").fill(str(today.month))
    page.locator("#id_closed_on_2").fill(str(today.year))
    page.get_by_role("button", name="Close the request").click()
    expect(success_banner(page)).to_contain_text("The request has been closed")
    axe_check(page)
    contact = Contact.objects.get(pk=contact_id)
    assert contact.closed_outcome == "information_and_advice" and contact.closed_on == today
