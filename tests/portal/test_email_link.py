"""Signing in to the portal by an emailed link: once, for a short time, never for staff."""

from __future__ import annotations

import datetime
import re

from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from selfdirect.audit.models import AuditEvent, EventType
from selfdirect.portal.models import SignInLink
from tests.conftest import World

START = reverse("email_link:start")
SENT = reverse("email_link:sent")


def _ask(client: Client, email: str, capture) -> object:  # type: ignore[no-untyped-def]
    with capture(execute=True):
        return client.post(START, {"email": email})


def _link(message: mail.EmailMessage) -> str:
    found = re.search(r"http://testserver(/sign-in/email-link/[^/\s]+/)", message.body)
    assert found, message.body
    return found.group(1)


def _signed_in(client: Client) -> bool:
    return client.get(reverse("portal:home")).status_code == 200


def test_a_portal_user_signs_in_by_link(world: World, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    assert "Email me a link" in client.get(START).content.decode()
    response = _ask(client, "ThePerson@Example.ORG", django_capture_on_commit_callbacks)
    assert response["Location"] == SENT  # type: ignore[index]
    assert "Check your email" in client.get(SENT).content.decode()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [world.the_person.email]
    assert "within 15 minutes" in mail.outbox[0].body
    link = _link(mail.outbox[0])
    # Opening the link (as an email scanner would) does not sign in or use it up.
    page = client.get(link)
    assert page.status_code == 200 and "Press the button to sign in" in page.content.decode()
    assert not _signed_in(client)
    assert SignInLink.objects.get().used_at is None
    response = client.post(link)
    assert response["Location"] == reverse("portal:home")
    assert _signed_in(client)
    assert client.get(reverse("portal:person", args=[world.person.pk])).status_code == 200
    assert AuditEvent.objects.filter(
        actor=world.the_person, event_type=EventType.PORTAL_SIGNED_IN_BY_LINK
    ).exists()
    # Only the hash is stored.
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert not SignInLink.objects.filter(token_hash=token).exists()


def test_a_link_works_once(world: World, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    _ask(Client(), world.representative.email, django_capture_on_commit_callbacks)
    link = _link(mail.outbox[0])
    Client().post(link)
    again = Client()
    response = again.post(link)
    assert "This link has already been used" in response.content.decode()
    assert not _signed_in(again)


def test_using_a_link_stops_the_earlier_ones(
    world: World, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    _ask(Client(), world.representative.email, django_capture_on_commit_callbacks)
    _ask(Client(), world.representative.email, django_capture_on_commit_callbacks)
    first, second = _link(mail.outbox[0]), _link(mail.outbox[1])
    Client().post(second)
    late = Client()
    assert "already been used" in late.post(first).content.decode()
    assert not _signed_in(late)


def test_an_expired_link_does_not_sign_in(world: World, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    _ask(Client(), world.plan_helper.email, django_capture_on_commit_callbacks)
    link = _link(mail.outbox[0])
    SignInLink.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    client = Client()
    assert "This link has expired" in client.get(link).content.decode()
    assert "This link has expired" in client.post(link).content.decode()
    assert not _signed_in(client)


def test_staff_are_never_sent_a_link_and_see_the_same_page(
    world: World, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    for staff in (world.allocated_worker, world.team_manager, world.administrator):
        response = _ask(Client(), staff.email, django_capture_on_commit_callbacks)
        assert response["Location"] == SENT  # type: ignore[index]
    nobody = _ask(Client(), "nobody@example.org", django_capture_on_commit_callbacks)
    assert nobody["Location"] == SENT  # type: ignore[index]
    assert mail.outbox == []
    assert not SignInLink.objects.exists()


def test_no_link_for_a_switched_off_account(
    world: World, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    world.the_person.is_active = False
    world.the_person.save()
    _ask(Client(), world.the_person.email, django_capture_on_commit_callbacks)
    assert mail.outbox == []


def test_at_most_three_links_per_address_in_fifteen_minutes(
    world: World, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    for _ in range(5):
        response = _ask(Client(), world.the_person.email, django_capture_on_commit_callbacks)
        assert response["Location"] == SENT  # type: ignore[index]
    assert len(mail.outbox) == 3
    # Once the earliest are more than 15 minutes old, another may go.
    SignInLink.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=16))
    _ask(Client(), world.the_person.email, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 4


def test_form_errors_and_signed_in_users(world: World) -> None:
    content = Client().post(START, {"email": "not an address"}).content.decode()
    assert "Enter an email address in the correct format" in content
    assert world.client_for(world.the_person).get(START)["Location"] == reverse("core:home")


def test_an_unknown_link_is_not_found(world: World) -> None:
    response = Client().post(reverse("email_link:use", args=["nope"]))
    assert response.status_code == 404
    assert "This link is not right" in response.content.decode()
