"""Every staff and portal page, as the demo user who would use it, on a seeded council.

Shared by `tests/test_scale.py` (P1: the same number of SQL queries at S and L) and by
`bench/run.py` (P1 and P2: queries and server time per page at each size). Pages are named by
a key that does not change with the council's size; the objects a URL names (the demo person,
their plan, the open review, ...) are looked up in the seeded council, so the same page is
fetched at every size. Needs Django set up and a council seeded by `selfdirect seed`.

Left out: PDF letters and file downloads (WeasyPrint's time is not the page's), forms that only
accept POST, and pages whose object the seed does not make (a CLD run, an import batch, an
invitation link).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

# Who the seed's demo users are: see selfdirect/core/synthetic.py (`result.logins`).
WORKER, MANAGER, PANEL, COMMISSIONER, ADMIN = "worker", "manager", "panel", "commissioner", "admin"
PERSON, REP = "person", "rep"


@dataclass(frozen=True)
class Page:
    key: str  # stable name, e.g. "worker: person's record"
    username: str
    url_name: str
    target: str = ""  # which seeded object the URL names (see _TARGETS), or "" for none
    query: str = ""  # query string, without "?"
    portal: bool = False


def _person() -> int:
    """The demo person (portal user "person"): assessed, with a budget, no plan yet."""
    from selfdirect.people.models import Person

    return Person.objects.get(portal_user__username=PERSON).pk


def _rep_person() -> int:
    """The person the demo representative acts for: a signed-off plan and an open review."""
    from selfdirect.people.models import Person

    return Person.objects.get(relationships__user__username=REP).pk


def _assessment() -> int:
    from selfdirect.assessments.models import Assessment

    return Assessment.objects.filter(person_id=_rep_person()).latest("pk").pk


def _plan() -> int:
    from selfdirect.plans.models import Plan

    return Plan.objects.filter(person_id=_rep_person()).latest("pk").pk


def _review() -> int:
    from selfdirect.reviews.models import Review

    return Review.objects.get(person_id=_rep_person(), status="open").pk


def _urgent_contact() -> int:
    from selfdirect.assessments.models import Contact

    # The demo worker's urgent request from a hospital ward, still waiting in the queue.
    waiting = Contact.objects.filter(urgent=True, closed_on=None, assessments=None)
    return waiting.filter(person__named_worker__username=WORKER).latest("pk").pk


def _worker() -> int:
    from selfdirect.accounts.models import User

    return User.objects.get(username=WORKER).pk


def _team() -> int:
    from selfdirect.accounts.models import User

    team_id = User.objects.get(username=WORKER).team_id
    assert team_id is not None
    return team_id


def _theme() -> int:
    from selfdirect.reviews.models import LearningTheme

    return LearningTheme.objects.order_by("pk").values_list("pk", flat=True)[0]


_TARGETS: dict[str, Callable[[], int]] = {
    "person": _person,
    "rep_person": _rep_person,
    "assessment": _assessment,
    "plan": _plan,
    "review": _review,
    "urgent_contact": _urgent_contact,
    "worker": _worker,
    "team": _team,
    "theme": _theme,
}

FIGURES_ALL = "team=all"

PAGES: tuple[Page, ...] = (
    # --- A social worker -------------------------------------------------------------------
    Page("worker: home (next actions)", WORKER, "core:home"),
    Page("worker: people", WORKER, "people:list"),
    Page("worker: person's record", WORKER, "people:detail", "rep_person"),
    Page("worker: change person", WORKER, "people:edit", "rep_person"),
    Page("worker: add to circle", WORKER, "people:circle-add", "rep_person"),
    Page("worker: record a crisis", WORKER, "people:crisis-add", "rep_person"),
    Page("worker: requests queue", WORKER, "assessments:queue"),
    Page("worker: new request", WORKER, "assessments:contact-create", "person"),
    Page("worker: capacity record", WORKER, "assessments:capacity-create", "person"),
    Page("worker: starter budget", WORKER, "assessments:starter-budget", "urgent_contact"),
    Page("worker: close request", WORKER, "assessments:contact-close", "urgent_contact"),
    Page("worker: assessment result", WORKER, "assessments:result", "assessment"),
    Page("worker: plan", WORKER, "plans:edit", "plan"),
    Page("worker: plan totals", WORKER, "plans:totals", "plan"),
    Page("worker: plan decision", WORKER, "plans:decide", "plan"),
    Page("worker: reviews due", WORKER, "reviews:due"),
    Page("worker: person's reviews", WORKER, "reviews:person", "rep_person"),
    Page("worker: unplanned review", WORKER, "reviews:unplanned", "rep_person"),
    Page("worker: open review", WORKER, "reviews:review", "review"),
    Page("worker: my view of review", WORKER, "reviews:worker-view", "review"),
    Page("worker: record review", WORKER, "reviews:complete", "review"),
    Page("worker: peer support", WORKER, "reviews:peers", "rep_person"),
    # --- A team manager ---------------------------------------------------------------------
    Page("manager: home", MANAGER, "core:home"),
    Page("manager: Team (caseloads, queue)", MANAGER, "caseloads:team"),
    Page("manager: a worker's caseload", MANAGER, "caseloads:worker", "worker"),
    Page("manager: change named worker", MANAGER, "people:named-worker", "rep_person"),
    Page("manager: person's audit trail", MANAGER, "people:audit", "rep_person"),
    Page("manager: figures", MANAGER, "dashboards:index"),
    Page("manager: continuity, own team", MANAGER, "dashboards:continuity"),
    Page("manager: waiting times, own team", MANAGER, "dashboards:flow"),
    Page(
        "manager: commissioning, one reason",
        MANAGER,
        "dashboards:commissioning",
        query="psr=mental_health_support",
    ),
    # --- Panel, commissioner ------------------------------------------------------------------
    Page("panel: plans for the panel", PANEL, "plans:panel"),
    Page("commissioner: continuity, all teams", COMMISSIONER, "dashboards:continuity"),
    Page("commissioner: waiting times, all teams", COMMISSIONER, "dashboards:flow"),
    Page(
        "commissioner: waiting times by route, 3 months",
        COMMISSIONER,
        "dashboards:flow",
        query="split=route&period=3m&team=all",
    ),
    Page("commissioner: commissioning, all teams", COMMISSIONER, "dashboards:commissioning"),
    Page("commissioner: learning from reviews", COMMISSIONER, "reviews:learning"),
    # --- An administrator ---------------------------------------------------------------------
    Page("admin: staff", ADMIN, "workforce:staff-list"),
    Page("admin: change staff member", ADMIN, "workforce:staff-edit", "worker"),
    Page("admin: teams", ADMIN, "workforce:team-list"),
    Page("admin: change team", ADMIN, "workforce:team-edit", "team"),
    Page("admin: what we collect", ADMIN, "workforce:field-register"),
    Page("admin: RAS versions", ADMIN, "budgets:ras-list"),
    Page("admin: new RAS", ADMIN, "budgets:ras-new"),
    Page("admin: learning themes", ADMIN, "reviews:themes"),
    Page("admin: change theme", ADMIN, "reviews:theme-edit", "theme"),
    Page("admin: CLD return", ADMIN, "returns:cld"),
    Page("admin: legacy import", ADMIN, "legacy:upload"),
    Page("admin: subject access search", ADMIN, "subject_access:search"),
    Page("admin: subject access, one person", ADMIN, "subject_access:person", "rep_person"),
    # --- The portal ---------------------------------------------------------------------------
    Page("person: portal home", PERSON, "portal:home", portal=True),
    Page("person: my record", PERSON, "portal:person", "person", portal=True),
    Page("person: my story", PERSON, "portal:story", "person", portal=True),
    Page("person: my budget", PERSON, "portal:budget", "person", portal=True),
    Page("person: my plan", PERSON, "portal:plan", "person", portal=True),
    Page("person: peer support", PERSON, "portal:peers", "person", portal=True),
    Page("rep: portal home", REP, "portal:home", portal=True),
    Page("rep: their record", REP, "portal:person", "rep_person", portal=True),
    Page("rep: their plan", REP, "portal:plan-edit", "plan", portal=True),
    Page("rep: their review", REP, "portal:review", "rep_person", portal=True),
)


def url_for(page: Page) -> str:
    args = [_TARGETS[page.target]()] if page.target else []
    url = reverse(page.url_name, args=args)
    return f"{url}?{page.query}" if page.query else url


def signed_in_clients() -> dict[str, Client]:
    """One test client per demo user, signed in the way the tests sign in."""
    from selfdirect.accounts.models import User

    clients = {}
    for username in sorted({page.username for page in PAGES}):
        client = Client()
        client.force_login(User.objects.get(username=username))
        clients[username] = client
    return clients


def _get(client: Client, page: Page, url: str) -> Any:
    response = client.get(url)
    if response.status_code != 200:
        raise AssertionError(f"{page.key}: GET {url} gave {response.status_code}")
    return response


def query_counts(pages: tuple[Page, ...] = PAGES) -> dict[str, int]:
    """P1: SQL queries of each page's second request (the first settles the session), with
    an empty cache, so that figures pages work their figures out rather than reuse them."""
    from django.core.cache import cache

    clients = signed_in_clients()
    counts = {}
    for page in pages:
        url = url_for(page)
        client = clients[page.username]
        _get(client, page, url)
        cache.clear()  # sessions live in the database, not the cache
        with CaptureQueriesContext(connection) as queries:
            _get(client, page, url)
        counts[page.key] = len(queries)
    return counts


def timings(pages: tuple[Page, ...] = PAGES, *, repeat: int = 10) -> dict[str, dict[str, float]]:
    """P2: server time of each page in milliseconds: the first request with an empty cache
    (figures pages work their figures out), then the median and 95th percentile of `repeat`
    more (Django test client, in this process)."""
    from django.core.cache import cache

    clients = signed_in_clients()
    result = {}
    for page in pages:
        url = url_for(page)
        client = clients[page.username]
        cache.clear()
        started = time.perf_counter()
        _get(client, page, url)
        first = time.perf_counter() - started
        samples = []
        for _ in range(repeat):
            started = time.perf_counter()
            _get(client, page, url)
            samples.append(time.perf_counter() - started)
        result[page.key] = {
            "first_ms": round(first * 1000, 1),
            "median_ms": round(statistics.median(samples) * 1000, 1),
            "p95_ms": round(percentile(samples, 95) * 1000, 1),
        }
    return result


def percentile(values: list[float], pct: float) -> float:
    """The nearest-rank percentile: with 10 samples, p95 is the largest."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * pct // 100))
    return ordered[int(rank) - 1]


def main() -> None:
    """`python -m bench.pages [REPEAT]`: P1 and P2 for the council in the environment, as JSON."""
    import json
    import os
    import sys

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "selfdirect.settings")
    django.setup()
    repeat = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    counts = query_counts()
    print(json.dumps({"p1": counts, "p2": timings(repeat=repeat)}))


if __name__ == "__main__":
    main()
