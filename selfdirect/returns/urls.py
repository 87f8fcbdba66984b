from __future__ import annotations

from django.urls import path

from selfdirect.returns import views

app_name = "returns"
urlpatterns = [
    path("cld/", views.cld, name="cld"),
    path("cld/<int:run_id>/", views.cld_run, name="cld-run"),
    path("cld/<int:run_id>/download/", views.cld_download, name="cld-download"),
]
