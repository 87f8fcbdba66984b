from __future__ import annotations

from django.apps import AppConfig


class CaseloadsConfig(AppConfig):
    name = "selfdirect.caseloads"
    verbose_name = "Caseloads and allocation"
