"""A worker invites the person, or a representative, to make a portal account by email."""

from __future__ import annotations

import datetime
import re

from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from selfdirect.accounts.models import Role, User
from selfdirect.audit.models import AuditEvent, EventType
from selfdirect.people.models import Person, Relationship
from selfdirect.portal.models import PortalInvitation
from tests.conftest import World
from tests.factories import PersonFactory, RelationshipFactory

PASSWORD = "a quiet river by the old mill"


def _link(message: mail.EmailMessage) -> str:
    found = re.search(r"http://testserver(/portal/join/[^/\s]+/)", message.body)
    assert found, message.body
    return found.group(1)


def _new_person(world: World) -> Person:
    return PersonFactory(first_name="Nia", last_name="New", named_worker=world.allocated_worker)


def _invite(world: World, person: Person, capture, who: str = "self", email: str = "") -> str:  # type: ignore[no-untyped-def]
    client = world.client_for(world.allocated_worker)
    url = reverse("portal:staff-invitations", args=[person.pk])
    assert client.get(url).status_code == 200
    sent = len(mail.outbox)
    with capture(execute=True):
        response = client.post(url, {"who": who, "email": email or "Nia.New@Example.org"})
    assert response.status_code == 302, response.content.decode()
    assert len(mail.outbox) == sent + 1
    return _link(mail.outbox[-1])


def _join(client: Client, link: str, **data: str) -> object:
    return client.post(
        link, data or {"how": "password", "password": PASSWORD, "password_again": PASSWORD}
    )


def test_the_person_makes_their_account_and_is_signed_in(
    world: World, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    person = _new_person(world)
    link = _invite(world, person, django_capture_on_commit_callbacks)
    assert mail.outbox[-1].to == ["Nia.New@Example.org"]
    assert "within 7 days" in mail.outbox[-1].body
    client = Client()
    page = client.get(link).content.decode()
    assert "Make your account" in page and "nia.new@example.org" in page.lower()
    response = _join(client, link)
    assert response["Location"] == reverse("portal:home")  # type: ignore[index]
    user = User.objects.get(username="nia.new@example.org")
    assert user.role == Role.PERSON
    assert user.check_password(PASSWORD)
    assert (user.first_name, user.last_name) == ("Nia", "New")
    person.refresh_from_db()
    assert person.portal_user == user
    # Signed in: the portal shows their record.
    home = client.get(reverse("portal:home"))
    assert home.status_code == 200 and "Nia New" in home.content.decode()
    assert client.get(reverse("portal:person", args=[person.pk])).status_code == 200
    invitation = PortalInvitation.objects.get(person=person)
    assert invitation.accepted_by == user and invitation.accepted_at is not None
    # Only the hash of the link's secret is kept.
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert invitation.token_hash != token and len(invitation.token_hash) == 64
    events = list(
        AuditEvent.objects.filter(person=person, event_type__startswith="portal.").values_list(
            "event_type", "actor_id"
        )
    )
    assert (EventType.PORTAL_INVITED, world.allocated_worker.pk) in events
    assert (EventType.PORTAL_JOINED, user.pk) in events


def test_sign_in_by_email_link_only_sets_no_password(
    world: World, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    person = _new_person(world)
    link = _invite(world, person, django_capture_on_commit_callbacks)
    client = Client()
    response = _join(client, link, how="email_link")
    assert response["Location"] == reverse("portal:home")  # type: ignore[index]
    user = User.objects.get(username="nia.new@example.org")
    assert not user.has_usable_password()
    assert client.get(reverse("portal:home")).status_code == 200


def test_a_weak_password_is_refused_and_nothing_is_made(
    world: World, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    person = _new_person(world)
    link = _invite(world, person, django_capture_on_commit_callbacks)
    client = Client()
    short = client.post(
        link, {"how": "password", "password": "short1", "password_again": "short1"}
    ).content.decode()
    assert "There is a problem" in short and "at least 12 characters" in short
    different = client.post(
        link, {"how": "password", "password": PASSWORD, "password_again": PASSWORD + "x"}
    ).content.decode()
    assert "The passwords do not match" in different
    assert not User.objects.filter(username="nia.new@example.org").exists()
    assert PortalInvitation.objects.get(person=person).accepted_at is None


def test_a_representative_invitation_links_the_relationship(
    world: World, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    person = _new_person(world)
    rep = RelationshipFactory(
        person=person, name="Rhys Rep", is_representative=True, email="rhys@example.org"
    )
    page = (
        world.client_for(world.allocated_worker)
        .get(reverse("portal:staff-invitations", args=[person.pk]))
        .content.decode()
    )
    assert "Rhys Rep" in page and "rhys@example.org on record" in page
    link = _invite(
        world, person, django_capture_on_commit_callbacks, who=str(rep.pk), email="rhys@example.org"
    )
    assert "as someone who acts for them" in mail.outbox[-1].body
    client = Client()
    _join(client, link)
    rep.refresh_from_db()
    assert rep.user is not None and rep.user.username == "rhys@example.org"
    assert rep.user.role == Role.REPRESENTATIVE
    assert client.get(reverse("portal:person", args=[person.pk])).status_code == 200
    person.refresh_from_db()
    assert person.portal_user is None


def test_only_a_representative_without_an_account_can_be_invited(world: World) -> None:
    person = _new_person(world)
    not_rep = RelationshipFactory(person=person, name="Nora Neighbour", is_representative=False)
    client = world.client_for(world.allocated_worker)
    url = reverse("portal:staff-invitations", args=[person.pk])
    content = client.post(url, {"who": str(not_rep.pk), "email": "n@example.org"}).content
    assert "Select a valid choice" in content.decode()
    # world.person already has an account, and so has their representative.
    content = client.get(reverse("portal:staff-invitations", args=[world.person.pk])).content
    assert "already has an account or an invitation waiting" in content.decode()
    assert not PortalInvitation.objects.exists()


def test_expired_used_and_withdrawn_links_are_refused(
    world: World, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    person = _new_person(world)
    link = _invite(world, person, django_capture_on_commit_callbacks)
    invitation = PortalInvitation.objects.get(person=person)

    PortalInvitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert "This link has expired" in Client().get(link).content.decode()
    expired = _join(Client(), link)
    assert "This link has expired" in expired.content.decode()  # type: ignore[attr-defined]
    assert not User.objects.filter(username="nia.new@example.org").exists()

    PortalInvitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() + datetime.timedelta(days=1)
    )
    _join(Client(), link)
    assert User.objects.filter(username="nia.new@example.org").count() == 1
    used = _join(Client(), link)
    assert "This link has already been used" in used.content.decode()  # type: ignore[attr-defined]
    assert User.objects.filter(username="nia.new@example.org").count() == 1

    other = PersonFactory(named_worker=world.allocated_worker)
    link = _invite(world, other, django_capture_on_commit_callbacks, email="o@example.org")
    withdrawn = PortalInvitation.objects.get(person=other)
    response = world.client_for(world.allocated_worker).post(
        reverse("portal:staff-invitation-withdraw", args=[withdrawn.pk])
    )
    assert response["Location"] == reverse("portal:staff-invitations", args=[other.pk])
    assert "The invitation was withdrawn" in Client().get(link).content.decode()
    _join(Client(), link)
    assert not User.objects.filter(username="o@example.org").exists()
    assert AuditEvent.objects.filter(
        person=other, event_type=EventType.PORTAL_INVITATION_WITHDRAWN
    ).exists()


def test_an_unknown_link_is_not_found(world: World) -> None:
    response = Client().get(reverse("portal:join", args=["not-a-real-link"]))
    assert response.status_code == 404
    assert "This link is not right" in response.content.decode()


def test_sending_again_replaces_the_old_link(
    world: World, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    person = _new_person(world)
    old_link = _invite(world, person, django_capture_on_commit_callbacks)
    old = PortalInvitation.objects.get(person=person)
    with django_capture_on_commit_callbacks(execute=True):
        world.client_for(world.team_a_worker).post(
            reverse("portal:staff-invitation-resend", args=[old.pk])
        )
    new_link = _link(mail.outbox[-1])
    assert new_link != old_link
    assert "There is a newer link" in Client().get(old_link).content.decode()
    _join(Client(), old_link)
    assert not User.objects.filter(username="nia.new@example.org").exists()
    client = Client()
    _join(client, new_link)
    person.refresh_from_db()
    assert person.portal_user is not None
    assert AuditEvent.objects.filter(
        person=person, event_type=EventType.PORTAL_INVITATION_RESENT, actor=world.team_a_worker
    ).exists()


def test_waiting_invitations_show_on_the_record_with_their_expiry(
    world: World, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    person = _new_person(world)
    _invite(world, person, django_capture_on_commit_callbacks)
    invitation = PortalInvitation.objects.get(person=person)
    page = (
        world.client_for(world.allocated_worker)
        .get(reverse("people:detail", args=[person.pk]))
        .content.decode()
    )
    until = timezone.localtime(invitation.expires_at).strftime("%-d %B %Y")
    assert "Nia.New@Example.org" in page and f"link works until {until}" in page
    assert reverse("portal:staff-invitations", args=[person.pk]) in page
    # Only one open invitation each: a second must be sent again instead.
    content = (
        world.client_for(world.allocated_worker)
        .post(
            reverse("portal:staff-invitations", args=[person.pk]),
            {"who": "self", "email": "x@example.org"},
        )
        .content.decode()
    )
    assert "Select a valid choice" in content
    assert PortalInvitation.objects.filter(person=person).count() == 1


def test_workers_without_a_relationship_cannot_invite_resend_or_withdraw(
    world: World, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    person = _new_person(world)
    _invite(world, person, django_capture_on_commit_callbacks)
    invitation = PortalInvitation.objects.get(person=person)
    stranger = world.client_for(world.worker_other_team)
    url = reverse("portal:staff-invitations", args=[person.pk])
    assert stranger.post(url, {"who": "self", "email": "a@example.org"}).status_code == 404
    for name in ("portal:staff-invitation-resend", "portal:staff-invitation-withdraw"):
        assert stranger.post(reverse(name, args=[invitation.pk])).status_code == 404
    representative = world.client_for(world.representative)
    assert representative.get(url).status_code == 403
    invitation.refresh_from_db()
    assert invitation.withdrawn_at is None


def test_someone_with_an_account_signs_in_and_links_it(
    world: World, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    """A representative for one person, invited for another, links the same account."""
    person = _new_person(world)
    rep = RelationshipFactory(person=person, name="Rita Rep", is_representative=True)
    link = _invite(
        world,
        person,
        django_capture_on_commit_callbacks,
        who=str(rep.pk),
        email=world.representative.email.upper(),
    )
    page = Client().get(link).content.decode()
    assert "You already have an account" in page
    # Signed in as someone else: told so, nothing linked.
    elsewhere = world.client_for(world.non_representative_contact)
    assert "This invitation is for someone else" in elsewhere.post(link).content.decode()
    client = world.client_for(world.representative)
    assert "Link my account" in client.get(link).content.decode()
    assert client.post(link)["Location"] == reverse("portal:home")
    rep.refresh_from_db()
    assert rep.user == world.representative
    assert client.get(reverse("portal:person", args=[person.pk])).status_code == 200
    assert not Relationship.objects.filter(user=world.non_representative_contact, person=person)
