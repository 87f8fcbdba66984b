from __future__ import annotations

from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "selfdirect.people"
    verbose_name = "People and their circle of support"
