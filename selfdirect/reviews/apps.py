from __future__ import annotations

from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "selfdirect.reviews"
    verbose_name = "Reviews, learning and peer support"
