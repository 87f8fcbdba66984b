"""The figures' selectors on small hand-built histories, where every answer is known."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest

from selfdirect.accounts.models import Role, User
from selfdirect.dashboards import figures
from selfdirect.dashboards.figures import Period, Spell
from selfdirect.dashboards.selectors import (
    Filters,
    commissioning_page,
    continuity_page,
    filters_from_query,
    flow_page,
    people_with_changes,
)
from selfdirect.dashboards.tables import Figure
from selfdirect.people.models import NamedWorkerAllocation
from selfdirect.plans.models import Plan, PlanDecision, PlanStatus
from selfdirect.workforce.models import Team
from tests.dashboards.builders import at, crisis, journey, person_with_history, review, service
from tests.factories import TeamFactory, UserFactory

D = datetime.date
TODAY = D(2026, 11, 23)
PERIOD = Period("12m", "The last 12 months", D(2025, 11, 24), TODAY)


def midnight(day: datetime.date) -> datetime.datetime:
    return at(day, hour=0)


def filters(**kwargs: Any) -> Filters:
    return Filters(period=PERIOD, team_id=kwargs.pop("team_id", None), **kwargs)


def table(figure: Figure | None) -> dict[str, list[Any]]:
    """A figure's rows by their first cell (the last wins, so "All requests" rows are kept
    apart by the caller)."""
    assert figure is not None
    return {str(row[0]): list(row[1:]) for row in figure.table.rows}


@pytest.fixture
def alpha(db: None) -> Team:
    return TeamFactory(name="Alpha")


@pytest.fixture
def beta(db: None) -> Team:
    return TeamFactory(name="Beta")


def workers(team: Team, n: int = 3) -> list[User]:
    return [UserFactory(team=team) for _ in range(n)]


# --- Continuity ----------------------------------------------------------------------------


@pytest.fixture
def history(alpha: Team, beta: Team) -> dict[str, Any]:
    w1, w2, w3 = workers(alpha)
    two_changes = person_with_history(
        (w1, at(D(2024, 1, 1)), at(D(2026, 1, 10))),
        (w2, at(D(2026, 1, 10)), at(D(2026, 6, 1))),
        (w3, at(D(2026, 6, 1)), None),
        team=alpha,
    )
    first_worker = person_with_history((w1, at(D(2026, 3, 1)), None), team=alpha)
    closed_before = person_with_history((w1, at(D(2023, 1, 1)), at(D(2024, 6, 1))), team=alpha)
    # Waited from 10 days before the period to 5 days into it, then got a first worker.
    waited = person_with_history(
        (None, midnight(D(2025, 11, 14)), midnight(D(2025, 11, 29))),
        (w2, midnight(D(2025, 11, 29)), None),
        team=alpha,
    )
    # In Beta: waiting for a worker now (an old spell, so not open in the period).
    waiting = person_with_history((None, at(D(2020, 1, 1)), at(D(2020, 2, 1))), team=beta)
    person_with_history(
        (None, at(D(2020, 1, 1)), at(D(2020, 2, 1))), team=beta, date_of_death=D(2021, 1, 1)
    )
    return {
        "workers": (w1, w2, w3),
        "two_changes": two_changes,
        "first_worker": first_worker,
        "closed_before": closed_before,
        "waited": waited,
        "waiting": waiting,
    }


def test_continuity_figures(
    history: dict[str, Any], alpha: Team, beta: Team, no_suppression: None
) -> None:
    teams = {alpha.pk: "Alpha", beta.pk: "Beta"}
    page = continuity_page(f=filters(), user=UserFactory(role=Role.COMMISSIONER), teams=teams)
    changes = table(page.figure("changes"))
    # Open in the period: two_changes, first_worker and waited (not closed_before). The two
    # changes are both one person's. Beta has nobody open in the period, so no row.
    assert changes == {"Alpha": [3, 2, pytest.approx(2 / 3 * 365 / 365)]}
    unallocated = table(page.figure("unallocated"))
    # Waiting now: anyone alive with no named worker today (closed_before, in Alpha, and
    # waiting, in Beta), whatever the period; someone who has died is not waiting.
    assert unallocated["Alpha"] == [pytest.approx(5.0), 1, pytest.approx(5.0), 1]
    assert unallocated["Beta"] == [0.0, 0, None, 1]
    assert unallocated["All teams"] == [pytest.approx(5.0), 1, pytest.approx(5.0), 2]
    assert page.named_people is None  # a commissioner sees no names


def test_the_sql_counts_changes_as_the_pure_rule_does(history: dict[str, Any]) -> None:
    person = history["two_changes"]
    spells = [
        Spell(a.worker_id, a.started_at, a.ended_at)
        for a in NamedWorkerAllocation.objects.filter(person=person)
    ]
    pure = figures.count_changes(spells, filters().start, filters().end)
    manager = UserFactory(role=Role.TEAM_MANAGER, team=person.team)
    named = people_with_changes(user=manager, today=TODAY)
    assert pure == 2
    assert [(n.person_id, n.changes) for n in named] == [(person.pk, pure)]
    assert named[0].name == person.full_name


def test_names_only_for_a_manager_of_the_persons_team(history: dict[str, Any], beta: Team) -> None:
    other_manager = UserFactory(role=Role.TEAM_MANAGER, team=beta)
    assert people_with_changes(user=other_manager, today=TODAY) == []
    for role in (Role.COMMISSIONER, Role.ADMINISTRATOR, Role.SOCIAL_WORKER):
        user = UserFactory(role=role, team=history["two_changes"].team)
        assert people_with_changes(user=user, today=TODAY) == []


def test_reviews_done_by_the_named_worker(alpha: Team, no_suppression: None) -> None:
    (worker,) = workers(alpha, 1)
    people = [person_with_history((worker, at(D(2025, 1, 1)), None), team=alpha) for _ in range(4)]
    plans = []
    for person in people:
        journey(
            person,
            worker,
            received=D(2025, 1, 1),
            assessed=D(2025, 1, 5),
            budgeted=D(2025, 1, 5),
            signed_off=D(2025, 1, 20),
        )
        plans.append(Plan.objects.get(person=person))
    review(people[0], plans[0], worker, completed=D(2026, 2, 1), by_named_worker=True)
    review(people[1], plans[1], worker, completed=D(2026, 3, 1), by_named_worker=False)
    review(people[2], plans[2], worker, completed=D(2026, 4, 1), by_named_worker=None)
    review(people[3], plans[3], worker, completed=D(2025, 1, 30), by_named_worker=True)  # before
    page = continuity_page(
        f=filters(), user=UserFactory(role=Role.COMMISSIONER), teams={alpha.pk: "Alpha"}
    )
    # 3 completed in the period; we know who did 2 of them, and 1 was the named worker.
    assert table(page.figure("reviews-by-named-worker"))["Alpha"] == [3, 1, 50.0]


def test_crises_by_cohort(alpha: Team, no_suppression: None) -> None:
    (worker,) = workers(alpha, 1)

    def person(**fields: Any) -> Any:
        return person_with_history((worker, at(D(2025, 1, 1)), None), team=alpha, **fields)

    ld = person(primary_support_reason="learning_disability_support")
    ld_autism = person(primary_support_reason="learning_disability_support", autism="yes")
    autism = person(autism="yes")
    mh = person(primary_support_reason="mental_health_support")
    person()  # everyone else: no crisis
    person_with_history((worker, at(D(2020, 1, 1)), at(D(2021, 1, 1))), team=alpha)  # not open
    crisis(ld, "unplanned_hospital", D(2026, 2, 1), worker)
    crisis(ld, "emergency_placement", D(2026, 3, 1), worker)
    crisis(ld_autism, "inpatient_or_atu", D(2026, 4, 1), worker)
    crisis(mh, "unplanned_hospital", D(2025, 1, 1), worker)  # before the period
    del autism
    page = continuity_page(f=filters(), user=UserFactory(role=Role.COMMISSIONER), teams={})
    cohorts = table(page.figure("crises"))
    # People, events, people with one, per 100 people, then by kind (hospital, ATU, placement).
    assert cohorts["Learning disability"] == [2, 3, 2, 150.0, 1, 1, 1]
    assert cohorts["Autism"] == [2, 1, 1, 50.0, 0, 1, 0]
    assert cohorts["Mental health"] == [1, 0, 0, 0.0, 0, 0, 0]
    assert cohorts["Everyone else"] == [1, 0, 0, 0.0, 0, 0, 0]


def test_small_numbers_are_suppressed(history: dict[str, Any], alpha: Team) -> None:
    page = continuity_page(
        f=filters(), user=UserFactory(role=Role.COMMISSIONER), teams={alpha.pk: "Alpha"}
    )
    assert table(page.figure("changes"))["Alpha"] == ["fewer than 5", "fewer than 5", "not shown"]
    csv = page.figure("changes").table.csv_rows()  # type: ignore[union-attr]
    assert ["Alpha", "fewer than 5", "fewer than 5", "not shown"] in csv
    assert "2" not in {cell for row in csv for cell in row}


# --- Flow ----------------------------------------------------------------------------------

ASSESSED_AFTER = (2, 4, 6, 8, 10)


@pytest.fixture
def journeys(alpha: Team) -> list[Any]:
    """Five requests received on 1 January 2026, assessed after 2, 4, 6, 8 and 10 days; the
    budget the same day; signed off 10 days later; support 5 days after that; the first
    review 60 days after the request."""
    (worker,) = workers(alpha, 1)
    out = []
    planned = (Decimal("5000"), Decimal("5200"), Decimal("6000"), None, None)
    for index, after in enumerate(ASSESSED_AFTER):
        person = person_with_history((worker, at(D(2025, 6, 1)), None), team=alpha)
        day = D(2026, 1, 1) + datetime.timedelta(days=after)
        out.append(
            journey(
                person,
                worker,
                received=D(2026, 1, 1),
                assessed=day,
                budgeted=day,
                signed_off=day + datetime.timedelta(days=10),
                started=day + datetime.timedelta(days=15),
                reviewed=D(2026, 3, 2),
                urgent=index == 0,
                route="hospital_discharge" if index < 2 else "community",
                route_kind="panel" if index == 0 else "named_worker",
                written_by="family" if index == 0 else "person",
                planned_annual=planned[index],
            )
        )
    return out


def test_waiting_times(journeys: list[Any], no_suppression: None) -> None:
    page = flow_page(f=filters(), user=UserFactory(role=Role.COMMISSIONER), teams={})
    waits = table(page.figure("waits"))
    assert waits["Assessment completed"] == [5, 6.0, pytest.approx(9.2)]
    assert waits["Indicative budget issued"] == [5, 6.0, pytest.approx(9.2)]
    assert waits["Plan signed off"] == [5, 16.0, pytest.approx(19.2)]
    assert waits["Support started"] == [5, 21.0, pytest.approx(24.2)]
    assert waits["First review completed"] == [5, 60.0, 60.0]


def test_waiting_times_count_the_first_time_a_stage_was_reached(
    journeys: list[Any], no_suppression: None
) -> None:
    first = journeys[4]  # assessed after 10 days
    # A revised plan signed off later on the same budget, and a starter budget that began
    # the day after the request: the plan wait is unchanged, support started on day 1.
    plan = Plan.objects.get(person=first.person)
    revised = Plan.objects.create(
        person=first.person,
        budget=plan.budget,
        status=PlanStatus.APPROVED,
        created_at=at(D(2026, 5, 1)),
        updated_at=at(D(2026, 5, 1)),
        updated_by=plan.updated_by,
        submitted_at=at(D(2026, 5, 1)),
    )
    PlanDecision.objects.create(
        plan=revised,
        approved=True,
        explanation="Test",
        decided_by=plan.updated_by,
        decided_at=at(D(2026, 5, 2)),
    )
    service(first.person, start=D(2026, 1, 2), contact=first)
    page = flow_page(f=filters(), user=UserFactory(role=Role.COMMISSIONER), teams={})
    waits = table(page.figure("waits"))
    assert waits["Plan signed off"] == [5, 16.0, pytest.approx(19.2)]
    # Support waits 17, 19, 21, 23 and now 1: median 19.
    assert waits["Support started"][:2] == [5, 19.0]


def test_waits_outside_the_period_are_not_counted(journeys: list[Any]) -> None:
    f = Filters(period=Period("x", "x", D(2026, 6, 1), TODAY), team_id=None)
    page = flow_page(f=f, user=UserFactory(role=Role.COMMISSIONER), teams={})
    assert table(page.figure("waits"))["Assessment completed"] == [0, None, None]


def test_waiting_times_split_by_urgency_and_route(
    journeys: list[Any], alpha: Team, no_suppression: None
) -> None:
    page = flow_page(f=filters(split="urgency"), user=UserFactory(), teams={alpha.pk: "Alpha"})
    rows = page.figure("waits").table.rows  # type: ignore[union-attr]
    assert ("Assessment completed", "All requests", 5, 6.0, pytest.approx(9.2)) in rows
    assert ("Assessment completed", "Urgent", 1, 2.0, 2.0) in rows
    assert ("Assessment completed", "Not urgent", 4, 7.0, pytest.approx(9.4)) in rows
    page = flow_page(f=filters(split="route"), user=UserFactory(), teams={alpha.pk: "Alpha"})
    rows = page.figure("waits").table.rows  # type: ignore[union-attr]
    assert ("Assessment completed", "Discharge from hospital", 2, 3.0, pytest.approx(3.8)) in rows
    assert page.figure("waits").table.columns[1].label == "Route of access"  # type: ignore[union-attr]


def test_sign_off_figures(journeys: list[Any], alpha: Team, no_suppression: None) -> None:
    worker = journeys[0].recorded_by
    refused = person_with_history((worker, at(D(2025, 6, 1)), None), team=alpha)
    journey(
        refused,
        worker,
        received=D(2026, 2, 1),
        assessed=D(2026, 2, 5),
        budgeted=D(2026, 2, 5),
        signed_off=D(2026, 2, 20),
        refused_because="unsafe",
        written_by="",
    )
    page = flow_page(f=filters(), user=UserFactory(), teams={alpha.pk: "Alpha"})
    assert table(page.figure("panel"))["Alpha"] == [6, 1, pytest.approx(100 / 6)]
    refusals = table(page.figure("refusals"))
    assert refusals["It would not keep the person safe"] == [1]
    assert refusals["All reasons"] == [1]
    authors = table(page.figure("plan-authors"))
    assert authors["Family or friends"][0] == 1
    assert authors["The person themself"][0] == 4
    assert authors["Not recorded"][0] == 1
    budgets = table(page.figure("budgets-vs-plans"))
    # Five signed off (the refused one is not): budgets 5 x £5,200; planned 5,000 + 5,200 +
    # 6,000 + 5,200 + 5,200; one under, three at, one over budget.
    assert budgets["Alpha"] == [5, Decimal("26000"), Decimal("26600"), 1, 3, 1]


# --- Commissioning -------------------------------------------------------------------------


def test_outcomes_and_equality(alpha: Team, no_suppression: None) -> None:
    (worker,) = workers(alpha, 1)
    people = []
    weekly = ("100", "200", "300", "400", "1000")
    for index, amount in enumerate(weekly):
        person = person_with_history(
            (worker, at(D(2025, 6, 1)), None),
            team=alpha,
            gender="female",
            date_of_birth=D(1940, 1, 1) if index else D(2000, 6, 1),
        )
        journey(
            person,
            worker,
            received=D(2026, 1, 1),
            assessed=D(2026, 1, 5),
            budgeted=D(2026, 1, 5),
            signed_off=D(2026, 1, 20),
            weekly=Decimal(amount) if index else Decimal("50"),
        )
        people.append(person)
    # The first person's later budget in the period is the one counted (£100, not £50).
    journey(
        people[0],
        worker,
        received=D(2026, 3, 1),
        assessed=D(2026, 3, 5),
        budgeted=D(2026, 3, 5),
        weekly=Decimal("100"),
    )
    man = person_with_history((worker, at(D(2025, 6, 1)), None), team=alpha, gender="male")
    journey(man, worker, received=D(2026, 1, 1), assessed=D(2026, 1, 2), budgeted=D(2026, 1, 2))
    for person, plan_outcome in zip(
        people, ("fully_met", "fully_met", "partially_met", "not_met", ""), strict=True
    ):
        review(
            person,
            Plan.objects.filter(person=person).first(),  # type: ignore[arg-type]
            worker,
            completed=D(2026, 4, 1),
            by_named_worker=True,
            outcomes=plan_outcome,
        )
    page = commissioning_page(f=filters(), user=UserFactory(), teams={})
    outcomes = table(page.figure("outcomes"))
    assert outcomes["Fully met"] == [2, 40.0]
    assert outcomes["Partially met"] == [1, 20.0]
    assert outcomes["Not met"] == [1, 20.0]
    assert outcomes["Not recorded"] == [1, 20.0]
    assert outcomes["All reviews"] == [5, 100.0]
    sex = table(page.figure("equality-sex"))
    assert sex["Female"] == [5, 300.0, 400.0]
    assert sex["Male"] == [1, 100.0, 100.0]
    assert sex["In another way"] == [0, None, None]
    ages = table(page.figure("equality-age"))
    # Born June 2000, budget January 2026: 25. The rest were born in 1940: 86.
    assert ages["25 to 64"][0] == 1
    assert ages["85 and over"][0] == 4
    assert "Under 18" not in ages
    assert table(page.figure("learning")) == {}


def test_equality_groups_under_5_show_no_median(alpha: Team) -> None:
    (worker,) = workers(alpha, 1)
    person = person_with_history((worker, at(D(2025, 6, 1)), None), team=alpha, gender="male")
    journey(person, worker, received=D(2026, 1, 1), assessed=D(2026, 1, 2), budgeted=D(2026, 1, 2))
    page = commissioning_page(f=filters(), user=UserFactory(), teams={})
    assert table(page.figure("equality-sex"))["Male"] == ["fewer than 5", "not shown", "not shown"]


def test_filters_narrow_the_figures(journeys: list[Any], beta: Team, no_suppression: None) -> None:
    page = flow_page(f=filters(team_id=beta.pk), user=UserFactory(), teams={})
    assert table(page.figure("waits"))["Assessment completed"] == [0, None, None]
    page = flow_page(f=filters(psr="mental_health_support"), user=UserFactory(), teams={})
    assert table(page.figure("waits"))["Assessment completed"] == [0, None, None]


# --- Filters from a query ------------------------------------------------------------------


def test_filters_from_a_query() -> None:
    teams = [(7, "Alpha"), (9, "Beta")]
    f = filters_from_query(
        {"period": "fy2025", "team": "9", "psr": "mental_health_support", "split": "route"},
        today=TODAY,
        teams=teams,
        default_team_id=None,
    )
    assert (f.period.key, f.team_id, f.psr, f.split) == (
        "fy2025",
        9,
        "mental_health_support",
        "route",
    )
    assert f.query(format="csv") == (
        "period=fy2025&team=9&psr=mental_health_support&split=route&format=csv"
    )


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"period": "nonsense", "team": "abc", "psr": "<script>", "split": "zzz"},
        {"team": "12345"},
        {"team": "-1", "period": ""},
    ],
)
def test_bad_filters_fall_back_to_the_defaults(query: dict[str, str]) -> None:
    f = filters_from_query(query, today=TODAY, teams=[(7, "Alpha")], default_team_id=7)
    assert (f.period.key, f.team_id, f.psr, f.split) == ("12m", 7, "", "")
    everyone = filters_from_query(query, today=TODAY, teams=[(7, "Alpha")], default_team_id=None)
    assert everyone.team_id is None


def test_a_manager_may_choose_all_teams() -> None:
    f = filters_from_query({"team": "all"}, today=TODAY, teams=[(7, "Alpha")], default_team_id=7)
    assert f.team_id is None and f.team_value == "all"
