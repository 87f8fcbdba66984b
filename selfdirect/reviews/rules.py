"""Who may do what with reviews, learning and peer support (the relationship itself is
checked by the selectors: no relationship, 404)."""

from __future__ import annotations

import rules

from selfdirect.accounts.models import Role, User
from selfdirect.people.rules import is_case_worker, is_portal_person_or_representative


@rules.predicate
def sees_learning(user: User) -> bool:
    return user.is_authenticated and user.role in {Role.COMMISSIONER, Role.ADMINISTRATOR}


@rules.predicate
def is_administrator(user: User) -> bool:
    return user.is_authenticated and user.role == Role.ADMINISTRATOR


rules.add_perm("reviews.work_on_reviews", is_case_worker)
rules.add_perm("reviews.give_view", is_portal_person_or_representative)
rules.add_perm("reviews.see_learning", sees_learning)
rules.add_perm("reviews.manage_themes", is_administrator)
