"""One person's whole journey through the API alone: from being added, through a request for
support, assessment, budget and plan, to support in place and a completed review."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from selfdirect.audit.models import AuditEvent
from tests.api.conftest import ApiClient
from tests.api.test_assessment_contract import adult_assessment
from tests.conftest import World

PA = {
    "what": "A personal assistant to help me get up and go out",
    "provider_kind": "personal_assistant",
    "provider_name": "Sam",
    "unit_cost": "16.00",
    "unit": "hour",
    "units": "5",
    "per": "week",
}
CLUB = {
    "what": "Lunch club",
    "provider_kind": "community_group",
    "unit_cost": "6.50",
    "unit": "session",
    "units": "2",
    "per": "week",
    "management": "council_arranged",
}


def test_from_a_request_for_support_to_a_completed_review(
    world: World, api_as: Callable[..., ApiClient]
) -> None:
    worker = api_as(world.allocated_worker)  # a social worker in team A

    # A new person, and their request for support.
    made = worker.post(
        "/people", {"first_name": "Edna", "last_name": "Journey", "date_of_birth": "1941-06-09"}
    )
    assert made.status_code == 201, made.content
    person_id = made.json()["id"]
    asked = worker.post(
        f"/people/{person_id}/requests",
        {
            "received_on": "2026-11-02",
            "route_of_access": "community",
            "requested_by": "Her daughter",
            "what_for": "Struggling to cook and wash since a fall",
        },
    )
    assert asked.status_code == 201, asked.content
    # Nothing to plan against yet.
    assert worker.get(f"/people/{person_id}/budget").status_code == 404
    assert worker.post(f"/people/{person_id}/plans").status_code == 409

    # Assessment, completed: eligible, with an indicative budget.
    assessment = worker.post(f"/people/{person_id}/assessments", adult_assessment())
    assert assessment.status_code == 201, assessment.content
    done = worker.post(f"/assessments/{assessment.json()['id']}/complete", {"method": "remote"})
    assert done.status_code == 200 and done.json()["eligible"] is True

    budget = worker.get(f"/people/{person_id}/budget")
    assert budget.status_code == 200, budget.content
    budget_body = budget.json()
    assert budget_body["assessment_id"] == assessment.json()["id"]
    assert {line["outcome"] for line in budget_body["contributions"]} == {
        "nutrition",
        "personal_hygiene",
    }
    weekly_budget = Decimal(budget_body["weekly"])
    assert weekly_budget == sum(Decimal(line["weekly"]) for line in budget_body["contributions"])
    assert [s["stream"] for s in budget_body["funding_streams"]] == ["social_care"]

    # The plan: started, written, a stale save refused, sent, signed off.
    started = worker.post(f"/people/{person_id}/plans")
    assert started.status_code == 201, started.content
    plan = started.json()
    assert plan["status"] == "draft" and plan["budget"]["id"] == budget_body["id"]
    plan_id = plan["id"]
    assert worker.post(f"/people/{person_id}/plans").json()["id"] == plan_id  # the same draft

    words = {
        "what_i_want": "To eat well and get out to see friends",
        "who_helps": "My daughter at weekends",
        "if_things_go_wrong": "My neighbour has a key",
        "management": "mixed",
    }
    saved = worker.put(f"/plans/{plan_id}", {"version": plan["version"], **words, "items": [PA]})
    assert saved.status_code == 200, saved.content
    first = saved.json()
    assert first["version"] == plan["version"] + 1
    assert first["totals"] == {"weekly": "80.00", "annual": "4160.00"}

    second = worker.put(
        f"/plans/{plan_id}", {"version": first["version"], **words, "items": [PA, CLUB]}
    )
    assert second.status_code == 200, second.content
    stale = worker.put(f"/plans/{plan_id}", {"version": first["version"], **words, "items": []})
    assert stale.status_code == 409 and stale.json()["detail"]
    current = worker.get(f"/plans/{plan_id}").json()
    assert len(current["items"]) == 2 and current["version"] == second.json()["version"]
    assert Decimal(current["totals"]["weekly"]) == Decimal("93.00")
    assert Decimal(current["totals"]["annual"]) <= Decimal(current["budget"]["annual_all_streams"])

    assert worker.post(f"/plans/{plan_id}/submit", {"version": first["version"]}).status_code == 409
    sent = worker.post(
        f"/plans/{plan_id}/submit", {"version": current["version"], "written_by": "person"}
    )
    assert sent.status_code == 200, sent.content
    route = sent.json()["route"]
    # Within budget and within the named worker's limit: they sign it off (rule 1).
    assert route["kind"] == "named_worker"
    assert route["approver_ids"] == [world.allocated_worker.pk]
    approval = {"approved": True, "explanation": "This plan meets your needs safely."}
    teammate = api_as(world.team_a_worker)
    assert teammate.post(f"/plans/{plan_id}/decision", approval).status_code == 403
    decided = worker.post(f"/plans/{plan_id}/decision", approval)
    assert decided.status_code == 201, decided.content
    signed = decided.json()
    assert signed["status"] == "approved"
    assert signed["decision"]["decided_by_id"] == world.allocated_worker.pk
    assert worker.post(f"/plans/{plan_id}/decision", approval).status_code == 409

    # Support in place: one service per item, with the CLD fields.
    services = worker.get(f"/people/{person_id}/services")
    assert services.status_code == 200, services.content
    by_what = {s["description"]: s for s in services.json()}
    assert set(by_what) == {PA["what"], CLUB["what"]}
    assert by_what[PA["what"]]["delivery_mechanism"] == "Direct payment"
    assert by_what[CLUB["what"]]["delivery_mechanism"] == "CASSR commissioned support"
    assert by_what[CLUB["what"]]["service_component"] == "Day support"
    assert all(s["plan_id"] == plan_id and s["end_date"] is None for s in services.json())

    # The light-touch review: opened, read, completed.
    opened = worker.post(f"/people/{person_id}/reviews", {"reason": "planned"})
    assert opened.status_code == 201, opened.content
    review = opened.json()
    assert review["planned"] is True and review["window"]["kind"] == "first"
    assert {o["outcome"] for o in review["plan_outcomes"]} == {"nutrition", "personal_hygiene"}
    assert worker.get(f"/reviews/{review['id']}").json()["status"] == "open"
    completed = worker.post(
        f"/reviews/{review['id']}/complete",
        {
            "method": "face_to_face",
            "outcomes": [
                {"outcome": "nutrition", "achieved": "fully_met"},
                {"outcome": "personal_hygiene", "achieved": "partially_met"},
            ],
            "decision": "carry_on",
            "decision_note": "Going well; keep the lunch club.",
        },
    )
    assert completed.status_code == 200, completed.content
    result = completed.json()
    assert result["status"] == "completed"
    assert result["outcomes_achieved"] == "partially_met"
    assert result["event_outcome"] == "Continuation of support or services"
    assert result["completed_by_id"] == world.allocated_worker.pk

    # Every call left a trace naming the worker.
    assert AuditEvent.objects.filter(actor=world.allocated_worker, person_id=person_id).count() > 20
