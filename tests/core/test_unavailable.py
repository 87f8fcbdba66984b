"""When the database cannot be reached, pages say the service is unavailable for a moment
(503 with Retry-After), not that it is broken."""

from __future__ import annotations

import pytest
from django.db import OperationalError
from django.test import Client
from django.urls import reverse

from tests.conftest import World


def _database_down(*args: object, **kwargs: object) -> None:
    raise OperationalError("connection refused")


@pytest.mark.django_db
def test_database_down_gives_unavailable_page(world: World, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    client = Client(raise_request_exception=False)
    client.force_login(world.allocated_worker)
    monkeypatch.setattr("django.contrib.sessions.backends.db.SessionStore.load", _database_down)
    response = client.get(reverse("people:list"))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert "Sorry, the service is unavailable" in page
    assert "Try again in a minute" in page
    assert "Traceback" not in page


@pytest.mark.django_db
def test_other_errors_are_still_a_problem_with_the_service(world: World, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    client = Client(raise_request_exception=False)
    client.force_login(world.allocated_worker)

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr("django.contrib.sessions.backends.db.SessionStore.load", broken)
    response = client.get(reverse("people:list"))
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()
    assert "Retry-After" not in response
