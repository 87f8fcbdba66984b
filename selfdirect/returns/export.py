"""Write the Client Level Data return: four streamed queries, one row per event, in constant memory.

Each event type is one query with the person's columns joined in (`values()`, no model
instances), read with a server-side cursor in chunks (`iterator`), mapped by the pure
returns.cld_map and written straight to the file. Memory does not grow with the council
(targets P4); the progress callback is told every PROGRESS_EVERY rows.
"""

from __future__ import annotations

import csv
import datetime
from collections.abc import Callable, Iterator
from typing import Any, TextIO

from django.conf import settings
from django.db.models import Min, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from selfdirect.assessments.models import Assessment, AssessmentStatus, Contact
from selfdirect.returns import cld_map
from selfdirect.returns.cld_map import Period
from selfdirect.returns.spec import load
from selfdirect.reviews import schedule
from selfdirect.reviews.models import Review, ReviewStatus
from selfdirect.support.models import Service

CHUNK = 2000
PROGRESS_EVERY = 1000

# The person's columns, read beside every event (names as PersonFacts has them).
PERSON_FIELDS = (
    "id",
    "nhs_number",
    "gender",
    "ethnicity",
    "date_of_birth",
    "date_of_death",
    "client_type",
    "primary_support_reason",
    "postcode",
    "accommodation_status",
    "employment_status",
    "has_unpaid_carer",
    "autism",
    "funding_status",
)


def _person_values(prefix: str = "person__") -> list[str]:
    return [f"{prefix}{name}" for name in PERSON_FIELDS]


def _person(values: dict[str, Any]) -> cld_map.PersonFacts:
    return cld_map.PersonFacts(**{name: values[f"person__{name}"] for name in PERSON_FIELDS})


def _local_date(moment: datetime.datetime | None) -> datetime.date | None:
    return timezone.localdate(moment) if moment is not None else None


# --- The four queries ---------------------------------------------------------------------


def requests_in(period: Period) -> QuerySet[Contact, dict[str, Any]]:
    """Requests that ended in the period: an assessment began, or a worker closed them."""
    return (
        Contact.objects.annotate(first_assessment=Min("assessments__started_at"))
        .filter(
            Q(first_assessment__date__range=(period.start, period.end))
            | Q(first_assessment__isnull=True, closed_on__range=(period.start, period.end))
        )
        .exclude(first_assessment__isnull=True, closed_outcome="cancelled")
        .order_by("id")
        .values(
            "id",
            "received_on",
            "route_of_access",
            "urgent",
            "first_assessment",
            "closed_on",
            "closed_outcome",
            *_person_values(),
        )
    )


def assessments_in(period: Period) -> QuerySet[Assessment, dict[str, Any]]:
    """Completed needs and carers' assessments that ended in the period."""
    return (
        Assessment.objects.filter(
            status=AssessmentStatus.COMPLETED,
            completed_at__date__range=(period.start, period.end),
        )
        .order_by("id")
        .values("id", "kind", "started_at", "completed_at", "eligible", "method", *_person_values())
    )


def services_in(period: Period) -> QuerySet[Service, dict[str, Any]]:
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
        .values(
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
        )
    )


def reviews_in(period: Period) -> QuerySet[Review, dict[str, Any]]:
    """Completed reviews that ended in the period (an open review is not yet an event)."""
    return (
        Review.objects.filter(
            status=ReviewStatus.COMPLETED,
            completed_at__date__range=(period.start, period.end),
        )
        .order_by("id")
        .values(
            "id",
            "opened_at",
            "completed_at",
            "reason",
            "outcomes_achieved",
            "method",
            "decision",
            *_person_values(),
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
    columns = load().columns
    code = la_code if la_code is not None else settings.LA_CODE

    def person_part(values: dict[str, Any]) -> tuple[dict[str, str], datetime.date | None]:
        person = _person(values)
        columns = cld_map.person_columns(person, la_code=code, period=period)
        return columns, cld_map.died_by(person, period)

    for values in requests_in(period).iterator(chunk_size=CHUNK):
        request = cld_map.RequestFacts(
            id=values["id"],
            received_on=values["received_on"],
            route_of_access=values["route_of_access"],
            urgent=values["urgent"],
            assessment_started_on=_local_date(values["first_assessment"]),
            closed_on=values["closed_on"],
            closed_outcome=values["closed_outcome"],
        )
        if cld_map.request_included(request, period):
            yield cld_map.row(columns, person_part(values)[0], cld_map.request_columns(request))
    for values in assessments_in(period).iterator(chunk_size=CHUNK):
        started, completed = _local_date(values["started_at"]), _local_date(values["completed_at"])
        assert started is not None and completed is not None  # completed assessments only
        assessment = cld_map.AssessmentFacts(
            id=values["id"],
            kind=values["kind"],
            started_on=started,
            completed_on=completed,
            eligible=bool(values["eligible"]),
            method=values["method"],
        )
        yield cld_map.row(columns, person_part(values)[0], cld_map.assessment_columns(assessment))
    for values in services_in(period).iterator(chunk_size=CHUNK):
        service = cld_map.ServiceFacts(
            id=values["id"],
            start_date=values["start_date"],
            end_date=values["end_date"],
            service_type=values["service_type"],
            service_component=values["service_component"],
            delivery_mechanism=values["delivery_mechanism"],
            unit_cost=values["unit_cost"],
            cost_frequency=values["cost_frequency"],
            planned_units_per_week=values["planned_units_per_week"],
            ending_review_decision=values["ending_review_decision"] or "",
        )
        person, died = person_part(values)
        yield cld_map.row(columns, person, cld_map.service_columns(service, period, died))
    for values in reviews_in(period).iterator(chunk_size=CHUNK):
        opened, completed = _local_date(values["opened_at"]), _local_date(values["completed_at"])
        assert opened is not None and completed is not None  # completed reviews only
        review = cld_map.ReviewFacts(
            id=values["id"],
            opened_on=opened,
            completed_on=completed,
            reason=values["reason"],
            outcomes_achieved=values["outcomes_achieved"],
            method=values["method"],
            decision=values["decision"],
        )
        yield cld_map.row(columns, person_part(values)[0], cld_map.review_columns(review))


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
    written = 0
    for line in rows(period, la_code=la_code):
        writer.writerow(line)
        written += 1
        if progress is not None and written % PROGRESS_EVERY == 0:
            progress(written)
    if progress is not None:
        progress(written)
    return written
