from __future__ import annotations

from django.urls import path

from selfdirect.subject_access import views

app_name = "subject_access"
urlpatterns = [
    path("", views.search, name="search"),
    path("<int:person_id>/", views.person, name="person"),
]
