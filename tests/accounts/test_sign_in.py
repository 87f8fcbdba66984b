from __future__ import annotations

import time

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from selfdirect.accounts import totp
from tests.conftest import World
from tests.factories import PASSWORD, TOTP_SECRET


def test_sign_in_and_out(world: World, client) -> None:  # type: ignore[no-untyped-def]
    response = client.post(
        reverse("accounts:sign-in"), {"username": "allocated", "password": PASSWORD}
    )
    assert response["Location"] == reverse("accounts:sign-in-code")
    code = totp.code_for_step(TOTP_SECRET, totp.step_at(time.time()))
    response = client.post(reverse("accounts:sign-in-code"), {"code": code})
    assert response.status_code == 302
    assert client.get(reverse("people:list")).status_code == 200
    response = client.post(reverse("accounts:sign-out"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:signed-out")
    assert client.get(reverse("people:list")).status_code == 302


def test_wrong_password_gives_error_summary(world: World, client) -> None:  # type: ignore[no-untyped-def]
    response = client.post(
        reverse("accounts:sign-in"), {"username": "allocated", "password": "nope"}
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in content
    assert "Enter a correct username and password" in content


def test_empty_sign_in_names_each_field(world: World, client) -> None:  # type: ignore[no-untyped-def]
    content = client.post(reverse("accounts:sign-in"), {}).content.decode()
    assert "Enter your username or email address" in content
    assert "Enter your password" in content


def test_sign_out_by_get_is_refused(world: World, client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world.allocated_worker)
    assert client.get(reverse("accounts:sign-out")).status_code == 405
    assert client.get(reverse("people:list")).status_code == 200


def test_inactivity_signs_out(world: World, client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SESSION_INACTIVITY_TIMEOUT = 60
    client.force_login(world.allocated_worker)
    assert client.get(reverse("people:list")).status_code == 200
    session = client.session
    session["last_seen"] = time.time() - 61
    session.save()
    response = client.get(reverse("people:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in"))
    follow = client.get(response["Location"])
    assert "not used the service for 1 minute." in follow.content.decode()
    assert client.get(reverse("people:list")).status_code == 302


def test_activity_keeps_session(world: World, client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SESSION_INACTIVITY_TIMEOUT = 60
    client.force_login(world.allocated_worker)
    session = client.session
    session["last_seen"] = time.time() - 30
    session.save()
    assert client.get(reverse("people:list")).status_code == 200


def test_session_cookie_expires_with_inactivity(settings) -> None:  # type: ignore[no-untyped-def]
    from django.conf import settings as live

    # Saved when the time of the last request is written, not on every request; the stored
    # session outlives the timeout so the sign-in page can say why.
    assert live.SESSION_SAVE_EVERY_REQUEST is False
    assert live.SESSION_INACTIVITY_TIMEOUT < live.SESSION_COOKIE_AGE
    assert live.SESSION_TOUCH_SECONDS < live.SESSION_INACTIVITY_TIMEOUT


def test_session_written_at_most_once_a_touch_period(world: World, client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SESSION_INACTIVITY_TIMEOUT = 600
    settings.SESSION_TOUCH_SECONDS = 60
    client.force_login(world.allocated_worker)
    assert client.get(reverse("people:list")).status_code == 200
    first = client.session["last_seen"]
    # A request soon after changes nothing in the session, so it is not written.
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("people:list")).status_code == 200
    assert client.session["last_seen"] == first
    assert not [
        q for q in queries.captured_queries if "UPDATE" in q["sql"] and "django_session" in q["sql"]
    ]
    # Once the touch period has passed, the time of the request is written.
    session = client.session
    session["last_seen"] = first - 61
    session.save()
    assert client.get(reverse("people:list")).status_code == 200
    assert client.session["last_seen"] > first - 1
