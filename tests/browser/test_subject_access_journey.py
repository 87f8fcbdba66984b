"""An administrator finds a person and downloads everything held about them, with and without
JavaScript; axe checks every page."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from selfdirect.audit.models import AuditEvent, EventType
from selfdirect.people.models import Person
from tests.browser.helpers import assert_error_summary, sign_in

pytestmark = pytest.mark.browser


def test_admin_downloads_a_persons_information(
    any_page: Page, live_server: Any, axe_check: Callable[[Page], None], tmp_path: Path
) -> None:
    page = any_page
    person = Person.objects.order_by("pk").first()
    assert person is not None
    sign_in(page, live_server, "admin")
    page.get_by_role("link", name="Subject access: everything held about a person").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Find a person")
    axe_check(page)

    page.get_by_role("button", name="Search").click()
    assert_error_summary(page, [("Enter a name, NHS number or record number", "#id_q")])
    axe_check(page)

    page.get_by_label("Name, NHS number or record number").fill(person.reference)
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name=f"{person.last_name}, {person.first_name}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(person.full_name)
    expect(page.get_by_role("table", name="What will be included")).to_be_visible()
    axe_check(page)

    page.get_by_role("button", name="Download as JSON").click()
    assert_error_summary(page, [("Enter the request reference or reason", "#id_reason")])
    axe_check(page)

    page.get_by_label("Request reference or reason").fill("SAR-2026-031")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download as JSON").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".json")
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    assert json.loads(target.read_text(encoding="utf-8"))["header"]["person_id"] == person.pk

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download as PDF").click()
    assert download_info.value.suggested_filename.endswith(".pdf")
    assert (
        AuditEvent.objects.filter(
            person=person, event_type=EventType.SUBJECT_ACCESS_PRODUCED, reason="SAR-2026-031"
        ).count()
        == 2
    )
