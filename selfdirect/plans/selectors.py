from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.http import Http404

from selfdirect.audit.models import EventType
from selfdirect.audit.services import audit_record
from selfdirect.people.rules import access_basis
from selfdirect.plans import costs
from selfdirect.plans.models import Plan

if TYPE_CHECKING:
    from selfdirect.accounts.models import User
    from selfdirect.people.models import Person


def plan_get_for_user(*, user: User, plan_id: int) -> Plan:
    """The plan, if USER has a legitimate relationship with its person; otherwise 404."""
    plan = (
        Plan.objects.select_related("person", "person__named_worker", "person__team", "budget")
        .filter(pk=plan_id)
        .first()
    )
    if plan is None:
        raise Http404("No such plan")
    basis = access_basis(user, plan.person)
    if basis is None:
        raise Http404("No such plan")
    with transaction.atomic():
        audit_record(
            actor=user,
            person=plan.person,
            event_type=EventType.PERSON_VIEWED,
            reason=basis,
            new_values={"page": "plan", "plan": plan.pk},
        )
    return plan


def latest_plan(*, person: Person) -> Plan | None:
    return (
        Plan.objects.filter(person=person)
        .select_related("budget")
        .order_by("-created_at", "-id")
        .first()
    )


def plan_totals(*, plan: Plan) -> costs.ItemCost:
    items = list(plan.items.all())
    return costs.plan_total([costs.ItemCost(i.weekly_cost, i.annual_cost) for i in items])
