"""Writing a plan: in the portal and staff pages, errors never lose work, two editors never
overwrite each other (targets R5, R6)."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse

from selfdirect.plans.models import Plan, PlanStatus
from tests.conftest import World


def _post(version: int, **extra: str) -> dict[str, str]:
    data = {
        "version": str(version),
        "what_i_want": "To get out to the allotment and see my friends",
        "who_helps": "My daughter on Sundays",
        "if_things_go_wrong": "My neighbour has a key",
        "management": "direct_payment",
        "items-TOTAL_FORMS": "2",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "50",
        "items-0-what": "A personal assistant to help me get up and go out",
        "items-0-provider_kind": "personal_assistant",
        "items-0-provider_name": "Sam",
        "items-0-unit_cost": "16.50",
        "items-0-unit": "hour",
        "items-0-units": "10",
        "items-0-per": "week",
        "items-1-what": "",
        "items-1-provider_kind": "personal_assistant",
        "items-1-unit_cost": "",
        "items-1-unit": "hour",
        "items-1-units": "",
        "items-1-per": "week",
    }
    data.update(extra)
    return data


def test_person_writes_and_sends_their_plan(world: World) -> None:
    client = world.client_for(world.the_person)
    plan = world.plan
    url = reverse("portal:plan-edit", args=[plan.pk])
    response = client.post(url, _post(plan.version))
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "£165.00 a week" in page  # running total
    plan.refresh_from_db()
    assert plan.items.get().annual_cost == Decimal("8580.00")
    response = client.post(url, {**_post(plan.version), "send": "1"})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED
    assert "Sent for sign-off" in client.get(url).content.decode()


def test_bad_items_get_errors_and_nothing_is_saved(world: World) -> None:
    client = world.client_for(world.allocated_worker)
    plan = world.plan
    url = reverse("plans:edit", args=[plan.pk])
    bad = _post(
        plan.version,
        **{
            "items-0-unit_cost": "-5",
            "items-1-what": "Gym",
            "items-1-unit_cost": "5",
            "items-1-units": "500",
        },
    )
    response = client.post(url, bad)
    content = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in content
    assert "Cost must be £0 or more" in content
    assert "How many must be 168 or fewer a week" in content
    assert 'href="#id_items-0-unit_cost"' in content
    assert "To get out to the allotment" in content  # what they typed is still there
    plan.refresh_from_db()
    assert plan.version == 1 and not plan.items.exists()


def test_second_editor_sees_a_conflict_and_loses_nothing(world: World) -> None:
    plan = world.plan
    url = reverse("plans:edit", args=[plan.pk])
    first = world.client_for(world.the_person)
    second = world.client_for(world.allocated_worker)
    opened_at = plan.version
    assert (
        first.post(reverse("portal:plan-edit", args=[plan.pk]), _post(opened_at)).status_code == 302
    )
    mine = _post(opened_at, what_i_want="The worker's words")
    response = second.post(url, mine)
    content = response.content.decode()
    assert response.status_code == 200
    assert "Someone else saved this plan while you were editing it" in content
    assert "The worker&#x27;s words" in content  # their typing is kept
    assert "The version saved by someone else" in content
    plan.refresh_from_db()
    assert plan.what_i_want == "To get out to the allotment and see my friends"
    # Saving again, knowingly, keeps the second version.
    again = {**mine, "version": str(plan.version)}
    assert second.post(url, again).status_code == 302
    plan.refresh_from_db()
    assert plan.what_i_want == "The worker's words"


def test_cannot_send_an_empty_plan(world: World) -> None:
    client = world.client_for(world.the_person)
    plan = world.plan
    blank = {
        "items-0-what": "",
        "items-0-provider_name": "",
        "items-0-unit_cost": "",
        "items-0-units": "",
    }
    data = _post(plan.version, what_i_want="", **blank)
    data["send"] = "1"
    content = client.post(reverse("portal:plan-edit", args=[plan.pk]), data).content.decode()
    assert "Say what you want to achieve before sending the plan" in content
    assert Plan.objects.get(pk=plan.pk).status == PlanStatus.DRAFT


def test_over_budget_is_shown(world: World) -> None:
    client = world.client_for(world.the_person)
    plan = world.plan
    url = reverse("portal:plan-edit", args=[plan.pk])
    client.post(url, _post(plan.version, **{"items-0-units": "100"}))
    page = client.get(url).content.decode()
    assert "Over budget by" in page


def test_plan_needs_a_budget(world: World) -> None:
    from tests.factories import PersonFactory

    person = PersonFactory(named_worker=world.allocated_worker)
    client = world.client_for(world.allocated_worker)
    response = client.post(reverse("plans:start", args=[person.pk]), follow=True)
    assert "A plan can be started once there is an indicative budget" in response.content.decode()
    assert not Plan.objects.filter(person=person).exists()


def test_running_total_for_what_is_typed_saves_nothing(world: World) -> None:
    client = world.client_for(world.the_person)
    plan = world.plan
    response = client.post(reverse("plans:totals", args=[plan.pk]), _post(plan.version))
    content = response.content.decode()
    assert response.status_code == 200
    assert "£165.00 a week" in content and 'id="totals"' in content
    plan.refresh_from_db()
    assert plan.version == 1 and not plan.items.exists()
