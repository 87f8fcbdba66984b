"""From a signed-off plan to support: what each item becomes, in the words of the CLD return.
Pure, no Django.

Each plan item becomes a Service event (CLD: delivery mechanism, service type and component,
unit cost, cost frequency, planned units per week). Direct payments are paid every 4 weeks.
When reviews are due is decided by reviews/schedule.py.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

PENNY = Decimal("0.01")
PAYMENT_CYCLE = datetime.timedelta(weeks=4)

# Plan management option -> CLD Delivery_Mechanism.
DELIVERY_MECHANISM = {
    "direct_payment": "Direct payment",
    "isf": "CASSR managed personal budget",
    "council_managed": "CASSR managed personal budget",
    "council_arranged": "CASSR commissioned support",
}
# CLD Cost_Frequency_Unit_Type: what the unit cost is for.
COST_FREQUENCY = {
    "hour": "Hourly",
    "session": "Per session",
    "day": "Daily",
    "week": "Weekly",
    "month": "Monthly",
    "item": "One-off",
}


@dataclass(frozen=True)
class ServiceLine:
    delivery_mechanism: str
    service_type: str
    service_component: str
    unit_cost: Decimal
    cost_frequency: str
    planned_units_per_week: Decimal


def service_for_item(
    *,
    management: str,
    provider_kind: str,
    unit_cost: Decimal,
    unit: str,
    units: Decimal,
    per: str,
    client_type: str,
) -> ServiceLine:
    """What one plan item is, as a CLD Service event."""
    mechanism = DELIVERY_MECHANISM[management]
    if client_type == "unpaid_carer":
        service_type = "Unpaid carer support: Direct to unpaid carer"
    else:
        service_type = "Long term support: Community"
    if mechanism == "Direct payment":
        component = "Direct payment"
    else:
        component = {
            "equipment": "Equipment",
            "community_group": "Day support",
        }.get(provider_kind, "Home support or domiciliary care")
    per_week = {
        "week": units,
        "month": units * 12 / 52,
        "year": units / 52,
        "once": Decimal(0),
    }[per]
    return ServiceLine(
        delivery_mechanism=mechanism,
        service_type=service_type,
        service_component=component,
        unit_cost=unit_cost,
        cost_frequency=COST_FREQUENCY[unit],
        planned_units_per_week=per_week.quantize(PENNY, rounding=ROUND_HALF_UP),
    )


def four_weekly_amount(weekly_total: Decimal) -> Decimal:
    """A direct payment is paid every 4 weeks: 4 times the weekly cost of the items it pays for."""
    return (weekly_total * 4).quantize(PENNY, rounding=ROUND_HALF_UP)


def payment_dates(first: datetime.date, count: int) -> list[datetime.date]:
    """The next COUNT payment dates, every 4 weeks from FIRST."""
    return [first + PAYMENT_CYCLE * n for n in range(count)]


STARTER_MAX_WEEKS = 6


def starter_service(*, weekly: Decimal, direct_payment: bool, client_type: str) -> ServiceLine:
    """A starter budget for an urgent case, before any plan: short-term support, costed weekly."""
    return ServiceLine(
        delivery_mechanism="Direct payment" if direct_payment else "CASSR commissioned support",
        service_type=(
            "Unpaid carer support: Direct to unpaid carer"
            if client_type == "unpaid_carer"
            else "Short term support: Other short term"
        ),
        service_component="Direct payment"
        if direct_payment
        else "Home support or domiciliary care",
        unit_cost=weekly,
        cost_frequency="Weekly",
        planned_units_per_week=Decimal("1.00"),
    )
