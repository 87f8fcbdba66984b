from __future__ import annotations

from django.urls import path

from selfdirect.workforce import views

app_name = "workforce"
urlpatterns = [
    path("staff/", views.staff_list, name="staff-list"),
    path("staff/<int:user_id>/change/", views.staff_edit, name="staff-edit"),
    path("teams/", views.team_list, name="team-list"),
    path("teams/new/", views.team_create, name="team-create"),
    path("teams/<int:team_id>/change/", views.team_edit, name="team-edit"),
    path("fields/", views.field_register, name="field-register"),
]
