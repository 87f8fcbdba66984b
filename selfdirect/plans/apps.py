from __future__ import annotations

from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "selfdirect.plans"
    verbose_name = "The person's own support plan"
