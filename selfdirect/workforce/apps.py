from __future__ import annotations

from django.apps import AppConfig


class WorkforceConfig(AppConfig):
    name = "selfdirect.workforce"
    verbose_name = "Teams and staff"
