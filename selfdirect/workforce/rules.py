"""Who may configure the council's teams and staff: administrators only."""

from __future__ import annotations

import rules

from selfdirect.accounts.models import Role, User


@rules.predicate
def is_administrator(user: User) -> bool:
    return user.is_authenticated and user.role == Role.ADMINISTRATOR


rules.add_perm("workforce.manage_staff", is_administrator)
