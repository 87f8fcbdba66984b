"""Step 6 in the browser: the representative gives a view in the portal, the worker records the
review, a theme reaches the commissioners' learning page (suppressed under 5), and a consenting
person is linked to a peer. JavaScript on and off, axe on each screen."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from selfdirect.reviews.models import (
    LinkStatus,
    PeerLink,
    PeerSupporter,
    Review,
    ReviewOutcome,
    ReviewStatus,
)
from tests.browser.helpers import sign_in, sign_out

pytestmark = pytest.mark.browser


def test_review_from_the_portal_to_learning_and_peer_support(
    any_page: Page, live_server: Any, axe_check: Callable[[Page], None]
) -> None:
    page = any_page
    review = Review.objects.get(
        status=ReviewStatus.OPEN, person__relationships__user__username="rep"
    )
    person = review.person

    # The representative gives a view in the portal.
    sign_in(page, live_server, "rep")
    page.goto(f"{live_server.url}/portal/people/{person.pk}/")
    page.get_by_role("link", name=f"{person.first_name}'s review: how is it going?").click()
    axe_check(page)
    page.locator("input[name=share_quotes][value=yes]").check()
    page.get_by_role("button", name="Send my view").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Write at least one thing")
    axe_check(page)
    page.get_by_label("What is working?").fill("Her personal assistant is brilliant")
    page.get_by_label("What is not working?").fill("Buses are unreliable")
    page.locator("input[name^=outcome_][value=partially_met]").first.check()
    page.locator("input[name=share_quotes][value=yes]").check()
    page.locator("input[name=will_share_experience][value=yes]").check()
    page.get_by_role("button", name="Send my view").click()
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()
    axe_check(page)
    sign_out(page)

    # The worker sees it beside the plan and records the review.
    sign_in(page, live_server, "worker")
    page.goto(f"{live_server.url}/reviews/")
    axe_check(page)
    page.goto(f"{live_server.url}/reviews/{review.pk}/")
    expect(page.get_by_text("Buses are unreliable")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Record the review").click()
    page.get_by_label("Face to face").check()
    for group in page.locator("input[name^=outcome_][value=fully_met]").all():
        group.check()
    page.get_by_label("Buses are unreliable").select_option(label="Transport")
    page.get_by_label("Carry on: the plan is working").check()
    page.locator("input[name=will_share_experience][value=yes]").check()
    page.get_by_role("button", name="Record the review").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Say how a peer could get in touch"
    )
    axe_check(page)
    page.get_by_label("How could a peer get in touch, once both agree?").fill("Through my worker")
    page.get_by_role("button", name="Record the review").click()
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()
    axe_check(page)
    review.refresh_from_db()
    assert review.status == ReviewStatus.COMPLETED and review.decision == "carry_on"
    assert ReviewOutcome.objects.filter(review=review).count() >= 1
    assert PeerSupporter.objects.get(person=person).is_active

    # Another of the worker's people is offered this person as a peer; both agree.
    seeker = (
        Review.objects.filter(status=ReviewStatus.COMPLETED)
        .exclude(person=person)
        .values_list("person", flat=True)
        .first()
    )
    page.goto(f"{live_server.url}/people/{seeker}/peer-support/")
    axe_check(page)
    page.locator(f"input[name=peer][value='{person.pk}']").check()
    page.get_by_role("button", name="Propose a link").click()
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()
    link = PeerLink.objects.get(person_id=seeker, peer=person)
    page.goto(f"{live_server.url}/peer-links/{link.pk}/")
    axe_check(page)
    page.get_by_label("Yes").check()
    page.get_by_label("How did they tell you?").fill("On the phone")
    page.get_by_role("button", name="Save").click()
    sign_out(page)
    sign_in(page, live_server, "rep")
    page.goto(f"{live_server.url}/portal/people/{person.pk}/peer-support/")
    page.get_by_role("link", name="Answer").click()
    axe_check(page)
    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Save").click()
    link.refresh_from_db()
    assert link.status == LinkStatus.LINKED
    sign_out(page)

    # Commissioners see the theme, anonymised; fewer than 5 people are suppressed.
    sign_in(page, live_server, "commissioner")
    page.get_by_role("link", name="Learning").click()
    axe_check(page)
    transport = page.locator("tr", has=page.get_by_role("rowheader", name="Transport"))
    expect(transport).to_contain_text("fewer than 5")
    expect(page.locator("main")).not_to_contain_text(person.last_name)
    page.get_by_label("Show counts by").select_option(label="Team")
    page.get_by_role("button", name="Show figures").click()
    expect(page.get_by_role("columnheader", name="Team")).to_be_visible()
    axe_check(page)
