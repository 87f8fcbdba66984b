"""Who may produce everything held about a person: administrators only.

A subject access request (UK GDPR art. 15) is answered by the council as a whole, not by the
person's workers, so the right to produce one does not come from a relationship with the
person: an administrator may produce it for anyone, and every production is audited.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import rules

from selfdirect.people.rules import restriction_allows
from selfdirect.workforce.rules import is_administrator

if TYPE_CHECKING:
    from selfdirect.accounts.models import User
    from selfdirect.people.models import Person

BASIS_SUBJECT_ACCESS = "Administrator answering a subject access request"


def subject_access_basis(user: User, person: Person) -> str | None:
    """Why USER may open PERSON's record for subject access, or None (then 404).

    The audit trail records this as the reason for the read, as people.rules.access_basis
    does for workers.
    """
    if not is_administrator(user) or not restriction_allows(user, person):
        # A restricted record is hidden from administrators too, unless they are named on it
        # (people/rules.py): information governance names whoever answers the request.
        return None
    return BASIS_SUBJECT_ACCESS


rules.add_perm("subject_access.produce", is_administrator)
