"""GET /people/{id}/budget: the latest indicative budget, with its explanation as issued."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from selfdirect.audit.models import AuditEvent, EventType
from selfdirect.budgets.models import IndicativeBudget
from tests.api.conftest import ApiClient
from tests.conftest import World
from tests.factories import PersonFactory, completed_assessment


def test_the_budget_and_its_explanation(world: World, api_as: Callable[..., ApiClient]) -> None:
    response = api_as(world.allocated_worker).get(f"/people/{world.person.pk}/budget")
    assert response.status_code == 200, response.content
    body = response.json()
    stored = IndicativeBudget.objects.get(assessment=world.done_assessment)
    assert body["id"] == stored.pk and body["assessment_id"] == world.done_assessment.pk
    assert Decimal(body["weekly"]) == stored.weekly and Decimal(body["annual"]) == stored.annual
    assert Decimal(body["range_low"]) <= stored.weekly <= Decimal(body["range_high"])
    assert body["ras_version"] == stored.ras_version.version
    lines = {line["outcome"]: line for line in body["contributions"]}
    # factories.completed_assessment: nutrition substantial, none met; hygiene critical, some met.
    assert set(lines) == {"nutrition", "personal_hygiene"}
    assert lines["nutrition"]["risk"] == "substantial"
    assert lines["personal_hygiene"]["met_by_others"] == "some"
    assert lines["nutrition"]["label"] == "Managing and maintaining nutrition"
    assert all(Decimal(line["points"]) > 0 for line in lines.values())
    assert sum(Decimal(line["weekly"]) for line in lines.values()) == stored.weekly
    assert body["funding_streams"] == [
        {"stream": "social_care", "weekly": f"{stored.weekly}", "note": stored.streams.get().note}
    ]
    read = AuditEvent.objects.order_by("-id").first()
    assert read is not None and read.event_type == EventType.PERSON_VIEWED
    assert read.new_values == {
        "api": f"GET /api/v1/people/{world.person.pk}/budget",
        "what": "budget",
    }


def test_the_latest_budget_is_the_one_shown(world: World, api_as: Callable[..., ApiClient]) -> None:
    newer = completed_assessment(world.person, world.allocated_worker)
    body = api_as(world.allocated_worker).get(f"/people/{world.person.pk}/budget").json()
    assert body["assessment_id"] == newer.pk


def test_who_may_read_it(world: World, api_as: Callable[..., ApiClient]) -> None:
    path = f"/people/{world.person.pk}/budget"
    assert api_as(world.the_person).get(path).status_code == 200
    assert api_as(world.representative).get(path).status_code == 200
    assert api_as(world.worker_other_team).get(path).status_code == 404
    assert api_as(world.commissioner).get(path).status_code == 404
    assert api_as(world.allocated_worker).get("/people/999999/budget").status_code == 404
    assert api_as(None).get(path).status_code == 401


def test_no_budget_yet(world: World, api_as: Callable[..., ApiClient]) -> None:
    newcomer = PersonFactory(named_worker=world.allocated_worker)
    response = api_as(world.allocated_worker).get(f"/people/{newcomer.pk}/budget")
    assert response.status_code == 404
    assert response.json()["detail"] == "Not found"
