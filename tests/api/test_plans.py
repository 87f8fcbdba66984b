"""Plans through the API: started, saved with optimistic locking, sent, and decided by the
published sign-off rules; the person and their representative write their own plan as on the web.
(The budget in `world` is £144.00 a week, £7,488 a year; staff may sign off £10,000 a year.)"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from selfdirect.audit.models import AuditEvent, EventType
from selfdirect.plans.models import Plan, PlanStatus
from tests.api.conftest import ApiClient
from tests.conftest import World
from tests.factories import PersonFactory, completed_assessment

ApiAs = Callable[..., ApiClient]


def pa(hours: str = "5", **changes: Any) -> dict[str, Any]:
    item = {
        "what": "A personal assistant",
        "provider_kind": "personal_assistant",
        "unit_cost": "16.00",
        "units": hours,
        "per": "week",
    }
    item.update(changes)
    return item


def write(api: ApiClient, plan_id: int, *items: dict[str, Any], **words: Any) -> Any:
    version = api.get(f"/plans/{plan_id}").json()["version"]
    body = {"version": version, "what_i_want": "To get out more", "items": list(items), **words}
    return api.put(f"/plans/{plan_id}", body)


def send(api: ApiClient, plan_id: int, hours: str) -> dict[str, Any]:
    saved = write(api, plan_id, pa(hours))
    assert saved.status_code == 200, saved.content
    sent = api.post(f"/plans/{plan_id}/submit", {"version": saved.json()["version"]})
    assert sent.status_code == 200, sent.content
    return sent.json()


def test_starting_a_plan(world: World, api_as: ApiAs) -> None:
    api = api_as(world.allocated_worker)
    # world.person already has a draft: that draft is the answer.
    existing = api.post(f"/people/{world.person.pk}/plans")
    assert existing.status_code == 200 and existing.json()["id"] == world.plan.pk
    newcomer = PersonFactory(named_worker=world.allocated_worker)
    assert api.post(f"/people/{newcomer.pk}/plans").status_code == 409  # no budget yet
    completed_assessment(newcomer, world.allocated_worker)
    made = api.post(f"/people/{newcomer.pk}/plans")
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["status"] == "draft" and body["version"] == 1 and body["items"] == []
    assert body["route"] is None and body["decision"] is None
    assert body["totals"] == {"weekly": "0.00", "annual": "0.00"}
    assert body["budget"]["weekly"] == str(newcomer.indicative_budgets.get().weekly)
    assert AuditEvent.objects.filter(
        event_type=EventType.PLAN_STARTED, new_values__plan=body["id"]
    ).exists()


def test_saving_costs_the_items_and_checks_the_version(world: World, api_as: ApiAs) -> None:
    api = api_as(world.allocated_worker)
    saved = write(api, world.plan.pk, pa("5"), pa("1", per="month", unit_cost="40.00"))
    assert saved.status_code == 200, saved.content
    body = saved.json()
    assert body["version"] == world.plan.version + 1
    assert [i["weekly_cost"] for i in body["items"]] == ["80.00", "9.23"]
    assert [i["annual_cost"] for i in body["items"]] == ["4160.00", "480.00"]
    assert body["totals"] == {"weekly": "89.23", "annual": "4640.00"}
    assert body["over_budget"] is False
    stale = api.put(
        f"/plans/{world.plan.pk}", {"version": world.plan.version, "what_i_want": "Mine"}
    )
    assert stale.status_code == 409
    assert "read it again" in stale.json()["detail"]
    assert Plan.objects.get(pk=world.plan.pk).what_i_want == "To get out more"


def test_values_that_are_not_acceptable(world: World, api_as: ApiAs) -> None:
    api = api_as(world.allocated_worker)
    too_many = write(api, world.plan.pk, pa("200"))  # more hours than a week has
    assert too_many.status_code == 422
    assert too_many.json()["errors"] == [
        {"field": "items.0.units", "message": "How many must be 168 or fewer a week"}
    ]
    bad = write(
        api,
        world.plan.pk,
        pa(provider_kind="wizard"),
        pa(unit_cost="-1"),
        pa(units="0"),
        pa(unit_cost="1.234"),
        pa(what="\x00"),
    )
    assert bad.status_code == 422
    fields = {e["field"] for e in bad.json()["errors"]}
    assert {
        "items.0.provider_kind",
        "items.1.unit_cost",
        "items.2.units",
        "items.3.unit_cost",
        "items.4.what",
    } <= fields
    assert api.put(f"/plans/{world.plan.pk}", {"what_i_want": "x"}).status_code == 422
    huge = api.put(f"/plans/{world.plan.pk}", {"version": 10**30})
    assert huge.status_code == 422 and huge.json()["errors"][0]["field"] == "version"
    assert api.put("/plans/999999", {"version": 1}).status_code == 404


def test_the_person_and_their_representative_write_their_own_plan(
    world: World, api_as: ApiAs
) -> None:
    person = api_as(world.the_person)
    assert write(person, world.plan.pk, pa("5"), what_i_want="My words").status_code == 200
    rep = api_as(world.representative)
    saved = write(rep, world.plan.pk, pa("6"), what_i_want="Our words")
    assert saved.status_code == 200
    helper = api_as(world.plan_helper)  # invited to this plan, and only this one
    assert write(helper, world.plan.pk, pa("6")).status_code == 200
    assert helper.get(f"/plans/{world.other_plan.pk}").status_code == 404
    assert helper.post(f"/people/{world.person.pk}/plans").status_code == 403
    sent = person.post(
        f"/plans/{world.plan.pk}/submit", {"version": Plan.objects.get(pk=world.plan.pk).version}
    )
    assert sent.status_code == 200, sent.content
    assert sent.json()["written_by"] == "person"  # judged from who sent it
    assert sent.json()["status"] == "submitted"
    # Sent: nobody can change it now, and a person never decides.
    assert write(person, world.plan.pk, pa("1")).status_code == 409
    decision = {"approved": True, "explanation": "Yes"}
    assert person.post(f"/plans/{world.plan.pk}/decision", decision).status_code == 403
    assert rep.post(f"/plans/{world.plan.pk}/decision", decision).status_code == 403


def test_sending_needs_words_and_items(world: World, api_as: ApiAs) -> None:
    api = api_as(world.allocated_worker)
    empty = api.post(f"/plans/{world.plan.pk}/submit", {"version": world.plan.version})
    assert empty.status_code == 409 and "achieve" in empty.json()["detail"]
    saved = write(api, world.plan.pk)
    no_items = api.post(f"/plans/{world.plan.pk}/submit", {"version": saved.json()["version"]})
    assert no_items.status_code == 409 and "pay for" in no_items.json()["detail"]
    wrong_author = api.post(
        f"/plans/{world.plan.pk}/submit", {"version": 1, "written_by": "the_council"}
    )
    assert wrong_author.status_code == 422
    assert wrong_author.json()["errors"][0]["field"] == "written_by"


def test_the_named_worker_signs_off_within_their_limit(world: World, api_as: ApiAs) -> None:
    worker = api_as(world.allocated_worker)
    sent = send(worker, world.plan.pk, "5")  # £4,160 a year
    assert sent["route"]["kind"] == "named_worker"
    assert sent["route"]["approver_ids"] == [world.allocated_worker.pk]
    assert "£4,160.00" in sent["route"]["reason"]
    path = f"/plans/{world.plan.pk}/decision"
    # Refusing needs a published reason, and the panel alone refuses for being over budget.
    no_reason = worker.post(path, {"approved": False, "explanation": "No"})
    assert no_reason.status_code == 422
    assert no_reason.json()["errors"][0]["field"] == "reason_code"
    unsafe = worker.post(path, {"approved": False, "explanation": "No", "reason_code": "unsafe"})
    assert unsafe.json()["errors"][0]["field"] == "risk_description"
    over = worker.post(path, {"approved": False, "explanation": "No", "reason_code": "over_budget"})
    assert over.status_code == 422
    invented = worker.post(path, {"approved": False, "explanation": "No", "reason_code": "odd"})
    assert invented.status_code == 422
    assert worker.post(path, {"approved": True, "explanation": ""}).status_code == 422
    assert (
        api_as(world.team_manager).post(path, {"approved": True, "explanation": "Yes"}).status_code
        == 403
    )
    refused = worker.post(
        path,
        {
            "approved": False,
            "explanation": "A relative in the house cannot be paid from a direct payment.",
            "reason_code": "legal_restriction",
            "legal_restriction": "close_relative",
        },
    )
    assert refused.status_code == 201, refused.content
    decision = refused.json()["decision"]
    assert refused.json()["status"] == "refused"
    assert decision["reason_code"] == "legal_restriction" and decision["by_panel"] is False
    assert worker.post(path, {"approved": True, "explanation": "Yes"}).status_code == 409


def test_above_the_workers_limit_the_line_signs_off(world: World, api_as: ApiAs) -> None:
    world.allocated_worker.sign_off_limit = Decimal("3000")
    world.allocated_worker.save()
    world.team_manager.sign_off_limit = Decimal("50000")
    world.team_manager.save()
    sent = send(api_as(world.allocated_worker), world.plan.pk, "5")
    assert sent["route"]["kind"] == "line"
    assert sent["route"]["approver_ids"] == [world.team_manager.pk]
    approve = {"approved": True, "explanation": "This meets your needs."}
    path = f"/plans/{world.plan.pk}/decision"
    assert api_as(world.allocated_worker).post(path, approve).status_code == 403
    assert api_as(world.panel_member).post(path, approve).status_code == 404  # not a panel plan
    assert api_as(world.manager_other_team).post(path, approve).status_code == 404
    signed = api_as(world.team_manager).post(path, approve)
    assert signed.status_code == 201, signed.content
    assert signed.json()["status"] == "approved"
    assert signed.json()["decision"]["decided_by_id"] == world.team_manager.pk
    # Signing off put the support in place.
    services = api_as(world.allocated_worker).get(f"/people/{world.person.pk}/services").json()
    assert [s["description"] for s in services] == ["A personal assistant"]


def test_over_budget_only_the_panel_decides(world: World, api_as: ApiAs) -> None:
    sent = send(api_as(world.allocated_worker), world.plan.pk, "20")  # £320 a week against £144
    assert sent["over_budget"] is True
    assert sent["route"] == {"kind": "panel", "approver_ids": [], "reason": sent["route"]["reason"]}
    path = f"/plans/{world.plan.pk}/decision"
    refuse = {
        "approved": False,
        "explanation": "We can meet your needs for less.",
        "reason_code": "over_budget",
    }
    for user in (world.allocated_worker, world.team_manager):
        assert api_as(user).post(path, refuse).status_code == 403
    panel = api_as(world.panel_member)
    seen = panel.get(f"/plans/{world.plan.pk}")
    assert seen.status_code == 200 and seen.json()["route"]["kind"] == "panel"
    assert panel.get(f"/people/{world.person.pk}/budget").status_code == 404  # the plan only
    decided = panel.post(path, refuse)
    assert decided.status_code == 201, decided.content
    assert decided.json()["decision"]["by_panel"] is True
    assert Plan.objects.get(pk=world.plan.pk).status == PlanStatus.REFUSED
