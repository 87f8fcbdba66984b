from __future__ import annotations

from django.urls import path

from selfdirect.retention import views

app_name = "retention"
urlpatterns = [
    path("", views.due, name="due"),
    path("<int:person_id>/delete/", views.anonymise, name="anonymise"),
]
