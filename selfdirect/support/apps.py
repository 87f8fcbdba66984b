from __future__ import annotations

from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "selfdirect.support"
    verbose_name = "Making it happen: services, direct payments and the first review"
