from __future__ import annotations

from django.apps import AppConfig


class ReturnsConfig(AppConfig):
    name = "selfdirect.returns"
    verbose_name = "Statutory returns"
