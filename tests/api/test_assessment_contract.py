"""The assessment path, exactly as the issue's contract says."""

from __future__ import annotations

from collections.abc import Callable

from selfdirect.api.models import ApiToken
from selfdirect.audit.models import AuditEvent, EventType
from selfdirect.people.models import Person
from tests.api.conftest import ApiClient
from tests.conftest import World

ADULT = [
    "nutrition",
    "personal_hygiene",
    "toilet_needs",
    "clothing",
    "home_safety",
    "habitable_home",
    "relationships",
    "work_education_volunteering",
    "community_facilities",
    "caring_for_child",
]


def judgement(outcome: str, achievable: bool = True, **changes: object) -> dict[str, object]:
    out: dict[str, object] = {
        "outcome": outcome,
        "achievable": achievable,
        "unable_reason": None if achievable else "without_assistance",
        "met_by_others": "none",
        "risk": "low" if achievable else "substantial",
        "reason": "" if achievable else "Needs help every day",
    }
    out.update(changes)
    return out


def adult_assessment(unable: tuple[str, ...] = ("nutrition", "personal_hygiene")) -> dict:
    return {
        "kind": "adult",
        "outcomes": [judgement(code, code not in unable) for code in ADULT],
        "significant_impact": True,
        "significant_impact_reason": "Losing weight; cannot wash safely",
    }


def test_person_to_indicative_budget(world: World, api_as: Callable[..., ApiClient]) -> None:
    api = api_as(world.allocated_worker)
    made = api.post(
        "/people", {"first_name": "Ivy", "last_name": "Api", "date_of_birth": "1944-02-03"}
    )
    assert made.status_code == 201, made.content
    person_id = made.json()["id"]
    person = Person.objects.get(pk=person_id)
    assert person.named_worker == world.allocated_worker  # the caller becomes named worker

    created = api.post(f"/people/{person_id}/assessments", adult_assessment())
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["eligible"] is True and body["eligibility_reasons"]
    assert "indicative_budget" not in body
    assert len(body["outcomes"]) == 10

    read = api.get(f"/assessments/{body['id']}").json()
    assert read["id"] == body["id"] and read["status"] == "in_progress"

    done = api.post(f"/assessments/{body['id']}/complete")
    assert done.status_code == 200, done.content
    budget = done.json()["indicative_budget"]
    assert set(budget) == {
        "weekly",
        "annual",
        "range_low",
        "range_high",
        "ras_version",
        "contributions",
    }
    assert float(budget["weekly"]) > 0
    assert {c["outcome"] for c in budget["contributions"]} <= set(ADULT)
    again = api.post(f"/assessments/{body['id']}/complete")
    assert again.status_code == 409 and again.json()["detail"]


def test_not_eligible_has_no_budget(world: World, api_as: Callable[..., ApiClient]) -> None:
    api = api_as(world.allocated_worker)
    made = api.post("/people", {"first_name": "A", "last_name": "B", "date_of_birth": "1950-01-01"})
    created = api.post(f"/people/{made.json()['id']}/assessments", adult_assessment(unable=()))
    assert created.json()["eligible"] is False
    done = api.post(f"/assessments/{created.json()['id']}/complete").json()
    assert done["eligible"] is False and "indicative_budget" not in done


def test_carer_outcomes_and_field_errors(world: World, api_as: Callable[..., ApiClient]) -> None:
    api = api_as(world.allocated_worker)
    person_id = world.person.pk
    bad = api.post(
        f"/people/{person_id}/assessments",
        {
            "kind": "carer",
            "outcomes": [
                judgement("personal_hygiene"),  # an adult outcome
                judgement("recreation", False, unable_reason="takes_significantly_longer"),
                judgement("nutrition", True, unable_reason="without_assistance"),
            ],
            "significant_impact": True,
            "significant_impact_reason": "x",
            "carer_health_deteriorating": True,
        },
    )
    assert bad.status_code == 422
    fields = {e["field"] for e in bad.json()["errors"]}
    assert fields == {"outcomes.0.outcome", "outcomes.1.unable_reason", "outcomes.2.unable_reason"}
    wrong_type = api.post(f"/people/{person_id}/assessments", {"kind": "child", "outcomes": []})
    assert wrong_type.status_code == 422
    assert {"kind", "significant_impact"} <= {e["field"] for e in wrong_type.json()["errors"]}
    garbage = api.client.post(
        f"/api/v1/people/{person_id}/assessments",
        data="{not json",
        content_type="application/json",
        headers=api.headers,
    )
    assert garbage.status_code in (400, 422) and garbage.json()["detail"]


def test_tokens_roles_and_relationships(world: World, api_as: Callable[..., ApiClient]) -> None:
    person_id = world.person.pk
    assert api_as(None).get(f"/people/{person_id}").status_code == 401
    bogus = api_as(None)
    bogus.headers = {"Authorization": "Bearer sd_not-a-token"}
    assert bogus.get(f"/people/{person_id}").status_code == 401
    assert api_as(world.worker_other_team).get(f"/people/{person_id}").status_code == 404
    assert api_as(world.representative_of_other).get(f"/people/{person_id}").status_code == 404
    assert api_as(world.representative).get(f"/people/{person_id}").status_code == 200
    refused = api_as(world.representative).post(
        f"/people/{person_id}/assessments", adult_assessment()
    )
    assert refused.status_code == 403
    commissioner = api_as(world.commissioner).post(
        "/people", {"first_name": "A", "last_name": "B", "date_of_birth": "1950-01-01"}
    )
    assert commissioner.status_code == 403
    admin = api_as(world.administrator)
    no_team = admin.post(
        "/people", {"first_name": "A", "last_name": "B", "date_of_birth": "1950-01-01"}
    )
    assert no_team.status_code == 422 and no_team.json()["errors"][0]["field"] == "team_id"
    queued = admin.post(
        "/people",
        {
            "first_name": "A",
            "last_name": "B",
            "date_of_birth": "1950-01-01",
            "team_id": world.team_a.pk,
        },
    )
    assert queued.status_code == 201 and queued.json()["named_worker_id"] is None
    # Revoked tokens stop at once; only hashes are stored.
    worker = api_as(world.allocated_worker)
    assert worker.get(f"/people/{person_id}").status_code == 200
    token = worker.headers["Authorization"].removeprefix("Bearer ")
    record = ApiToken.objects.get(user=world.allocated_worker)
    assert token not in {record.token_hash, record.prefix}
    record.revoked_at = record.created_at
    record.save()
    assert worker.get(f"/people/{person_id}").status_code == 401


def test_every_call_is_audited(world: World, api_as: Callable[..., ApiClient]) -> None:
    api = api_as(world.allocated_worker)
    before = AuditEvent.objects.count()
    api.get(f"/people/{world.person.pk}")
    read = AuditEvent.objects.order_by("-id").first()
    assert read is not None and read.event_type == EventType.PERSON_VIEWED
    assert read.new_values["api"] == f"GET /api/v1/people/{world.person.pk}"
    api.get("/people")
    listed = AuditEvent.objects.order_by("-id").first()
    assert listed is not None and listed.event_type == EventType.API_CALLED
    assert AuditEvent.objects.count() == before + 2


def test_ids_no_database_can_hold_are_not_found(
    world: World, api_as: Callable[..., ApiClient]
) -> None:
    api = api_as(world.allocated_worker)
    for path in ("/people/99999999999999999999", "/assessments/-1", "/people/0/requests"):
        assert api.get(path).status_code in (404, 422), path
    nul = api.post(
        "/people", {"first_name": "A\x00", "last_name": "B", "date_of_birth": "1950-01-01"}
    )
    assert nul.status_code == 422 and nul.json()["errors"][0]["field"] == "first_name"
