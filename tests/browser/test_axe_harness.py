"""The axe check itself: it must find a known violation with JavaScript on and off,
or a green run of the other browser tests would mean nothing."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.conftest import close_context, new_context

pytestmark = pytest.mark.browser

BAD_PAGE = """<!DOCTYPE html><html lang="en-GB"><head><title>Bad page</title></head>
<body><main><h1>Bad page</h1><img src="/nowhere.png">
<p style="color: #bbb; background: #fff">Pale text that is hard to read</p></main></body></html>"""


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript-on", "javascript-off"])
def test_axe_check_reports_violations(
    browser: Browser, javascript: bool, axe_check: Callable[[Page], None]
) -> None:
    context = new_context(browser, "http://127.0.0.1", javascript=javascript)
    try:
        page = context.new_page()
        page.set_content(BAD_PAGE)
        with pytest.raises(AssertionError) as failure:
            axe_check(page)
        message = str(failure.value)
        assert "image-alt" in message
        assert "color-contrast" in message
        assert "img" in message  # the failing node's target is named
    finally:
        close_context(context)
