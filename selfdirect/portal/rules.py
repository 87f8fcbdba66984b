"""Who may use the portal: people, their representatives and invited plan helpers.

Who may invite someone to use it: a worker who holds cases (the first question, here); whether
they may for this person is their relationship with the person (people.change_person).
"""

from __future__ import annotations

import rules

from selfdirect.accounts.models import PORTAL_ROLES, User
from selfdirect.people.rules import is_case_worker


@rules.predicate
def is_portal_user(user: User) -> bool:
    return user.is_authenticated and user.role in PORTAL_ROLES


rules.add_perm("portal.use_portal", is_portal_user)
rules.add_perm("portal.invite_to_portal", is_case_worker)
