from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse

_LAST_SEEN = "last_seen"


class InactivityTimeoutMiddleware:
    """Sign a user out after SESSION_INACTIVITY_TIMEOUT seconds without a request.

    The session cookie expires too, but that alone would drop people on the sign-in
    page without saying why; here we can tell them.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            last_seen = request.session.get(_LAST_SEEN, now)
            if now - last_seen > settings.SESSION_INACTIVITY_TIMEOUT:
                logout(request)
                minutes = max(1, settings.SESSION_INACTIVITY_TIMEOUT // 60)
                messages.info(
                    request,
                    "You were signed out because you had not used the service for "
                    f"{minutes} minute{'s' if minutes != 1 else ''}. Sign in again to carry on.",
                )
                return redirect_to_login(request.get_full_path())
            request.session[_LAST_SEEN] = now
        return self.get_response(request)
