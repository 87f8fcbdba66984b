"""Who may see the figures pages: team managers, commissioners and administrators.

The figures are anonymised counts, so a team manager may look at every team. Names appear in
one place only: a team manager's own list of people in their own team who have had two or
more changes of named worker (dashboards/selectors.py keeps it to their team).
"""

from __future__ import annotations

import rules

from selfdirect.accounts.models import Role, User
from selfdirect.people.rules import is_team_manager

FIGURES_ROLES = frozenset({Role.TEAM_MANAGER, Role.COMMISSIONER, Role.ADMINISTRATOR})


@rules.predicate
def sees_figures(user: User) -> bool:
    return user.is_authenticated and user.role in FIGURES_ROLES


rules.add_perm("dashboards.see_figures", sees_figures)
rules.add_perm("dashboards.see_named_people", is_team_manager)
