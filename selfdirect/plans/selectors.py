from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import Http404

from selfdirect.accounts.models import Role
from selfdirect.people.rules import restriction_allows, restriction_filter_for_user
from selfdirect.people.selectors import record_read_or_404
from selfdirect.plans import costs
from selfdirect.plans.models import Plan, PlanInvitation, PlanStatus
from selfdirect.plans.rules import plan_access_basis

BASIS_PANEL = "Panel member deciding a plan over budget"

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
    record_read_or_404(
        user=user,
        person=plan.person,
        basis=plan_access_basis(user, plan),
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


def plan_get_for_decision(*, user: User, plan_id: int) -> Plan:
    """A plan for someone who may decide it: a panel member sees only plans routed to the panel
    (they have no other relationship with the person); staff need a relationship (404)."""
    if user.role == Role.PANEL_MEMBER:
        plan = (
            Plan.objects.select_related("person", "budget")
            .filter(pk=plan_id, route_kind="panel")
            .first()
        )
        if plan is None:
            raise Http404("No such plan")
        # Panel members see plans by role, not relationship: a restriction still applies.
        allowed = restriction_allows(user, plan.person)
        record_read_or_404(
            user=user,
            person=plan.person,
            basis=BASIS_PANEL if allowed else None,
            new_values={"page": "panel decision", "plan": plan.pk},
        )
        return plan
    return plan_get_for_user(user=user, plan_id=plan_id)


def _waiting_for_panel() -> QuerySet[Plan]:
    return Plan.objects.filter(route_kind="panel", status=PlanStatus.SUBMITTED)


def panel_queue(*, user: User) -> QuerySet[Plan]:
    """Only plans over budget, waiting for the panel: nothing else ever reaches it.

    Plans of restricted records USER is not named on are left out (panel_hidden_count)."""
    return (
        _waiting_for_panel()
        .filter(restriction_filter_for_user(user, "person__"))
        .select_related("person", "budget")
        .order_by("submitted_at", "id")
    )


def panel_hidden_count(*, user: User) -> int:
    """How many plans waiting for the panel belong to restricted records USER may not see:
    counted, never named, so the panel knows to ask who may decide them."""
    return _waiting_for_panel().exclude(restriction_filter_for_user(user, "person__")).count()


def plans_for_helper(*, user: User) -> QuerySet[Plan]:
    return (
        Plan.objects.filter(invitations__accepted_by=user)
        .select_related("person")
        .distinct()
        .order_by("-created_at")
    )


def invitations_for_plan(*, plan: Plan) -> QuerySet[PlanInvitation]:
    return plan.invitations.select_related("accepted_by").order_by("-created_at", "-id")
