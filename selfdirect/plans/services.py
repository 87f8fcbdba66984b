"""Writing and submitting the person's plan. Every write is atomic, audited and version-checked."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from selfdirect.audit.models import EventType
from selfdirect.audit.services import audit_record
from selfdirect.budgets.models import IndicativeBudget
from selfdirect.people.rules import access_basis
from selfdirect.plans import costs
from selfdirect.plans.models import Plan, PlanItem, PlanStatus

if TYPE_CHECKING:
    from selfdirect.accounts.models import User
    from selfdirect.people.models import Person


class PlanConflict(Exception):
    """Someone else saved the plan after this edit began; nothing was saved."""


@dataclass(frozen=True)
class ItemInput:
    what: str
    provider_kind: str
    provider_name: str
    unit_cost: Decimal
    units: Decimal
    per: str
    management: str = ""


def _reason(actor: User, person: Person) -> str:
    return access_basis(actor, person) or "Recorded by the council"


@transaction.atomic
def plan_start(*, actor: User, person: Person) -> Plan:
    """Start a plan against the person's latest indicative budget, or return the draft in hand."""
    draft = Plan.objects.filter(person=person, status=PlanStatus.DRAFT).first()
    if draft is not None:
        return draft
    budget = IndicativeBudget.objects.filter(person=person).order_by("-issued_at", "-id").first()
    if budget is None:
        raise ValidationError("A plan can be started once there is an indicative budget")
    now = timezone.now()
    plan = Plan.objects.create(
        person=person, budget=budget, created_at=now, updated_at=now, updated_by=actor
    )
    audit_record(
        actor=actor,
        person=person,
        event_type=EventType.PLAN_STARTED,
        reason=_reason(actor, person),
        new_values={"plan": plan.pk, "budget_weekly": str(budget.weekly)},
    )
    return plan


@transaction.atomic
def plan_save(
    *,
    actor: User,
    plan: Plan,
    expected_version: int,
    what_i_want: str,
    who_helps: str,
    if_things_go_wrong: str,
    management: str,
    interim: bool,
    items: list[ItemInput],
) -> Plan:
    """Save the whole plan: its words and its items, replacing the items it had.

    Raises PlanConflict if anyone saved since EXPECTED_VERSION (targets R5: no lost
    update), and ValidationError for an item that cannot be costed (nothing is saved).
    """
    if plan.status != PlanStatus.DRAFT:
        raise ValidationError("This plan has been sent for sign-off and can no longer be changed")
    priced = []
    for index, item in enumerate(items, start=1):
        problems = costs.item_problems(item.unit_cost, item.units, item.per)
        if problems:
            raise ValidationError(f"Item {index}: {' '.join(problems)}")
        priced.append((item, costs.item_cost(item.unit_cost, item.units, item.per)))
    updated = Plan.objects.filter(pk=plan.pk, version=expected_version).update(
        version=F("version") + 1,
        what_i_want=what_i_want.strip(),
        who_helps=who_helps.strip(),
        if_things_go_wrong=if_things_go_wrong.strip(),
        management=management,
        interim=interim,
        updated_at=timezone.now(),
        updated_by=actor,
    )
    if updated != 1:
        raise PlanConflict
    plan.refresh_from_db()
    plan.items.all().delete()
    PlanItem.objects.bulk_create(
        [
            PlanItem(
                plan=plan,
                what=item.what.strip(),
                provider_kind=item.provider_kind,
                provider_name=item.provider_name.strip(),
                unit_cost=item.unit_cost,
                units=item.units,
                per=item.per,
                weekly_cost=cost.weekly,
                annual_cost=cost.annual,
                management=item.management,
            )
            for item, cost in priced
        ]
    )
    total = costs.plan_total([cost for _, cost in priced])
    audit_record(
        actor=actor,
        person=plan.person,
        event_type=EventType.PLAN_SAVED,
        reason=_reason(actor, plan.person),
        new_values={"plan": plan.pk, "items": len(priced), "weekly": str(total.weekly)},
    )
    return plan


@transaction.atomic
def plan_submit(*, actor: User, plan: Plan, expected_version: int) -> Plan:
    """Send the plan for sign-off under the council's published rules."""
    if plan.status != PlanStatus.DRAFT:
        raise ValidationError("This plan has already been sent for sign-off")
    if not plan.what_i_want.strip():
        raise ValidationError("Say what you want to achieve before sending the plan")
    if not plan.items.exists():
        raise ValidationError("Add at least one thing the money will pay for")
    updated = Plan.objects.filter(
        pk=plan.pk, version=expected_version, status=PlanStatus.DRAFT
    ).update(
        version=F("version") + 1,
        status=PlanStatus.SUBMITTED,
        submitted_at=timezone.now(),
        updated_by=actor,
    )
    if updated != 1:
        raise PlanConflict
    plan.refresh_from_db()
    audit_record(
        actor=actor,
        person=plan.person,
        event_type=EventType.PLAN_SUBMITTED,
        reason=_reason(actor, plan.person),
        new_values={"plan": plan.pk},
    )
    return plan
