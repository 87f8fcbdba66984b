from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "selfdirect.accounts"
    verbose_name = "Accounts and sign-in"
