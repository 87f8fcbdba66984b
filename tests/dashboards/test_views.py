"""The figures pages: who may see them, the CSV downloads, bad filters, the names list that
only a team manager sees (for their own team), and a query count that does not grow with the
council (targets P1)."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from selfdirect.accounts.models import Role, User
from selfdirect.people.models import NamedWorkerAllocation, Person
from selfdirect.workforce.models import Team
from tests.conftest import World
from tests.dashboards.builders import crisis, journey, person_with_history, review
from tests.factories import TeamFactory, UserFactory

PAGES = ("dashboards:index", "dashboards:continuity", "dashboards:flow", "dashboards:commissioning")
FIGURE_PAGES = PAGES[1:]


def _two_changes(person: Person, first: User, second: User) -> None:
    """Give PERSON two changes of named worker in the last 12 months: FIRST, then SECOND,
    then their current worker (whose spell began when the person was made)."""
    now = timezone.now()
    NamedWorkerAllocation.objects.filter(person=person).update(started_at=now)
    NamedWorkerAllocation.objects.create(
        person=person,
        worker=first,
        started_at=now - datetime.timedelta(days=300),
        ended_at=now - datetime.timedelta(days=100),
    )
    NamedWorkerAllocation.objects.create(
        person=person,
        worker=second,
        started_at=now - datetime.timedelta(days=100),
        ended_at=now,
    )


# --- Access --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", PAGES)
def test_managers_commissioners_and_administrators_see_the_figures(world: World, name: str) -> None:
    for user in (world.team_manager, world.commissioner, world.administrator):
        response = world.client_for(user).get(reverse(name))
        assert response.status_code == 200, user.role
        assert '<a class="govuk-service-navigation__link" href="/figures/"' in (
            response.content.decode()
        )


@pytest.mark.parametrize("name", PAGES)
def test_other_roles_may_not(world: World, name: str) -> None:
    for user in (
        world.allocated_worker,
        world.panel_member,
        world.the_person,
        world.representative,
        world.plan_helper,
    ):
        assert world.client_for(user).get(reverse(name)).status_code == 403, user.role
    response = world.client_for(None).get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in"))


def test_no_figures_in_a_workers_navigation(world: World) -> None:
    content = world.client_for(world.allocated_worker).get(reverse("core:home")).content.decode()
    assert 'href="/figures/"' not in content


def test_the_pages_only_read(world: World) -> None:
    url = reverse("dashboards:continuity")
    assert world.client_for(world.commissioner).post(url, {}).status_code == 405


# --- Filters and downloads -----------------------------------------------------------------


@pytest.mark.parametrize("name", FIGURE_PAGES)
@pytest.mark.parametrize(
    "query",
    [
        "team=abc&period=nonsense&psr=%3Cscript%3E&split=zzz",
        "team=999999&period=fy1900",
        "team=&period=&psr=&split=",
        "team=-1&team=all&period=3m",
        "format=csv&figure=",
    ],
)
def test_bad_filter_values_show_the_page(world: World, name: str, query: str) -> None:
    response = world.client_for(world.team_manager).get(f"{reverse(name)}?{query}")
    if "format=csv" in query:
        assert response.status_code == 404  # no such figure
        return
    assert response.status_code == 200
    assert "<script>" not in response.content.decode()


def test_a_team_managers_team_is_chosen_until_they_choose_all(world: World) -> None:
    client = world.client_for(world.team_manager)
    content = client.get(reverse("dashboards:flow")).content.decode()
    assert f'<option value="{world.team_a.pk}" selected>' in content
    content = client.get(reverse("dashboards:flow") + "?team=all").content.decode()
    assert '<option value="all" selected>' in content
    content = world.client_for(world.commissioner).get(reverse("dashboards:flow")).content
    assert b'<option value="all" selected>' in content


@pytest.mark.parametrize(
    ("name", "figure"),
    [
        ("dashboards:continuity", "changes"),
        ("dashboards:continuity", "crises"),
        ("dashboards:flow", "waits"),
        ("dashboards:flow", "refusals"),
        ("dashboards:commissioning", "outcomes"),
        ("dashboards:commissioning", "equality-ethnicity"),
    ],
)
def test_download_a_table_as_csv(world: World, name: str, figure: str) -> None:
    page = world.client_for(world.commissioner).get(reverse(name) + "?period=3m&team=all")
    link = f"?period=3m&amp;team=all&amp;format=csv&amp;figure={figure}"
    assert link in page.content.decode()
    response = world.client_for(world.commissioner).get(
        reverse(name) + f"?period=3m&team=all&format=csv&figure={figure}"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{figure}-3m.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert len(rows) >= 1 and rows[0][0]


def test_the_csv_suppresses_small_numbers(world: World) -> None:
    # world.person's team has a handful of people with records open: fewer than 5.
    url = reverse("dashboards:continuity") + f"?team={world.team_a.pk}&format=csv&figure=changes"
    rows = list(csv.reader(io.StringIO(world.client_for(world.commissioner).get(url).text)))
    assert rows[0] == [
        "Team",
        "People with a record open",
        "Changes of named worker",
        "Changes per person per 12 months",
    ]
    assert rows[1][:2] == [world.team_a.name, "fewer than 5"]
    assert rows[1][3] == "not shown"


def test_each_figure_says_how_it_is_worked_out(world: World) -> None:
    content = world.client_for(world.commissioner).get(reverse("dashboards:flow")).text
    assert content.count("How this is worked out") == 5
    assert "numpy&#x27;s &#x27;linear&#x27; method" in content
    assert "fewer than 5" in content


def test_the_learning_link_is_for_those_who_may_follow_it(world: World) -> None:
    url = reverse("dashboards:commissioning")
    assert reverse("reviews:learning") in world.client_for(world.commissioner).get(url).text
    assert "See the full learning" not in world.client_for(world.team_manager).get(url).text


# --- Names: a team manager's own team only -------------------------------------------------


def test_names_only_for_the_managers_own_team(world: World) -> None:
    _two_changes(world.person, world.team_a_worker, world.team_manager)
    other_worker = UserFactory(team=world.team_b)
    _two_changes(world.other_person, other_worker, world.manager_other_team)
    url = reverse("dashboards:continuity")
    content = world.client_for(world.team_manager).get(url + "?team=all").text
    assert world.person.full_name in content
    assert reverse("people:detail", args=[world.person.pk]) in content
    assert world.other_person.full_name not in content
    content = world.client_for(world.manager_other_team).get(url).text
    assert world.other_person.full_name in content and world.person.full_name not in content
    for user in (world.commissioner, world.administrator):
        content = world.client_for(user).get(url + "?team=all").text
        assert world.person.full_name not in content
        assert world.other_person.full_name not in content
        assert "People in your team with 2 or more" not in content
    # Nor in any other page or download.
    for name in FIGURE_PAGES:
        for user in (world.team_manager, world.commissioner):
            response = world.client_for(user).get(reverse(name) + "?team=all")
            if name != "dashboards:continuity":
                assert world.person.last_name not in response.text


# --- An empty council ----------------------------------------------------------------------


@pytest.mark.django_db
def test_an_empty_council_shows_empty_figures() -> None:
    client = Client()
    client.force_login(UserFactory(role=Role.COMMISSIONER))
    for name in FIGURE_PAGES:
        response = client.get(reverse(name))
        assert response.status_code == 200
        assert "No data for these filters." in response.text or "No chart" in response.text


# --- Queries do not grow with the council --------------------------------------------------


def _count(client: Client, url: str) -> int:
    client.get(url)  # warm: the first request of a session may look up more
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _grow(world: World, teams: int = 3, people: int = 4) -> None:
    """More teams, people, histories, journeys, crises and reviews."""
    today = timezone.localdate()
    for t in range(teams):
        team: Team = TeamFactory(name=f"Grown {t}")
        first, second = UserFactory(team=team), UserFactory(team=team)
        for p in range(people):
            day = today - datetime.timedelta(days=200 - p)
            person = person_with_history(
                (first, timezone.now() - datetime.timedelta(days=400), None),
                team=team,
                primary_support_reason=(
                    "learning_disability_support" if p % 2 else "mental_health_support"
                ),
                autism="yes" if p == 0 else "no",
                gender="male" if p % 2 else "female",
            )
            _two_changes(person, first, second)
            journey(
                person,
                first,
                received=day,
                assessed=day + datetime.timedelta(days=3),
                budgeted=day + datetime.timedelta(days=3),
                signed_off=day + datetime.timedelta(days=20),
                started=day + datetime.timedelta(days=25),
                reviewed=day + datetime.timedelta(days=80),
                urgent=p == 1,
                weekly=Decimal(100 + p * 10),
                route_kind="panel" if p == 2 else "named_worker",
            )
            crisis(person, "unplanned_hospital", day, first)
            plan = person.plans.first()
            assert plan is not None
            review(
                person,
                plan,
                first,
                completed=day + datetime.timedelta(days=90),
                by_named_worker=p % 2 == 0,
            )
        # Someone waiting for a worker, and a manager's own team grows too.
        person_with_history((None, timezone.now() - datetime.timedelta(days=20), None), team=team)
    _two_changes(world.person, world.team_a_worker, world.team_manager)


@pytest.mark.parametrize("name", FIGURE_PAGES)
@pytest.mark.parametrize("query", ["", "?team=all&split=team", "?split=route&period=fy2026"])
def test_queries_do_not_grow_with_the_council(world: World, name: str, query: str) -> None:
    url = reverse(name) + query
    clients = {
        "manager": world.client_for(world.team_manager),
        "commissioner": world.client_for(world.commissioner),
    }
    before = {who: _count(client, url) for who, client in clients.items()}
    _grow(world)
    after = {who: _count(client, url) for who, client in clients.items()}
    assert after == before
    assert max(before.values()) <= 16


# --- Worked out at most every few minutes --------------------------------------------------


def test_figures_are_cached_for_their_filters_and_can_be_worked_out_now(
    world: World, settings
) -> None:  # type: ignore[no-untyped-def]
    from django.core.cache import cache

    settings.FIGURES_CACHE_SECONDS = 600
    cache.clear()
    client = world.client_for(world.commissioner)
    url = reverse("dashboards:continuity") + "?team=all"
    first = client.get(url).text
    assert "worked out again every 10 minutes" in first
    for _ in range(6):
        crisis(world.person, "unplanned_hospital", timezone.localdate(), world.team_a_worker)
    with CaptureQueriesContext(connection) as queries:
        cached = client.get(url).text
    # The same figures, read from the cache: no figure query ran.
    assert _crisis_cells(cached) == _crisis_cells(first)
    assert len(queries) < 8
    fresh = client.get(url + "&fresh=1").text
    assert _crisis_cells(fresh) != _crisis_cells(first)
    # The names list is never cached: a manager sees their team as it stands.
    _two_changes(world.person, world.team_a_worker, world.team_manager)
    named = world.client_for(world.team_manager).get(reverse("dashboards:continuity")).text
    assert world.person.full_name in named
    cache.clear()


def _crisis_cells(page: str) -> str:
    return page.split('id="figure-crises"')[1].split("</table>")[0]
