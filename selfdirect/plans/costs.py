"""What a plan item costs a week and a year. Pure, no Django.

People think in "3 hours a week at £16 an hour" or "£40 a month": an item is a unit cost
times a number of units per period, and everything is shown as weekly and annual cost
against the budget. A year is 52 weeks, as in the RAS; one-off costs count in the year
they are bought and are spread over its weeks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

PENNY = Decimal("0.01")
WEEKS_PER_YEAR = Decimal("52")
# What one unit is: the cost is per unit (an hour of help, a session at a club, a day).
UNITS: tuple[tuple[str, str], ...] = (
    ("hour", "an hour"),
    ("session", "a session"),
    ("day", "a day"),
    ("week", "a week"),
    ("month", "a month"),
    ("item", "each (a one-off purchase)"),
)
PERIODS: tuple[tuple[str, str], ...] = (
    ("week", "a week"),
    ("month", "a month"),
    ("year", "a year"),
    ("once", "once only"),
)
# The most units that make sense in a period: there are 168 hours in a week. Anything
# more is a typing mistake, and saying so beats a budget out by a factor of ten.
MAX_UNITS = {
    "week": Decimal(168),
    "month": Decimal(744),
    "year": Decimal(8784),
    "once": Decimal(100),
}
MAX_UNIT_COST = Decimal("100000")


@dataclass(frozen=True)
class ItemCost:
    weekly: Decimal
    annual: Decimal


def _pence(value: Decimal) -> Decimal:
    return value.quantize(PENNY, rounding=ROUND_HALF_UP)


def item_problems(unit_cost: Decimal, units: Decimal, per: str) -> list[str]:
    """Plain-English problems with an item's cost, [] if none."""
    problems = []
    if per not in MAX_UNITS:
        problems.append("Choose how often: a week, a month, a year or once only")
        return problems
    if unit_cost < 0:
        problems.append("Cost must be £0 or more")
    elif unit_cost > MAX_UNIT_COST:
        problems.append("Cost must be less than £100,000")
    if units <= 0:
        problems.append("How many must be more than 0")
    elif units > MAX_UNITS[per]:
        problems.append(f"How many must be {MAX_UNITS[per]} or fewer {dict(PERIODS)[per]}")
    return problems


def item_cost(unit_cost: Decimal, units: Decimal, per: str) -> ItemCost:
    """Weekly and annual cost of UNITS at UNIT_COST each, PER period."""
    problems = item_problems(unit_cost, units, per)
    if problems:
        raise ValueError(" ".join(problems))
    raw = unit_cost * units
    if per == "week":
        annual = raw * WEEKS_PER_YEAR
    elif per == "month":
        annual = raw * 12
    else:  # a year, or once (bought this year)
        annual = raw
    return ItemCost(weekly=_pence(annual / WEEKS_PER_YEAR), annual=_pence(annual))


def plan_total(items: Sequence[ItemCost]) -> ItemCost:
    """The plan's total: the sum of the items' rounded figures, so the parts add up."""
    return ItemCost(
        weekly=sum((i.weekly for i in items), Decimal("0.00")),
        annual=sum((i.annual for i in items), Decimal("0.00")),
    )
