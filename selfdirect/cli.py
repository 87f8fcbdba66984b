"""The `selfdirect` console script: Django's management commands under one name.

`selfdirect seed --people 1000`, `selfdirect migrate`, `selfdirect runserver` and so on
behave exactly like `python manage.py ...`.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "selfdirect.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["selfdirect", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
