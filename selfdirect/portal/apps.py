from __future__ import annotations

from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "selfdirect.portal"
    verbose_name = "Portal for people and families"
