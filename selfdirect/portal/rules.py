"""Who may use the portal: people, their representatives and invited plan helpers."""

from __future__ import annotations

import rules

from selfdirect.accounts.models import PORTAL_ROLES, User


@rules.predicate
def is_portal_user(user: User) -> bool:
    return user.is_authenticated and user.role in PORTAL_ROLES


rules.add_perm("portal.use_portal", is_portal_user)
