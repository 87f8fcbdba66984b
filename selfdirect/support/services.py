"""Releasing the money once a plan is signed off: services, the direct payment, the first review."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from selfdirect.audit.models import EventType
from selfdirect.audit.services import audit_record
from selfdirect.people.rules import access_basis
from selfdirect.plans import signoff
from selfdirect.reviews import schedule
from selfdirect.support import release
from selfdirect.support.models import DirectPayment, ScheduledReview, Service

if TYPE_CHECKING:
    from selfdirect.accounts.models import User
    from selfdirect.assessments.models import Contact
    from selfdirect.plans.models import Plan


@transaction.atomic
def support_release(*, plan: Plan) -> list[Service]:
    """Turn a signed-off plan into support: one Service per item, a direct payment for the
    items paid that way, and the first review 6-8 weeks after support starts. Called by
    plans.services.plan_decide in the same transaction as the sign-off."""
    starts = timezone.localdate()
    services = []
    direct_weekly = Decimal("0.00")
    for item in plan.items.all():
        management = item.management or plan.management
        if management == "mixed":  # a mix with this item unspecified: the plan's default is DP
            management = "direct_payment"
        line = release.service_for_item(
            management=management,
            provider_kind=item.provider_kind,
            unit_cost=item.unit_cost,
            unit=item.unit,
            units=item.units,
            per=item.per,
            client_type=plan.person.client_type,
        )
        services.append(
            Service(
                person=plan.person,
                plan=plan,
                description=item.what,
                provider_name=item.provider_name,
                delivery_mechanism=line.delivery_mechanism,
                service_type=line.service_type,
                service_component=line.service_component,
                unit_cost=line.unit_cost,
                cost_frequency=line.cost_frequency,
                planned_units_per_week=line.planned_units_per_week,
                weekly_cost=item.weekly_cost,
                start_date=starts,
            )
        )
        if line.delivery_mechanism == "Direct payment":
            direct_weekly += item.weekly_cost
    # The new plan replaces any earlier arrangements: their services end the day this starts,
    # and a review window set for them gives way to this plan's light-touch review.
    Service.objects.filter(person=plan.person, end_date__isnull=True).exclude(plan=plan).update(
        end_date=starts
    )
    ScheduledReview.objects.filter(person=plan.person, closed_on__isnull=True).update(
        closed_on=starts, closed_because="A new plan replaced the arrangements"
    )
    Service.objects.bulk_create(services)
    if direct_weekly > 0:
        DirectPayment.objects.create(
            person=plan.person,
            plan=plan,
            four_weekly_amount=release.four_weekly_amount(direct_weekly),
            first_payment_on=starts,
        )
    window = schedule.next_planned_review(
        support_started=starts, direct_payment_started=starts if direct_weekly > 0 else None
    )
    ScheduledReview.objects.create(
        person=plan.person,
        plan=plan,
        kind=window.kind,
        due_from=window.due_from,
        due_by=window.due_by,
    )
    return services


@transaction.atomic
def starter_budget_release(
    *,
    actor: User,
    contact: Contact,
    weekly: Decimal,
    weeks: int,
    what_for: str,
    direct_payment: bool,
) -> Service:
    """Release a starter budget the same day for an urgent request, before any plan.

    Only the person's named worker may, and only for an urgent request (plans/signoff.py).
    """
    person = contact.person
    if not signoff.may_release_starter_budget(
        urgent=contact.urgent, is_named_worker=person.named_worker_id == actor.pk
    ):
        raise PermissionDenied(
            "Only the named worker can release a starter budget, for an urgent request"
        )
    if not 1 <= weeks <= release.STARTER_MAX_WEEKS:
        raise ValidationError(
            {"weeks": f"A starter budget lasts 1 to {release.STARTER_MAX_WEEKS} weeks"}
        )
    if weekly <= 0:
        raise ValidationError({"weekly": "Amount must be more than £0"})
    line = release.starter_service(
        weekly=weekly, direct_payment=direct_payment, client_type=person.client_type
    )
    starts = timezone.localdate()
    service = Service.objects.create(
        person=person,
        contact=contact,
        description=what_for.strip() or "Starter budget",
        delivery_mechanism=line.delivery_mechanism,
        service_type=line.service_type,
        service_component=line.service_component,
        unit_cost=line.unit_cost,
        cost_frequency=line.cost_frequency,
        planned_units_per_week=line.planned_units_per_week,
        weekly_cost=weekly,
        start_date=starts,
        end_date=starts + timedelta(weeks=weeks),
    )
    audit_record(
        actor=actor,
        person=person,
        event_type=EventType.STARTER_BUDGET,
        reason=access_basis(actor, person) or "Named worker",
        new_values={"weekly": str(weekly), "weeks": weeks, "direct_payment": direct_payment},
    )
    return service
