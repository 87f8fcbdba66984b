"""The Content Security Policy in a real browser (targets R8): pages with a chart, htmx, the
progress bar and GOV.UK Frontend's JavaScript run under it with no violation and nothing in
the console. A violation (an inline style or script the policy blocks) shows both as a
`securitypolicyviolation` event and as a console error; both are collected."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import ConsoleMessage, Page, expect

from selfdirect.accounts.models import User
from selfdirect.people.models import Person
from selfdirect.returns.models import CldExport, ExportStatus
from tests.browser.helpers import sign_in, sign_out

pytestmark = pytest.mark.browser

# Added before any of the page's own script runs; the policy does not apply to it.
_LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"} ` +
    `(${event.sourceFile}:${event.lineNumber}) ${event.sample}`
  );
});
"""


class Watch:
    """Console messages and policy violations on one page, across navigations."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.console: list[str] = []
        page.add_init_script(_LISTEN)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.console.append(f"page error: {error}"))

    def _console(self, message: ConsoleMessage) -> None:
        if message.type in {"error", "warning"}:
            self.console.append(f"{message.type}: {message.text} ({message.location})")

    def visit(self, path: str) -> None:
        response = self.page.goto(path)
        assert response is not None and response.ok, path
        assert "script-src 'self'" in response.headers["content-security-policy"]
        self.page.wait_for_load_state("load")
        self.check(path)

    def check(self, where: str) -> None:
        violations = self.page.evaluate("window.__violations")
        assert violations == [], f"{where}: {violations}"
        assert self.console == [], f"{where}: {self.console}"


def test_pages_run_under_the_policy(page: Page, live_server: Any) -> None:
    watch = Watch(page)
    watch.visit(reverse("core:home"))
    watch.visit(reverse("accounts:sign-in"))

    # A worker: their home page and a person's record.
    sign_in(page, live_server, "worker")
    watch.check("after signing in")
    watch.visit(reverse("core:home"))
    worker = User.objects.get(username="worker")
    person = Person.objects.filter(named_worker=worker).order_by("pk").first()
    assert person is not None
    watch.visit(reverse("people:detail", args=[person.pk]))
    sign_out(page)

    # A manager: figures pages, each with charts (inline SVG).
    sign_in(page, live_server, "manager")
    for name in ("dashboards:continuity", "dashboards:flow"):
        watch.visit(reverse(name))
        expect(page.locator("svg.sd-chart").first).to_be_visible()
    sign_out(page)

    # The person writes their plan: the editor's running total comes from htmx.
    sign_in(page, live_server, "person")
    mine = Person.objects.get(portal_user__username="person")
    watch.visit(f"/portal/people/{mine.pk}/")
    page.get_by_role("link", name="Your support plan").click()
    page.get_by_role("button", name="Start the plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your support plan")
    page.locator("#id_items-0-what").fill("A personal assistant to help me go out")
    page.locator("#id_items-0-unit_cost").fill("16.00")
    page.locator("#id_items-0-units").fill("3")
    expect(page.locator("#totals")).to_contain_text("£48.00 a week")
    # htmx was told not to add its own <style>, which the policy would block.
    assert page.locator("head style").count() == 0
    watch.check("the plan editor")
    sign_out(page)

    # An administrator: the CLD return part-way through (the progress bar, polled). The
    # demo makes a return at once, so this one is made as a background worker leaves it.
    run = CldExport.objects.create(
        period_start=datetime.date(2025, 10, 1),
        period_end=datetime.date(2026, 9, 30),
        requested_by=User.objects.get(username="admin"),
        requested_at=timezone.now(),
        started_at=timezone.now(),
        status=ExportStatus.RUNNING,
        rows_expected=200,
        rows_written=80,
    )
    sign_in(page, live_server, "admin")
    watch.visit(reverse("returns:cld-run", args=[run.pk]))
    progress = page.locator("progress.sd-progress")
    expect(progress).to_have_attribute("value", "40")
    assert progress.bounding_box() is not None  # drawn by the stylesheet, not inline
    page.wait_for_timeout(2500)  # one poll of the progress panel
    watch.check("the return's progress")
