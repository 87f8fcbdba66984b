"""Who may import records from a previous system: administrators only.

An import creates staff accounts and people's records in bulk, outside any one worker's
relationship with a person, so it belongs with the other council set-up tasks.
"""

from __future__ import annotations

import rules

from selfdirect.workforce.rules import is_administrator

rules.add_perm("legacy.import_records", is_administrator)
