from __future__ import annotations

from django.urls import path

from selfdirect.legacy import views

app_name = "legacy"
urlpatterns = [
    path("", views.upload, name="upload"),
    path("<int:batch_id>/", views.batch, name="batch"),
    path("<int:batch_id>/import/", views.run, name="run"),
]
