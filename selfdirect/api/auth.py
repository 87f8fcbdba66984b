from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from selfdirect.accounts.models import User
from selfdirect.api.tokens import user_for_token


class BearerToken(HttpBearer):
    """`Authorization: Bearer sd_...`: the call acts as the token's user."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user

    def __call__(self, request: HttpRequest) -> Any:
        return super().__call__(request)
