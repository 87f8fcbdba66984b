from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from selfdirect.accounts.forms import SignInForm


class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    """Sign out by POST only, so a link or image can never sign someone out."""


def signed_out(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/signed_out.html")
