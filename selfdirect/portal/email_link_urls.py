"""Signing in by emailed link: /sign-in/email-link/ (portal accounts only)."""

from __future__ import annotations

from django.urls import path

from selfdirect.portal import email_link

app_name = "email_link"
urlpatterns = [
    path("", email_link.start, name="start"),
    path("sent/", email_link.sent, name="sent"),
    path("<str:token>/", email_link.use, name="use"),
]
