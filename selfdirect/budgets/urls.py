from __future__ import annotations

from django.urls import path

from selfdirect.budgets import views

app_name = "budgets"
urlpatterns = [
    path("how-budgets-are-worked-out/", views.transparency, name="transparency"),
    path("council/ras/", views.ras_list, name="ras-list"),
    path("council/ras/new/", views.ras_new, name="ras-new"),
    path("council/ras/drafts/", views.ras_drafts, name="ras-drafts"),
    path("council/ras/drafts/new/", views.ras_draft_new, name="ras-draft-new"),
    path("council/ras/drafts/<int:pk>/", views.ras_draft, name="ras-draft"),
    path("council/ras/drafts/<int:pk>/what-if/", views.ras_draft_whatif, name="ras-draft-whatif"),
    path("council/ras/drafts/<int:pk>/delete/", views.ras_draft_delete, name="ras-draft-delete"),
    path("council/ras/drafts/<int:pk>/publish/", views.ras_draft_publish, name="ras-draft-publish"),
]
