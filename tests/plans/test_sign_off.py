"""Sign-off by the published rules: named worker within their limit, else their line, and the
panel only (and always) for plans over budget. The person is told the decision directly."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from selfdirect.plans import services
from selfdirect.plans.models import Plan, PlanStatus
from tests.conftest import World


def _submit(world: World, hours: str) -> Plan:
    """The person's plan with HOURS of PA support a week at £16.00 (budget: £144.00 a week)."""
    plan = world.plan
    services.plan_save(
        actor=world.the_person,
        plan=plan,
        expected_version=plan.version,
        what_i_want="Get out more",
        who_helps="Family",
        if_things_go_wrong="Neighbour",
        management="direct_payment",
        interim=False,
        items=[
            services.ItemInput(
                "PA support", "personal_assistant", "Sam", Decimal("16.00"), Decimal(hours), "week"
            )
        ],
    )
    return services.plan_submit(actor=world.the_person, plan=plan, expected_version=plan.version)


DECISION = {"decision": "approve", "explanation": "This will help you get out more."}


def test_within_budget_and_limit_goes_to_named_worker(
    world: World, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    world.relationship.email = "rita@example.org"
    world.relationship.save()
    plan = _submit(world, "5")  # £80 a week, £4,160 a year; worker's limit £10,000
    assert plan.route_kind == "named_worker"
    assert plan.route_approver_ids == [world.allocated_worker.pk]
    url = reverse("plans:decide", args=[plan.pk])
    # The manager may see it but may not decide it: the rules name the named worker.
    assert world.client_for(world.team_manager).post(url, DECISION).status_code == 200
    assert Plan.objects.get(pk=plan.pk).status == PlanStatus.SUBMITTED
    with django_capture_on_commit_callbacks(execute=True):
        response = world.client_for(world.allocated_worker).post(url, DECISION)
    assert response.status_code == 302
    assert Plan.objects.get(pk=plan.pk).status == PlanStatus.APPROVED
    assert set(mail.outbox[0].to) == {world.the_person.email, "rita@example.org"}
    assert "signed off" in mail.outbox[0].body
    portal = world.client_for(world.the_person).get(reverse("portal:plan-edit", args=[plan.pk]))
    assert "Signed off on" in portal.content.decode()


def test_above_named_workers_limit_goes_up_the_line(world: World) -> None:
    world.team_manager.sign_off_limit = Decimal("50000")
    world.team_manager.save()
    world.person.named_worker.sign_off_limit = Decimal("3000")
    world.person.named_worker.save()
    plan = _submit(world, "5")  # £4,160 a year: above £3,000, within budget
    assert plan.route_kind == "line"
    assert plan.route_approver_ids == [world.team_manager.pk]
    url = reverse("plans:decide", args=[plan.pk])
    world.client_for(world.allocated_worker).post(url, DECISION)
    assert Plan.objects.get(pk=plan.pk).status == PlanStatus.SUBMITTED
    assert world.client_for(world.team_manager).post(url, DECISION).status_code == 302
    assert Plan.objects.get(pk=plan.pk).status == PlanStatus.APPROVED


def test_over_budget_goes_to_the_panel_and_only_the_panel(world: World) -> None:
    world.team_manager.sign_off_limit = Decimal("1000000")
    world.team_manager.save()
    plan = _submit(world, "20")  # £320 a week against £144
    assert plan.route_kind == "panel"
    url = reverse("plans:decide", args=[plan.pk])
    for user in (world.allocated_worker, world.team_manager):
        world.client_for(user).post(url, DECISION)
        assert Plan.objects.get(pk=plan.pk).status == PlanStatus.SUBMITTED
    panel = world.client_for(world.panel_member)
    queue = panel.get(reverse("plans:panel")).content.decode()
    assert world.person.full_name in queue
    refuse = {
        "decision": "refuse",
        "reason_code": "over_budget",
        "explanation": "We can meet your needs for less.",
    }
    assert panel.post(url, refuse).status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.REFUSED and plan.decision.by_panel
    assert world.person.full_name not in panel.get(reverse("plans:panel")).content.decode()


def test_within_budget_never_reaches_the_panel(world: World) -> None:
    plan = _submit(world, "5")
    assert (
        world.person.full_name
        not in world.client_for(world.panel_member).get(reverse("plans:panel")).content.decode()
    )
    assert (
        world.client_for(world.panel_member)
        .get(reverse("plans:decide", args=[plan.pk]))
        .status_code
        == 404
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"decision": "refuse", "explanation": "No"},
            "Choose one of the council&#x27;s published reasons",
        ),
        ({"decision": "refuse", "reason_code": "unsafe", "explanation": "No"}, "Describe the risk"),
        (
            {"decision": "refuse", "reason_code": "legal_restriction", "explanation": "No"},
            "Choose which published legal restriction",
        ),
        (
            {"decision": "refuse", "reason_code": "over_budget", "explanation": "No"},
            "Only the panel can refuse a plan for being over budget",
        ),
        ({"decision": "approve", "explanation": ""}, "Explain the decision in plain words"),
    ],
)
def test_refusals_need_a_published_reason(world: World, data: dict[str, str], message: str) -> None:
    plan = _submit(world, "5")
    response = world.client_for(world.allocated_worker).post(
        reverse("plans:decide", args=[plan.pk]), data
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Plan.objects.get(pk=plan.pk).status == PlanStatus.SUBMITTED


def test_plan_rules_page_is_public(client) -> None:  # type: ignore[no-untyped-def]
    page = client.get(reverse("plans:rules")).content.decode()
    assert "Only a plan that costs more than the budget goes to a panel" in page
    assert "unusual" in page


@pytest.mark.django_db
def test_who_wrote_the_plan_is_judged_from_the_sender(world: World) -> None:
    plan = _submit(world, "5")
    assert plan.written_by == "person"


@pytest.mark.django_db
def test_the_sender_can_say_who_wrote_the_plan(world: World) -> None:
    plan = world.plan
    services.plan_save(
        actor=world.plan_helper,
        plan=plan,
        expected_version=plan.version,
        what_i_want="Get out more",
        who_helps="Family",
        if_things_go_wrong="Neighbour",
        management="direct_payment",
        interim=False,
        items=[
            services.ItemInput(
                "PA support", "personal_assistant", "Sam", Decimal("16.00"), Decimal("5"), "week"
            )
        ],
    )
    # The helper came from a user-led organisation (a support planner).
    assert services.plan_author_for(actor=world.plan_helper, plan=plan) == "user_led"
    assert services.plan_author_for(actor=world.allocated_worker, plan=plan) == "worker"
    with pytest.raises(services.ValidationError):
        services.plan_submit(
            actor=world.plan_helper, plan=plan, expected_version=plan.version, written_by="bot"
        )
    plan = services.plan_submit(
        actor=world.plan_helper, plan=plan, expected_version=plan.version, written_by="family"
    )
    assert plan.written_by == "family"
