"""Help the person chooses: invited helpers see and edit that plan only."""

from __future__ import annotations

import datetime
import re

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from selfdirect.plans.models import PlanInvitation
from tests.conftest import World
from tests.factories import UserFactory


def _invite(world: World, django_capture_on_commit_callbacks, kind: str = "provider") -> str:  # type: ignore[no-untyped-def]
    client = world.client_for(world.the_person)
    url = reverse("portal:plan-invite", args=[world.plan.pk])
    page = client.get(url).content.decode()
    assert "does not mean you have to use them" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"name": "Acme Care", "email": "acme@example.org", "kind": kind}
        )
    assert response.status_code == 302
    message = mail.outbox[-1]
    assert message.to == ["acme@example.org"]
    return re.search(r"http://testserver(/portal/invitations/[^/\s]+/)", message.body).group(1)


def test_person_invites_a_helper_who_joins_and_edits_only_that_plan(
    world: World, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    link = _invite(world, django_capture_on_commit_callbacks)
    helper = UserFactory(username="acme", role="plan_helper")
    client = world.client_for(helper)
    assert client.get(link).status_code == 200
    response = client.post(link)
    assert response["Location"] == reverse("portal:plan-edit", args=[world.plan.pk])
    assert client.get(reverse("portal:plan-edit", args=[world.plan.pk])).status_code == 200
    assert world.person.full_name in client.get(reverse("portal:home")).content.decode()
    # Nothing else: not the record, not the assessment, not another plan.
    assert client.get(reverse("portal:person", args=[world.person.pk])).status_code == 403
    assert (
        client.get(reverse("assessments:result", args=[world.done_assessment.pk])).status_code
        == 403
    )
    assert client.get(reverse("portal:plan-edit", args=[world.other_plan.pk])).status_code == 404
    # The token is stored only as a hash.
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert not PlanInvitation.objects.filter(token_hash=token).exists()


def test_a_used_link_cannot_be_reused_by_someone_else(
    world: World, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    link = _invite(world, django_capture_on_commit_callbacks)
    first, second = UserFactory(role="plan_helper"), UserFactory(role="plan_helper")
    world.client_for(first).post(link)
    content = world.client_for(second).post(link).content.decode()
    assert "already been used" in content
    assert (
        world.client_for(second).get(reverse("portal:plan-edit", args=[world.plan.pk])).status_code
        == 404
    )


def test_expired_links_are_refused(world: World, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    link = _invite(world, django_capture_on_commit_callbacks)
    PlanInvitation.objects.filter(name="Acme Care").update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    helper = UserFactory(role="plan_helper")
    content = world.client_for(helper).post(link).content.decode()
    assert "This invitation has expired" in content
    assert (
        world.client_for(helper).get(reverse("portal:plan-edit", args=[world.plan.pk])).status_code
        == 404
    )


def test_invitation_form_errors(world: World) -> None:
    content = (
        world.client_for(world.the_person)
        .post(reverse("portal:plan-invite", args=[world.plan.pk]), {"email": "nope"})
        .content.decode()
    )
    assert "Enter their name" in content
    assert "Enter an email address in the correct format" in content
    assert "Choose who they are" in content
