"""Who may see the records due under the retention rules, and delete them: administrators.

Deleting records at the end of their retention period is the council's duty as a whole
(information governance), not the person's workers', so it does not come from a relationship
with the person. Every deletion is audited, with the administrator's reason.
"""

from __future__ import annotations

import rules

from selfdirect.workforce.rules import is_administrator

rules.add_perm("retention.review", is_administrator)
rules.add_perm("retention.anonymise", is_administrator)

BASIS_RETENTION = "Administrator deleting records under the retention rules"


def retention_basis(user: object) -> str | None:
    """Why USER may open a record to delete it (the audit trail's reason), or None (404)."""
    return BASIS_RETENTION if is_administrator(user) else None
