"""Caseloads: the manager moves a person to the unallocated queue, allocates them from the team
page with a handover note, and the new worker sees the note first on their home page and the
person's page. Run with JavaScript on and off; axe checks every page on the way."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from selfdirect.accounts.models import User
from selfdirect.people.models import NamedWorkerAllocation, Person
from tests.browser.helpers import (
    assert_error_summary,
    nav_link,
    sign_in,
    sign_out,
    success_banner,
)

pytestmark = pytest.mark.browser

NOTE = "Prefers a phone call before any visit. Her son holds the key safe code."


def test_queue_allocation_and_handover(
    any_page: Page, live_server: Any, axe_check: Callable[[Page], None]
) -> None:
    page = any_page
    worker = User.objects.get(username="worker")
    manager = User.objects.get(username="manager")
    person = Person.objects.filter(named_worker=worker).order_by("pk")[5]
    new_worker = (
        User.objects.filter(team=manager.team, role="social_worker")
        .exclude(pk=worker.pk)
        .order_by("pk")
        .first()
    )
    assert new_worker is not None

    # --- The worker's home page: what their people need next -----------------------------
    sign_in(page, live_server, "worker")
    expect(page.get_by_role("heading", name="What your people need next")).to_be_visible()
    axe_check(page)
    sign_out(page)

    # --- The manager moves the person to the queue ----------------------------------------
    sign_in(page, live_server, "manager")
    axe_check(page)
    page.goto(f"{live_server.url}/people/{person.pk}/")
    page.get_by_role("link", name="Move to queue for a named worker").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Move to the unallocated queue")
    page.get_by_role("button", name="Move to the queue").click()
    assert_error_summary(page, [("Say why the person is going back to the queue", "#id_reason")])
    axe_check(page)
    page.get_by_label("Why are they going back to the unallocated queue?").fill(
        "Worker moving to another team"
    )
    page.get_by_role("button", name="Move to the queue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Team caseloads")
    expect(success_banner(page)).to_contain_text("is now in the queue")
    queue = page.locator("table").filter(has_text="Waiting since")
    row = queue.locator("tr").filter(has_text=person.full_name)
    expect(row).to_contain_text("Worker moving to another team")
    axe_check(page)

    # --- ... and allocates them from the queue with a handover note -----------------------
    row.get_by_role("link", name=f"Allocate {person.full_name}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Allocate a named worker")
    page.get_by_label("New named worker").select_option(str(new_worker.pk))
    page.get_by_role("button", name="Allocate").click()
    assert_error_summary(
        page, [("Enter a handover note for the new named worker", "#id_handover_note")]
    )
    page.get_by_label("Handover note").fill(NOTE)
    page.get_by_role("button", name="Allocate").click()
    expect(success_banner(page)).to_contain_text(f"named worker is now {new_worker}")
    nav_link(page, "Team").click()
    expect(page.locator("tr").filter(has_text=person.full_name)).to_have_count(0)
    page.get_by_role("link", name=str(new_worker)).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{new_worker}'s caseload")
    expect(page.locator("tr").filter(has_text=person.full_name)).to_contain_text(
        "Read the handover note"
    )
    axe_check(page)
    sign_out(page)
    person.refresh_from_db()
    assert person.named_worker_id == new_worker.pk
    spells = NamedWorkerAllocation.objects.filter(person=person).order_by("-started_at", "-id")
    assert [s.worker_id for s in spells[:3]] == [new_worker.pk, None, worker.pk]

    # --- The new worker reads the note first ------------------------------------------------
    new_worker.set_password("selfdirect-demo")
    new_worker.save()
    sign_in(page, live_server, new_worker.username)
    row = page.locator("table tbody tr").filter(has_text=person.full_name)
    expect(row).to_contain_text("Read the handover note")
    row.get_by_role("link", name=person.full_name).click()
    banner = page.get_by_role("region", name="Read this first: handover note")
    expect(banner).to_contain_text(NOTE)
    axe_check(page)
    page.get_by_role("button", name="I have read the handover note").click()
    expect(success_banner(page)).to_contain_text("marked as read")
    expect(page.get_by_role("region", name="Read this first: handover note")).to_have_count(0)
    axe_check(page)
