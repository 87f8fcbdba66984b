from __future__ import annotations

from django.urls import path

from selfdirect.plans import views

app_name = "plans"
urlpatterns = [
    path("people/<int:person_id>/plan/", views.start, name="start"),
    path("plans/<int:plan_id>/", views.edit, name="edit"),
    path("plans/<int:plan_id>/decision/", views.decide, name="decide"),
    path("plans/<int:plan_id>/totals/", views.totals, name="totals"),
    path("panel/", views.panel, name="panel"),
    path("plan-rules/", views.plan_rules, name="rules"),
]
