"""Step 5: a signed-off plan becomes services (CLD Service events), a 4-weekly direct payment,
and a first review 6-8 weeks after support starts."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from selfdirect.plans import services as plan_services
from selfdirect.support import release
from selfdirect.support.models import DirectPayment, ScheduledReview, Service
from tests.conftest import World


@pytest.mark.parametrize(
    ("management", "provider_kind", "mechanism", "component"),
    [
        ("direct_payment", "personal_assistant", "Direct payment", "Direct payment"),
        ("isf", "provider", "CASSR managed personal budget", "Home support or domiciliary care"),
        ("council_managed", "community_group", "CASSR managed personal budget", "Day support"),
        ("council_arranged", "equipment", "CASSR commissioned support", "Equipment"),
    ],
)
def test_items_map_to_cld_values(
    management: str, provider_kind: str, mechanism: str, component: str
) -> None:
    line = release.service_for_item(
        management=management,
        provider_kind=provider_kind,
        unit_cost=Decimal("16"),
        unit="hour",
        units=Decimal("10"),
        per="week",
        client_type="service_user",
    )
    assert (line.delivery_mechanism, line.service_component) == (mechanism, component)
    assert line.service_type == "Long term support: Community"
    assert line.cost_frequency == "Hourly" and line.planned_units_per_week == Decimal("10.00")


def test_carer_support_type() -> None:
    line = release.service_for_item(
        management="direct_payment",
        provider_kind="other",
        unit_cost=Decimal("30"),
        unit="session",
        units=Decimal("1"),
        per="month",
        client_type="unpaid_carer",
    )
    assert line.service_type == "Unpaid carer support: Direct to unpaid carer"
    assert line.cost_frequency == "Per session"
    assert line.planned_units_per_week == Decimal("0.23")  # once a month, in units a week


def test_payments_every_four_weeks() -> None:
    dates = release.payment_dates(datetime.date(2026, 11, 23), 3)
    assert [d.isoformat() for d in dates] == ["2026-11-23", "2026-12-21", "2027-01-18"]
    assert release.four_weekly_amount(Decimal("80.00")) == Decimal("320.00")


def _sign_off(
    world: World, items: list[plan_services.ItemInput], management: str = "direct_payment"
):  # type: ignore[no-untyped-def]
    plan = world.plan
    plan_services.plan_save(
        actor=world.the_person,
        plan=plan,
        expected_version=plan.version,
        what_i_want="Go out",
        who_helps="",
        if_things_go_wrong="",
        management=management,
        interim=True,
        items=items,
    )
    plan_services.plan_submit(actor=world.the_person, plan=plan, expected_version=plan.version)
    plan_services.plan_decide(
        actor=world.allocated_worker, plan=plan, approved=True, explanation="Yes"
    )
    return plan


def test_sign_off_releases_the_money(world: World) -> None:
    items = [
        plan_services.ItemInput(
            "PA", "personal_assistant", "Sam", Decimal("16.00"), Decimal("3"), "week"
        ),
        plan_services.ItemInput(
            "Day centre",
            "community_group",
            "Oak Club",
            Decimal("30.00"),
            Decimal("1"),
            "week",
            "council_arranged",
        ),
    ]
    plan = _sign_off(world, items, management="mixed")
    services = list(Service.objects.filter(plan=plan).order_by("id"))
    assert [s.delivery_mechanism for s in services] == [
        "Direct payment",
        "CASSR commissioned support",
    ]
    assert all(s.start_date == datetime.date.today() for s in services)
    payment = DirectPayment.objects.get(plan=plan)
    assert payment.four_weekly_amount == Decimal("192.00")  # 4 x £48 of PA a week
    review = ScheduledReview.objects.get(plan=plan)
    assert review.due_from == datetime.date.today() + datetime.timedelta(weeks=6)
    assert review.due_by == datetime.date.today() + datetime.timedelta(weeks=8)


def test_council_arranged_plan_has_no_direct_payment(world: World) -> None:
    items = [
        plan_services.ItemInput(
            "Home care", "provider", "Acme", Decimal("24.00"), Decimal("4"), "week"
        )
    ]
    plan = _sign_off(world, items, management="council_arranged")
    assert not DirectPayment.objects.filter(plan=plan).exists()
    assert Service.objects.filter(plan=plan).count() == 1
    assert ScheduledReview.objects.filter(plan=plan).exists()


def test_refused_plan_releases_nothing(world: World) -> None:
    plan = world.plan
    items = [
        plan_services.ItemInput(
            "PA", "personal_assistant", "", Decimal("16.00"), Decimal("3"), "week"
        )
    ]
    plan_services.plan_save(
        actor=world.the_person,
        plan=plan,
        expected_version=plan.version,
        what_i_want="Go out",
        who_helps="",
        if_things_go_wrong="",
        management="direct_payment",
        interim=False,
        items=items,
    )
    plan_services.plan_submit(actor=world.the_person, plan=plan, expected_version=plan.version)
    plan_services.plan_decide(
        actor=world.allocated_worker,
        plan=plan,
        approved=False,
        explanation="Not safe yet",
        reason_code="unsafe",
        risk_description="No one checks the gas is off at night",
    )
    assert not Service.objects.filter(plan=plan).exists()
    assert not ScheduledReview.objects.filter(plan=plan).exists()
