"""Who may write a plan: the person, their representative, and case-holding staff with a
relationship (checked by plans.selectors, 404). Invited helpers come with invitations."""

from __future__ import annotations

import rules

from selfdirect.accounts.models import Role, User
from selfdirect.people.rules import access_basis, is_case_worker, is_portal_person_or_representative
from selfdirect.plans.models import Plan, PlanInvitation

rules.add_perm("plans.write_plan", is_case_worker | is_portal_person_or_representative)


@rules.predicate
def is_panel_member(user: User) -> bool:
    return user.is_authenticated and user.role == Role.PANEL_MEMBER


rules.add_perm("plans.decide_plan", is_case_worker | is_panel_member)
rules.add_perm("plans.use_panel_queue", is_panel_member)


BASIS_PLAN_HELPER = "Plan helper invited by the person"


def plan_access_basis(user: User, plan: Plan) -> str | None:
    """Who may open a plan: anyone with a relationship to the person, and the helpers the
    person invited to this plan (and only this plan)."""
    if user.is_authenticated and user.role == Role.PLAN_HELPER:
        # Expiry limits how long the link can be used to join, not an accepted helper's access.
        invited = PlanInvitation.objects.filter(plan=plan, accepted_by=user).exists()
        return BASIS_PLAN_HELPER if invited else None
    return access_basis(user, plan.person)


@rules.predicate
def is_plan_helper(user: User) -> bool:
    return user.is_authenticated and user.role == Role.PLAN_HELPER


rules.add_perm(
    "plans.help_with_plan", is_case_worker | is_portal_person_or_representative | is_plan_helper
)
rules.add_perm("plans.invite_helper", is_portal_person_or_representative)
rules.add_perm("plans.accept_invitation", is_plan_helper)
