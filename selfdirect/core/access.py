"""The first access question, asked by decorators on every view: may this *role* do this at all?

Signed-out users are sent to sign in; a signed-in user whose role never does this
gets 403. Whether they may see a particular person is the selectors' question (404).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from selfdirect.accounts.models import User

View = Callable[..., HttpResponse]


class AuthedRequest(HttpRequest):
    """A request that has passed one of the decorators below: `user` is a real account."""

    user: User


def permission_required(perm: str) -> Callable[[View], View]:
    """Require sign-in, then the role-level permission PERM (defined in an app's rules.py)."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not request.user.has_perm(perm):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.required_permission = perm  # type: ignore[attr-defined]
        return wrapped

    return decorator


def sign_in_required(view: View) -> View:
    """Any signed-in user; what they see is filtered by their relationships."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapped
