"""Urgent cases: the named worker can release a starter budget the same day, before any plan."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.urls import reverse

from selfdirect.assessments import services
from selfdirect.support.models import Service
from tests.conftest import World

STARTER = {
    "weekly": "150",
    "weeks": "4",
    "what_for": "Home care while the plan is made",
    "delivery": "council_arranged",
}


def test_named_worker_releases_a_starter_budget(world: World) -> None:
    url = reverse("assessments:starter-budget", args=[world.contact.pk])
    response = world.client_for(world.allocated_worker).post(url, STARTER)
    assert response.status_code == 302
    service = Service.objects.get(contact=world.contact)
    today = datetime.date.today()
    assert service.start_date == today and service.end_date == today + datetime.timedelta(weeks=4)
    assert service.weekly_cost == Decimal("150.00")
    assert service.service_type == "Short term support: Other short term"
    assert service.delivery_mechanism == "CASSR commissioned support"
    assert service.plan is None


def test_only_the_named_worker_and_only_when_urgent(world: World) -> None:
    url = reverse("assessments:starter-budget", args=[world.contact.pk])
    page = world.client_for(world.team_a_worker).post(url, STARTER).content.decode()
    assert "Only Ada's named worker can release a starter budget" in page
    assert not Service.objects.filter(contact=world.contact).exists()
    calm = services.contact_create(
        actor=world.allocated_worker,
        person=world.person,
        received_on=datetime.date(2026, 11, 2),
        route_of_access="community",
        requested_by="Self",
        what_for="Help",
        urgent=False,
    )
    url = reverse("assessments:starter-budget", args=[calm.pk])
    world.client_for(world.allocated_worker).post(url, STARTER)
    assert not Service.objects.filter(contact=calm).exists()


def test_starter_budget_errors(world: World) -> None:
    url = reverse("assessments:starter-budget", args=[world.contact.pk])
    content = (
        world.client_for(world.allocated_worker)
        .post(url, {"weekly": "-1", "weeks": "9"})
        .content.decode()
    )
    assert "Amount must be more than £0" in content
    assert "A starter budget lasts 6 weeks at most" in content
    assert "Say what the starter budget is for" in content
    assert not Service.objects.filter(contact=world.contact).exists()


def test_person_page_offers_it_to_the_named_worker(world: World) -> None:
    page = world.client_for(world.allocated_worker).get(
        reverse("people:detail", args=[world.person.pk])
    )
    assert "Release a starter budget" in page.content.decode()
    page = world.client_for(world.team_a_worker).get(
        reverse("people:detail", args=[world.person.pk])
    )
    assert "Their named worker can release a starter budget today" in page.content.decode()
