"""Steps 1–2 in the browser: a worker from a new contact to an indicative budget, counting
screens (targets P6: at most 6), and the person telling their story and reading their budget
and letter in the portal. Each runs with JavaScript on and off; every screen is checked by axe."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from selfdirect.assessments.outcomes import ADULT_OUTCOMES
from selfdirect.budgets.models import IndicativeBudget
from selfdirect.people.models import Person
from tests.browser.helpers import sign_in

pytestmark = pytest.mark.browser

UNABLE = {"nutrition": "_2", "personal_hygiene": "_3"}  # substantial, critical


def test_worker_goes_from_new_contact_to_budget(
    any_page: Page, live_server: Any, axe_check: Callable[[Page], None]
) -> None:
    page = any_page
    # One of the demo worker's people with no request or assessment yet.
    person = (
        Person.objects.filter(named_worker__username="worker", contacts__isnull=True)
        .order_by("pk")
        .first()
    )
    assert person is not None
    sign_in(page, live_server, "worker")
    page.goto(f"{live_server.url}/people/{person.pk}/")
    screens: list[str] = []

    def screen(title: str) -> None:
        expect(page.get_by_role("heading", level=1)).to_contain_text(title)
        axe_check(page)
        screens.append(page.url)

    page.get_by_role("link", name="Record a request for support").click()
    screen("Record a request for support")
    page.locator("#id_received_on_0").fill("20")
    page.locator("#id_received_on_1").fill("10")
    page.locator("#id_received_on_2").fill("2026")
    page.get_by_label("Discharge from hospital").check()
    page.get_by_label("Who asked?").fill("Ward 7 discharge team")
    page.get_by_label("What did they ask for?").fill("Help at home after a fall")
    page.get_by_label("This is urgent").check()
    page.get_by_role("button", name="Save and start the assessment").click()

    screen("Their story, in their words")
    page.get_by_label("What is important to me").fill("My garden and my cat, Biscuit.")
    page.get_by_role("button", name="Save and continue").click()

    screen("What they can and cannot do")
    for code, _ in ADULT_OUTCOMES:
        if code in UNABLE:
            page.locator(f"#id_{code}-achievable_1").check()
            page.locator(f"#id_{code}-unable_reason").check()
            page.locator(f"#id_{code}-met_by_others").check()
            page.locator(f"#id_{code}-risk{UNABLE[code]}").check()
            page.locator(f"#id_{code}-reason").fill("Cannot do this safely since the fall")
        else:
            page.locator(f"#id_{code}-achievable").check()
    page.get_by_role("button", name="Save and continue").click()

    screen("Wellbeing and decision")
    page.locator("#id_needs_arise_from_condition").check()
    page.locator("#id_significant_impact").check()
    page.get_by_label("Why?").fill("She is losing weight and cannot wash safely.")
    page.get_by_label("Face to face").check()
    page.get_by_role("button", name="Complete the assessment").click()

    screen("Eligible: indicative budget")
    budget = IndicativeBudget.objects.get(person=person)
    # Substantial 12 + critical 20 points, nothing met by others, at £6.00 a point.
    assert str(budget.weekly) == "192.00"
    expect(page.locator(".govuk-panel__title")).to_have_text("£192.00 a week")
    expect(page.get_by_text("starting point, not a limit")).to_be_visible()
    assert len(screens) <= 6, screens
    assert len(screens) == 5
    letter = page.request.get(f"{live_server.url}/assessments/{budget.assessment_id}/letter.pdf")
    assert letter.headers["content-type"] == "application/pdf"


def test_story_errors_keep_nothing_half_saved(
    any_page: Page, live_server: Any, axe_check: Callable[[Page], None]
) -> None:
    page = any_page
    person = (
        Person.objects.filter(named_worker__username="worker", contacts__isnull=True)
        .order_by("pk")
        .first()
    )
    assert person is not None
    sign_in(page, live_server, "worker")
    page.goto(f"{live_server.url}/people/{person.pk}/contacts/new/")
    page.get_by_role("button", name="Save and start the assessment").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter the date of the request")
    expect(summary).to_contain_text("Select how the request reached us")
    expect(page).to_have_title(re.compile("^Error: "))
    axe_check(page)
    assert not person.contacts.exists()


def test_person_tells_their_story_and_reads_their_budget(
    any_page: Page, live_server: Any, axe_check: Callable[[Page], None]
) -> None:
    page = any_page
    person = Person.objects.get(portal_user__username="person")
    sign_in(page, live_server, "person")
    page.goto(f"{live_server.url}/portal/people/{person.pk}/")
    axe_check(page)
    page.get_by_role("link", name="Tell us your story").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your story, in your words")
    axe_check(page)
    page.get_by_label("What is important to me").fill("Going to the allotment on Saturdays.")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()
    expect(page.get_by_text("Going to the allotment on Saturdays.")).to_be_visible()
    expect(page.get_by_text(re.compile(r"Written by .* \(the person\)")).first).to_be_visible()
    axe_check(page)

    page.goto(f"{live_server.url}/portal/people/{person.pk}/")
    page.get_by_role("link", name="Your budget, and why").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your budget")
    budget = IndicativeBudget.objects.filter(person=person).latest("issued_at")
    expect(page.locator(".govuk-panel__title")).to_have_text(f"£{budget.weekly} a week")
    expect(page.get_by_text("starting point, not a limit")).to_be_visible()
    axe_check(page)
    letter = page.request.get(f"{live_server.url}/portal/people/{person.pk}/letter.pdf")
    assert letter.headers["content-type"] == "application/pdf"
    assert letter.body()[:5] == b"%PDF-"


def test_transparency_page_is_public(
    any_page: Page, live_server: Any, axe_check: Callable[[Page], None]
) -> None:
    page = any_page
    page.goto(f"{live_server.url}/how-budgets-are-worked-out/")
    expect(page.get_by_role("heading", level=1)).to_have_text("How budgets are worked out")
    expect(page.get_by_text("Each point is worth").first).to_be_visible()
    axe_check(page)
