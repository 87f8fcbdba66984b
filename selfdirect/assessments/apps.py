from __future__ import annotations

from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "selfdirect.assessments"
    verbose_name = "Contacts, conversation-led assessment and eligibility"
