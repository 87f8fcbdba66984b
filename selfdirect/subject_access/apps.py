from __future__ import annotations

from django.apps import AppConfig


class SubjectAccessConfig(AppConfig):
    name = "selfdirect.subject_access"
    verbose_name = "Subject access"
