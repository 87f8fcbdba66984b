"""Reading what is due under the retention rules: one aggregate query for the whole council.

Each person's last activity and category are worked out in the database: each kind of record
is grouped by person once (the latest date of each), the groups are put together and grouped
again, and the due list is filtered there against dates from retention.policy.cutoffs. No
query runs per person and nothing is read for people who are not due (10,000 people: about
1 s on SQLite, most of it SQLite turning times into local dates in Python).
One person's facts (record_facts) use correlated subqueries instead: cheap for one row.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, models
from django.db.models import (
    DateField,
    DateTimeField,
    Exists,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Greatest, TruncDate

from selfdirect.assessments.models import Assessment, CapacityRecord, Contact, StoryEntry
from selfdirect.people import codes
from selfdirect.people.models import CrisisEvent, Person
from selfdirect.plans.models import Plan
from selfdirect.retention import policy
from selfdirect.retention.models import RetentionItem, RetentionRun
from selfdirect.retention.policy import Category, Periods, RecordFacts, Status
from selfdirect.reviews.models import Review
from selfdirect.support.models import Service


def retention_periods() -> Periods:
    return Periods(
        case_years=settings.RETENTION_CASE_YEARS,
        contact_only_years=settings.RETENTION_CONTACT_ONLY_YEARS,
        review_days=settings.RETENTION_REVIEW_DAYS,
    )


def _latest(model: type[models.Model], expression: Any, *, moments: bool = False) -> Any:
    """The latest date of EXPRESSION among the person's MODEL rows (NULL when they have none).

    For MOMENTS (date and time) the latest moment is found first and only that one is turned
    into a local date: on SQLite the conversion is a Python function, too slow to call for
    every row of every person."""
    rows = (
        model._default_manager.filter(person_id=OuterRef("pk"))
        .order_by()
        .values("person_id")
        .annotate(latest=Max(expression))
        .values("latest")[:1]
    )
    if moments:
        return TruncDate(Subquery(rows, output_field=DateTimeField()))
    return Subquery(rows, output_field=DateField())


def _moment(*fields: str) -> Any:
    """The first of FIELDS that is set (the later one, as each pair is (end, start))."""
    return Coalesce(*fields) if len(fields) > 1 else F(fields[0])


# The latest date of each kind of record: (model, expression, date and time?, case record?).
# The four marked as case records make one (an assessment, plan, service or review).
_ACTIVITY: dict[str, tuple[type[models.Model], Any, bool, bool]] = {
    "last_assessment": (Assessment, _moment("completed_at", "started_at"), True, True),
    "last_plan": (Plan, _moment("updated_at"), True, True),
    "last_service": (Service, Coalesce("end_date", "start_date"), False, True),
    "last_review": (Review, _moment("completed_at", "opened_at"), True, True),
    "last_contact": (Contact, Coalesce("closed_on", "received_on"), False, False),
    "last_capacity": (CapacityRecord, F("assessed_on"), False, False),
    "last_story": (StoryEntry, _moment("created_at"), True, False),
    "last_crisis": (CrisisEvent, F("occurred_on"), False, False),
}
CASE_KINDS = tuple(name for name, (_, _, _, case) in _ACTIVITY.items() if case)


def _is_case() -> Q:
    is_case = Q()
    for name in CASE_KINDS:
        is_case |= Q(**{f"{name}__isnull": False})
    return is_case


def _annotated() -> QuerySet[Any]:
    """People annotated with `last_activity` (a date), `is_case` and `support_open`.

    Typed Any: django-stubs cannot follow annotations out of a function, and the callers
    name them."""
    annotated = Person.objects.order_by().annotate(
        created_on=TruncDate("created_at"),
        **{
            name: _latest(model, expr, moments=moments)
            for name, (model, expr, moments, _) in _ACTIVITY.items()
        },
    )
    # Greatest is NULL on SQLite when any argument is: each date falls back to the day the
    # record was made, which is never later than the real last activity.
    return annotated.annotate(
        last_activity=Greatest(
            F("created_on"),
            *(Coalesce(F(name), F("created_on")) for name in _ACTIVITY),
            output_field=DateField(),
        ),
        is_case=models.ExpressionWrapper(_is_case(), output_field=models.BooleanField()),
        support_open=Exists(
            Service.objects.filter(person_id=OuterRef("pk"), end_date__isnull=True)
        ),
    )


@dataclass(frozen=True)
class DueRecord:
    person_id: int
    facts: RecordFacts
    due_on: datetime.date
    status: Status

    @property
    def reference(self) -> str:
        return codes.reference(self.person_id)


def _record(
    row: tuple[int, bool, datetime.date], periods: Periods, today: datetime.date
) -> DueRecord:
    person_id, is_case, last = row
    facts = RecordFacts(Category.CASE if is_case else Category.CONTACT_ONLY, last)
    due = policy.due_date(facts, periods)
    assert due is not None  # open support was filtered out
    return DueRecord(person_id, facts, due, policy.status(facts, periods, today))


def _branches() -> list[QuerySet[Any, tuple[Any, ...]]]:
    """(person_id, latest day, case record?, may fall due?) per person, one query per table.

    Each groups one table by person in a single pass; only the person's own row says whether
    they may fall due at all (not anonymised, no support open)."""
    branches: list[QuerySet[Any, tuple[Any, ...]]] = []
    for model, expression, moments, case in _ACTIVITY.values():
        latest = Max(expression)
        branches.append(
            model._default_manager.order_by()
            .values("person_id")
            .annotate(
                day=TruncDate(latest) if moments else latest,
                is_case=Value(int(case)),
                eligible=Value(0),
            )
            .values_list("person_id", "day", "is_case", "eligible")
        )
    open_support = Service.objects.filter(person_id=OuterRef("pk"), end_date__isnull=True)
    branches.append(
        Person.objects.order_by()
        .filter(retention_action__isnull=True)
        .filter(~Exists(open_support))
        .annotate(day=TruncDate("created_at"), is_case=Value(0), eligible=Value(1))
        .values_list("pk", "day", "is_case", "eligible")
    )
    return branches


_DUE_SQL = """
SELECT person_id, MAX(day) AS last_day, MAX(is_case) AS any_case
FROM ({events}) AS events
GROUP BY person_id
HAVING MAX(eligible) = 1 AND (
    (MAX(is_case) = 1 AND MAX(day) <= %s) OR (MAX(is_case) = 0 AND MAX(day) <= %s)
)
ORDER BY last_day, person_id
"""


def _as_date(value: datetime.date | str) -> datetime.date:
    # SQLite gives the day back as text, PostgreSQL as a date.
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)


def due_records(*, periods: Periods, today: datetime.date) -> Iterator[DueRecord]:
    """Every record due for review or for deletion on TODAY, earliest due first, in one query.

    Each table is grouped by person once (no subquery per person), the results are put
    together and grouped again, and only the records due within the review window come back:
    records with open support, not yet due, or already anonymised never leave the database.
    The SQL around the ORM's own queries is plain SQL-92 (SQLite and PostgreSQL alike)."""
    limits = policy.cutoffs(periods, today).review
    parts: list[str] = []
    params: list[Any] = []
    for branch in _branches():
        sql, branch_params = branch.query.sql_with_params()
        # Only SQL the ORM wrote, put together; every value is a parameter.
        parts.append(f"SELECT * FROM ({sql}) AS branch{len(parts)}")  # noqa: S608
        params.extend(branch_params)
    # A union takes its column names from the first branch: person_id, day, is_case, eligible.
    sql = _DUE_SQL.format(events=" UNION ALL ".join(parts))
    params.extend([limits[Category.CASE], limits[Category.CONTACT_ONLY]])
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for person_id, last, any_case in cursor:
            yield _record((person_id, bool(any_case), _as_date(last)), periods, today)


def record_facts(*, person_id: int) -> RecordFacts | None:
    """One person's facts now (None if anonymised or unknown). SUPPORT_OPEN records have
    facts too: the caller asks policy.status, which says they are never due."""
    row = (
        _annotated()
        .filter(pk=person_id, retention_action__isnull=True)
        .values_list("is_case", "last_activity", "support_open")
        .first()
    )
    if row is None:
        return None
    is_case, last, support_open = row
    return RecordFacts(Category.CASE if is_case else Category.CONTACT_ONLY, last, support_open)


def latest_run() -> RetentionRun | None:
    return RetentionRun.objects.select_related("run_by").first()


def due_items(*, run: RetentionRun, status: Status) -> QuerySet[RetentionItem]:
    """The latest run's worklist for STATUS, without anyone anonymised since it ran."""
    return RetentionItem.objects.filter(
        run=run, status=status.value, person__retention_action__isnull=True
    ).order_by("due_on", "person_id")
