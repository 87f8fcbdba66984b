from __future__ import annotations

from django.urls import path

from selfdirect.reviews import views

app_name = "reviews"
urlpatterns = [
    path("reviews/", views.due, name="due"),
    path("people/<int:person_id>/reviews/", views.person_reviews, name="person"),
    path("people/<int:person_id>/reviews/unplanned/", views.unplanned, name="unplanned"),
    path("reviews/<int:review_id>/", views.review, name="review"),
    path("reviews/<int:review_id>/my-view/", views.worker_view, name="worker-view"),
    path("reviews/<int:review_id>/record/", views.complete, name="complete"),
    path("review-answer/<str:token>/", views.answer, name="answer"),
    path("people/<int:person_id>/peer-support/", views.peers, name="peers"),
    path("peer-links/<int:link_id>/", views.peer_answer, name="peer-answer"),
    path("learning/", views.learning_view, name="learning"),
    path("council/themes/", views.themes, name="themes"),
    path("council/themes/new/", views.theme_edit, name="theme-create"),
    path("council/themes/<int:theme_id>/change/", views.theme_edit, name="theme-edit"),
]
