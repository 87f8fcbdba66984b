"""Hand-built histories for the figures tests: every date is chosen, so every answer is known.

Rows are made directly (not through the services) because these tests are about what the
figures count, not about how each step is taken.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from selfdirect.accounts.models import User
from selfdirect.assessments.models import Assessment, Contact
from selfdirect.budgets.models import IndicativeBudget, RasVersion
from selfdirect.people.models import CrisisEvent, NamedWorkerAllocation, Person
from selfdirect.plans.models import Plan, PlanDecision, PlanItem, PlanStatus
from selfdirect.reviews.models import Review, ReviewStatus
from selfdirect.support.models import Service
from selfdirect.workforce.models import Team
from tests.factories import PersonFactory


def at(day: datetime.date, hour: int = 12) -> datetime.datetime:
    """Noon (by default) on DAY, in the council's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def person_with_history(
    *spells: tuple[User | None, datetime.datetime, datetime.datetime | None],
    team: Team,
    **fields: object,
) -> Person:
    """A person whose named-worker history is exactly SPELLS: (worker or None, start, end)."""
    current = spells[-1][0] if spells and spells[-1][2] is None else None
    person = PersonFactory(named_worker=current, team=team, **fields)
    NamedWorkerAllocation.objects.filter(person=person).delete()
    for worker, start, end in spells:
        NamedWorkerAllocation.objects.create(
            person=person, worker=worker, started_at=start, ended_at=end
        )
    return person


def crisis(person: Person, kind: str, day: datetime.date, by: User) -> CrisisEvent:
    return CrisisEvent.objects.create(
        person=person, kind=kind, occurred_on=day, recorded_by=by, recorded_at=at(day)
    )


def journey(
    person: Person,
    worker: User,
    *,
    received: datetime.date,
    assessed: datetime.date | None = None,
    budgeted: datetime.date | None = None,
    signed_off: datetime.date | None = None,
    started: datetime.date | None = None,
    reviewed: datetime.date | None = None,
    route: str = "community",
    urgent: bool = False,
    weekly: Decimal = Decimal("100.00"),
    planned_annual: Decimal | None = None,
    written_by: str = "person",
    route_kind: str = "named_worker",
    refused_because: str = "",
) -> Contact:
    """A request for support taken as far as the dates given."""
    contact = Contact.objects.create(
        person=person,
        team_id=person.team_id,
        received_on=received,
        route_of_access=route,
        requested_by="Test",
        what_for="Test",
        urgent=urgent,
        recorded_by=worker,
    )
    if assessed is None:
        return contact
    assessment = Assessment.objects.create(
        person=person,
        contact=contact,
        status="completed",
        assessor=worker,
        started_at=at(received),
        completed_at=at(assessed),
        eligible=True,
    )
    if budgeted is None:
        return contact
    budget = IndicativeBudget.objects.create(
        assessment=assessment,
        person=person,
        ras_version=RasVersion.objects.order_by("pk").first(),
        weekly=weekly,
        annual=weekly * 52,
        range_low=weekly,
        range_high=weekly,
        issued_at=at(budgeted),
    )
    if signed_off is None:
        return contact
    plan = Plan.objects.create(
        person=person,
        budget=budget,
        status=PlanStatus.REFUSED if refused_because else PlanStatus.APPROVED,
        created_at=at(budgeted),
        updated_at=at(signed_off),
        updated_by=worker,
        submitted_at=at(signed_off, hour=9),
        route_kind=route_kind,
        written_by=written_by,
    )
    cost = weekly * 52 if planned_annual is None else planned_annual
    PlanItem.objects.create(
        plan=plan,
        what="Support",
        provider_kind="personal_assistant",
        unit_cost=Decimal("10.00"),
        units=Decimal("1"),
        per="week",
        weekly_cost=(cost / 52).quantize(Decimal("0.01")),
        annual_cost=cost,
    )
    PlanDecision.objects.create(
        plan=plan,
        approved=not refused_because,
        reason_code=refused_because,
        explanation="Test",
        decided_by=worker,
        by_panel=route_kind == "panel",
        decided_at=at(signed_off),
    )
    if started is None or refused_because:
        return contact
    service(person, plan=plan, start=started)
    if reviewed is None:
        return contact
    Review.objects.create(
        person=person,
        plan=plan,
        planned=True,
        reason="planned",
        status=ReviewStatus.COMPLETED,
        opened_at=at(reviewed),
        opened_by=worker,
        completed_at=at(reviewed),
        completed_by=worker,
        team_id=person.team_id,
        primary_support_reason=person.primary_support_reason,
        by_named_worker=True,
        outcomes_achieved="fully_met",
    )
    return contact


def service(
    person: Person,
    *,
    start: datetime.date,
    plan: Plan | None = None,
    contact: Contact | None = None,
) -> Service:
    return Service.objects.create(
        person=person,
        plan=plan,
        contact=contact,
        description="Support",
        delivery_mechanism="Direct payment",
        service_type="Long term support",
        service_component="Personal assistant",
        unit_cost=Decimal("10.00"),
        cost_frequency="Hourly",
        planned_units_per_week=Decimal("1"),
        weekly_cost=Decimal("10.00"),
        start_date=start,
    )


def review(
    person: Person,
    plan: Plan,
    by: User,
    *,
    completed: datetime.date,
    by_named_worker: bool | None,
    outcomes: str = "fully_met",
) -> Review:
    return Review.objects.create(
        person=person,
        plan=plan,
        planned=True,
        reason="planned",
        status=ReviewStatus.COMPLETED,
        opened_at=at(completed),
        opened_by=by,
        completed_at=at(completed),
        completed_by=by,
        team_id=person.team_id,
        primary_support_reason=person.primary_support_reason,
        by_named_worker=by_named_worker,
        outcomes_achieved=outcomes,
    )
