"""Who may publish a new RAS: administrators (commissioners model drafts in a later release)."""

from __future__ import annotations

import rules

from selfdirect.workforce.rules import is_administrator

rules.add_perm("budgets.manage_ras", is_administrator)
