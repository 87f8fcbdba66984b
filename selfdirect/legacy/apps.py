from __future__ import annotations

from django.apps import AppConfig


class LegacyConfig(AppConfig):
    name = "selfdirect.legacy"
    verbose_name = "Import from a previous system"
