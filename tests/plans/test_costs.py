from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from selfdirect.plans.costs import MAX_UNITS, ItemCost, item_cost, item_problems, plan_total


@pytest.mark.parametrize(
    ("unit_cost", "units", "per", "weekly", "annual"),
    [
        ("16.50", "10", "week", "165.00", "8580.00"),
        ("40", "1", "month", "9.23", "480.00"),
        ("520", "1", "year", "10.00", "520.00"),
        ("260", "1", "once", "5.00", "260.00"),
        ("0", "3", "week", "0.00", "0.00"),
    ],
)
def test_item_costs(unit_cost: str, units: str, per: str, weekly: str, annual: str) -> None:
    cost = item_cost(Decimal(unit_cost), Decimal(units), per)
    assert cost == ItemCost(Decimal(weekly), Decimal(annual))


@pytest.mark.parametrize(
    ("unit_cost", "units", "per", "message"),
    [
        ("-1", "1", "week", "Cost must be £0 or more"),
        ("10", "0", "week", "How many must be more than 0"),
        ("10", "169", "week", "How many must be 168 or fewer a week"),
        ("10", "1", "fortnight", "Choose how often"),
    ],
)
def test_absurd_items_are_refused(unit_cost: str, units: str, per: str, message: str) -> None:
    problems = item_problems(Decimal(unit_cost), Decimal(units), per)
    assert any(message in p for p in problems)
    with pytest.raises(ValueError):
        item_cost(Decimal(unit_cost), Decimal(units), per)


amounts = st.decimals(min_value=0, max_value=1000, places=2)
counts = st.decimals(min_value=Decimal("0.01"), max_value=168, places=2)
periods = st.sampled_from(["week", "month", "year", "once"])


@given(st.lists(st.tuples(amounts, counts, periods), max_size=10))
def test_totals_are_the_sum_of_the_parts(items: list[tuple[Decimal, Decimal, str]]) -> None:
    costed = [item_cost(c, u, p) for c, u, p in items if u <= MAX_UNITS[p]]
    total = plan_total(costed)
    assert total.weekly == sum((c.weekly for c in costed), Decimal("0"))
    assert total.annual == sum((c.annual for c in costed), Decimal("0"))
    assert total.weekly >= 0 and total.annual >= 0


@given(amounts, counts, counts)
def test_more_units_never_cost_less(unit_cost: Decimal, a: Decimal, b: Decimal) -> None:
    low, high = sorted((a, b))
    assert item_cost(unit_cost, low, "week").annual <= item_cost(unit_cost, high, "week").annual
