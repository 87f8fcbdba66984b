from __future__ import annotations

from typing import Any

from django.apps import AppConfig


def _signed_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """A sign-in counts as confirming who you are, for REAUTH_SECONDS."""
    from selfdirect.accounts.reauth import mark_authenticated

    if request is not None and hasattr(request, "session"):
        mark_authenticated(request)


class AccountsConfig(AppConfig):
    name = "selfdirect.accounts"
    verbose_name = "Accounts and sign-in"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        user_logged_in.connect(_signed_in, dispatch_uid="selfdirect-signed-in")
