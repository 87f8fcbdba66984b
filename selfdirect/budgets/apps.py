from __future__ import annotations

from django.apps import AppConfig


class BudgetsConfig(AppConfig):
    name = "selfdirect.budgets"
    verbose_name = "The RAS and indicative budgets"
