"""Named worker: exactly one current spell, a handover note on every change."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from selfdirect.audit.models import AuditEvent, EventType
from selfdirect.people import services
from selfdirect.people.models import NamedWorkerAllocation
from tests.conftest import World
from tests.factories import UserFactory


def test_change_ends_old_spell_and_starts_new(world: World) -> None:
    services.named_worker_change(
        actor=world.team_manager,
        person=world.person,
        new_worker=world.team_a_worker,
        handover_note="Likes a call before visits.",
    )
    world.person.refresh_from_db()
    assert world.person.named_worker == world.team_a_worker
    spells = list(
        NamedWorkerAllocation.objects.filter(person=world.person).order_by("started_at", "id")
    )
    assert [s.worker for s in spells] == [world.allocated_worker, world.team_a_worker]
    assert spells[0].ended_at is not None and spells[1].ended_at is None
    assert spells[1].handover_note == "Likes a call before visits."
    event = AuditEvent.objects.get(person=world.person, event_type=EventType.NAMED_WORKER_CHANGED)
    assert event.old_values["named_worker"] == str(world.allocated_worker)
    assert event.new_values["handover_note"] == "Likes a call before visits."


@pytest.mark.parametrize("note", ["", "   "])
def test_handover_note_is_required(world: World, note: str) -> None:
    with pytest.raises(ValidationError):
        services.named_worker_change(
            actor=world.team_manager,
            person=world.person,
            new_worker=world.team_a_worker,
            handover_note=note,
        )
    world.person.refresh_from_db()
    assert world.person.named_worker == world.allocated_worker
    assert NamedWorkerAllocation.objects.filter(person=world.person).count() == 1


def test_new_worker_must_hold_cases_in_a_team(world: World) -> None:
    with pytest.raises(ValidationError):
        services.named_worker_change(
            actor=world.team_manager,
            person=world.person,
            new_worker=world.panel_member,
            handover_note="note",
        )


def test_moving_to_a_worker_in_another_team_moves_the_person(world: World) -> None:
    services.named_worker_change(
        actor=world.team_manager,
        person=world.person,
        new_worker=world.worker_other_team,
        handover_note="Moving to the mental health team.",
    )
    world.person.refresh_from_db()
    assert world.person.team == world.team_b
    # The old team no longer has a relationship; the new team does.
    url = reverse("people:detail", args=[world.person.pk])
    assert world.client_for(world.team_a_worker).get(url).status_code == 404
    assert world.client_for(world.manager_other_team).get(url).status_code == 200


def test_database_refuses_two_current_spells(world: World) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        NamedWorkerAllocation.objects.create(
            person=world.person, worker=world.team_a_worker, started_at=timezone.now()
        )


def test_change_page_requires_note_and_shows_error(world: World) -> None:
    client = world.client_for(world.team_manager)
    url = reverse("people:named-worker", args=[world.person.pk])
    response = client.post(url, {"new_worker": world.team_a_worker.pk, "handover_note": ""})
    assert response.status_code == 200
    assert "Enter a handover note for the new named worker" in response.content.decode()
    assert "govuk-error-summary" in response.content.decode()
    response = client.post(
        url, {"new_worker": world.team_a_worker.pk, "handover_note": "All yours"}
    )
    assert response.status_code == 302
    world.person.refresh_from_db()
    assert world.person.named_worker == world.team_a_worker
    detail = world.client_for(world.team_a_worker).get(
        reverse("people:detail", args=[world.person.pk])
    )
    assert "All yours" in detail.content.decode()


def test_manager_cannot_hand_over_to_another_teams_worker_in_form(world: World) -> None:
    client = world.client_for(world.team_manager)
    url = reverse("people:named-worker", args=[world.person.pk])
    response = client.post(url, {"new_worker": world.worker_other_team.pk, "handover_note": "x"})
    assert response.status_code == 200
    world.person.refresh_from_db()
    assert world.person.named_worker == world.allocated_worker


def test_inactive_worker_is_not_offered(world: World) -> None:
    gone = UserFactory(username="left", role="social_worker", team=world.team_a, is_active=False)
    client = world.client_for(world.team_manager)
    response = client.get(reverse("people:named-worker", args=[world.person.pk]))
    assert f'value="{gone.pk}"' not in response.content.decode()
