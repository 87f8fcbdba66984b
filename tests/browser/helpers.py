"""Steps the browser tests share: signing in and out, and reading a GOV.UK error summary."""

from __future__ import annotations

import re
import time
from typing import Any

from playwright.sync_api import BrowserContext, Locator, Page, expect

from selfdirect.accounts import totp
from selfdirect.accounts.models import TwoFactorDevice
from selfdirect.core.synthetic import DEMO_PASSWORD

# Contexts made with JavaScript switched off (conftest registers them). Playwright
# cannot evaluate script in their pages, so axe runs in an isolated world there
# (see conftest.AxeChecker).
NO_JS_CONTEXTS: list[BrowserContext] = []


def javascript_enabled(page: Page) -> bool:
    """Whether the page's browser context runs JavaScript."""
    return page.context not in NO_JS_CONTEXTS


def sign_in(page: Page, live_server: Any, username: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in through the real sign-in page and wait for the page it sends us to."""
    page.goto(f"{live_server.url}/sign-in/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("main").get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    if "/sign-in/code/" in page.url:  # staff: the code from their authenticator app
        page.locator("#id_code").fill(current_code(username))
        page.locator("main").get_by_role("button", name="Continue").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def current_code(username: str) -> str:
    """What USERNAME's authenticator app shows now (or next, if now's code is used)."""
    device = TwoFactorDevice.objects.get(user__username=username)
    return totp.unused_code(device.secret, time.time(), device.last_used_step)


def sign_out(page: Page) -> None:
    """Sign out with the header's button; we land on the signed-out page."""
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/signed-out/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("You have signed out")
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)


def nav_link(page: Page, name: str) -> Locator:
    """A link in the service navigation."""
    return page.get_by_role("navigation", name="Menu").get_by_role("link", name=name, exact=True)


def named_worker_details(page: Page) -> Locator:
    """On a staff record: the summary list under the "Named worker" heading."""
    return page.locator("h2:text-is('Named worker') + dl.govuk-summary-list")


def personal_details(page: Page) -> Locator:
    """On a staff record: the summary list under the "Personal details" heading."""
    return page.locator("h2:text-is('Personal details') + dl.govuk-summary-list")


def success_banner(page: Page) -> Locator:
    return page.locator(".govuk-notification-banner--success")


def assert_error_summary(page: Page, expected: list[tuple[str, str]]) -> None:
    """The GOV.UK error summary lists each problem in order, each linking to its field,
    the page title starts "Error:", and each field shows its own message."""
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("heading")).to_have_text("There is a problem")
    links = summary.locator(".govuk-error-summary__list a")
    expect(links).to_have_count(len(expected))
    for index, (text, href) in enumerate(expected):
        expect(links.nth(index)).to_have_text(text)
        expect(links.nth(index)).to_have_attribute("href", href)
        target = page.locator(href)
        expect(target).to_have_count(1)
        group = page.locator(".govuk-form-group--error").filter(has=target).last
        expect(group.locator(".govuk-error-message")).to_contain_text(text)
    expect(page).to_have_title(re.compile(r"^Error: "))
