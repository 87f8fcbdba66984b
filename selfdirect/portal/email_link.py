"""Signing in to the portal by a link sent to your email address, instead of a password.

The request page says the same thing whether or not an account exists, so it cannot be used
to find out who has one. Staff are never sent a link. The link's page asks for a button press
(a POST) before signing in: some email systems open every link in a message to check it, and
that must not use the link up.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from selfdirect.portal import services
from selfdirect.portal.forms import SignInLinkForm
from selfdirect.portal.invitations import BACKEND, link_problem
from selfdirect.portal.links import LinkState


def start(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return HttpResponseRedirect(reverse("core:home"))
    form = SignInLinkForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.sign_in_link_request(
            email=form.cleaned_data["email"],
            use_url=lambda token: request.build_absolute_uri(
                reverse("email_link:use", args=[token])
            ),
        )
        return HttpResponseRedirect(reverse("email_link:sent"))
    return render(request, "portal/email_link_start.html", {"form": form})


def sent(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/email_link_sent.html",
        {"sign_in_link_minutes": settings.SIGN_IN_LINK_MINUTES},
    )


def use(request: HttpRequest, token: str) -> HttpResponse:
    link = services.sign_in_link_for_token(token)
    if link is None:
        return link_problem(request, None, "sign_in")
    state = services.sign_in_link_state(link)
    if state != LinkState.GOOD:
        return link_problem(request, state, "sign_in")
    if request.method == "POST":
        try:
            user = services.sign_in_link_use(token=token)
        except services.LinkProblem as problem:
            return link_problem(request, problem.state, "sign_in")
        login(request, user, backend=BACKEND)
        messages.success(request, "You are signed in")
        return HttpResponseRedirect(reverse("portal:home"))
    return render(request, "portal/email_link_use.html", {"expires_at": link.expires_at})
