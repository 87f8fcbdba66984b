from __future__ import annotations

from django.urls import path

from selfdirect.plans import views as plan_views
from selfdirect.portal import invitations, views, who_looked
from selfdirect.reviews import views as review_views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("people/<int:person_id>/", views.person, name="person"),
    path("people/<int:person_id>/story/", views.story, name="story"),
    path("people/<int:person_id>/budget/", views.budget, name="budget"),
    path("people/<int:person_id>/letter.pdf", views.letter, name="letter"),
    # The plan pages are shared with staff; these names keep portal users in the portal.
    path("people/<int:person_id>/plan/", plan_views.start, name="plan"),
    path("plans/<int:plan_id>/", plan_views.edit, name="plan-edit"),
    path("plans/<int:plan_id>/helpers/", plan_views.invite, name="plan-invite"),
    path("invitations/<str:token>/", plan_views.accept_invitation, name="invitation"),
    path("people/<int:person_id>/review/", review_views.portal_review, name="review"),
    path("reviews/<int:review_id>/invite/", review_views.portal_invite, name="review-invite"),
    path("people/<int:person_id>/peer-support/", review_views.portal_peers, name="peers"),
    path("peer-links/<int:link_id>/", review_views.portal_peer_answer, name="peer-answer"),
]

# --- helper-portal: invitations to use the portal (issue 9) ---
urlpatterns += [
    path(
        "staff/people/<int:person_id>/invitations/",
        invitations.staff_invitations,
        name="staff-invitations",
    ),
    path(
        "staff/invitations/<int:invitation_id>/send-again/",
        invitations.staff_invitation_resend,
        name="staff-invitation-resend",
    ),
    path(
        "staff/invitations/<int:invitation_id>/withdraw/",
        invitations.staff_invitation_withdraw,
        name="staff-invitation-withdraw",
    ),
    # Reached from an emailed link, with no account yet.
    path("join/<str:token>/", invitations.join, name="join"),
    path("invitations/<str:token>/join/", invitations.helper_join, name="helper-join"),
]

# --- helper-access: who has looked at my record (issue 9) ---
urlpatterns += [
    path("people/<int:person_id>/who-has-looked/", who_looked.who_looked, name="who-looked"),
]
