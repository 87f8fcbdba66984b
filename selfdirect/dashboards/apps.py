from __future__ import annotations

from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "selfdirect.dashboards"
    verbose_name = "Figures for managers and commissioners"
