"""Issue 9: a new member of staff sets up two-factor authentication, then signs in with a
code; both with and without JavaScript, axe-clean."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from selfdirect.accounts import totp
from selfdirect.accounts.models import TwoFactorDevice
from selfdirect.core.synthetic import DEMO_PASSWORD
from tests.browser.helpers import current_code, sign_out

pytestmark = pytest.mark.browser


def test_new_staff_member_sets_up_an_app_and_signs_in_with_it(
    any_page: Page, live_server: Any, axe_check: Callable[[Page], None]
) -> None:
    page = any_page
    TwoFactorDevice.objects.filter(user__username="worker").delete()
    page.goto(f"{live_server.url}/people/")
    page.locator("#id_username").fill("worker")
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("main").get_by_role("button", name="Sign in").click()

    # No personal data until an app is set up.
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor authentication")
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    axe_check(page)
    secret = page.locator("#secret").inner_text().replace(" ", "")
    page.get_by_label("Code from your authenticator app").fill("000000")
    page.get_by_role("button", name="Set up").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("The code is not right")
    axe_check(page)
    code = totp.code_for_step(secret, totp.step_at(time.time()))
    page.get_by_label("Code from your authenticator app").fill(code)
    page.get_by_role("button", name="Set up").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Save your recovery codes")
    expect(page.locator(".sd-recovery-codes li")).to_have_count(10)
    axe_check(page)
    page.get_by_role("link", name="I have saved my recovery codes").click()
    expect(page).to_have_url(f"{live_server.url}/people/")

    sign_out(page)
    page.goto(f"{live_server.url}/sign-in/")
    page.locator("#id_username").fill("worker")
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("main").get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Enter the code from your authenticator app"
    )
    axe_check(page)
    page.get_by_label("Code from your authenticator app").fill(current_code("worker"))
    page.locator("main").get_by_role("button", name="Continue").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
