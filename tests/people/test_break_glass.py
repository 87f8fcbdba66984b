"""Break-glass: seeing a record outside your relationships, for a reason, for a short time.

world.person (Ada Lovelace, team A) is unknown to worker_other_team and manager_other_team
(team B): they are the ones who break the glass here.
"""

from __future__ import annotations

import datetime
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from selfdirect.accounts.models import Role
from selfdirect.audit.models import AuditEvent, EventType
from selfdirect.people import services
from selfdirect.people.models import BreakGlassGrant, Person
from selfdirect.people.rules import access_basis, person_filter_for_user
from tests.conftest import World
from tests.factories import PersonFactory, UserFactory

REASON = "Out-of-hours call from the ward about her discharge tonight"


def _form(person: Person, **changes: str) -> dict[str, str]:
    data = {
        "reference": person.reference,
        "last_name": person.last_name.upper(),  # any case matches
        "date_of_birth_0": str(person.date_of_birth.day),
        "date_of_birth_1": str(person.date_of_birth.month),
        "date_of_birth_2": str(person.date_of_birth.year),
        "reason": REASON,
    }
    data.update(changes)
    return data


def _detail(world: World, user: object, person: Person) -> int:
    return world.client_for(user).get(reverse("people:detail", args=[person.pk])).status_code  # type: ignore[arg-type]


def test_without_a_reason_it_is_refused_with_a_gov_uk_error(world: World) -> None:
    client = world.client_for(world.worker_other_team)
    response = client.post(reverse("people:break-glass"), _form(world.person, reason="   "))
    content = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in content
    assert "Enter why you need to see this record" in content
    assert not BreakGlassGrant.objects.exists()
    assert not AuditEvent.objects.filter(event_type=EventType.BREAK_GLASS_STARTED).exists()
    assert _detail(world, world.worker_other_team, world.person) == 404


@pytest.mark.parametrize(
    "wrong",
    [
        {"last_name": "Byron"},
        {"date_of_birth_2": "1951"},
        {"reference": "SD9999999"},
        {"reference": "not a reference"},
    ],
)
def test_every_detail_must_match(world: World, wrong: dict[str, str]) -> None:
    client = world.client_for(world.worker_other_team)
    response = client.post(reverse("people:break-glass"), _form(world.person, **wrong))
    assert response.status_code == 200
    assert "No record matches that reference" in response.content.decode()
    assert not BreakGlassGrant.objects.exists()


def test_with_a_reason_it_is_audited_and_gives_access_for_a_time(world: World, settings) -> None:  # type: ignore[no-untyped-def]
    settings.BREAK_GLASS_MINUTES = 45
    user, person = world.worker_other_team, world.person
    client = world.client_for(user)
    response = client.post(reverse("people:break-glass"), _form(person))
    assert response.status_code == 302
    assert response["Location"] == reverse("people:detail", args=[person.pk])

    grant = BreakGlassGrant.objects.get()
    assert (grant.user, grant.person, grant.team, grant.reason) == (
        user,
        person,
        world.team_b,
        REASON,
    )
    assert grant.expires_at - grant.started_at == datetime.timedelta(minutes=45)
    started = AuditEvent.objects.get(event_type=EventType.BREAK_GLASS_STARTED)
    assert (started.actor, started.person) == (user, person)
    assert started.reason == f"Break-glass: {REASON}"

    # Every read while it lasts carries the reason as its basis.
    page = client.get(reverse("people:detail", args=[person.pk]))
    assert page.status_code == 200
    assert "is not on your caseload" in page.content.decode()
    viewed = AuditEvent.objects.filter(event_type=EventType.PERSON_VIEWED, actor=user).latest("at")
    assert viewed.reason == f"Break-glass: {REASON}"
    assert access_basis(user, person) == f"Break-glass: {REASON}"
    # Pages that read through other selectors use the same rule.
    plan = client.get(reverse("plans:edit", args=[world.plan.pk]))
    assert plan.status_code == 200
    # And the person is in the worker's lists while it lasts, and only them.
    team_b = set(Person.objects.filter(team=world.team_b))
    listed = set(Person.objects.filter(person_filter_for_user(user)).distinct())
    assert listed == team_b | {person}
    assert person.last_name in client.get(reverse("people:list")).content.decode()


def test_it_ends_by_itself(world: World) -> None:
    user, person = world.worker_other_team, world.person
    services.break_glass_start(actor=user, person=person, reason=REASON)
    assert _detail(world, user, person) == 200
    # An hour and a minute later (the default is 60 minutes), without anything running.
    later = timezone.now() + datetime.timedelta(minutes=61)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert _detail(world, user, person) == 404
        assert access_basis(user, person) is None
        assert person not in Person.objects.filter(person_filter_for_user(user))
    # The same, with a grant that has already ended.
    BreakGlassGrant.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert _detail(world, user, person) == 404


def test_someone_who_can_already_see_the_record_is_just_sent_there(world: World) -> None:
    client = world.client_for(world.team_a_worker)
    response = client.post(reverse("people:break-glass"), _form(world.person))
    assert response.status_code == 302
    assert not BreakGlassGrant.objects.exists()


def test_the_managers_of_the_workers_team_see_it_and_review_it(world: World) -> None:
    services.break_glass_start(actor=world.worker_other_team, person=world.person, reason=REASON)
    grant = BreakGlassGrant.objects.get()
    manager = world.client_for(world.manager_other_team)

    home = manager.get(reverse("core:home")).content.decode()
    assert "opened by your team from outside their caseload" in home
    page = manager.get(reverse("people:break-glass-uses"))
    content = page.content.decode()
    assert world.person.reference in content
    assert REASON in content
    assert world.worker_other_team.get_full_name() in content
    assert "Mark as reviewed" in content
    # Only the reference: the manager has no relationship with the person either.
    assert world.person.full_name not in content
    # The manager of the person's own team is not told: it was not their worker.
    other = world.client_for(world.team_manager).get(reverse("people:break-glass-uses"))
    assert REASON not in other.content.decode()
    assert (
        world.client_for(world.team_manager)
        .post(reverse("people:break-glass-uses"), {"grant": grant.pk})
        .status_code
        == 404
    )

    response = manager.post(reverse("people:break-glass-uses"), {"grant": grant.pk})
    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.reviewed_by == world.manager_other_team and grant.reviewed_at is not None
    reviewed = AuditEvent.objects.get(event_type=EventType.BREAK_GLASS_REVIEWED)
    assert (reviewed.actor, reviewed.person) == (world.manager_other_team, world.person)
    assert "Reviewed" in manager.get(reverse("people:break-glass-uses")).content.decode()


def test_a_manager_cannot_review_their_own_use(world: World) -> None:
    services.break_glass_start(actor=world.manager_other_team, person=world.person, reason=REASON)
    grant = BreakGlassGrant.objects.get()
    client = world.client_for(world.manager_other_team)
    assert (
        "another manager reviews it"
        in client.get(reverse("people:break-glass-uses")).content.decode()
    )
    response = client.post(reverse("people:break-glass-uses"), {"grant": grant.pk})
    assert response.status_code == 403
    grant.refresh_from_db()
    assert grant.reviewed_at is None


def test_a_worker_with_no_team_cannot_break_the_glass(world: World) -> None:
    loner = UserFactory(role=Role.SOCIAL_WORKER, team=None)
    response = world.client_for(loner).post(reverse("people:break-glass"), _form(world.person))
    assert response.status_code == 200
    assert "in a team can do this" in response.content.decode()
    assert not BreakGlassGrant.objects.exists()


def test_the_managers_list_takes_the_same_queries_however_many_uses(world: World) -> None:
    def queries() -> int:
        client = world.client_for(world.manager_other_team)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("people:break-glass-uses")).status_code == 200
        return len(captured)

    services.break_glass_start(actor=world.worker_other_team, person=world.person, reason="One")
    few = queries()
    for n in range(8):
        person = PersonFactory(named_worker=world.allocated_worker)
        worker = UserFactory(role=Role.SOCIAL_WORKER, team=world.team_b)
        services.break_glass_start(actor=worker, person=person, reason=f"Reason {n}")
    BreakGlassGrant.objects.filter(reason="Reason 0").update(
        reviewed_by=world.manager_other_team, reviewed_at=timezone.now()
    )
    assert queries() == few
