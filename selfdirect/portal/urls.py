from __future__ import annotations

from django.urls import path

from selfdirect.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("people/<int:person_id>/", views.person, name="person"),
]
