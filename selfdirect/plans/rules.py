"""Who may write a plan: the person, their representative, and case-holding staff with a
relationship (checked by plans.selectors, 404). Invited helpers come with invitations."""

from __future__ import annotations

import rules

from selfdirect.accounts.models import Role, User
from selfdirect.people.rules import is_case_worker, is_portal_person_or_representative

rules.add_perm("plans.write_plan", is_case_worker | is_portal_person_or_representative)


@rules.predicate
def is_panel_member(user: User) -> bool:
    return user.is_authenticated and user.role == Role.PANEL_MEMBER


rules.add_perm("plans.decide_plan", is_case_worker | is_panel_member)
rules.add_perm("plans.use_panel_queue", is_panel_member)
