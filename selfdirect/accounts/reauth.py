"""Sensitive actions (exports, subject access, sign-off limits, the RAS, deleting records)
need a recent sign-in: within REAUTH_SECONDS, or the user confirms who they are again.

The time of the last sign-in or confirmation is kept in the session; signing in sets it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

AUTHENTICATED_AT = "selfdirect_authenticated_at"

View = Callable[..., HttpResponse]


def mark_authenticated(request: HttpRequest) -> None:
    request.session[AUTHENTICATED_AT] = time.time()


def is_recent(request: HttpRequest) -> bool:
    at = request.session.get(AUTHENTICATED_AT)
    return isinstance(at, int | float) and time.time() - at <= settings.REAUTH_SECONDS


def confirm_url(next_url: str) -> str:
    return f"{reverse('accounts:confirm')}?{urlencode({'next': next_url})}"


def recent_auth_required(view: View) -> View:
    """Send the user to confirm their password (and code) first, then back to this page.

    Put it inside (after) the permission decorator, so strangers still get 403/404 first.
    A POST that arrives too late is not carried out; the user is sent back to the page's
    address once they have confirmed, so the form is shown to them again.
    """

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_recent(request):
            return HttpResponseRedirect(confirm_url(request.get_full_path()))
        return view(request, *args, **kwargs)

    wrapped.needs_recent_auth = True  # type: ignore[attr-defined]
    return wrapped
