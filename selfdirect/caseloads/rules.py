"""Who may see caseloads: a team manager sees their own team's (the relationship is the team)."""

from __future__ import annotations

import rules

from selfdirect.people.rules import is_team_manager

rules.add_perm("caseloads.view_team", is_team_manager)
