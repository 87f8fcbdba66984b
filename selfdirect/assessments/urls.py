from __future__ import annotations

from django.urls import path

from selfdirect.assessments import views

app_name = "assessments"
urlpatterns = [
    path("contacts/", views.contact_queue, name="queue"),
    path("people/<int:person_id>/contacts/new/", views.contact_create, name="contact-create"),
    path("contacts/<int:contact_id>/starter-budget/", views.starter_budget, name="starter-budget"),
    path("contacts/<int:contact_id>/close/", views.contact_close, name="contact-close"),
    path("people/<int:person_id>/capacity/new/", views.capacity_create, name="capacity-create"),
    path("assessments/<int:assessment_id>/story/", views.story, name="story"),
    path("assessments/<int:assessment_id>/outcomes/", views.outcomes, name="outcomes"),
    path("assessments/<int:assessment_id>/decision/", views.decision, name="decision"),
    path("assessments/<int:assessment_id>/", views.result, name="result"),
    path("assessments/<int:assessment_id>/letter.pdf", views.letter, name="letter"),
]
