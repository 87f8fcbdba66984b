"""Reads for the figures pages: continuity and prevention, flow, commissioning.

Every figure comes from a fixed number of queries whatever the size of the council: aggregate
queries grouped by team or by value, or, where a median is needed (Django has no percentile
aggregate that works on SQLite and PostgreSQL alike), one fetch of just the columns needed,
handed to the pure arithmetic in dashboards/figures.py. Never a query per person, team or row.
The definitions shown on the pages are written next to the queries that carry them out.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import rules
from django.db.models import (
    Count,
    DecimalField,
    Exists,
    F,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from selfdirect.accounts.models import Role
from selfdirect.assessments.models import AssessmentStatus, Contact, RouteOfAccess
from selfdirect.budgets.models import IndicativeBudget
from selfdirect.dashboards import figures
from selfdirect.dashboards.figures import Period
from selfdirect.dashboards.tables import (
    CellValue,
    ChartSpec,
    Figure,
    Series,
    Table,
    chart_value,
    columns,
    count,
    derived,
    rows,
)
from selfdirect.people.codes import ETHNICITY, GENDER, PRIMARY_SUPPORT_REASON
from selfdirect.people.models import CrisisEvent, CrisisKind, NamedWorkerAllocation, Person
from selfdirect.people.rules import restriction_filter_for_user
from selfdirect.plans.models import Plan, PlanAuthor, PlanDecision, PlanItem
from selfdirect.plans.published import REFUSAL_REASONS
from selfdirect.reviews.models import Review, ReviewStatus
from selfdirect.reviews.schedule import OUTCOMES_ACHIEVED
from selfdirect.reviews.selectors import LearningFilter, learning_cells, team_choices

if TYPE_CHECKING:
    from selfdirect.accounts.models import User

__all__ = ["team_choices"]

ALL_TEAMS = "all"
NO_TEAM = "Team not recorded"
ALL_TEAMS_LABEL = "All teams"
SPLITS: tuple[tuple[str, str], ...] = (
    ("", "No split: all requests together"),
    ("team", "Team"),
    ("route", "Route of access"),
    ("urgency", "Urgent or not"),
)
LEARNING_DISABILITY = "learning_disability_support"
MENTAL_HEALTH = "mental_health_support"


# --- Filters -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """What the figures cover: a period, one team or all, one primary support reason or all,
    and (waiting times only) what to split them by."""

    period: Period
    team_id: int | None
    psr: str = ""
    split: str = ""

    @property
    def start(self) -> datetime.datetime:
        """The first moment of the period, in the council's time zone."""
        return _midnight(self.period.start)

    @property
    def end(self) -> datetime.datetime:
        """The moment after the period ends (it is a half-open range)."""
        return _midnight(self.period.end + datetime.timedelta(days=1))

    @property
    def team_value(self) -> str:
        return str(self.team_id) if self.team_id else ALL_TEAMS

    def query(self, **extra: str) -> str:
        """These filters (and EXTRA) as a query string, for links such as the CSV download."""
        params = {"period": self.period.key, "team": self.team_value}
        if self.psr:
            params["psr"] = self.psr
        if self.split:
            params["split"] = self.split
        return urlencode({**params, **extra})


def _midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def default_team_for(user: User) -> int | None:
    """A team manager starts on their own team's figures; everyone else on all teams."""
    return user.team_id if user.role == Role.TEAM_MANAGER else None


def filters_from_query(
    query: Mapping[str, str],
    *,
    today: datetime.date,
    teams: Sequence[tuple[int, str]],
    default_team_id: int | None,
) -> Filters:
    """Filters from a GET query. Anything missing or not recognised falls back to the
    default (the last 12 months, the default team, every reason, no split): a bad link
    shows the usual figures, never an error."""
    choices = figures.periods(today)
    period = {p.key: p for p in choices}.get(str(query.get("period", "")), choices[0])
    team_ids = {pk for pk, _ in teams}
    raw_team = str(query.get("team", ""))
    team_id: int | None
    if raw_team == ALL_TEAMS:
        team_id = None
    elif raw_team.isdigit() and int(raw_team) in team_ids:
        team_id = int(raw_team)
    else:
        team_id = default_team_id if default_team_id in team_ids else None
    psr = str(query.get("psr", ""))
    split = str(query.get("split", ""))
    return Filters(
        period=period,
        team_id=team_id,
        psr=psr if psr in dict(PRIMARY_SUPPORT_REASON) else "",
        split=split if split in dict(SPLITS) else "",
    )


def _people(f: Filters, prefix: str = "") -> Q:
    """People in the chosen team and with the chosen primary support reason (today's)."""
    q = Q()
    if f.team_id:
        q &= Q(**{f"{prefix}team_id": f.team_id})
    if f.psr:
        q &= Q(**{f"{prefix}primary_support_reason": f.psr})
    return q


def _in_period(field: str, f: Filters) -> Q:
    return Q(**{f"{field}__gte": f.start, f"{field}__lt": f.end})


def _team_label(teams: Mapping[int, str], team_id: int | None) -> str:
    return teams.get(team_id, NO_TEAM) if team_id is not None else NO_TEAM


def _team_order(teams: Mapping[int, str], ids: Iterable[int | None]) -> list[int | None]:
    return sorted(set(ids), key=lambda pk: (pk is None, _team_label(teams, pk)))


@dataclass(frozen=True)
class NamedPerson:
    person_id: int
    name: str
    changes: int


@dataclass
class Page:
    filters: Filters
    figures: list[Figure]
    # Only for a team manager, only their own team (continuity page).
    named_people: list[NamedPerson] | None = None

    def figure(self, key: str) -> Figure | None:
        return next((fig for fig in self.figures if fig.key == key), None)


# --- Continuity and prevention -------------------------------------------------------------


def _open_in(f: Filters) -> Exists:
    """The person had a record open at some time in the period: a named-worker spell (with a
    worker, or waiting unallocated) that overlaps it."""
    return Exists(
        NamedWorkerAllocation.objects.filter(person=OuterRef("pk"), started_at__lt=f.end).filter(
            Q(ended_at__isnull=True) | Q(ended_at__gt=f.start)
        )
    )


def _changes() -> QuerySet[NamedWorkerAllocation]:
    """Spells that are a change of named worker (figures.count_changes says it in Python): a
    spell with a worker whose person's latest earlier spell with a worker was someone else."""
    previous = (
        NamedWorkerAllocation.objects.filter(
            person=OuterRef("person"), worker__isnull=False, started_at__lt=OuterRef("started_at")
        )
        .order_by("-started_at", "-pk")
        .values("worker")[:1]
    )
    return (
        NamedWorkerAllocation.objects.filter(worker__isnull=False)
        .alias(previous_worker=Subquery(previous))
        .filter(previous_worker__isnull=False)
        .exclude(previous_worker=F("worker"))
    )


def _cohorts(prefix: str = "") -> list[tuple[str, str, Q]]:
    """The cohorts crises are measured against. They overlap: someone with a learning
    disability and autism is in both; "everyone else" is in none of the three."""
    ld = Q(**{f"{prefix}primary_support_reason": LEARNING_DISABILITY})
    autism = Q(**{f"{prefix}autism": "yes"})
    mh = Q(**{f"{prefix}primary_support_reason": MENTAL_HEALTH})
    return [
        ("ld", "Learning disability", ld),
        ("autism", "Autism", autism),
        ("mh", "Mental health", mh),
        ("other", "Everyone else", ~(ld | autism | mh)),
    ]


CHANGES_DEFINITION = (
    "A change of named worker is a new named worker starting in the period when the person's "
    "previous named worker was someone else. Someone's first named worker is not a change; "
    "nor is time waiting without one, nor getting the same worker back afterwards.",
    "Changes per person per 12 months = changes in the period ÷ people with a record open at "
    "any time in the period × 365 ÷ days in the period. Scaling to 12 months lets a 3-month "
    "figure be compared with a 12-month one.",
    "A person with a record open is someone with a named-worker spell, or time waiting for "
    "one, at any time in the period. People are counted in the team they are in today.",
)

UNALLOCATED_DEFINITION = (
    "Days without a named worker: the time people spent in their team's unallocated queue "
    "during the period, counted to the minute and added up, then shown in days. Time before "
    "or after the period does not count; someone still waiting counts up to now.",
    "People affected: people who spent any time without a named worker in the period. Days "
    "per person affected = days without a named worker ÷ people affected.",
    "People waiting now: people alive today with no named worker, whatever the period.",
)

REVIEWS_DEFINITION = (
    "Reviews completed in the period, in the team the person was in when the review was "
    "completed. Share done by the named worker = reviews completed by the person's own "
    "named worker ÷ completed reviews where we know who completed them.",
)

CRISES_DEFINITION = (
    "Crisis events recorded with a date in the period: unplanned hospital admissions, "
    "admissions to an inpatient or assessment and treatment unit, and emergency placements.",
    "The cohorts are people whose primary support reason is learning disability support; "
    "people with diagnosed autism; people whose primary support reason is mental health "
    "support; and everyone else. Someone with a learning disability and autism is in both "
    "cohorts. People in the cohort are those with a record open at any time in the period.",
    "Events per 100 people = crisis events ÷ people in the cohort × 100, for the period (not "
    "scaled to a year).",
)


def continuity_page(*, f: Filters, user: User | None, teams: Mapping[int, str]) -> Page:
    """The continuity and prevention figures, in 6 queries (7 for a team manager)."""
    now = timezone.now()
    cohorts = _cohorts()
    # 1. People with a record open in the period, by team, and in each crisis cohort.
    open_rows = list(
        Person.objects.filter(_people(f), _open_in(f))
        .values("team")
        .annotate(
            people=Count("pk"),
            **{f"cohort_{key}": Count("pk", filter=q) for key, _, q in cohorts},
        )
        .order_by()
    )
    people_by_team: dict[int | None, int] = {row["team"]: row["people"] for row in open_rows}
    # 2. Changes of named worker in the period, by team.
    changes_by_team: dict[int | None, int] = dict(
        _changes()
        .filter(_people(f, "person__"), _in_period("started_at", f))
        .values("person__team")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("person__team", "n")
    )
    # 3. Time without a named worker that overlaps the period: just the columns needed.
    spells: dict[int, list[tuple[datetime.datetime, datetime.datetime | None]]] = defaultdict(list)
    team_of: dict[int, int | None] = {}
    for person_id, team_id, began, ended in (
        NamedWorkerAllocation.objects.filter(
            _people(f, "person__"), worker__isnull=True, started_at__lt=f.end
        )
        .filter(Q(ended_at__isnull=True) | Q(ended_at__gt=f.start))
        .values_list("person_id", "person__team_id", "started_at", "ended_at")
    ):
        spells[person_id].append((began, ended))
        team_of[person_id] = team_id
    days_by_team: dict[int | None, float] = defaultdict(float)
    affected_by_team: dict[int | None, int] = defaultdict(int)
    for person_id, person_spells in spells.items():
        days = figures.days_without_worker(person_spells, f.start, f.end, now)
        if days > 0:
            days_by_team[team_of[person_id]] += days
            affected_by_team[team_of[person_id]] += 1
    # 4. People waiting for a named worker now.
    waiting_by_team: dict[int | None, int] = dict(
        Person.objects.filter(_people(f), named_worker__isnull=True, date_of_death__isnull=True)
        .values("team")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("team", "n")
    )
    # 5. Completed reviews, by the team and reason recorded when each was completed.
    review_q = Q(status=ReviewStatus.COMPLETED) & _in_period("completed_at", f)
    if f.team_id:
        review_q &= Q(team_id=f.team_id)
    if f.psr:
        review_q &= Q(primary_support_reason=f.psr)
    review_rows = list(
        Review.objects.filter(review_q)
        .values("team")
        .annotate(
            total=Count("pk"),
            named=Count("pk", filter=Q(by_named_worker=True)),
            known=Count("pk", filter=Q(by_named_worker__isnull=False)),
        )
        .order_by()
    )
    # 6. Crisis events in the period, by cohort and kind.
    crisis_aggregates: dict[str, Any] = {}
    for key, _, q in _cohorts("person__"):
        crisis_aggregates[f"{key}_events"] = Count("pk", filter=q)
        crisis_aggregates[f"{key}_people"] = Count("person", distinct=True, filter=q)
        for kind in CrisisKind:
            crisis_aggregates[f"{key}_{kind.value}"] = Count("pk", filter=q & Q(kind=kind))
    crises = CrisisEvent.objects.filter(
        _people(f, "person__"),
        occurred_on__gte=f.period.start,
        occurred_on__lte=f.period.end,
    ).aggregate(**crisis_aggregates)

    figures_list = [
        _changes_figure(f, teams, people_by_team, changes_by_team),
        _unallocated_figure(f, teams, days_by_team, affected_by_team, waiting_by_team),
        _reviews_figure(teams, review_rows),
        _crises_figure(open_rows, crises),
    ]
    return Page(filters=f, figures=figures_list)


def _with_total(data: list[list[CellValue]], total: list[CellValue]) -> list[list[CellValue]]:
    """DATA with an "All teams" row at the foot when there is more than one row."""
    return [*data, total] if len(data) > 1 else data


def _changes_figure(
    f: Filters,
    teams: Mapping[int, str],
    people: Mapping[int | None, int],
    changes: Mapping[int | None, int],
) -> Figure:
    days = f.period.days
    data: list[list[CellValue]] = []
    for team in _team_order(teams, [*people, *changes]):
        p, c = people.get(team, 0), changes.get(team, 0)
        rate = figures.changes_per_person_per_year(c, p, days)
        data.append([_team_label(teams, team), count(p), count(c), derived(rate, p, c)])
    total_p, total_c = sum(people.values()), sum(changes.values())
    total_rate = figures.changes_per_person_per_year(total_c, total_p, days)
    body = _with_total(
        data,
        [ALL_TEAMS_LABEL, count(total_p), count(total_c), derived(total_rate, total_p, total_c)],
    )
    return Figure(
        key="changes",
        title="Changes of named worker per person per 12 months",
        table=Table(
            caption=f"Changes of named worker, by team, {f.period.label.lower()}",
            columns=columns(
                "Team",
                ("People with a record open", "count"),
                ("Changes of named worker", "count"),
                ("Changes per person per 12 months", "rate"),
            ),
            rows=rows(body),
        ),
        chart=_chart(data, value_index=3, axis="Changes per person per 12 months", kind="rate"),
        definition=CHANGES_DEFINITION,
    )


def _unallocated_figure(
    f: Filters,
    teams: Mapping[int, str],
    days: Mapping[int | None, float],
    affected: Mapping[int | None, int],
    waiting: Mapping[int | None, int],
) -> Figure:
    def row(label: str, d: float, a: int, w: int) -> list[CellValue]:
        per = d / a if a else None
        return [label, derived(round(d, 1), a), count(a), derived(per, a), count(w)]

    data = [
        row(
            _team_label(teams, team),
            days.get(team, 0.0),
            affected.get(team, 0),
            waiting.get(team, 0),
        )
        for team in _team_order(teams, [*days, *waiting])
    ]
    total = row(ALL_TEAMS_LABEL, sum(days.values()), sum(affected.values()), sum(waiting.values()))
    return Figure(
        key="unallocated",
        title="Time without a named worker",
        table=Table(
            caption=f"Time without a named worker, by team, {f.period.label.lower()}",
            columns=columns(
                "Team",
                ("Days without a named worker", "days"),
                ("People affected", "count"),
                ("Days per person affected", "days"),
                ("People waiting now", "count"),
            ),
            rows=rows(_with_total(data, total)),
        ),
        chart=_chart(
            data, value_index=3, axis="Days without a named worker per person affected", kind="days"
        ),
        definition=UNALLOCATED_DEFINITION,
    )


def _reviews_figure(teams: Mapping[int, str], review_rows: list[dict[str, Any]]) -> Figure:
    def row(label: str, total: int, named: int, known: int) -> list[CellValue]:
        return [label, count(total), count(named), derived(figures.share(named, known), total)]

    data = [
        row(_team_label(teams, r["team"]), r["total"], r["named"], r["known"])
        for r in sorted(review_rows, key=lambda r: _team_label(teams, r["team"]))
    ]
    total = row(
        ALL_TEAMS_LABEL,
        sum(r["total"] for r in review_rows),
        sum(r["named"] for r in review_rows),
        sum(r["known"] for r in review_rows),
    )
    return Figure(
        key="reviews-by-named-worker",
        title="Reviews done by the person's named worker",
        table=Table(
            caption="Completed reviews done by the named worker, by team",
            columns=columns(
                "Team",
                ("Reviews completed", "count"),
                ("Done by the named worker", "count"),
                ("Share done by the named worker", "percent"),
            ),
            rows=rows(_with_total(data, total)),
        ),
        chart=_chart(data, value_index=3, axis="Share done by the named worker", kind="percent"),
        definition=REVIEWS_DEFINITION,
    )


def _crises_figure(open_rows: list[dict[str, Any]], crises: Mapping[str, int]) -> Figure:
    data: list[list[CellValue]] = []
    for key, label, _ in _cohorts():
        people = sum(row[f"cohort_{key}"] for row in open_rows)
        events = crises[f"{key}_events"] or 0
        with_one = crises[f"{key}_people"] or 0
        data.append(
            [
                label,
                count(people),
                count(events),
                count(with_one),
                derived(figures.per_100(events, people), events, people),
                *(count(crises[f"{key}_{kind.value}"] or 0) for kind in CrisisKind),
            ]
        )
    return Figure(
        key="crises",
        title="Crises, by cohort",
        table=Table(
            caption="Crisis events in the period, by cohort",
            columns=columns(
                "Cohort",
                ("People in the cohort", "count"),
                ("Crisis events", "count"),
                ("People with at least one", "count"),
                ("Events per 100 people", "rate"),
                *((str(kind.label), "count") for kind in CrisisKind),
            ),
            rows=rows(data),
        ),
        chart=_chart(data, value_index=4, axis="Crisis events per 100 people", kind="rate"),
        definition=CRISES_DEFINITION,
    )


def people_with_changes(*, user: User, today: datetime.date) -> list[NamedPerson]:
    """For a team manager: people in their OWN team with 2 or more changes of named worker in
    the last 12 months, most changes first. Nobody else sees names on the figures pages."""
    if not rules.has_perm("dashboards.see_named_people", user) or user.team_id is None:
        return []
    f = Filters(period=figures.periods(today)[0], team_id=user.team_id)
    rows = (
        _changes()
        .filter(person__team_id=user.team_id)
        # Restricted records are counted in the figures, never named (people/rules.py).
        .filter(restriction_filter_for_user(user, "person__"))
        .filter(_in_period("started_at", f))
        .values("person", "person__first_name", "person__last_name")
        .annotate(n=Count("pk"))
        .filter(n__gte=2)
        .order_by("-n", "person__last_name", "person__first_name", "person")
    )
    return [
        NamedPerson(
            person_id=row["person"],
            name=f"{row['person__first_name']} {row['person__last_name']}",
            changes=row["n"],
        )
        for row in rows
    ]


# --- Flow: waiting times, sign-off, budgets against plans ---------------------------------

STAGES: tuple[tuple[str, str], ...] = (
    ("assessment", "Assessment completed"),
    ("budget", "Indicative budget issued"),
    ("plan", "Plan signed off"),
    ("support", "Support started"),
    ("review", "First review completed"),
)
_CONTACT_FIELDS = ("person", "received_on", "team", "route_of_access", "urgent")

WAITS_DEFINITION = (
    "For each request for support, the days from the date it was received to the first time "
    "each stage was reached: the assessment completed, the indicative budget issued, the plan "
    "signed off, the first service starting (a starter budget or a signed-off plan's), and "
    "the first review completed.",
    "A request counts for a stage when the stage was first reached in the period, so the "
    "figures describe the work done in the period. Requests still waiting for a stage are not "
    "in its figures yet. Requests count in the team that received them.",
    "The median is the middle wait: half waited less, half more. The 90th percentile is the "
    "wait that 9 in 10 requests were within, found by numpy's 'linear' method (as Excel's "
    "PERCENTILE.INC): 90% of the way along the waits in order, between the two nearest when "
    "it falls between them. People counts each person once, even with more than one request.",
)


def _reached_on(value: datetime.datetime | datetime.date, zone: datetime.tzinfo) -> datetime.date:
    """The council's calendar day of VALUE (a date is already one)."""
    if isinstance(value, datetime.datetime):
        return value.astimezone(zone).date()
    return value


def _stage_waits(f: Filters) -> dict[str, list[tuple[Any, ...]]]:
    """For each stage, (person, received_on, team, route, urgent, reached_on) for each request
    that first reached the stage in the period: one grouped query per stage (5 in all)."""
    # A request belongs to the team that received it; the reason is the person's today.
    contacts = Contact.objects.all()
    if f.team_id:
        contacts = contacts.filter(team_id=f.team_id)
    if f.psr:
        contacts = contacts.filter(person__primary_support_reason=f.psr)
    plans = "assessments__indicative_budget__plans"
    firsts = {
        "assessment": Min(
            "assessments__completed_at",
            filter=Q(assessments__status=AssessmentStatus.COMPLETED),
        ),
        "budget": Min("assessments__indicative_budget__issued_at"),
        "plan": Min(
            f"{plans}__decision__decided_at", filter=Q(**{f"{plans}__decision__approved": True})
        ),
        "review": Min(
            f"{plans}__reviews__completed_at",
            filter=Q(**{f"{plans}__reviews__status": ReviewStatus.COMPLETED}),
        ),
    }
    out: dict[str, list[tuple[Any, ...]]] = {}
    zone = timezone.get_current_timezone()
    for stage, first in firsts.items():
        out[stage] = [
            (*row[:-1], _reached_on(row[-1], zone))
            for row in contacts.annotate(reached=first)
            .filter(reached__gte=f.start, reached__lt=f.end)
            .values_list(*_CONTACT_FIELDS, "reached")
            .order_by()
        ]
    # Support starts with the first service: a starter budget's (on the request itself) or a
    # signed-off plan's, whichever came first.
    start, end = f.period.start, f.period.end
    out["support"] = []
    for *fields, starter, planned in (
        contacts.annotate(
            starter=Min("starter_services__start_date"),
            planned=Min(f"{plans}__services__start_date"),
        )
        .filter(Q(starter__gte=start, starter__lte=end) | Q(planned__gte=start, planned__lte=end))
        .values_list(*_CONTACT_FIELDS, "starter", "planned")
        .order_by()
    ):
        first_day = min(d for d in (starter, planned) if d is not None)
        if start <= first_day <= end:
            out["support"].append((*fields, first_day))
    return out


def _split_key(f: Filters, row: tuple[Any, ...], teams: Mapping[int, str]) -> str:
    _, _, team, route, urgent, _ = row
    if f.split == "team":
        return _team_label(teams, team)
    if f.split == "route":
        return str(dict(RouteOfAccess.choices).get(route, route or "Not recorded"))
    if f.split == "urgency":
        return "Urgent" if urgent else "Not urgent"
    return ""


def _wait_cells(group: list[tuple[Any, ...]]) -> list[CellValue]:
    waits = [figures.wait_days(row[1], row[5]) for row in group]
    people = len({row[0] for row in group})
    spread = figures.spread(waits)
    return [count(people), derived(spread.median, people), derived(spread.p90, people)]


def _waits_figure(f: Filters, teams: Mapping[int, str]) -> Figure:
    waits = _stage_waits(f)
    split_label = dict(SPLITS).get(f.split, "")
    data: list[list[CellValue]] = []
    chart_rows: list[list[CellValue]] = []
    for stage, label in STAGES:
        group = waits[stage]
        overall = _wait_cells(group)
        chart_rows.append([label, *overall])
        if not f.split:
            data.append([label, *overall])
            continue
        data.append([label, "All requests", *overall])
        by_split: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
        for row in group:
            by_split[_split_key(f, row, teams)].append(row)
        for key in sorted(by_split):
            data.append([label, key, *_wait_cells(by_split[key])])
    head = ("Stage", split_label) if f.split else ("Stage",)
    return Figure(
        key="waits",
        title="Waiting times from a request for support",
        table=Table(
            caption="Days from a request for support to each stage"
            + (f", by {split_label.lower()}" if f.split else ""),
            columns=columns(
                *head,
                ("People", "count"),
                ("Median days", "days"),
                ("90th percentile days", "days"),
            ),
            rows=rows(data),
        ),
        chart=ChartSpec(
            labels=tuple(str(r[0]) for r in chart_rows),
            series=(
                Series("Median", tuple(chart_value(r[2]) for r in chart_rows)),
                Series("90th percentile", tuple(chart_value(r[3]) for r in chart_rows)),
            ),
            axis_label="Days from the request (all requests)",
            kind="days",
        ),
        definition=WAITS_DEFINITION,
    )


def _panel_figure(f: Filters, teams: Mapping[int, str]) -> Figure:
    plan_rows = list(
        Plan.objects.filter(_people(f, "person__"), _in_period("submitted_at", f))
        .values("person__team")
        .annotate(sent=Count("pk"), panel=Count("pk", filter=Q(route_kind="panel")))
        .order_by()
    )

    def row(label: str, sent: int, panel: int) -> list[CellValue]:
        return [label, count(sent), count(panel), derived(figures.share(panel, sent), sent)]

    data = [
        row(_team_label(teams, r["person__team"]), r["sent"], r["panel"])
        for r in sorted(plan_rows, key=lambda r: _team_label(teams, r["person__team"]))
    ]
    total = row(
        ALL_TEAMS_LABEL, sum(r["sent"] for r in plan_rows), sum(r["panel"] for r in plan_rows)
    )
    return Figure(
        key="panel",
        title="Plans that went to the panel",
        table=Table(
            caption="Plans sent for sign-off in the period, and how many went to the panel",
            columns=columns(
                "Team",
                ("Plans sent for sign-off", "count"),
                ("Went to the panel", "count"),
                ("Share to the panel", "percent"),
            ),
            rows=rows(_with_total(data, total)),
        ),
        chart=_chart(
            data, value_index=3, axis="Share of plans that went to the panel", kind="percent"
        ),
        definition=(
            "Plans sent for sign-off in the period, in the person's team today. By the "
            "council's published rules only a plan that costs more than the budget goes to "
            "the panel; the rest are signed off by the named worker or their line manager.",
        ),
    )


# Short names for the published refusal reasons (plans/published.py, written to the person).
REFUSAL_LABELS = {
    "unsafe": "It would not keep the person safe",
    "over_budget": "Over budget, and the panel decided it could not be met",
    "legal_restriction": "The law does not allow what it would buy",
}


def _refusals_figure(f: Filters) -> Figure:
    counts = dict(
        PlanDecision.objects.filter(
            _people(f, "plan__person__"), _in_period("decided_at", f), approved=False
        )
        .values("reason_code")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("reason_code", "n")
    )
    total = sum(counts.values())
    published = {code for code, _ in REFUSAL_REASONS}
    data: list[list[CellValue]] = [
        [REFUSAL_LABELS.get(code, str(label)), count(counts.get(code, 0))]
        for code, label in REFUSAL_REASONS
    ]
    unrecorded = sum(n for code, n in counts.items() if code not in published)
    if unrecorded:
        data.append(["Reason not recorded", count(unrecorded)])
    return Figure(
        key="refusals",
        title="Plans not signed off, by reason",
        table=Table(
            caption="Plans not signed off in the period, by the published reason given",
            columns=columns("Reason", ("Plans not signed off", "count")),
            rows=rows([*data, ["All reasons", count(total)]]),
        ),
        chart=_chart(data, value_index=1, axis="Plans not signed off"),
        definition=(
            "Decisions not to sign a plan off, made in the period, by the reason given. A plan "
            "can only be refused for one of the council's published reasons; being unusual is "
            "never one.",
        ),
    )


def _authors_figure(f: Filters) -> Figure:
    counts = dict(
        Plan.objects.filter(_people(f, "person__"), _in_period("submitted_at", f))
        .values("written_by")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("written_by", "n")
    )
    total = sum(counts.values())
    labelled = [(str(label), counts.get(code, 0)) for code, label in PlanAuthor.choices]
    labelled.append(("Not recorded", sum(n for code, n in counts.items() if not code)))
    data: list[list[CellValue]] = [
        [label, count(n), derived(figures.share(n, total), n, total)] for label, n in labelled
    ]
    return Figure(
        key="plan-authors",
        title="Who wrote the plans",
        table=Table(
            caption="Plans sent for sign-off in the period, by who wrote them",
            columns=columns(
                "Who wrote the plan", ("Plans", "count"), ("Share of plans", "percent")
            ),
            rows=rows([*data, ["All plans", count(total), derived(100.0 if total else None)]]),
        ),
        chart=_chart(data, value_index=1, axis="Plans sent for sign-off"),
        definition=(
            "Plans sent for sign-off in the period, by who the person said wrote the plan. "
            "Plans sent before this was asked are shown as not recorded.",
        ),
    )


@dataclass
class _BudgetTotals:
    plans: int = 0
    budget: Decimal = Decimal(0)
    planned: Decimal = Decimal(0)
    positions: dict[str, int] = field(default_factory=lambda: {"under": 0, "at": 0, "over": 0})

    def add(self, budget: Decimal, planned: Decimal) -> None:
        self.plans += 1
        self.budget += budget
        self.planned += planned
        self.positions[figures.budget_position(budget, planned)] += 1


def _budgets_figure(f: Filters, teams: Mapping[int, str]) -> Figure:
    money: DecimalField[Decimal, Decimal] = DecimalField(max_digits=14, decimal_places=2)
    planned = Subquery(
        PlanItem.objects.filter(plan=OuterRef("pk"))
        .order_by()
        .values("plan")
        .annotate(total=Sum("annual_cost"))
        .values("total"),
        output_field=money,
    )
    by_team: dict[int | None, _BudgetTotals] = defaultdict(_BudgetTotals)
    everyone = _BudgetTotals()
    for team, budget, cost in (
        Plan.objects.filter(
            _people(f, "person__"),
            _in_period("decision__decided_at", f),
            decision__approved=True,
        )
        .annotate(planned=Coalesce(planned, Value(Decimal("0.00")), output_field=money))
        .values_list("person__team", "budget__annual", "planned")
    ):
        by_team[team].add(Decimal(budget), Decimal(cost))
        everyone.add(Decimal(budget), Decimal(cost))

    def row(label: str, e: _BudgetTotals) -> list[CellValue]:
        return [
            label,
            count(e.plans),
            derived(e.budget, e.plans),
            derived(e.planned, e.plans),
            count(e.positions["under"]),
            count(e.positions["at"]),
            count(e.positions["over"]),
        ]

    data = [row(_team_label(teams, t), by_team[t]) for t in _team_order(teams, by_team)]
    return Figure(
        key="budgets-vs-plans",
        title="Budgets against the cost of signed-off plans",
        table=Table(
            caption="Plans signed off in the period: budgets and planned cost, by team",
            columns=columns(
                "Team",
                ("Plans signed off", "count"),
                ("Budgets (a year)", "money"),
                ("Planned cost (a year)", "money"),
                ("Under budget", "count"),
                ("At budget", "count"),
                ("Over budget", "count"),
            ),
            rows=rows(_with_total(data, row(ALL_TEAMS_LABEL, everyone))),
        ),
        chart=ChartSpec(
            labels=tuple(str(r[0]) for r in data),
            series=(
                Series("Budgets", tuple(chart_value(r[2]) for r in data)),
                Series("Planned cost", tuple(chart_value(r[3]) for r in data)),
            ),
            axis_label="Pounds a year",
            kind="money",
        ),
        definition=(
            "Plans signed off in the period. Budgets: the annual indicative budget each plan "
            "was written against, added up. Planned cost: the annual cost of the plan's "
            "items, added up. A plan is at budget when its planned cost equals its budget to "
            "the nearest pound, under or over otherwise. People are counted in the team they "
            "are in today.",
        ),
    )


def flow_page(*, f: Filters, user: User | None, teams: Mapping[int, str]) -> Page:
    """Waiting times, sign-off and budgets against plans, in 9 queries."""
    return Page(
        filters=f,
        figures=[
            _waits_figure(f, teams),
            _panel_figure(f, teams),
            _refusals_figure(f),
            _authors_figure(f),
            _budgets_figure(f, teams),
        ],
    )


# --- Commissioning: outcomes, learning, equality -------------------------------------------


def _outcomes_figure(f: Filters) -> Figure:
    review_q = Q(status=ReviewStatus.COMPLETED) & _in_period("completed_at", f)
    if f.team_id:
        review_q &= Q(team_id=f.team_id)
    if f.psr:
        review_q &= Q(primary_support_reason=f.psr)
    counts = dict(
        Review.objects.filter(review_q)
        .values("outcomes_achieved")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("outcomes_achieved", "n")
    )
    total = sum(counts.values())
    labelled = [(str(label), counts.get(code, 0)) for code, label in OUTCOMES_ACHIEVED]
    known = {code for code, _ in OUTCOMES_ACHIEVED}
    labelled.append(("Not recorded", sum(n for code, n in counts.items() if code not in known)))
    data: list[list[CellValue]] = [
        [label, count(n), derived(figures.share(n, total), n, total)] for label, n in labelled
    ]
    return Figure(
        key="outcomes",
        title="Outcomes achieved at reviews",
        table=Table(
            caption="Completed reviews in the period, by how far the person's outcomes were met",
            columns=columns(
                "Outcomes achieved", ("Reviews", "count"), ("Share of reviews", "percent")
            ),
            rows=rows([*data, ["All reviews", count(total), derived(100.0 if total else None)]]),
        ),
        chart=_chart(data, value_index=1, axis="Completed reviews"),
        definition=(
            "Reviews completed in the period, by the worker's overall judgement of how far the "
            "person's outcomes were met, in the team and primary support reason the person had "
            "when the review was completed.",
        ),
    )


def _learning_figure(f: Filters) -> Figure:
    cells = learning_cells(
        f=LearningFilter(
            start=f.period.start, end=f.period.end, team_id=f.team_id, primary_support_reason=f.psr
        )
    )
    data: list[list[CellValue]] = [
        [cell.theme, count(cell.working), count(cell.not_working)] for cell in cells
    ]
    return Figure(
        key="learning",
        title="What people said at reviews, by theme",
        table=Table(
            caption="People whose review raised each theme",
            columns=columns("Theme", ("Working", "count"), ("Not working", "count")),
            rows=rows(data),
        ),
        chart=ChartSpec(
            labels=tuple(str(r[0]) for r in data),
            series=(
                Series("Working", tuple(chart_value(r[1]) for r in data)),
                Series("Not working", tuple(chart_value(r[2]) for r in data)),
            ),
            axis_label="People",
        ),
        definition=(
            "At each review the worker tags what was said with a theme from the council's "
            "list. Each figure is the number of people whose review, completed in the period, "
            "raised the theme as working or as not working; a person counts once per theme in "
            "each column.",
        ),
    )


EQUALITY_DEFINITION = (
    "Each person's latest indicative budget issued in the period, in pounds a week. People "
    "are grouped by what their record says today; age is their age on the day the budget was "
    "issued. The median is the middle budget of the group; the mean is the total divided by "
    "the number of people.",
)


def _equality_figures(f: Filters) -> list[Figure]:
    later = IndicativeBudget.objects.filter(
        person=OuterRef("person"),
        issued_at__gte=f.start,
        issued_at__lt=f.end,
        issued_at__gt=OuterRef("issued_at"),
    )
    latest: dict[int, tuple[Any, ...]] = {}
    for person_id, born, gender, ethnicity, psr, issued_at, weekly in (
        IndicativeBudget.objects.filter(_people(f, "person__"), _in_period("issued_at", f))
        .exclude(Exists(later))
        .values_list(
            "person_id",
            "person__date_of_birth",
            "person__gender",
            "person__ethnicity",
            "person__primary_support_reason",
            "issued_at",
            "weekly",
        )
        .order_by("issued_at", "pk")
    ):
        latest[person_id] = (born, gender, ethnicity, psr, issued_at, weekly)

    age_groups: dict[str, list[Decimal]] = {label: [] for _, _, label in figures.AGE_BANDS}
    by: dict[str, dict[str, list[Decimal]]] = {"gender": {}, "ethnicity": {}, "psr": {}}
    for born, gender, ethnicity, psr, issued_at, weekly in latest.values():
        age = figures.age_on(born, timezone.localtime(issued_at).date())
        age_groups[figures.age_band(age)].append(weekly)
        by["gender"].setdefault(gender, []).append(weekly)
        by["ethnicity"].setdefault(ethnicity, []).append(weekly)
        by["psr"].setdefault(psr, []).append(weekly)

    under_18 = figures.AGE_BANDS[0][2]
    age_rows = [
        (label, values) for label, values in age_groups.items() if values or label != under_18
    ]
    genders = [(str(label), by["gender"].get(code, [])) for code, label in GENDER]
    ethnicities = [
        (str(label), by["ethnicity"][code]) for code, label in ETHNICITY if code in by["ethnicity"]
    ]
    reasons = [
        (str(label), by["psr"][code]) for code, label in PRIMARY_SUPPORT_REASON if code in by["psr"]
    ]
    return [
        _equality_figure("equality-age", "Age", "age band", age_rows),
        _equality_figure("equality-sex", "Sex or gender", "sex or gender", genders),
        _equality_figure("equality-ethnicity", "Ethnicity", "ethnicity", ethnicities),
        _equality_figure(
            "equality-psr", "Primary support reason", "primary support reason", reasons
        ),
    ]


def _equality_figure(
    key: str, heading: str, by_what: str, groups: list[tuple[str, list[Decimal]]]
) -> Figure:
    data: list[list[CellValue]] = []
    for label, values in groups:
        stats = figures.group_stats(values)
        data.append(
            [
                label,
                count(stats.people),
                derived(stats.median, stats.people),
                derived(stats.mean, stats.people),
            ]
        )
    return Figure(
        key=key,
        title=f"Indicative budgets by {by_what}",
        table=Table(
            caption=f"Weekly indicative budgets by {by_what}",
            columns=columns(
                heading,
                ("People", "count"),
                ("Median weekly budget", "money"),
                ("Mean weekly budget", "money"),
            ),
            rows=rows(data),
        ),
        chart=_chart(data, value_index=2, axis="Median weekly budget", kind="money"),
        definition=EQUALITY_DEFINITION,
    )


def commissioning_page(*, f: Filters, user: User | None, teams: Mapping[int, str]) -> Page:
    """Outcomes, learning themes and the equality view of budgets, in 3 queries."""
    return Page(
        filters=f, figures=[_outcomes_figure(f), _learning_figure(f), *_equality_figures(f)]
    )


# --- Shared --------------------------------------------------------------------------------


def _chart(
    data: list[list[CellValue]], *, value_index: int, axis: str, kind: str = "count"
) -> ChartSpec:
    """One bar per row of DATA (its first cell names it), drawing the value at VALUE_INDEX."""
    return ChartSpec(
        labels=tuple(str(row[0]) for row in data),
        series=(Series(axis, tuple(chart_value(row[value_index]) for row in data)),),
        axis_label=axis,
        kind=kind,
    )


# Each page's figures, from the same arguments.
PAGES: dict[str, Callable[..., Page]] = {
    "continuity": continuity_page,
    "flow": flow_page,
    "commissioning": commissioning_page,
}
