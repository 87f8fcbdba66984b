from __future__ import annotations

from django.urls import path

from selfdirect.caseloads import views

app_name = "caseloads"
urlpatterns = [
    path("", views.team, name="team"),
    path("workers/<int:user_id>/", views.worker, name="worker"),
]
