from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

_LAST_SEEN = "last_seen"


class InactivityTimeoutMiddleware:
    """Sign a user out after SESSION_INACTIVITY_TIMEOUT seconds without a request.

    The stored session expires too, but that alone would drop people on the sign-in
    page without saying why; here we can tell them. The time of the last request is
    written at most every SESSION_TOUCH_SECONDS, so most pages save nothing.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            last_seen = request.session.get(_LAST_SEEN)
            if last_seen is not None and now - last_seen > settings.SESSION_INACTIVITY_TIMEOUT:
                logout(request)
                minutes = max(1, settings.SESSION_INACTIVITY_TIMEOUT // 60)
                messages.info(
                    request,
                    "You were signed out because you had not used the service for "
                    f"{minutes} minute{'s' if minutes != 1 else ''}. Sign in again to carry on.",
                )
                return redirect_to_login(request.get_full_path())
            if last_seen is None or now - last_seen >= settings.SESSION_TOUCH_SECONDS:
                request.session[_LAST_SEEN] = now
        return self.get_response(request)


ENROLLED = "selfdirect_two_factor_enrolled"

# Pages a staff member may open before setting up two-factor authentication: nothing on
# them is personal data.
OPEN_BEFORE_SET_UP = frozenset(
    {
        "accounts:two-factor-setup",
        "accounts:recovery-codes",
        "accounts:sign-in",
        "accounts:sign-in-code",
        "accounts:sign-out",
        "accounts:signed-out",
        "core:accessibility",
        "core:privacy",
        "budgets:transparency",
    }
)


class RequireTwoFactorMiddleware:
    """Every staff account must have an authenticator app before it opens any other page.

    Whether the user has set one up is looked up once and then kept in the session. The
    API is not affected: it takes bearer tokens, never a session.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: object, view_args: object, view_kwargs: object
    ) -> HttpResponse | None:
        from selfdirect.accounts.services import is_enrolled, needs_two_factor

        user = request.user
        if not user.is_authenticated or not needs_two_factor(user):
            return None
        if request.session.get(ENROLLED) == user.pk:
            return None
        match = request.resolver_match
        name = match.view_name if match else ""
        if (
            name in OPEN_BEFORE_SET_UP
            or name.startswith("api-1.0.0:")
            or request.path.startswith("/api/")
        ):
            return None
        if is_enrolled(user):
            request.session[ENROLLED] = user.pk
            return None
        setup = reverse("accounts:two-factor-setup")
        return HttpResponseRedirect(f"{setup}?{urlencode({'next': request.get_full_path()})}")
