"""Administrators' pages for restricted records, under /council/restricted-records/."""

from __future__ import annotations

from django.urls import path

from selfdirect.people import views

app_name = "restrictions"
urlpatterns = [
    path("", views.restrictions, name="list"),
    path("<int:person_id>/", views.restriction_person, name="person"),
]
