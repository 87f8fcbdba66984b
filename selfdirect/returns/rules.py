"""Who may make and download the statutory return: administrators, who hold no caseload."""

from __future__ import annotations

import rules

from selfdirect.workforce.rules import is_administrator

rules.add_perm("returns.make_return", is_administrator)
