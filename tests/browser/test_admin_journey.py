"""An administrator changes a sign-off limit and adds a team; axe checks every page."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from selfdirect.accounts.models import User
from selfdirect.workforce.models import Team
from tests.browser.helpers import (
    assert_error_summary,
    nav_link,
    sign_in,
    sign_out,
    success_banner,
)

pytestmark = pytest.mark.browser


def test_admin_changes_sign_off_limit_and_adds_team(
    page: Page, live_server: Any, axe_check: Callable[[Page], None]
) -> None:
    staff = User.objects.get(username="worker")
    assert staff.sign_off_limit != Decimal("25000")

    sign_in(page, live_server, "admin")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hello")
    axe_check(page)

    # --- Staff and sign-off limits ------------------------------------------------------
    page.get_by_role("link", name="Staff and sign-off limits").click()
    expect(page).to_have_url(f"{live_server.url}/council/staff/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Staff and sign-off limits")
    axe_check(page)
    change = page.locator(f'a[href="/council/staff/{staff.pk}/change/"]')
    expect(change).to_have_accessible_name(f"Change {staff}")
    change.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(str(staff))
    limit = page.get_by_label("Delegated sign-off limit, in pounds a year")
    expect(limit).to_have_value("15000.00")
    axe_check(page)

    limit.fill("abc")
    page.get_by_role("button", name="Save").click()
    assert_error_summary(
        page, [("Sign-off limit must be a number of pounds, like 25000", "#id_sign_off_limit")]
    )
    expect(page.get_by_label("Delegated sign-off limit, in pounds a year")).to_have_value("abc")
    axe_check(page)
    staff.refresh_from_db()
    assert staff.sign_off_limit == Decimal("15000")

    page.get_by_label("Delegated sign-off limit, in pounds a year").fill("25000")
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(f"{live_server.url}/council/staff/")
    expect(success_banner(page)).to_contain_text(f"{staff}'s role, team and limit have been saved")
    row = page.locator("tbody tr").filter(
        has=page.locator(f'a[href="/council/staff/{staff.pk}/change/"]')
    )
    expect(row).to_contain_text("£25,000")
    axe_check(page)
    staff.refresh_from_db()
    assert staff.sign_off_limit == Decimal("25000")

    # --- Teams --------------------------------------------------------------------------
    nav_link(page, "Teams").click()
    expect(page).to_have_url(f"{live_server.url}/council/teams/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Teams")
    axe_check(page)
    page.get_by_role("link", name="Add a team").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a team")
    axe_check(page)
    page.get_by_role("button", name="Save").click()
    assert_error_summary(
        page,
        [
            ("Enter the team's name", "#id_name"),
            ("Select who the team works with", "#id_discipline"),
        ],
    )
    axe_check(page)
    page.get_by_label("Team name").fill("Reablement – North")
    page.get_by_label("Physical and sensory", exact=True).check()
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(f"{live_server.url}/council/teams/")
    expect(success_banner(page)).to_contain_text("Reablement – North has been saved")
    row = page.locator("tbody tr").filter(has_text="Reablement – North")
    expect(row).to_contain_text("Physical and sensory")
    axe_check(page)
    assert Team.objects.filter(name="Reablement – North", discipline="physical_sensory").exists()

    sign_out(page)
