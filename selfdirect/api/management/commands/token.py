"""`selfdirect token create --user USERNAME [--name NAME]`, `token list`, `token revoke ID`."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from selfdirect.accounts.models import User
from selfdirect.api import tokens
from selfdirect.api.models import ApiToken


class Command(BaseCommand):
    help = "Make, list and revoke API tokens. A token acts as its user, with their access."

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="Make a token for a user (shown once)")
        create.add_argument("--user", required=True, help="The username it acts as")
        create.add_argument("--name", default="", help="What it is for")
        listing = actions.add_parser("list", help="List tokens (never the tokens themselves)")
        listing.add_argument("--user", default="", help="Only this user's tokens")
        revoke = actions.add_parser("revoke", help="Stop a token working, at once")
        revoke.add_argument("id", type=int, help="The token's number, from `token list`")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "create":
            user = User.objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"There is no user {options['user']!r}")
            try:
                record, token = tokens.token_create(user=user, name=options["name"])
            except ValueError as error:
                raise CommandError(str(error)) from error
            self.stdout.write(f"Token {record.pk} for {user.username} ({record.name}):")
            self.stdout.write(token)
            self.stdout.write("Keep it secret: it is not stored and cannot be shown again.")
        elif action == "list":
            records = ApiToken.objects.select_related("user")
            if options["user"]:
                records = records.filter(user__username=options["user"])
            for record in records:
                state = f"revoked {record.revoked_at:%Y-%m-%d}" if record.revoked_at else "live"
                used = f"{record.last_used_at:%Y-%m-%d %H:%M}" if record.last_used_at else "never"
                self.stdout.write(
                    f"{record.pk:>5}  {record.prefix}…  {record.user.username:<20} "
                    f"{record.name:<30} {state}, last used {used}"
                )
        else:
            found = ApiToken.objects.filter(pk=options["id"]).first()
            if found is None:
                raise CommandError(f"There is no token {options['id']}")
            tokens.token_revoke(record=found)
            self.stdout.write(f"Token {found.pk} ({found.prefix}…) revoked")
