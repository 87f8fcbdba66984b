"""Someone invited to help with a plan, with no account, makes one from the link."""

from __future__ import annotations

import datetime
import re

from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from selfdirect.accounts.models import Role, User
from selfdirect.audit.models import AuditEvent, EventType
from selfdirect.plans.models import PlanInvitation
from tests.conftest import World
from tests.factories import UserFactory

PASSWORD = "a quiet river by the old mill"


def _invite(world: World, capture, email: str = "Sam.Helper@example.org") -> str:  # type: ignore[no-untyped-def]
    with capture(execute=True):
        world.client_for(world.the_person).post(
            reverse("portal:plan-invite", args=[world.plan.pk]),
            {"name": "Sam Helper", "email": email, "kind": "family"},
        )
    body = mail.outbox[-1].body
    assert "make an account from the link" in body
    return re.search(r"http://testserver(/portal/invitations/[^/\s]+/)", body).group(1)  # type: ignore[union-attr]


def test_a_helper_with_no_account_makes_one_and_joins_the_plan(
    world: World, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    link = _invite(world, django_capture_on_commit_callbacks)
    client = Client()
    response = client.get(link)
    join = response["Location"]
    assert join == link + "join/"
    page = client.get(join).content.decode()
    assert "Make your account" in page and "help write their support plan" in page
    response = client.post(
        join, {"how": "password", "password": PASSWORD, "password_again": PASSWORD}
    )
    assert response["Location"] == reverse("portal:plan-edit", args=[world.plan.pk])
    user = User.objects.get(username="sam.helper@example.org")
    assert user.role == Role.PLAN_HELPER and (user.first_name, user.last_name) == ("Sam", "Helper")
    invitation = PlanInvitation.objects.get(name="Sam Helper")
    assert invitation.accepted_by == user
    assert client.get(reverse("portal:plan-edit", args=[world.plan.pk])).status_code == 200
    # A plan helper still sees only the plan.
    assert client.get(reverse("portal:person", args=[world.person.pk])).status_code == 403
    kinds = set(AuditEvent.objects.filter(actor=user).values_list("event_type", flat=True))
    assert {EventType.PORTAL_JOINED, EventType.HELPER_JOINED} <= kinds


def test_a_helper_can_choose_email_links_only(
    world: World, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    link = _invite(world, django_capture_on_commit_callbacks)
    Client().post(link + "join/", {"how": "email_link"})
    assert not User.objects.get(username="sam.helper@example.org").has_usable_password()


def test_someone_with_an_account_is_asked_to_sign_in(
    world: World, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    UserFactory(username="sam", email="sam.helper@example.org", role=Role.PLAN_HELPER)
    link = _invite(world, django_capture_on_commit_callbacks)
    content = Client().get(link + "join/").content.decode()
    assert "You already have an account" in content
    Client().post(link + "join/", {"how": "email_link"})
    assert User.objects.filter(email__iexact="sam.helper@example.org").count() == 1
    # Signed in, the link's join page hands over to the usual acceptance.
    helper = world.client_for(User.objects.get(username="sam"))
    assert helper.get(link + "join/")["Location"] == link


def test_expired_and_used_helper_links_make_no_account(
    world: World, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    link = _invite(world, django_capture_on_commit_callbacks)
    PlanInvitation.objects.filter(name="Sam Helper").update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    content = Client().post(link + "join/", {"how": "email_link"}).content.decode()
    assert "This link has expired" in content
    assert not User.objects.filter(username="sam.helper@example.org").exists()

    PlanInvitation.objects.filter(name="Sam Helper").update(
        expires_at=timezone.now() + datetime.timedelta(days=1)
    )
    world.client_for(world.plan_helper).post(link)  # someone else used it
    content = Client().get(link + "join/").content.decode()
    assert "This link has already been used" in content
    assert not User.objects.filter(username="sam.helper@example.org").exists()
