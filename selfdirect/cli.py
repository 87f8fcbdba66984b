"""The `selfdirect` console script: Django's management commands under one name.

`selfdirect seed --people 1000`, `selfdirect migrate`, `selfdirect runserver` and so on
behave exactly like `python manage.py ...`. `selfdirect export-cld`, `check-cld`,
`import`, `audit-verify` and `retention-review` are the commands export_cld, check_cld,
import_legacy, audit_verify and retention_review.
"""

from __future__ import annotations

import os
import sys

# Names a council's staff type, for commands whose Python name cannot be the same.
ALIASES = {
    "export-cld": "export_cld",
    "check-cld": "check_cld",
    "import": "import_legacy",
    "subject-access": "subject_access",
    "audit-verify": "audit_verify",
    "two-factor": "two_factor",
    "retention-review": "retention_review",
}


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "selfdirect.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv[1:] if argv is None else argv)
    if args:
        args[0] = ALIASES.get(args[0], args[0])
    execute_from_command_line(["selfdirect", *args])


if __name__ == "__main__":
    main()
