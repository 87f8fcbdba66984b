"""Who may change the RAS.

Administrators publish new versions. Commissioners and administrators may try out drafts and
see what they would do to everyone's budgets (aggregates only, nobody named); a draft reaches
people only when an administrator publishes it.
"""

from __future__ import annotations

import rules

from selfdirect.accounts.models import Role, User
from selfdirect.workforce.rules import is_administrator


@rules.predicate
def models_ras(user: User) -> bool:
    return user.is_authenticated and user.role in {Role.COMMISSIONER, Role.ADMINISTRATOR}


rules.add_perm("budgets.manage_ras", is_administrator)
rules.add_perm("budgets.model_ras", models_ras)
rules.add_perm("budgets.publish_ras", is_administrator)
