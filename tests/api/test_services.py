"""GET /people/{id}/services: support in place, with the CLD fields the return reports."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal

from django.utils import timezone

from selfdirect.plans import services as plan_services
from selfdirect.support.models import Service
from tests.api.conftest import ApiClient
from tests.conftest import World


def _sign_off(world: World) -> None:
    plan = world.plan
    plan_services.plan_save(
        actor=world.allocated_worker,
        plan=plan,
        expected_version=plan.version,
        what_i_want="Get out more",
        who_helps="",
        if_things_go_wrong="",
        management="council_arranged",
        interim=False,
        items=[
            plan_services.ItemInput(
                "Help at home", "provider", "Acme Care", Decimal("20.00"), Decimal("3"), "week"
            ),
            plan_services.ItemInput(
                "A grab rail", "equipment", "", Decimal("52.00"), Decimal("1"), "once", unit="item"
            ),
        ],
    )
    plan = plan_services.plan_submit(
        actor=world.allocated_worker, plan=plan, expected_version=plan.version
    )
    plan_services.plan_decide(
        actor=world.allocated_worker, plan=plan, approved=True, explanation="Yes"
    )


def test_services_with_their_cld_fields(world: World, api_as: Callable[..., ApiClient]) -> None:
    api = api_as(world.allocated_worker)
    assert api.get(f"/people/{world.person.pk}/services").json() == []
    _sign_off(world)
    response = api.get(f"/people/{world.person.pk}/services")
    assert response.status_code == 200, response.content
    home, rail = response.json()
    assert home == {
        "id": home["id"],
        "plan_id": world.plan.pk,
        "request_id": None,
        "description": "Help at home",
        "provider_name": "Acme Care",
        "delivery_mechanism": "CASSR commissioned support",
        "service_type": "Long term support: Community",
        "service_component": "Home support or domiciliary care",
        "unit_cost": "20.00",
        "cost_frequency": "Hourly",
        "planned_units_per_week": "3.00",
        "weekly_cost": "60.00",
        "start_date": timezone.localdate().isoformat(),
        "end_date": None,
    }
    assert rail["service_component"] == "Equipment" and rail["cost_frequency"] == "One-off"
    assert rail["planned_units_per_week"] == "0.00" and rail["weekly_cost"] == "1.00"


def test_ended_services_are_listed_with_their_end(
    world: World, api_as: Callable[..., ApiClient]
) -> None:
    Service.objects.create(
        person=world.person,
        contact=world.contact,
        description="Starter budget",
        delivery_mechanism="Direct payment",
        service_type="Short term support: Other short term",
        service_component="Direct payment",
        unit_cost=Decimal("100.00"),
        cost_frequency="Weekly",
        planned_units_per_week=Decimal("1.00"),
        weekly_cost=Decimal("100.00"),
        start_date=datetime.date(2026, 11, 1),
        end_date=datetime.date(2026, 11, 15),
    )
    (starter,) = api_as(world.representative).get(f"/people/{world.person.pk}/services").json()
    assert starter["request_id"] == world.contact.pk and starter["plan_id"] is None
    assert starter["end_date"] == "2026-11-15"


def test_who_may_read_them(world: World, api_as: Callable[..., ApiClient]) -> None:
    path = f"/people/{world.person.pk}/services"
    assert api_as(world.the_person).get(path).status_code == 200
    assert api_as(world.team_manager).get(path).status_code == 200
    for stranger in (world.worker_other_team, world.plan_helper, world.administrator):
        assert api_as(stranger).get(path).status_code == 404
    assert api_as(world.allocated_worker).get("/people/999999/services").status_code == 404
