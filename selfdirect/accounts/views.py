"""Signing in (password, then a code for staff), setting up two-factor authentication,
and confirming who you are before a sensitive action.

Every call to `login()` in the service is here or in the portal's link and invitation
views, which refuse staff: so no staff member is ever signed in without their code.
"""

from __future__ import annotations

import time
from typing import Any

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from selfdirect.accounts import services, totp
from selfdirect.accounts.forms import CodeForm, ConfirmForm, SetUpForm, SignInForm
from selfdirect.accounts.models import AttemptStage, User
from selfdirect.accounts.reauth import confirm_url, is_recent, mark_authenticated
from selfdirect.core.access import AuthedRequest, sign_in_required

PENDING = "selfdirect_pending_sign_in"
PENDING_SECONDS = 300
SETUP_SECRET = "selfdirect_two_factor_secret"  # noqa: S105 - a session key, not a secret
NEW_CODES = "selfdirect_new_recovery_codes"
THROTTLED = "Too many attempts to sign in. Wait a minute, then try again."


def _safe_next(request: HttpRequest, candidate: str | None, default: str) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        username = request.POST.get("username", "")
        address = services.client_address(request)
        if username and services.is_throttled(username=username, address=address):
            services.record_attempt(
                username=username, address=address, stage=AttemptStage.REFUSED, succeeded=False
            )
            form = self.get_form()
            form.errors.clear()
            form.add_error(None, THROTTLED)
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        username = self.request.POST.get("username", "")
        if username and self.request.POST.get("password"):
            services.record_attempt(
                username=username,
                address=services.client_address(self.request),
                stage=AttemptStage.PASSWORD,
                succeeded=False,
            )
        return super().form_invalid(form)

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        user = form.get_user()
        services.record_attempt(
            username=user.username,
            address=services.client_address(self.request),
            stage=AttemptStage.PASSWORD,
            succeeded=True,
        )
        if services.needs_two_factor(user) and services.is_enrolled(user):
            # Not signed in yet: the code comes next, on its own page.
            self.request.session[PENDING] = {
                "user": user.pk,
                "backend": getattr(user, "backend", settings.AUTHENTICATION_BACKENDS[-1]),
                "at": time.time(),
                "next": self.get_success_url(),
            }
            return HttpResponseRedirect(reverse("accounts:sign-in-code"))
        return super().form_valid(form)


def _pending_user(request: HttpRequest) -> tuple[User, dict[str, Any]] | None:
    pending = request.session.get(PENDING)
    if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None
    user_id = pending.get("user")
    if not isinstance(user_id, int):
        return None
    user = User.objects.filter(pk=user_id, is_active=True).first()
    return (user, pending) if user is not None else None


@never_cache
@sensitive_post_parameters("code")
def sign_in_code(request: HttpRequest) -> HttpResponse:
    found = _pending_user(request)
    if found is None:
        request.session.pop(PENDING, None)
        messages.info(request, "Sign in again: the code must be entered within 5 minutes.")
        return HttpResponseRedirect(reverse("accounts:sign-in"))
    user, pending = found
    address = services.client_address(request)
    form = CodeForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        if services.is_throttled(username=user.username, address=address):
            services.record_attempt(
                username=user.username, address=address, stage=AttemptStage.REFUSED, succeeded=False
            )
            form.add_error(None, THROTTLED)
            status = 429
        else:
            kind = services.second_factor_check(user=user, code=form.cleaned_data["code"])
            services.record_attempt(
                username=user.username,
                address=address,
                stage=AttemptStage.CODE,
                succeeded=bool(kind),
            )
            if kind:
                del request.session[PENDING]
                login(request, user, backend=pending["backend"])
                if kind == "recovery":
                    left = services.recovery_codes_left(user)
                    messages.warning(
                        request,
                        f"You used a recovery code. You have {left} left: make new ones from "
                        "‘Your account’ if you are running out.",
                    )
                return HttpResponseRedirect(
                    _safe_next(request, pending.get("next"), reverse(settings.LOGIN_REDIRECT_URL))
                )
            form.add_error(
                "code",
                "The code is not right. Enter the code your app shows now, or a recovery code",
            )
    return render(request, "accounts/sign_in_code.html", {"form": form}, status=status)


def _qr_svg(uri: str) -> str:
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    svg: str = image.to_string(encoding="unicode")
    # A labelled image for screen readers; the secret is also given in text below it.
    return svg.replace(
        "<svg ", '<svg role="img" aria-label="QR code for your authenticator app" ', 1
    )


@never_cache
@sign_in_required
def two_factor_setup(request: AuthedRequest) -> HttpResponse:
    """Add an authenticator app: scan the QR code (or type the key), prove it with a code."""
    user = request.user
    if not services.needs_two_factor(user):
        return HttpResponseRedirect(reverse("core:home"))
    secret = request.session.get(SETUP_SECRET)
    if not isinstance(secret, str) or not secret:
        secret = totp.new_secret()
        request.session[SETUP_SECRET] = secret
    form = SetUpForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        codes = services.two_factor_enrol(user=user, secret=secret, code=form.cleaned_data["code"])
        services.record_attempt(
            username=user.username,
            address=services.client_address(request),
            stage=AttemptStage.SET_UP,
            succeeded=codes is not None,
        )
        if codes is not None:
            del request.session[SETUP_SECRET]
            request.session[NEW_CODES] = codes
            mark_authenticated(request)
            next_url = _safe_next(request, request.GET.get("next"), reverse("core:home"))
            return HttpResponseRedirect(f"{reverse('accounts:recovery-codes')}?next={next_url}")
        form.add_error(
            "code",
            "The code is not right. Check the time on your phone is correct, then "
            "enter the code your app shows now",
        )
    uri = totp.provisioning_uri(secret, account=user.username, issuer=settings.TWO_FACTOR_ISSUER)
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr": mark_safe(_qr_svg(uri)),  # made by qrcode from our own URI
            "secret": totp.grouped(secret),
            "already": services.is_enrolled(user),
        },
    )


@never_cache
@sign_in_required
def recovery_codes(request: AuthedRequest) -> HttpResponse:
    """New recovery codes, shown once, straight after they are made."""
    codes = request.session.pop(NEW_CODES, None)
    if not codes:
        return HttpResponseRedirect(reverse("accounts:account"))
    next_url = _safe_next(request, request.GET.get("next"), reverse("core:home"))
    return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": next_url})


@never_cache
@sign_in_required
def account(request: AuthedRequest) -> HttpResponse:
    """Your account: two-factor status and recovery codes."""
    user = request.user
    if request.method == "POST" and services.is_enrolled(user):
        if not is_recent(request):
            return HttpResponseRedirect(confirm_url(reverse("accounts:account")))
        request.session[NEW_CODES] = services.recovery_codes_replace(user=user)
        return HttpResponseRedirect(
            f"{reverse('accounts:recovery-codes')}?next={reverse('accounts:account')}"
        )
    return render(
        request,
        "accounts/account.html",
        {
            "needs_two_factor": services.needs_two_factor(user),
            "enrolled": services.is_enrolled(user),
            "codes_left": services.recovery_codes_left(user),
        },
    )


@never_cache
@sensitive_post_parameters("password", "code")
@sign_in_required
def confirm(request: AuthedRequest) -> HttpResponse:
    """Confirm who you are (password, and code if you use two-factor) before a sensitive
    action; then back to where you were going."""
    user = request.user
    with_code = services.is_enrolled(user)
    form = ConfirmForm(request.POST if request.method == "POST" else None, with_code=with_code)
    next_url = _safe_next(
        request, request.POST.get("next") or request.GET.get("next"), reverse("core:home")
    )
    address = services.client_address(request)
    status = 200
    if request.method == "POST" and form.is_valid():
        if services.is_throttled(username=user.username, address=address):
            services.record_attempt(
                username=user.username, address=address, stage=AttemptStage.REFUSED, succeeded=False
            )
            form.add_error(None, THROTTLED)
            status = 429
        else:
            password_ok = (
                authenticate(
                    request, username=user.username, password=form.cleaned_data["password"]
                )
                is not None
            )
            code_ok = not with_code or (
                password_ok
                and services.second_factor_check(user=user, code=form.cleaned_data["code"])
                is not None
            )
            services.record_attempt(
                username=user.username,
                address=address,
                stage=AttemptStage.CONFIRM,
                succeeded=password_ok and code_ok,
            )
            if password_ok and code_ok:
                mark_authenticated(request)
                return HttpResponseRedirect(next_url)
            form.add_error(
                None,
                "The password or code is not right" if with_code else "The password is not right",
            )
    return render(
        request,
        "accounts/confirm.html",
        {"form": form, "next": next_url, "reauth_minutes": settings.REAUTH_SECONDS // 60},
        status=status,
    )


class SignOutView(auth_views.LogoutView):
    """Sign out by POST only, so a link or image can never sign someone out."""


def signed_out(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/signed_out.html")
