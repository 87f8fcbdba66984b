"""Releasing the money once a plan is signed off: services, the direct payment, the first review."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from selfdirect.support import release
from selfdirect.support.models import DirectPayment, ScheduledReview, Service

if TYPE_CHECKING:
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
    Service.objects.bulk_create(services)
    if direct_weekly > 0:
        DirectPayment.objects.create(
            person=plan.person,
            plan=plan,
            four_weekly_amount=release.four_weekly_amount(direct_weekly),
            first_payment_on=starts,
        )
    due_from, due_by = release.first_review_window(starts)
    ScheduledReview.objects.create(
        person=plan.person, plan=plan, kind="first", due_from=due_from, due_by=due_by
    )
    return services
