"""Browser tests: Debian's Chromium driven by Playwright's sync API, checked with axe-core.

Everything in this folder is marked `browser` (see pytest_collection_modifyitems):
run it with `pytest -m browser tests/browser`. One Chromium serves the whole session;
each test gets fresh browser contexts, a fresh database and the synthetic council.

Playwright's sync API keeps an asyncio event loop running in the main thread, and
Django refuses database access when it sees one ("SynchronousOnlyOperation"). The
tests and the live server really are synchronous, so DJANGO_ALLOW_ASYNC_UNSAFE is set
for as long as Playwright runs, and only then. The running loop also makes Django keep
the main thread's connections in different storage; playwright_instance carries over
what serialized rollback needs, and pytest_runtest_teardown leaves the database as the
migrations made it, so tests run after these (in a full run) are unaffected.
"""

from __future__ import annotations

import datetime
import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Page,
    Playwright,
    expect,
    sync_playwright,
)

from selfdirect.core.synthetic import seed_council
from tests.browser.helpers import NO_JS_CONTEXTS, javascript_enabled, sign_in, sign_out

__all__ = ["sign_in", "sign_out"]  # the shared steps live in helpers.py

HERE = Path(__file__).resolve().parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
AS_OF = datetime.date(2026, 11, 1)
# WCAG 2.2 AA, as the public sector accessibility regulations ask (axe has no wcag22a tag).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_OPTIONS: dict[str, Any] = {
    "runOnly": {"type": "tag", "values": AXE_TAGS},
    "resultTypes": ["violations"],
}
TIMEOUT_MS = 15_000


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)


# --- The browser ------------------------------------------------------------------------


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[Playwright]:
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    # Once the loop runs, Django keeps this thread's connections in separate,
    # async-context storage: new connection objects, without the migrated data Django
    # serialized onto the old ones if other tests set the database up first. Carry
    # it across, or serialized rollback (see `council`) would have nothing to restore.
    saved = _serialized_contents()
    manager = sync_playwright()
    playwright = manager.start()
    from django.db import connections

    for alias, contents in saved.items():
        connections[alias]._test_serialized_contents = contents  # type: ignore[attr-defined]
    try:
        yield playwright
    finally:
        manager.__exit__(None, None, None)
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def browser(playwright_instance: Playwright) -> Iterator[Browser]:
    browser = playwright_instance.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


def new_context(browser: Browser, base_url: str, *, javascript: bool) -> BrowserContext:
    context = browser.new_context(
        base_url=base_url,
        java_script_enabled=javascript,
        locale="en-GB",
        timezone_id="Europe/London",
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    if not javascript:
        NO_JS_CONTEXTS.append(context)
    return context


def close_context(context: BrowserContext) -> None:
    context.close()
    if context in NO_JS_CONTEXTS:
        NO_JS_CONTEXTS.remove(context)


@pytest.fixture(autouse=True)
def _expect_timeout() -> None:
    expect.set_options(timeout=TIMEOUT_MS)


# --- The council --------------------------------------------------------------------------


def _serialized_contents() -> dict[str, str]:
    """What Django saved of each test database after migrating, for serialized rollback."""
    from django.db import connections

    return {
        alias: connections[alias]._test_serialized_contents  # type: ignore[attr-defined]
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }


_DB_BLOCKER = pytest.StashKey[Any]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    """After a test that used the council, and after transactional_db has emptied every
    table, put back what the migrations wrote: later tests that are not browser tests
    (and do not ask for serialized rollback) expect to find it."""
    try:
        return (yield)
    finally:
        blocker = item.stash.get(_DB_BLOCKER, None)
        if blocker is not None and nextitem is not None:
            from django.db import connections

            with blocker.unblock():
                for alias, contents in _serialized_contents().items():
                    connections[alias].creation.deserialize_db_from_string(contents)


@pytest.fixture
def council(
    request: pytest.FixtureRequest,
    transactional_db: None,
    django_db_serialized_rollback: None,
    django_db_blocker: Any,
    live_server: Any,
    settings: Any,
) -> Any:
    """The synthetic council (60 people), seeded afresh for every test.

    The live server needs committed data, so these tests use transactional_db, which
    empties every table afterwards. What the migrations wrote (the published RAS, for
    one) is put back before the test by serialized rollback, and after it by
    pytest_runtest_teardown. A fast password hasher keeps sign-in quick; `settings`
    is restored after the test.
    """
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    request.node.stash[_DB_BLOCKER] = django_db_blocker  # see pytest_runtest_teardown
    return seed_council(people=60, seed=1, as_of=AS_OF)


@pytest.fixture
def js_context(browser: Browser, live_server: Any, council: Any) -> Iterator[BrowserContext]:
    context = new_context(browser, live_server.url, javascript=True)
    yield context
    close_context(context)


@pytest.fixture
def nojs_context(browser: Browser, live_server: Any, council: Any) -> Iterator[BrowserContext]:
    context = new_context(browser, live_server.url, javascript=False)
    yield context
    close_context(context)


@pytest.fixture
def page(js_context: BrowserContext) -> Page:
    """A page with JavaScript on."""
    return js_context.new_page()


@pytest.fixture
def nojs_page(nojs_context: BrowserContext) -> Page:
    """A page with JavaScript off: what the service must still do without it."""
    return nojs_context.new_page()


@pytest.fixture(params=["js", "nojs"], ids=["javascript-on", "javascript-off"])
def any_page(request: pytest.FixtureRequest, council: Any) -> Page:
    """Run the test twice: with JavaScript on, and with it off."""
    name = "page" if request.param == "js" else "nojs_page"
    return request.getfixturevalue(name)


# --- axe ----------------------------------------------------------------------------------


def _format_violations(url: str, violations: list[dict[str, Any]]) -> str:
    lines = [f"axe found {len(violations)} accessibility violation(s) on {url}:"]
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation.get('impact')}): {violation['help']}"
            f"\n    {violation.get('helpUrl', '')}"
        )
        for node in violation["nodes"]:
            target = ", ".join(str(t) for t in node["target"])
            lines.append(f"    * {target}\n      {node.get('html', '').strip()[:300]}")
            summary = node.get("failureSummary")
            if summary:
                lines.append("      " + summary.replace("\n", "\n      "))
    return "\n".join(lines)


# With JavaScript off, timers never fire, and axe needs zero-delay ones to work through
# its queue. In axe's own isolated world only, run those as microtasks; longer ones are
# axe's time-outs (a frame not answering, assets not loading) and are left unfired.
_TIMER_SHIM = """(() => {
  let next = 1;
  const live = new Set();
  window.setTimeout = (callback, delay, ...args) => {
    const id = next++;
    if (!delay || delay <= 1) {
      live.add(id);
      queueMicrotask(() => {
        if (live.delete(id) && typeof callback === "function") callback(...args);
      });
    }
    return id;
  };
  window.clearTimeout = (id) => { live.delete(id); };
})();"""


class AxeChecker:
    """`axe_check(page)`: run axe-core (WCAG 2.2 AA tags) on the page; fail on any violation.

    With JavaScript on, axe-playwright-python's Axe injects axe-core into the page.
    With JavaScript off Playwright cannot evaluate script in the page (page.evaluate
    never returns), but Chromium still runs script in an isolated world made over the
    DevTools protocol: axe runs there, on the live page, its markup and stylesheet,
    and no JavaScript of ours has touched it.
    """

    def __init__(self) -> None:
        self.axe = Axe()
        self._run_expression = f"axe.run(document, {json.dumps(AXE_OPTIONS)})"

    def __call__(self, page: Page) -> None:
        page.wait_for_load_state("load")
        if javascript_enabled(page):
            results = self.axe.run(page, options=AXE_OPTIONS).response
        else:
            results = self._run_in_isolated_world(page)
        violations = results["violations"]
        assert not violations, _format_violations(page.url, violations)

    def _run_in_isolated_world(self, page: Page) -> dict[str, Any]:
        cdp = page.context.new_cdp_session(page)
        try:
            frame_id = cdp.send("Page.getFrameTree")["frameTree"]["frame"]["id"]
            world = cdp.send(
                "Page.createIsolatedWorld",
                {"frameId": frame_id, "worldName": "axe-check", "grantUniveralAccess": True},
            )
            context_id = world["executionContextId"]
            for script in (_TIMER_SHIM, self.axe.axe_script):
                self._evaluate(cdp, context_id, script)
            return self._evaluate(cdp, context_id, self._run_expression, await_promise=True)
        finally:
            cdp.detach()

    @staticmethod
    def _evaluate(cdp: Any, context_id: int, expression: str, await_promise: bool = False) -> Any:
        reply = cdp.send(
            "Runtime.evaluate",
            {
                "expression": expression,
                "contextId": context_id,
                "awaitPromise": await_promise,
                "returnByValue": await_promise,
                "timeout": TIMEOUT_MS,
            },
        )
        if "exceptionDetails" in reply:
            raise AssertionError(f"axe could not run: {reply['exceptionDetails']}")
        return reply["result"].get("value")


@pytest.fixture(scope="session")
def _axe_checker() -> AxeChecker:
    return AxeChecker()


@pytest.fixture
def axe_check(_axe_checker: AxeChecker) -> Callable[[Page], None]:
    return _axe_checker
