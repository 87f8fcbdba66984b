"""Write the Client Level Data return: four streamed queries, one row per event, in constant memory.

Each event type is one query with the person's columns joined in (`values_list(named=True)`:
plain tuples, no model instances), read with a server-side cursor in chunks (`iterator`),
mapped by the pure returns.cld_map and written straight to the file. Memory does not grow
with the council (targets P4); the progress callback is told every PROGRESS_EVERY rows.

Every row costs Python time, so the time the return takes is mostly per row (P4 compares it
with a raw dump of the same queries): the database gives the day an event began or ended in
the council's time zone (`TruncDate`, as the queries' filters already work it out), a
person's part of a row is worked out once for their events that come together, and the
columns are put in place by position (cld_map.Layout).
"""

from __future__ import annotations

import csv
import dataclasses
import datetime
import itertools
import operator
from collections.abc import Callable, Iterator
from typing import Any, TextIO

from django.conf import settings
from django.db.models import Min, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncDate

from selfdirect.assessments.models import Assessment, AssessmentStatus, Contact
from selfdirect.returns import cld_map
from selfdirect.returns.cld_map import Period
from selfdirect.returns.spec import load
from selfdirect.reviews import schedule
from selfdirect.reviews.models import Review, ReviewStatus
from selfdirect.support.models import Service

CHUNK = 2000
PROGRESS_EVERY = 1000

# The person's columns, read beside every event: PersonFacts's fields, in its order.
PERSON_FIELDS = tuple(field.name for field in dataclasses.fields(cld_map.PersonFacts))


def _person_values(prefix: str = "person__") -> list[str]:
    return [f"{prefix}{name}" for name in PERSON_FIELDS]


# The person's values in a row of any of the four queries, as a tuple in PERSON_FIELDS order.
_person_of = operator.attrgetter(*_person_values())


class _PersonPart:
    """The person's part of a row, and when they died, worked out again only for a new person.

    One person's events often come one after another (the services of one plan). The last
    person is kept by every value read for them, not just the id, so a record changed between
    the queries is mapped afresh.
    """

    def __init__(self, layout: cld_map.Layout, *, la_code: str, period: Period) -> None:
        self._layout, self._la_code, self._period = layout, la_code, period
        self._values: tuple[Any, ...] = ()
        self._part: tuple[list[str], datetime.date | None] = ([], None)

    def __call__(self, row: Any) -> tuple[list[str], datetime.date | None]:
        values = _person_of(row)
        if values != self._values:
            person = cld_map.PersonFacts(*values)
            columns = cld_map.person_columns(person, la_code=self._la_code, period=self._period)
            self._values = values
            self._part = self._layout.row(columns), cld_map.died_by(person, self._period)
        return self._part


# --- The four queries ---------------------------------------------------------------------


def requests_in(period: Period) -> QuerySet[Contact, Any]:
    """Requests that ended in the period: an assessment began, or a worker closed them."""
    return (
        Contact.objects.annotate(first_assessment=Min("assessments__started_at"))
        .filter(
            Q(first_assessment__date__range=(period.start, period.end))
            | Q(first_assessment__isnull=True, closed_on__range=(period.start, period.end))
        )
        .exclude(first_assessment__isnull=True, closed_outcome="cancelled")
        .annotate(assessment_started_on=TruncDate("first_assessment"))
        .order_by("id")
        .values_list(
            "id",
            "received_on",
            "route_of_access",
            "urgent",
            "assessment_started_on",
            "closed_on",
            "closed_outcome",
            *_person_values(),
            named=True,
        )
    )


def assessments_in(period: Period) -> QuerySet[Assessment, Any]:
    """Completed needs and carers' assessments that ended in the period."""
    return (
        Assessment.objects.filter(
            status=AssessmentStatus.COMPLETED,
            completed_at__date__range=(period.start, period.end),
        )
        .annotate(started_on=TruncDate("started_at"), completed_on=TruncDate("completed_at"))
        .order_by("id")
        .values_list(
            "id",
            "kind",
            "started_on",
            "completed_on",
            "eligible",
            "method",
            *_person_values(),
            named=True,
        )
    )


def services_in(period: Period) -> QuerySet[Service, Any]:
    """Services that overlap the period, each with the review decision that ended it, if any."""
    ended_by = Review.objects.filter(
        person_id=OuterRef("person_id"),
        status=ReviewStatus.COMPLETED,
        completed_at__date=OuterRef("end_date"),
        decision__in=(schedule.END_AS_PLANNED, schedule.END_OTHER),
    ).values("decision")[:1]
    return (
        Service.objects.filter(start_date__lte=period.end)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=period.start))
        .annotate(ending_review_decision=Subquery(ended_by))
        .order_by("id")
        .values_list(
            "id",
            "start_date",
            "end_date",
            "service_type",
            "service_component",
            "delivery_mechanism",
            "unit_cost",
            "cost_frequency",
            "planned_units_per_week",
            "ending_review_decision",
            *_person_values(),
            named=True,
        )
    )


def reviews_in(period: Period) -> QuerySet[Review, Any]:
    """Completed reviews that ended in the period (an open review is not yet an event)."""
    return (
        Review.objects.filter(
            status=ReviewStatus.COMPLETED,
            completed_at__date__range=(period.start, period.end),
        )
        .annotate(opened_on=TruncDate("opened_at"), completed_on=TruncDate("completed_at"))
        .order_by("id")
        .values_list(
            "id",
            "opened_on",
            "completed_on",
            "reason",
            "outcomes_achieved",
            "method",
            "decision",
            *_person_values(),
            named=True,
        )
    )


def count_rows(period: Period) -> int:
    return sum(
        query.count()
        for query in (
            requests_in(period),
            assessments_in(period),
            services_in(period),
            reviews_in(period),
        )
    )


# --- Rows -----------------------------------------------------------------------------------


def rows(period: Period, *, la_code: str | None = None) -> Iterator[list[str]]:
    """Every row of the return for PERIOD, in the spec's column order (header not included)."""
    layout = cld_map.Layout(load().columns)
    code = la_code if la_code is not None else settings.LA_CODE
    person_part = _PersonPart(layout, la_code=code, period=period)

    for row in requests_in(period).iterator(chunk_size=CHUNK):
        request = cld_map.RequestFacts(
            id=row.id,
            received_on=row.received_on,
            route_of_access=row.route_of_access,
            urgent=row.urgent,
            assessment_started_on=row.assessment_started_on,
            closed_on=row.closed_on,
            closed_outcome=row.closed_outcome,
        )
        if cld_map.request_included(request, period):
            yield layout.row(cld_map.request_columns(request), base=person_part(row)[0])
    for row in assessments_in(period).iterator(chunk_size=CHUNK):
        assessment = cld_map.AssessmentFacts(
            id=row.id,
            kind=row.kind,
            started_on=row.started_on,
            completed_on=row.completed_on,
            eligible=bool(row.eligible),
            method=row.method,
        )
        yield layout.row(cld_map.assessment_columns(assessment), base=person_part(row)[0])
    for row in services_in(period).iterator(chunk_size=CHUNK):
        service = cld_map.ServiceFacts(
            id=row.id,
            start_date=row.start_date,
            end_date=row.end_date,
            service_type=row.service_type,
            service_component=row.service_component,
            delivery_mechanism=row.delivery_mechanism,
            unit_cost=row.unit_cost,
            cost_frequency=row.cost_frequency,
            planned_units_per_week=row.planned_units_per_week,
            ending_review_decision=row.ending_review_decision or "",
        )
        person, died = person_part(row)
        yield layout.row(cld_map.service_columns(service, period, died), base=person)
    for row in reviews_in(period).iterator(chunk_size=CHUNK):
        review = cld_map.ReviewFacts(
            id=row.id,
            opened_on=row.opened_on,
            completed_on=row.completed_on,
            reason=row.reason,
            outcomes_achieved=row.outcomes_achieved,
            method=row.method,
            decision=row.decision,
        )
        yield layout.row(cld_map.review_columns(review), base=person_part(row)[0])


def write(
    out: TextIO,
    period: Period,
    *,
    progress: Callable[[int], None] | None = None,
    la_code: str | None = None,
) -> int:
    """Write the header and every row to OUT; returns the number of rows written."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(load().columns)
    lines = rows(period, la_code=la_code)
    written = 0
    # A thousand rows at a time: csv writes them in one call, and the progress is told then.
    while chunk := list(itertools.islice(lines, PROGRESS_EVERY)):
        writer.writerows(chunk)
        written += len(chunk)
        if progress is not None and written % PROGRESS_EVERY == 0:
            progress(written)
    if progress is not None:
        progress(written)
    return written
