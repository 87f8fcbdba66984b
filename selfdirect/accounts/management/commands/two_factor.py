"""`selfdirect two-factor reset USERNAME` and, on a demo or test council only,
`selfdirect two-factor code USERNAME`."""

from __future__ import annotations

import time
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from selfdirect.accounts import services, totp
from selfdirect.accounts.models import TwoFactorDevice, User


class Command(BaseCommand):
    help = "Reset a user's two-factor authentication; on a demo council, print a current code."

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        reset = actions.add_parser(
            "reset",
            help="Remove a user's authenticator app and recovery codes (they lost both); "
            "they set up a new app at their next sign-in",
        )
        reset.add_argument("username")
        code = actions.add_parser(
            "code",
            help="Print the code a demo account's authenticator app would show now "
            "(refused when SELFDIRECT_PRODUCTION is set)",
        )
        code.add_argument("username")

    def handle(self, *args: Any, action: str, username: str, **options: Any) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"There is no user {username!r}")
        if action == "reset":
            services.two_factor_reset(user=user)
            self.stdout.write(
                f"Two-factor authentication reset for {user.username}: they will set up a new "
                "authenticator app when they next sign in."
            )
            return
        if settings.SECURE:
            raise CommandError("Codes are only printed on a demo or test council.")
        device = TwoFactorDevice.objects.filter(user=user).first()
        if device is None:
            raise CommandError(f"{user.username} has not set up an authenticator app")
        now = time.time()
        seconds = int(totp.STEP_SECONDS - now % totp.STEP_SECONDS)
        code = totp.unused_code(device.secret, now, device.last_used_step)
        self.stdout.write(f"{code}  (for {user.username}; a new code in {seconds} s)")
