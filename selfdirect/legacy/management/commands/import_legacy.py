"""`selfdirect import --people people.csv --workers workers.xlsx ... [--dry-run] --by USERNAME`:
bring records over from the council's previous system.

Every problem in every file is listed before anything is written; a real run writes nothing
while any problem remains, and otherwise writes every row in one transaction.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from selfdirect.accounts.models import Role, User
from selfdirect.legacy import services, validate

HELP_FOR = {
    validate.WORKERS: "staff accounts",
    validate.PEOPLE: "people drawing on support",
    validate.ALLOCATIONS: "named workers, current and past",
    validate.CIRCLES: "circles of support",
    validate.SERVICES: "current services",
}


class Command(BaseCommand):
    help = (
        "Import workers, people, named-worker allocations, circles of support and current "
        "services from CSV or Excel (.xlsx) files. Use --dry-run first to see every problem."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        for kind in validate.KINDS:
            parser.add_argument(
                f"--{kind}", type=Path, metavar="FILE", help=f"The {HELP_FOR[kind]} file"
            )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the files and write nothing"
        )
        parser.add_argument(
            "--by",
            metavar="USERNAME",
            help="The administrator doing the import, named in the audit trail "
            "(needed unless --dry-run)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        uploads = [
            _read(kind, options[kind]) for kind in validate.KINDS if options[kind] is not None
        ]
        if not uploads:
            raise CommandError(
                "Give at least one file, for example: --people people.csv --workers workers.csv"
            )
        if options["dry_run"]:
            checked = services.legacy_check(uploads=uploads)
            self._report(checked)
            if not checked.ok:
                raise CommandError(_refusal(checked, "Nothing was written (dry run)"))
            self.stdout.write(
                f"No problems found: {validate.counted(checked.counts())} to import."
                f"{_already(checked)} Dry run: nothing was written."
            )
            return
        actor = _administrator(options["by"])
        try:
            checked = services.legacy_import(actor=actor, uploads=uploads)
        except services.ImportRefused as refused:
            self._report(refused.checked)
            raise CommandError(_refusal(refused.checked, "Nothing was imported")) from None
        self.stdout.write(f"Imported {validate.counted(checked.counts())}.{_already(checked)}")

    def _report(self, checked: validate.Checked) -> None:
        for problem in checked.problems:
            self.stderr.write(str(problem))


def _read(kind: str, path: Path) -> validate.Upload:
    """Read a file, refusing a missing or oversized one before loading it."""
    if not path.is_file():
        raise CommandError(f"There is no file {path}")
    limit = settings.UPLOAD_MAX_BYTES
    if path.stat().st_size > limit:
        raise CommandError(
            f"{path.name} is larger than {validate.size_label(limit)}: split it into smaller files"
        )
    return validate.Upload(kind=kind, name=path.name, data=path.read_bytes())


def _administrator(username: str | None) -> User:
    if not username:
        raise CommandError(
            "Say who is importing with --by USERNAME (an administrator), so the audit trail "
            "names them; or check the files with --dry-run"
        )
    user = User.objects.filter(username=username, role=Role.ADMINISTRATOR).first()
    if user is None:
        raise CommandError(f"There is no administrator with the username {username}")
    return user


def _refusal(checked: validate.Checked, what: str) -> str:
    count = len(checked.problems)
    return f"{count} problem{'s' if count != 1 else ''} found. {what}."


def _already(checked: validate.Checked) -> str:
    already = sum(checked.already.values())
    if not already:
        return ""
    return f" {already} row{'s' if already != 1 else ''} imported before left as they were."
