from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from selfdirect.accounts.models import User
from selfdirect.api.tokens import token_create


class ApiClient:
    """Calls /api/v1 as one user, with a real bearer token."""

    def __init__(self, user: User | None) -> None:
        self.client = Client()
        self.headers: dict[str, str] = {}
        if user is not None:
            _, token = token_create(user=user, name="test")
            self.headers = {"Authorization": f"Bearer {token}"}

    def call(self, method: str, path: str, data: Any = None) -> Any:
        kwargs: dict[str, Any] = {"headers": self.headers}
        if data is not None:
            kwargs.update(data=json.dumps(data), content_type="application/json")
        response = getattr(self.client, method.lower())(f"/api/v1{path}", **kwargs)
        return response

    def get(self, path: str) -> Any:
        return self.call("GET", path)

    def post(self, path: str, data: Any = None) -> Any:
        return self.call("POST", path, {} if data is None else data)

    def put(self, path: str, data: Any) -> Any:
        return self.call("PUT", path, data)


@pytest.fixture
def api_as() -> Callable[[User | None], ApiClient]:
    return ApiClient
