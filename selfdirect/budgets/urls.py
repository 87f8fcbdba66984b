from __future__ import annotations

from django.urls import path

from selfdirect.budgets import views

app_name = "budgets"
urlpatterns = [
    path("how-budgets-are-worked-out/", views.transparency, name="transparency"),
    path("council/ras/", views.ras_list, name="ras-list"),
    path("council/ras/new/", views.ras_new, name="ras-new"),
]
