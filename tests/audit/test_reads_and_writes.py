"""Every read of a person's record and every change writes an audit event (targets R2)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from selfdirect.audit.models import AuditEvent, EventType
from selfdirect.people import services
from selfdirect.people.models import NamedWorkerAllocation
from tests.conftest import World
from tests.test_access_matrix import ROUTES, _urls


def _person_routes() -> list[str]:
    return sorted(
        name
        for name, route in ROUTES.items()
        if route.scope in {"person", "circle", "open_assessment", "done_assessment"}
    )


@pytest.mark.parametrize("name", _person_routes())
def test_every_person_page_view_is_audited(world: World, name: str) -> None:
    route = ROUTES[name]
    # Pick a user allowed to open the page for world.person.
    candidates = [
        world.team_manager,
        world.allocated_worker,
        world.the_person,
        world.representative,
        world.administrator,  # subject access: any person, audited
    ]
    viewer = next(u for u in candidates if u.role in route.roles)
    url = next(url for url, target in _urls(world, name, route) if target == "person")
    before = AuditEvent.objects.filter(person=world.person).count()
    response = world.client_for(viewer).get(url)
    assert response.status_code == route.ok
    events = AuditEvent.objects.filter(person=world.person).order_by("-id")
    assert events.count() == before + 1
    event = events.first()
    assert event.actor == viewer
    assert event.reason  # the legitimate relationship that allowed the read
    assert event.event_type in {EventType.PERSON_VIEWED, EventType.AUDIT_VIEWED}


def test_refused_read_writes_nothing(world: World) -> None:
    before = AuditEvent.objects.count()
    url = reverse("people:detail", args=[world.person.pk])
    assert world.client_for(world.worker_other_team).get(url).status_code == 404
    assert AuditEvent.objects.count() == before


def test_read_reason_names_the_relationship(world: World) -> None:
    url = reverse("people:detail", args=[world.person.pk])
    world.client_for(world.allocated_worker).get(url)
    world.client_for(world.team_a_worker).get(url)
    world.client_for(world.representative).get(reverse("portal:person", args=[world.person.pk]))
    reasons = list(
        AuditEvent.objects.filter(person=world.person, event_type=EventType.PERSON_VIEWED)
        .order_by("id")
        .values_list("reason", flat=True)
    )
    assert reasons == [
        "Named worker",
        "Worker in the person's team",
        "Representative in the circle of support",
    ]


def test_update_records_old_and_new_values(world: World) -> None:
    services.person_update(
        actor=world.allocated_worker, person=world.person, postcode="SD2 9ZZ", first_name="Ada"
    )
    event = AuditEvent.objects.get(person=world.person, event_type=EventType.PERSON_UPDATED)
    assert event.old_values == {"postcode": "SD1 4AB"}
    assert event.new_values == {"postcode": "SD2 9ZZ"}
    assert event.actor == world.allocated_worker
    assert event.reason == "Named worker"


def test_update_with_no_change_writes_nothing(world: World) -> None:
    before = AuditEvent.objects.count()
    services.person_update(actor=world.allocated_worker, person=world.person, postcode="SD1 4AB")
    assert AuditEvent.objects.count() == before


def test_create_writes_person_allocation_and_event(world: World) -> None:
    person = services.person_create(
        actor=world.team_manager,
        named_worker=world.team_a_worker,
        first_name="New",
        last_name="Person",
        preferred_name="",
        date_of_birth=datetime.date(1940, 1, 2),
        nhs_number="",
        gender="male",
        ethnicity="white_irish",
        client_type="service_user",
        primary_support_reason="mental_health_support",
        postcode="SD3 1AB",
        accommodation_status="tenant_private_landlord",
        employment_status="unknown",
        has_unpaid_carer="no",
        date_of_death=None,
    )
    assert person.team == world.team_a
    assert NamedWorkerAllocation.objects.filter(person=person, ended_at__isnull=True).count() == 1
    event = AuditEvent.objects.get(person=person, event_type=EventType.PERSON_CREATED)
    assert event.actor == world.team_manager
    assert event.new_values["postcode"] == "SD3 1AB"


def test_circle_changes_are_audited(world: World) -> None:
    member = services.relationship_add(
        actor=world.allocated_worker,
        person=world.person,
        name="Nia Neighbour",
        relationship_type="neighbour",
        phone="",
        email="",
        address="",
        is_representative=False,
    )
    services.relationship_update(
        actor=world.allocated_worker, relationship=member, phone="01632 960002"
    )
    services.relationship_remove(actor=world.allocated_worker, relationship=member)
    types = list(
        AuditEvent.objects.filter(person=world.person)
        .order_by("id")
        .values_list("event_type", flat=True)
    )
    assert types[-3:] == [
        EventType.CIRCLE_ADDED,
        EventType.CIRCLE_UPDATED,
        EventType.CIRCLE_REMOVED,
    ]


def test_manager_sees_audit_history(world: World) -> None:
    world.client_for(world.allocated_worker).get(reverse("people:detail", args=[world.person.pk]))
    response = world.client_for(world.team_manager).get(
        reverse("people:audit", args=[world.person.pk])
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "Viewed the record" in content
    assert "Named worker" in content


def test_audit_page_shows_values_whose_key_is_items(world: World) -> None:
    """A plan save records {"items": 1}; the template must not mistake it for dict.items."""
    from selfdirect.audit.services import audit_record

    audit_record(
        actor=world.allocated_worker,
        person=world.person,
        event_type=EventType.PLAN_SAVED,
        reason="Named worker",
        new_values={"plan": 1, "items": 1},
    )
    response = world.client_for(world.team_manager).get(
        reverse("people:audit", args=[world.person.pk])
    )
    assert response.status_code == 200
    assert "items: 1" in response.content.decode()
