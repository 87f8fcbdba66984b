"""The portal: the person themselves, a representative, and a plan helper."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from selfdirect.accounts.models import User
from selfdirect.people.models import Person
from tests.browser.helpers import nav_link, sign_in, sign_out

pytestmark = pytest.mark.browser


def test_person_lands_on_their_own_record(
    page: Page, live_server: Any, axe_check: Callable[[Page], None]
) -> None:
    person = Person.objects.select_related("named_worker", "team").get(
        portal_user__username="person"
    )
    sign_in(page, live_server, "person")
    record_url = f"{live_server.url}/portal/people/{person.pk}/"
    if page.url != record_url:
        # The portal home may come first: it then offers just their own record.
        expect(page).to_have_url(f"{live_server.url}/portal/")
        expect(page.get_by_role("heading", name="Your record")).to_be_visible()
        axe_check(page)
        own = page.locator("main .govuk-list a")
        expect(own).to_have_text([person.full_name, "Who has looked at your record"])
        own.first.click()
    expect(page).to_have_url(record_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("About you")
    expect(page.locator(".govuk-caption-l")).to_have_text(f"Your reference: {person.reference}")
    worker_box = page.locator(".govuk-inset-text")
    expect(worker_box.get_by_role("heading")).to_have_text("Your named worker")
    expect(worker_box).to_contain_text(f"{person.named_worker.get_full_name()}, {person.team.name}")
    expect(worker_box.get_by_role("link", name=person.named_worker.email)).to_have_attribute(
        "href", f"mailto:{person.named_worker.email}"
    )
    expect(nav_link(page, "Home")).to_be_visible()
    axe_check(page)
    # Staff pages are not theirs to see.
    response = page.goto(f"{live_server.url}/people/")
    assert response is not None and response.status == 403
    axe_check(page)
    page.goto(f"{live_server.url}/portal/people/{person.pk}/")
    sign_out(page)


def test_representative_sees_the_person_they_act_for(
    page: Page, live_server: Any, axe_check: Callable[[Page], None]
) -> None:
    person = Person.objects.get(relationships__user__username="rep")
    sign_in(page, live_server, "rep")
    expect(page).to_have_url(f"{live_server.url}/portal/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Rowan")
    expect(page.get_by_role("heading", name="People you act for")).to_be_visible()
    links = page.locator("main .govuk-list a")
    expect(links).to_have_text(
        [person.full_name, f"Who has looked at {person.first_name}'s record"]
    )
    axe_check(page)

    links.first.click()
    expect(page).to_have_url(f"{live_server.url}/portal/people/{person.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(person.full_name)
    expect(page.locator(".govuk-inset-text").get_by_role("heading")).to_have_text(
        f"{person.first_name}'s named worker"
    )
    expect(
        page.get_by_text(
            f"Rowan Rep, attorney for health and welfare (acts for {person.first_name})"
        )
    ).to_be_visible()
    axe_check(page)

    # Anyone else's record is not found, so nobody learns it exists.
    other = Person.objects.exclude(pk=person.pk).order_by("pk").first()
    assert other is not None
    response = page.goto(f"{live_server.url}/portal/people/{other.pk}/")
    assert response is not None and response.status == 404
    axe_check(page)
    page.goto(f"{live_server.url}/portal/")
    sign_out(page)


def test_plan_helper_sees_the_plan_helper_message(
    page: Page, live_server: Any, axe_check: Callable[[Page], None]
) -> None:
    helper = User.objects.get(username="helper")
    sign_in(page, live_server, "helper")
    expect(page).to_have_url(f"{live_server.url}/portal/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hello, {helper.first_name}")
    main = page.locator("main")
    expect(main).to_contain_text("When someone invites you to help with their support plan")
    expect(main).to_contain_text("You have not been invited to help with a plan yet.")
    expect(main.locator(".govuk-list a")).to_have_count(0)
    axe_check(page)
    sign_out(page)
