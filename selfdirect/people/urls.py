from __future__ import annotations

from django.urls import path

from selfdirect.people import views

app_name = "people"
urlpatterns = [
    path("", views.person_list, name="list"),
    path("new/", views.person_create, name="create"),
    path("<int:person_id>/", views.person_detail, name="detail"),
    path("<int:person_id>/change/", views.person_edit, name="edit"),
    path("<int:person_id>/circle/add/", views.relationship_add, name="circle-add"),
    path(
        "<int:person_id>/circle/<int:relationship_id>/change/",
        views.relationship_edit,
        name="circle-edit",
    ),
    path(
        "<int:person_id>/circle/<int:relationship_id>/remove/",
        views.relationship_remove,
        name="circle-remove",
    ),
    path("<int:person_id>/named-worker/", views.named_worker_change, name="named-worker"),
    path(
        "<int:person_id>/named-worker/release/",
        views.named_worker_release,
        name="named-worker-release",
    ),
    path("<int:person_id>/handover-read/", views.handover_read, name="handover-read"),
    path("<int:person_id>/crises/add/", views.crisis_add, name="crisis-add"),
    path("<int:person_id>/audit/", views.person_audit, name="audit"),
    # Need to know: seeing someone outside your caseload, and your manager reviewing it.
    path("outside-caseload/", views.break_glass, name="break-glass"),
    path("outside-caseload/uses/", views.break_glass_uses, name="break-glass-uses"),
]
