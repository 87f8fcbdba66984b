"""Who may record contacts, assess, and decide capacity: case-holding staff with a relationship.

The relationship test is people.rules.access_basis, applied by the selectors (404).
"""

from __future__ import annotations

import rules

from selfdirect.people.rules import is_case_worker, is_portal_person_or_representative

rules.add_perm("assessments.assess", is_case_worker)
rules.add_perm("assessments.view_contact_queue", is_case_worker)
rules.add_perm("assessments.tell_my_story", is_portal_person_or_representative)
