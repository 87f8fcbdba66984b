"""A social worker's day, run with JavaScript on and again with it off.

Sign in → home → People → search → open a record → add someone to the circle of
support (empty first, then filled in) → change details (an impossible date first,
then a real one) → add a new person → sign out. axe checks every page on the way.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from selfdirect.accounts.models import User
from selfdirect.people.models import Person, Relationship
from selfdirect.people.nhs_number import check_digit
from tests.browser.helpers import (
    assert_error_summary,
    javascript_enabled,
    named_worker_details,
    nav_link,
    personal_details,
    sign_in,
    sign_out,
    success_banner,
)

pytestmark = pytest.mark.browser


def _unused_nhs_number() -> str:
    """A valid NHS number (999 test range) that nobody in the council has yet."""
    taken = set(Person.objects.values_list("nhs_number", flat=True))
    for k in range(900_000, 999_999):
        first_nine = f"999{k:06d}"
        digit = check_digit(first_nine)
        if digit is not None and first_nine + str(digit) not in taken:
            return first_nine + str(digit)
    raise AssertionError("no free NHS number")  # pragma: no cover


def test_worker_journey(
    any_page: Page, live_server: Any, axe_check: Callable[[Page], None]
) -> None:
    page = any_page
    javascript_on = javascript_enabled(page)
    worker = User.objects.get(username="worker")
    # The third of the worker's people (the first two have portal accounts).
    person = Person.objects.filter(named_worker=worker).order_by("pk")[2]
    circle_before = Relationship.objects.filter(person=person).count()

    # --- Sign in and home ---------------------------------------------------------------
    sign_in(page, live_server, "worker")
    expect(page).to_have_url(f"{live_server.url}/")
    # The two runs really differ: only with JavaScript does the page mark itself enhanced.
    expect(page.locator("body.js-enabled")).to_have_count(1 if javascript_on else 0)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hello, {worker.first_name}")
    expect(page.get_by_role("heading", name="What your people need next")).to_be_visible()
    axe_check(page)

    # --- People list and search ---------------------------------------------------------
    nav_link(page, "People").click()
    expect(page).to_have_url(f"{live_server.url}/people/")
    expect(page.get_by_role("heading", level=1)).to_have_text("People")
    axe_check(page)

    page.get_by_label("Search by name or NHS number").fill(person.last_name)
    page.get_by_role("button", name="Search").click()
    expect(page.locator("caption")).to_contain_text(f"matching “{person.last_name}”")
    result = page.locator(f'table a[href="/people/{person.pk}/"]')
    expect(result).to_have_text(f"{person.last_name}, {person.first_name}")
    # Everyone listed matches the search.
    for name in page.locator("tbody tr td:first-child").all_inner_texts():
        assert any(
            part.strip().lower().startswith(person.last_name.lower()) for part in name.split(",")
        ), name
    axe_check(page)

    # --- The record ---------------------------------------------------------------------
    result.click()
    expect(page).to_have_url(f"{live_server.url}/people/{person.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(person.full_name)
    axe_check(page)

    # --- Add someone to the circle of support: empty first ------------------------------
    page.get_by_role("link", name="Add someone to the circle of support").click()
    expect(page).to_have_url(f"{live_server.url}/people/{person.pk}/circle/add/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Add someone to the circle of support"
    )
    axe_check(page)
    page.get_by_role("button", name="Save").click()
    assert_error_summary(
        page,
        [
            ("Enter their name", "#id_name"),
            ("Select how they are connected to the person", "#id_relationship_type"),
        ],
    )
    axe_check(page)
    if javascript_on:
        # GOV.UK Frontend moves focus to the field when its error link is followed.
        page.locator(".govuk-error-summary").get_by_role("link", name="Enter their name").click()
        expect(page.locator("#id_name")).to_be_focused()

    # --- ... then filled in -------------------------------------------------------------
    page.get_by_label("Full name", exact=True).fill("Marta Circleton")
    page.get_by_label("Friend", exact=True).check()
    page.get_by_label("Phone number (optional)").fill("07700 900123")
    page.get_by_label("Email address (optional)").fill("marta@example.com")
    page.get_by_label("Address (optional)", exact=True).fill("1 Test Street\nNorthbridge")
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(re.compile(rf"/people/{person.pk}/(#circle)?$"))
    expect(success_banner(page)).to_contain_text(
        "Marta Circleton has been added to the circle of support"
    )
    row = page.locator("table tbody tr").filter(has_text="Marta Circleton")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Friend")
    expect(row).to_contain_text("07700 900123")
    expect(row).to_contain_text("marta@example.com")
    axe_check(page)
    assert Relationship.objects.filter(person=person).count() == circle_before + 1

    # --- Change details: an impossible date is refused and nothing typed is lost ----------
    page.get_by_role("link", name=re.compile(r"^Change details")).click()
    expect(page).to_have_url(f"{live_server.url}/people/{person.pk}/change/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Change {person.full_name}'s details"
    )
    axe_check(page)
    year = str(person.date_of_birth.year)
    expect(page.locator("#id_date_of_birth_2")).to_have_value(year)
    page.locator("#id_preferred_name").fill("Sunny")
    page.locator("#id_postcode").fill("sd2 5ab")
    page.locator("#id_date_of_birth_0").fill("31")
    page.locator("#id_date_of_birth_1").fill("2")
    page.get_by_role("button", name="Save changes").click()
    assert_error_summary(page, [("Date of birth must be a real date", "#id_date_of_birth_0")])
    # What was there, and what was typed, is all still there.
    expect(page.locator("#id_first_name")).to_have_value(person.first_name)
    expect(page.locator("#id_last_name")).to_have_value(person.last_name)
    expect(page.locator("#id_preferred_name")).to_have_value("Sunny")
    expect(page.locator("#id_postcode")).to_have_value("sd2 5ab")
    expect(page.locator("#id_date_of_birth_0")).to_have_value("31")
    expect(page.locator("#id_date_of_birth_1")).to_have_value("2")
    expect(page.locator("#id_date_of_birth_2")).to_have_value(year)
    expect(page.locator("#id_ethnicity")).to_have_value(person.ethnicity)
    expect(page.locator("#id_primary_support_reason")).to_have_value(person.primary_support_reason)
    expect(page.locator(f'input[name="gender"][value="{person.gender}"]')).to_be_checked()
    expect(
        page.locator(f'input[name="has_unpaid_carer"][value="{person.has_unpaid_carer}"]')
    ).to_be_checked()
    for part in range(3):
        expect(page.locator(f"#id_date_of_birth_{part}")).to_have_class(
            re.compile("govuk-input--error")
        )
    axe_check(page)

    # --- ... fixed and saved ------------------------------------------------------------
    page.locator("#id_date_of_birth_0").fill("28")
    page.get_by_role("button", name="Save changes").click()
    expect(page).to_have_url(f"{live_server.url}/people/{person.pk}/")
    expect(success_banner(page)).to_contain_text("Their details have been saved")
    expect(page.get_by_role("heading", level=1)).to_contain_text("(likes to be called Sunny)")
    details = personal_details(page)
    expect(details).to_contain_text(f"28 February {year}")
    expect(details).to_contain_text("SD2 5AB")
    axe_check(page)
    person.refresh_from_db()
    assert (person.date_of_birth.day, person.date_of_birth.month) == (28, 2)
    assert person.preferred_name == "Sunny"

    # --- Add a person -------------------------------------------------------------------
    nav_link(page, "People").click()
    page.get_by_role("link", name="Add a person").click()
    expect(page).to_have_url(f"{live_server.url}/people/new/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a person")
    # The worker is offered as the named worker to start with.
    expect(page.locator("#id_named_worker")).to_have_value(str(worker.pk))
    axe_check(page)
    nhs = _unused_nhs_number()
    page.get_by_label("First name", exact=True).fill("Edith")
    page.get_by_label("Last name", exact=True).fill("Browsertest")
    page.get_by_label("What they like to be called (optional)").fill("Edie")
    page.locator("#id_date_of_birth_0").fill("14")
    page.locator("#id_date_of_birth_1").fill("6")
    page.locator("#id_date_of_birth_2").fill("1950")
    page.get_by_label("NHS number (optional)").fill(f"{nhs[:3]} {nhs[3:6]} {nhs[6:]}")
    page.get_by_label("Female", exact=True).check()
    page.get_by_label("Ethnic group", exact=True).select_option("white_irish")
    page.get_by_label("Service user", exact=True).check()
    page.get_by_label("Primary support reason", exact=True).select_option(
        "support_with_memory_and_cognition"
    )
    page.get_by_label("Postcode", exact=True).fill("sd1 4ab")
    page.get_by_label("Where they live").select_option("tenant_private_landlord")
    page.get_by_label("Work", exact=True).select_option(
        "not_in_paid_employment_not_actively_seeking_work_or_retired"
    )
    page.get_by_role("group", name="Does someone care for them without being paid?").get_by_label(
        "No", exact=True
    ).check()
    page.get_by_label("Named worker", exact=True).select_option(str(worker.pk))
    page.get_by_role("button", name="Create record").click()

    created = Person.objects.get(first_name="Edith", last_name="Browsertest")
    expect(page).to_have_url(f"{live_server.url}/people/{created.pk}/")
    expect(success_banner(page)).to_contain_text("Edith Browsertest's record has been created")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Edith Browsertest")
    expect(page.locator(".govuk-caption-l")).to_contain_text(f"NHS {nhs[:3]} {nhs[3:6]} {nhs[6:]}")
    named = named_worker_details(page)
    expect(named).to_contain_text(str(worker))
    details = personal_details(page)
    expect(details).to_contain_text("14 June 1950")
    expect(details).to_contain_text("SD1 4AB")
    expect(details).to_contain_text("Female")
    axe_check(page)
    assert created.named_worker == worker
    assert created.nhs_number == nhs

    # --- Sign out -----------------------------------------------------------------------
    sign_out(page)
    axe_check(page)
