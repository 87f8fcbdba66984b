"""Steps 3–4 in the browser: the person writes their plan in the portal and sends it; the named
worker signs it off; an over-budget plan reaches the panel. JavaScript on and off, axe on each
screen."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from selfdirect.people.models import Person
from selfdirect.plans.models import Plan, PlanStatus
from selfdirect.support.models import ScheduledReview, Service
from tests.browser.helpers import javascript_enabled, sign_in, sign_out

pytestmark = pytest.mark.browser


def _write_plan(
    page: Page, live_server: Any, person: Person, hours: str, axe_check: Callable[[Page], None]
) -> Plan:
    sign_in(page, live_server, "person")
    page.goto(f"{live_server.url}/portal/people/{person.pk}/")
    page.get_by_role("link", name="Your support plan").click()
    axe_check(page)
    page.get_by_role("button", name="Start the plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your support plan")
    axe_check(page)
    page.get_by_label("What I want to achieve").fill("To get to the allotment and see my friends")
    page.locator("#id_items-0-what").fill("A personal assistant to help me go out")
    page.locator("#id_items-0-unit_cost").fill("abc")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Cost must be an amount in pounds")
    expect(page.get_by_label("What I want to achieve")).to_have_value(
        "To get to the allotment and see my friends"
    )
    axe_check(page)
    page.locator("#id_items-0-unit_cost").fill("16.00")
    page.locator("#id_items-0-units").fill(hours)
    if javascript_enabled(page):
        # With JavaScript the running total follows what is typed, before saving.
        weekly = f"£{16 * int(hours):,}.00 a week"
        expect(page.locator("#totals")).to_contain_text(f"Plan so far{weekly}")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Save and send for sign-off").click()
    expect(page.get_by_text("Sent for sign-off on")).to_be_visible()
    axe_check(page)
    sign_out(page)
    return Plan.objects.get(person=person)


def test_person_writes_a_plan_and_the_named_worker_signs_it_off(
    any_page: Page, live_server: Any, axe_check: Callable[[Page], None]
) -> None:
    page = any_page
    person = Person.objects.get(portal_user__username="person")
    plan = _write_plan(page, live_server, person, "2", axe_check)
    assert plan.status == PlanStatus.SUBMITTED and plan.route_kind == "named_worker"
    sign_in(page, live_server, "worker")
    page.goto(f"{live_server.url}/plans/{plan.pk}/decision/")
    axe_check(page)
    page.get_by_label("Sign the plan off").check()
    page.get_by_label("Explain the decision to the person").fill("This will help you get out.")
    page.get_by_role("button", name="Save decision").click()
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()
    axe_check(page)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED


def test_plan_written_with_an_invited_helper_is_signed_off_and_support_starts(
    any_page: Page, live_server: Any, axe_check: Callable[[Page], None]
) -> None:
    page = any_page
    person = Person.objects.get(portal_user__username="person")
    sign_in(page, live_server, "person")
    page.goto(f"{live_server.url}/portal/people/{person.pk}/plan/")
    page.get_by_role("button", name="Start the plan").click()
    page.get_by_role("link", name="Invite someone to help with the plan").click()
    expect(page.get_by_text("does not mean you have to use them")).to_be_visible()
    axe_check(page)
    page.get_by_label("Their name").fill("Hana Helper")
    page.get_by_label("Their email address").fill("helper@example.org")
    page.get_by_label("A support planner from a user-led organisation").check()
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()
    axe_check(page)
    sign_out(page)
    link = re.search(r"(/portal/invitations/[^/\s]+/)", mail.outbox[-1].body).group(1)

    sign_in(page, live_server, "helper")
    page.goto(f"{live_server.url}{link}")
    axe_check(page)
    page.get_by_role("button", name="Accept and open the plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Support plan")
    page.get_by_label("What I want to achieve").fill("To garden again and see my friends")
    page.locator("#id_items-0-what").fill("A personal assistant, Tuesdays and Fridays")
    page.locator("#id_items-0-unit_cost").fill("16.00")
    page.locator("#id_items-0-units").fill("4")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()
    axe_check(page)
    sign_out(page)

    sign_in(page, live_server, "person")
    plan = Plan.objects.get(person=person)
    page.goto(f"{live_server.url}/portal/plans/{plan.pk}/")
    expect(page.get_by_label("What I want to achieve")).to_have_value(
        "To garden again and see my friends"
    )
    page.get_by_role("button", name="Save and send for sign-off").click()
    expect(page.get_by_text("Sent for sign-off on")).to_be_visible()
    sign_out(page)

    sign_in(page, live_server, "worker")
    page.goto(f"{live_server.url}/plans/{plan.pk}/decision/")
    page.get_by_label("Sign the plan off").check()
    page.get_by_label("Explain the decision to the person").fill("A good plan.")
    page.get_by_role("button", name="Save decision").click()
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()
    sign_out(page)
    assert Service.objects.filter(plan=plan).count() == 1
    assert ScheduledReview.objects.filter(plan=plan).exists()

    sign_in(page, live_server, "person")
    page.goto(f"{live_server.url}/portal/plans/{plan.pk}/")
    expect(page.get_by_role("heading", name="Your support")).to_be_visible()
    expect(page.get_by_text("every 4 weeks")).to_be_visible()
    expect(page.get_by_text("First review: between")).to_be_visible()
    axe_check(page)


def test_over_budget_plan_reaches_the_panel(
    any_page: Page, live_server: Any, axe_check: Callable[[Page], None]
) -> None:
    page = any_page
    person = Person.objects.get(portal_user__username="person")
    plan = _write_plan(page, live_server, person, "60", axe_check)
    assert plan.route_kind == "panel"
    sign_in(page, live_server, "panel")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Panel").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Plans for the panel")
    axe_check(page)
    page.get_by_role("link", name=person.full_name).click()
    axe_check(page)
    page.get_by_label("Sign the plan off").check()
    page.get_by_label("Explain the decision to the person").fill(
        "Your case for more hours is clear."
    )
    page.get_by_role("button", name="Save decision").click()
    expect(page.get_by_text("There are no plans waiting for the panel.")).to_be_visible()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED and plan.decision.by_panel
