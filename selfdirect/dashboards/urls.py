from __future__ import annotations

from django.urls import path

from selfdirect.dashboards import views

app_name = "dashboards"
urlpatterns = [
    path("", views.index, name="index"),
    path("continuity/", views.continuity, name="continuity"),
    path("flow/", views.flow, name="flow"),
    path("commissioning/", views.commissioning, name="commissioning"),
]
