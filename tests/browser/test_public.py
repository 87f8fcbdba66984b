"""Pages anyone can reach signed out: they work, with or without JavaScript, and pass axe."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import assert_error_summary

pytestmark = pytest.mark.browser

PUBLIC_PAGES = [
    ("/", "Get care and support your way"),
    ("/sign-in/", "Sign in"),
    ("/accessibility/", "Accessibility statement for Self-directed support"),
    ("/privacy/", "Privacy notice"),
    ("/signed-out/", "You have signed out"),
]


def test_public_pages_pass_axe(
    any_page: Page, live_server: Any, axe_check: Callable[[Page], None]
) -> None:
    for path, heading in PUBLIC_PAGES:
        response = any_page.goto(f"{live_server.url}{path}")
        assert response is not None and response.status == 200, path
        expect(any_page.get_by_role("heading", level=1)).to_have_text(heading)
        expect(any_page).to_have_title(re.compile(r"– Self-directed support – "))
        # The footer links to the accessibility statement and privacy notice everywhere.
        footer = any_page.locator("footer")
        expect(footer.get_by_role("link", name="Accessibility statement")).to_be_visible()
        expect(footer.get_by_role("link", name="Privacy notice")).to_be_visible()
        axe_check(any_page)


def test_start_page_leads_to_sign_in(page: Page, live_server: Any) -> None:
    page.goto(f"{live_server.url}/")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{live_server.url}/sign-in/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")


def test_sign_in_errors(
    any_page: Page, live_server: Any, axe_check: Callable[[Page], None]
) -> None:
    page = any_page
    page.goto(f"{live_server.url}/sign-in/")
    button = page.locator("main").get_by_role("button", name="Sign in")

    # Submitted empty: both fields are missing.
    button.click()
    assert_error_summary(
        page,
        [
            ("Enter your username or email address", "#id_username"),
            ("Enter your password", "#id_password"),
        ],
    )
    expect(page.locator("#id_username-error")).to_contain_text(
        "Enter your username or email address"
    )
    expect(page.locator("#id_username")).to_have_attribute(
        "aria-describedby", re.compile("id_username-error")
    )
    axe_check(page)

    # A wrong password: one message that does not say which part was wrong.
    page.locator("#id_username").fill("worker")
    page.locator("#id_password").fill("not-the-password")
    button.click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text(
        "Enter a correct username and password. Both may be case-sensitive."
    )
    expect(page.locator("#id_username")).to_have_value("worker")
    expect(page.locator("#id_password")).to_have_value("")
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    axe_check(page)


def test_first_tab_focuses_skip_link(page: Page, live_server: Any) -> None:
    page.goto(f"{live_server.url}/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()  # hidden until focused, then shown
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main-content$"))


def test_first_tab_focuses_skip_link_without_javascript(nojs_page: Page, live_server: Any) -> None:
    nojs_page.goto(f"{live_server.url}/")
    nojs_page.keyboard.press("Tab")
    expect(nojs_page.get_by_role("link", name="Skip to main content")).to_be_focused()
