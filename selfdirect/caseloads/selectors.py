"""Reading caseloads: a worker's people with what each needs next, a team's caseloads with
their weighting, and the team's unallocated queue.

Every list here is one query with the facts worked out in the database (Exists
subqueries), however many people there are (targets P1): the order and wording of
actions live in caseloads/actions.py, the weighting in caseloads/weighting.py.
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone

from selfdirect.accounts.models import CASE_ROLES, User
from selfdirect.assessments.models import (
    Assessment,
    AssessmentStatus,
    CapacityOutcome,
    CapacityRecord,
    Contact,
)
from selfdirect.budgets.models import IndicativeBudget
from selfdirect.caseloads import actions, weighting
from selfdirect.people.models import CrisisEvent, NamedWorkerAllocation, Person
from selfdirect.people.rules import restriction_filter_for_user
from selfdirect.plans.models import Plan, PlanStatus
from selfdirect.support.models import ScheduledReview

if TYPE_CHECKING:
    from selfdirect.workforce.models import Team

CRISIS_WINDOW_DAYS = 365


def _open_requests(*, urgent: bool | None) -> QuerySet[Contact]:
    """Requests for support with no assessment completed since they were received (on or
    after the day received, in the council's time zone)."""
    completed = Assessment.objects.filter(
        person=OuterRef("person"), status=AssessmentStatus.COMPLETED
    )
    # The exact test takes the date of each completion in the council's time zone: on SQLite
    # that is a function call per assessment, the most expensive part of a caseload. So the
    # first test compares the time with the day's start in UTC, which needs no call and
    # answers for almost every request; it can only miss completions in the first hour of
    # a day in British Summer Time, which the exact test, asked only when it fails, catches.
    assessed_since_utc_day = completed.filter(completed_at__gte=OuterRef("received_on"))
    assessed_since = completed.filter(completed_at__date__gte=OuterRef("received_on"))
    requests = (
        Contact.objects.filter(person=OuterRef("pk"), closed_on__isnull=True)
        .exclude(Exists(assessed_since_utc_day))
        .exclude(Exists(assessed_since))
    )
    if urgent is not None:
        requests = requests.filter(urgent=urgent)
    return requests


def _start_of(day: datetime.date) -> datetime.datetime:
    """The first moment of DAY in the council's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


# Which fact makes each weighting factor (caseloads/weighting.py) apply.
FACTOR_FACT = {
    weighting.URGENT_REQUEST: "urgent_request",
    weighting.RECENT_CRISIS: "recent_crisis",
    weighting.NEEDS_ADVOCACY: "needs_advocacy",
    weighting.ASSESSING: "assessment_open",
    weighting.PLAN_WAITING: "plan_waiting",
    weighting.REVIEW_OVERDUE: "review_overdue",
}


def facts(*, today: datetime.date) -> dict[str, Exists]:
    """Each fact that drives next actions and the weighting, as a subquery on a person (the
    outer query's `pk`), by the name `with_facts` annotates it as."""
    return dict(_facts(today))


@functools.lru_cache(maxsize=2)
def _facts(today: datetime.date) -> dict[str, Exists]:
    """Built once a day and shared: building eleven subqueries took about 7 ms of every
    caseload page. Django copies an expression when a query uses it, so sharing is safe."""
    open_windows = ScheduledReview.objects.filter(person=OuterRef("pk"), closed_on__isnull=True)
    latest_capacity = CapacityRecord.objects.filter(person=OuterRef("person")).order_by(
        "-assessed_on", "-id"
    )
    needs_advocacy = CapacityRecord.objects.filter(
        person=OuterRef("pk"), pk=Subquery(latest_capacity.values("pk")[:1])
    ).filter(Q(outcome=CapacityOutcome.LACKS_CAPACITY) | Q(advocate_required=True))
    return {
        "handover_unread": Exists(
            NamedWorkerAllocation.objects.filter(
                person=OuterRef("pk"),
                worker=OuterRef("named_worker"),
                ended_at__isnull=True,
                note_read_at__isnull=True,
            ).exclude(handover_note="")
        ),
        "urgent_request": Exists(_open_requests(urgent=True)),
        "request_waiting": Exists(_open_requests(urgent=False)),
        "assessment_open": Exists(
            Assessment.objects.filter(person=OuterRef("pk"), status=AssessmentStatus.IN_PROGRESS)
        ),
        "plan_waiting": Exists(
            Plan.objects.filter(person=OuterRef("pk"), status=PlanStatus.SUBMITTED)
        ),
        "plan_to_sign_off": Exists(
            Plan.objects.filter(
                person=OuterRef("pk"), status=PlanStatus.SUBMITTED, route_kind="named_worker"
            )
        ),
        "review_overdue": Exists(open_windows.filter(due_by__lt=today)),
        "review_due": Exists(open_windows.filter(due_from__lte=today, due_by__gte=today)),
        "plan_to_start": Exists(
            IndicativeBudget.objects.filter(
                person=OuterRef("pk"),
                plans__isnull=True,
                # The same as issued_at__date__gte, as a time: a date of a time needs a
                # function call for each budget on SQLite, and no index can answer it.
                issued_at__gte=_start_of(today - datetime.timedelta(days=365)),
            )
        ),
        "recent_crisis": Exists(
            CrisisEvent.objects.filter(
                person=OuterRef("pk"),
                occurred_on__gte=today - datetime.timedelta(days=CRISIS_WINDOW_DAYS),
            )
        ),
        "needs_advocacy": Exists(needs_advocacy),
    }


def with_facts(
    people: QuerySet[Person], *, today: datetime.date, derived: bool = True
) -> QuerySet[Person]:
    """PEOPLE annotated with each fact that drives next actions and the weighting, and
    (DERIVED) with the weight and the rank of the most urgent action worked out from them in
    the database, for orderings over many people. Without DERIVED, each fact is worked out
    once: the database repeats a fact's subquery in every expression that uses it, which
    makes the query about three times the work."""
    people = people.annotate(**facts(today=today))
    if not derived:
        return people
    weight: Any = Value(weighting.BASE_POINTS)
    for factor in weighting.FACTORS:
        weight = weight + Case(
            When(**{FACTOR_FACT[factor.code]: True}, then=Value(factor.points)),
            default=Value(0),
            output_field=IntegerField(),
        )
    rank = Case(
        *[When(**{a.code: True}, then=Value(a.rank)) for a in actions.ACTIONS],
        default=Value(actions.NOTHING_RANK),
        output_field=IntegerField(),
    )
    return people.annotate(weight=weight, action_rank=rank)


@dataclass
class CaseloadRow:
    person: Person
    actions: list[actions.Action]
    weight: int


def _row(person: Person) -> CaseloadRow:
    """One person's next actions and weight, from the facts `with_facts` annotated."""
    facts = {a.code: bool(getattr(person, a.code)) for a in actions.ACTIONS}
    applies = [code for code, fact in FACTOR_FACT.items() if getattr(person, fact)]
    return CaseloadRow(person, actions.next_actions(facts), weighting.person_weight(applies))


def _urgency(row: CaseloadRow) -> tuple[int, str, str, int]:
    """Most urgent action first (nothing to do last), then by name."""
    rank = row.actions[0].rank if row.actions else actions.NOTHING_RANK
    return rank, row.person.last_name, row.person.first_name, row.person.pk


def worker_caseload(
    *, worker: User, today: datetime.date, viewer: User | None = None
) -> list[CaseloadRow]:
    """WORKER's own people (those they are named worker for), most urgent first.

    Restricted records VIEWER (the worker, or their manager) is not named on are left out."""
    people = with_facts(
        Person.objects.filter(named_worker=worker)
        .filter(restriction_filter_for_user(viewer or worker))
        .select_related("team"),
        today=today,
        derived=False,
    )
    # A caseload is tens of people: ordering them here costs less than asking the database
    # to work every fact out again for the weight and the rank (see `with_facts`).
    return sorted((_row(person) for person in people), key=_urgency)


@dataclass
class WorkerLoad:
    worker: User
    people: int = 0
    weighted: int = 0
    urgent: int = 0
    overdue: int = 0
    plans: int = 0
    unread: int = 0

    @property
    def band(self) -> str:
        return weighting.band(self.weighted, self.people)


@dataclass
class TeamCaseloads:
    team: Team
    workers: list[WorkerLoad] = field(default_factory=list)

    @property
    def people(self) -> int:
        return sum(w.people for w in self.workers)

    @property
    def weighted(self) -> int:
        return sum(w.weighted for w in self.workers)


def team_caseloads(*, team: Team, today: datetime.date) -> TeamCaseloads:
    """Each case-holding worker in TEAM with their caseload's size and weight (a query for
    the workers, one for their people and one for each fact the weighting or the page uses).

    A person counts on their named worker's caseload even if they belong to another team.
    """
    workers = list(
        User.objects.filter(team=team, role__in=CASE_ROLES, is_active=True).order_by(
            "last_name", "first_name", "id"
        )
    )
    loads = {w.pk: WorkerLoad(w) for w in workers}
    people = Person.objects.filter(named_worker__in=workers)

    def per_worker(chosen: QuerySet[Person]) -> dict[int, int]:
        """How many of CHOSEN each worker is named worker for."""
        return dict(chosen.values_list("named_worker").annotate(n=Count("pk")).order_by())

    # One count per fact, of the people it applies to. A person's weight is 1 plus the points
    # of each factor that applies, so a caseload's weight is its people plus, for each
    # factor, its points times the people it applies to. Asking one fact at a time lets the
    # database answer each from an index; one query asking every fact of every person had
    # PostgreSQL read whole tables (0.7 s for a team at size L, against 0.2 s).
    fact = facts(today=today)
    counted = {
        name: per_worker(people.filter(fact[name]))
        for name in {*FACTOR_FACT.values(), "handover_unread"}
    }
    for worker, count in per_worker(people).items():
        load = loads[worker]
        load.people = count
        load.weighted = weighting.BASE_POINTS * count + sum(
            factor.points * counted[FACTOR_FACT[factor.code]].get(worker, 0)
            for factor in weighting.FACTORS
        )
        load.urgent = counted["urgent_request"].get(worker, 0)
        load.overdue = counted["review_overdue"].get(worker, 0)
        load.plans = counted["plan_waiting"].get(worker, 0)
        load.unread = counted["handover_unread"].get(worker, 0)
    return TeamCaseloads(team, list(loads.values()))


def unallocated_queue(*, team: Team, today: datetime.date, viewer: User) -> QuerySet[Person]:
    """People in TEAM waiting for a named worker: urgent first, then longest waiting.

    Restricted records VIEWER is not named on are left out: the queue shows names."""
    spell = NamedWorkerAllocation.objects.filter(
        person=OuterRef("pk"), ended_at__isnull=True, worker__isnull=True
    )
    latest_request = Contact.objects.filter(person=OuterRef("pk")).order_by("-received_on", "-id")
    return (
        with_facts(
            Person.objects.filter(team=team, named_worker__isnull=True).filter(
                restriction_filter_for_user(viewer)
            ),
            today=today,
        )
        .annotate(
            waiting_since=Subquery(spell.values("started_at")[:1]),
            because=Subquery(spell.values("unallocated_because")[:1]),
            request_what_for=Subquery(latest_request.values("what_for")[:1]),
        )
        .order_by(F("urgent_request").desc(), "waiting_since", "id")
    )
