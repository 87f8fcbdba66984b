"""A team manager hands a person over to a new named worker, then reads the audit trail.

Run with JavaScript on and again with it off; axe checks every page on the way.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from selfdirect.accounts.models import User
from selfdirect.people.models import NamedWorkerAllocation, Person
from tests.browser.helpers import (
    assert_error_summary,
    named_worker_details,
    nav_link,
    sign_in,
    sign_out,
    success_banner,
)

pytestmark = pytest.mark.browser

HANDOVER_NOTE = "Likes a call before any visit. Review of the direct payment is due in March."


def test_manager_changes_named_worker_and_reads_audit(
    any_page: Page, live_server: Any, axe_check: Callable[[Page], None]
) -> None:
    page = any_page
    manager = User.objects.get(username="manager")
    worker = User.objects.get(username="worker")
    # One of the demo worker's people, in the manager's team.
    person = Person.objects.filter(named_worker=worker).order_by("pk")[3]
    assert person.team_id == manager.team_id

    # --- Sign in, find the person -------------------------------------------------------
    sign_in(page, live_server, "manager")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hello, {manager.first_name}")
    axe_check(page)
    nav_link(page, "People").click()
    page.get_by_label("Search by name or NHS number").fill(
        f"{person.first_name} {person.last_name}"
    )
    page.get_by_role("button", name="Search").click()
    axe_check(page)
    page.locator(f'table a[href="/people/{person.pk}/"]').click()
    expect(page.get_by_role("heading", level=1)).to_have_text(person.full_name)
    named = named_worker_details(page)
    expect(named).to_contain_text(str(worker))
    axe_check(page)

    # --- Change the named worker: no handover note first --------------------------------
    page.get_by_role("link", name="Change named worker").click()
    expect(page).to_have_url(f"{live_server.url}/people/{person.pk}/named-worker/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Change named worker")
    axe_check(page)
    select = page.get_by_label("New named worker")
    # The current named worker is not offered; everyone else in the team is.
    expect(select.locator(f'option[value="{worker.pk}"]')).to_have_count(0)
    new_worker = (
        User.objects.filter(team=person.team, role__in=["social_worker", "team_manager"])
        .exclude(pk=worker.pk)
        .order_by("last_name", "first_name")
        .first()
    )
    assert new_worker is not None
    select.select_option(str(new_worker.pk))
    page.get_by_role("button", name="Change named worker").click()
    assert_error_summary(
        page, [("Enter a handover note for the new named worker", "#id_handover_note")]
    )
    # The choice already made is kept.
    expect(page.get_by_label("New named worker")).to_have_value(str(new_worker.pk))
    axe_check(page)
    person.refresh_from_db()
    assert person.named_worker_id == worker.pk  # nothing changed yet

    # --- ... then with one ----------------------------------------------------------------
    page.get_by_label("Handover note").fill(HANDOVER_NOTE)
    page.get_by_role("button", name="Change named worker").click()
    expect(page).to_have_url(f"{live_server.url}/people/{person.pk}/")
    expect(success_banner(page)).to_contain_text(
        f"{person.full_name}'s named worker is now {new_worker}"
    )
    named = named_worker_details(page)
    expect(named.locator(".govuk-summary-list__row").first).to_contain_text(str(new_worker))
    note_row = named.locator(".govuk-summary-list__row").filter(has_text="Handover note")
    expect(note_row).to_contain_text(HANDOVER_NOTE)
    axe_check(page)
    person.refresh_from_db()
    assert person.named_worker_id == new_worker.pk
    current = NamedWorkerAllocation.objects.get(person=person, ended_at__isnull=True)
    assert (current.worker_id, current.handover_note) == (new_worker.pk, HANDOVER_NOTE)

    # --- Who has looked at or changed the record ----------------------------------------
    page.get_by_role("link", name="See who has looked at or changed this record").click()
    expect(page).to_have_url(f"{live_server.url}/people/{person.pk}/audit/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Who has looked at or changed this record"
    )
    rows = page.locator("table tbody tr")
    manager_label = re.compile(re.escape(str(manager)))
    viewed = rows.filter(has_text="Viewed the record").filter(has_text=manager_label)
    expect(viewed.first).to_be_visible()
    changed = rows.filter(has_text="Changed the named worker")
    expect(changed).to_have_count(1)
    expect(changed).to_contain_text(str(manager))
    expect(rows.filter(has_text="Created the record")).to_have_count(1)
    # Newest first: the handover comes before the views that led up to it.
    texts = rows.all_inner_texts()
    first_change = next(i for i, t in enumerate(texts) if "Changed the named worker" in t)
    assert any("Viewed the record" in t for t in texts[first_change + 1 :])
    axe_check(page)

    sign_out(page)
