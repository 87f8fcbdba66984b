"""`selfdirect subject_access --person ID --reason "..." --json out.json --pdf out.pdf`.

Everything held about one person, written to the files named, for the council's information
governance team when the web page is not the right tool (for example a batch of requests).
The production is audited like one from the page: the actor is --user if given (who must be
an administrator), otherwise "System".
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from selfdirect.accounts.models import User
from selfdirect.people.models import Person
from selfdirect.subject_access.services import JSON, PDF, subject_access_produce


class Command(BaseCommand):
    help = (
        "Produce everything held about one person as a JSON file and/or a readable PDF. "
        "Each production is written to the audit trail with the reason given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--person", type=int, required=True, help="The person's record number, like 12"
        )
        parser.add_argument(
            "--reason", required=True, help="The request reference or reason (audited)"
        )
        parser.add_argument("--json", type=Path, help="Write the JSON file here")
        parser.add_argument("--pdf", type=Path, help="Write the PDF here")
        parser.add_argument(
            "--user",
            help="Username of the administrator producing it (default: recorded as System)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        targets: dict[str, Path] = {
            fmt: options[fmt] for fmt in (JSON, PDF) if options[fmt] is not None
        }
        if not targets:
            raise CommandError("Give --json PATH, --pdf PATH, or both")
        if not options["reason"].strip():
            raise CommandError("Give the request reference or reason with --reason")
        actor = self._actor(options["user"])
        # The command line has no relationship to check: whoever can run it can read the
        # database anyway. What matters is that the production is recorded.
        person = (
            Person.objects.select_related("team", "named_worker", "portal_user")
            .filter(pk=options["person"])
            .first()
        )
        if person is None:
            raise CommandError(f"No person has record number {options['person']}")
        for path in targets.values():
            if not path.parent.is_dir():
                raise CommandError(f"There is no folder {path.parent} to write {path.name} in")
        try:
            files = subject_access_produce(
                actor=actor, person=person, reason=options["reason"], formats=list(targets)
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        for fmt, path in targets.items():
            path.write_bytes(files[fmt].content)
            self.stdout.write(f"Wrote {path} ({len(files[fmt].content):,} bytes)")
        self.stdout.write(f"Recorded in {person.reference}'s audit trail.")

    def _actor(self, username: str | None) -> User | None:
        if not username:
            return None
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user has the username {username}")
        if not user.has_perm("subject_access.produce"):
            raise CommandError(f"{username} is not an administrator")
        return user
