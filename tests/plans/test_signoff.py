"""The published sign-off rules (journey, Step 4): who signs off a plan, and why.

A table of every combination of the facts the rules look at, with the exact sentence the
person is told; then properties over arbitrary amounts and lines of management that hold
whatever the figures: within budget never means panel, over budget never means anyone but a
panel member, whoever may sign off is covered by their limit.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from decimal import Decimal, localcontext

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from selfdirect.plans.signoff import (
    Approver,
    PlanForRouting,
    Route,
    RouteKind,
    is_within_budget,
    may_release_starter_budget,
    may_sign_off,
    route_plan,
)

# -- the people in the table ----------------------------------------------------------------

BUDGET = Decimal("20000.00")
WITHIN = Decimal("12345.00")
OVER = Decimal("25000.50")

WORKER_COVERS = Approver(1, "Sam Patel", Decimal("15000.00"))
WORKER_SHORT = Approver(1, "Sam Patel", Decimal("10000.00"))
MANAGER = Approver(2, "Alex Jones", Decimal("30000.00"))
HEAD = Approver(3, "Priya Shah", Decimal("100000.00"))
MANAGER_SHORT = Approver(2, "Alex Jones", Decimal("5000.00"))
HEAD_SHORT = Approver(3, "Priya Shah", Decimal("12000.00"))

LINE_COVERS = (MANAGER, HEAD)
LINE_SHORT = (MANAGER_SHORT, HEAD_SHORT)

PANEL_REASON = (
    "The plan costs £25,000.50 a year, which is £5,000.50 more than the budget of "
    "£20,000.00, so a panel will decide it."
)
WITHIN_TEXT = "The plan costs £12,345.00 a year, which is within the budget of £20,000.00"
NAMED_WORKER_REASON = (
    f"{WITHIN_TEXT} and within the £15,000.00 a year that Sam Patel, the named worker, "
    "may sign off, so Sam Patel can sign it off."
)
ABOVE_WORKER = " but more than the £10,000.00 a year that Sam Patel, the named worker, may sign off"
NO_WORKER = ", and there is no named worker"
TO_MANAGER = ", so it goes to Alex Jones, who may sign off up to £30,000.00 a year."
NOBODY = (
    ", and nobody in the line of management has a delegated sign-off limit that covers it, "
    "so an administrator must set one; it will not go to a panel, because it is within budget."
)

# budget, named worker, line -> kind, approvers, reason
TABLE: list[tuple[str, Decimal, Approver | None, tuple[Approver, ...], Route]] = [
    # Within budget (rules 1 and 2).
    (
        "within, worker covers, line covers",
        WITHIN,
        WORKER_COVERS,
        LINE_COVERS,
        Route(RouteKind.NAMED_WORKER, (1,), NAMED_WORKER_REASON),
    ),
    (
        "within, worker covers, line short",
        WITHIN,
        WORKER_COVERS,
        LINE_SHORT,
        Route(RouteKind.NAMED_WORKER, (1,), NAMED_WORKER_REASON),
    ),
    (
        "within, worker short, line covers",
        WITHIN,
        WORKER_SHORT,
        LINE_COVERS,
        Route(RouteKind.LINE, (2, 3), WITHIN_TEXT + ABOVE_WORKER + TO_MANAGER),
    ),
    (
        "within, worker short, line short",
        WITHIN,
        WORKER_SHORT,
        LINE_SHORT,
        Route(RouteKind.LINE, (), WITHIN_TEXT + ABOVE_WORKER + NOBODY),
    ),
    (
        "within, no worker, line covers",
        WITHIN,
        None,
        LINE_COVERS,
        Route(RouteKind.LINE, (2, 3), WITHIN_TEXT + NO_WORKER + TO_MANAGER),
    ),
    (
        "within, no worker, line short",
        WITHIN,
        None,
        LINE_SHORT,
        Route(RouteKind.LINE, (), WITHIN_TEXT + NO_WORKER + NOBODY),
    ),
    # Over budget (rule 3): the panel, whatever anyone's limit.
    *[
        (
            f"over, {worker_label}, {line_label}",
            OVER,
            worker,
            line,
            Route(RouteKind.PANEL, (), PANEL_REASON),
        )
        for worker_label, worker in (
            ("worker covers", Approver(1, "Sam Patel", Decimal("1000000.00"))),
            ("worker short", WORKER_SHORT),
            ("no worker", None),
        )
        for line_label, line in (("line covers", LINE_COVERS), ("line short", LINE_SHORT))
    ],
]


@pytest.mark.parametrize(
    ("cost", "named_worker", "line", "expected"),
    [pytest.param(*row[1:], id=row[0]) for row in TABLE],
)
def test_every_combination(
    cost: Decimal, named_worker: Approver | None, line: tuple[Approver, ...], expected: Route
) -> None:
    plan = PlanForRouting(annual_cost=cost, annual_budget=BUDGET)
    assert route_plan(plan, named_worker=named_worker, line=line) == expected


def test_table_is_complete() -> None:
    # 2 budgets x (worker covers, worker short, no worker) x (line covers, line short).
    assert len({row[0] for row in TABLE}) == 12


# -- rule 2 in detail -----------------------------------------------------------------------


def within_plan(cost: str = "12345.00", budget: str = "20000.00") -> PlanForRouting:
    return PlanForRouting(annual_cost=Decimal(cost), annual_budget=Decimal(budget))


def test_line_skips_a_nearer_manager_whose_limit_does_not_cover() -> None:
    route = route_plan(within_plan(), named_worker=WORKER_SHORT, line=(MANAGER_SHORT, HEAD))
    assert route.kind is RouteKind.LINE
    assert route.approver_ids == (3,)
    assert route.reason.endswith(
        ", so it goes to Priya Shah, who may sign off up to £100,000.00 a year."
    )


def test_line_is_deduplicated_keeping_the_nearest_place() -> None:
    line = (MANAGER, HEAD, MANAGER, HEAD)
    route = route_plan(within_plan(), named_worker=WORKER_SHORT, line=line)
    assert route.approver_ids == (2, 3)


def test_named_worker_in_the_line_is_left_out() -> None:
    # Even with a higher limit recorded in the line, the named worker's own limit decided.
    worker_in_line = Approver(1, "Sam Patel", Decimal("50000.00"))
    route = route_plan(within_plan(), named_worker=WORKER_SHORT, line=(worker_in_line, HEAD))
    assert route.approver_ids == (3,)


def test_named_worker_alone_in_the_line_means_nobody() -> None:
    route = route_plan(within_plan(), named_worker=WORKER_SHORT, line=(WORKER_SHORT,))
    assert route == Route(RouteKind.LINE, (), WITHIN_TEXT + ABOVE_WORKER + NOBODY)


def test_empty_line_and_no_worker_goes_to_an_administrator_not_a_panel() -> None:
    route = route_plan(within_plan(), named_worker=None, line=[])
    assert route == Route(RouteKind.LINE, (), WITHIN_TEXT + NO_WORKER + NOBODY)


def test_line_may_be_any_sequence() -> None:
    as_list = route_plan(within_plan(), named_worker=None, line=[MANAGER, HEAD])
    as_tuple = route_plan(within_plan(), named_worker=None, line=(MANAGER, HEAD))
    assert as_list == as_tuple


# -- boundaries -----------------------------------------------------------------------------


def test_cost_equal_to_budget_is_within_budget() -> None:
    plan = within_plan("20000.00", "20000.00")
    assert is_within_budget(plan)
    route = route_plan(plan, named_worker=Approver(1, "Sam Patel", Decimal("20000")), line=())
    assert route.kind is RouteKind.NAMED_WORKER


def test_one_penny_over_budget_goes_to_panel() -> None:
    plan = within_plan("20000.01", "20000.00")
    assert not is_within_budget(plan)
    route = route_plan(plan, named_worker=None, line=())
    assert route == Route(
        RouteKind.PANEL,
        (),
        "The plan costs £20,000.01 a year, which is £0.01 more than the budget of £20,000.00, "
        "so a panel will decide it.",
    )


def test_trailing_zeros_do_not_matter() -> None:
    assert is_within_budget(within_plan("20000.000", "20000"))


def test_cost_equal_to_named_workers_limit_is_covered() -> None:
    worker = Approver(1, "Sam Patel", Decimal("12345.00"))
    route = route_plan(within_plan(), named_worker=worker, line=(MANAGER,))
    assert route.kind is RouteKind.NAMED_WORKER
    assert route.approver_ids == (1,)


def test_cost_equal_to_a_managers_limit_is_covered() -> None:
    manager = Approver(2, "Alex Jones", Decimal("12345"))
    route = route_plan(within_plan(), named_worker=WORKER_SHORT, line=(manager,))
    assert route.approver_ids == (2,)


def test_one_penny_above_a_limit_is_not_covered() -> None:
    worker = Approver(1, "Sam Patel", Decimal("12344.99"))
    route = route_plan(within_plan(), named_worker=worker, line=(MANAGER,))
    assert route.kind is RouteKind.LINE
    assert route.approver_ids == (2,)


def test_zero_cost_zero_budget_zero_limit() -> None:
    worker = Approver(1, "Sam Patel", Decimal("0"))
    route = route_plan(within_plan("0", "0"), named_worker=worker, line=())
    assert route.kind is RouteKind.NAMED_WORKER
    assert route.reason.startswith(
        "The plan costs £0.00 a year, which is within the budget of £0.00 and within the "
        "£0.00 a year"
    )


def test_negative_zero_reads_as_zero() -> None:
    route = route_plan(within_plan("-0", "-0.00"), named_worker=None, line=())
    assert "£-" not in route.reason
    assert route.reason.startswith("The plan costs £0.00 a year")


def test_fractions_of_a_penny_are_shown_not_rounded_away() -> None:
    # The route turned on £12,345.004 against £12,345.00; the reason must not read as
    # though the two were equal.
    worker = Approver(1, "Sam Patel", Decimal("12345.00"))
    route = route_plan(within_plan("12345.004"), named_worker=worker, line=(MANAGER,))
    assert route.kind is RouteKind.LINE
    assert route.reason.startswith("The plan costs £12,345.004 a year")
    assert "the £12,345.00 a year that Sam Patel" in route.reason


def test_large_amounts_have_thousands_separators() -> None:
    route = route_plan(within_plan("1234567.5", "1E+7"), named_worker=None, line=(HEAD,))
    assert route.reason.startswith(
        "The plan costs £1,234,567.50 a year, which is within the budget of £10,000,000.00"
    )


def test_reason_does_not_depend_on_the_callers_decimal_context() -> None:
    plan = within_plan("25000.50", "20000.00")
    expected = route_plan(plan, named_worker=None, line=())
    with localcontext() as context:
        context.prec = 2
        assert route_plan(plan, named_worker=None, line=()) == expected


# -- may_sign_off and the starter budget ------------------------------------------------


@pytest.mark.parametrize("is_panel_member", [True, False])
def test_panel_route_only_panel_members(is_panel_member: bool) -> None:
    route = route_plan(within_plan("25000.50"), named_worker=WORKER_COVERS, line=LINE_COVERS)
    for user_id in (1, 2, 3, 99):
        assert may_sign_off(route, user_id=user_id, is_panel_member=is_panel_member) is (
            is_panel_member
        )


@pytest.mark.parametrize("is_panel_member", [True, False])
def test_named_worker_route_only_the_named_worker(is_panel_member: bool) -> None:
    route = route_plan(within_plan(), named_worker=WORKER_COVERS, line=LINE_COVERS)
    assert may_sign_off(route, user_id=1, is_panel_member=is_panel_member)
    # The managers' limits cover it too, but the named worker's route is theirs alone.
    for user_id in (2, 3, 99):
        assert not may_sign_off(route, user_id=user_id, is_panel_member=is_panel_member)


@pytest.mark.parametrize("is_panel_member", [True, False])
def test_line_route_only_its_approvers(is_panel_member: bool) -> None:
    route = route_plan(within_plan(), named_worker=WORKER_SHORT, line=(MANAGER_SHORT, HEAD))
    assert may_sign_off(route, user_id=3, is_panel_member=is_panel_member)
    for user_id in (1, 2, 99):
        assert not may_sign_off(route, user_id=user_id, is_panel_member=is_panel_member)


def test_line_route_with_nobody_covering_cannot_be_signed_off_even_by_a_panel() -> None:
    route = route_plan(within_plan(), named_worker=WORKER_SHORT, line=LINE_SHORT)
    for user_id in (1, 2, 3, 99):
        assert not may_sign_off(route, user_id=user_id, is_panel_member=True)


@pytest.mark.parametrize(
    ("urgent", "is_named_worker", "expected"),
    [(True, True, True), (True, False, False), (False, True, False), (False, False, False)],
)
def test_starter_budget_only_named_worker_only_urgent(
    urgent: bool, is_named_worker: bool, expected: bool
) -> None:
    assert may_release_starter_budget(urgent=urgent, is_named_worker=is_named_worker) is expected


# -- validation -----------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["annual_cost", "annual_budget"])
@pytest.mark.parametrize("bad", [Decimal("-0.01"), Decimal("-1E+3")])
def test_negative_plan_amounts_are_refused(field: str, bad: Decimal) -> None:
    with pytest.raises(ValueError, match="cannot be negative"):
        dataclasses.replace(within_plan(), **{field: bad})


def test_negative_limit_is_refused() -> None:
    with pytest.raises(ValueError, match="cannot be negative"):
        Approver(1, "Sam Patel", Decimal("-1"))


@pytest.mark.parametrize("bad", [0.1, 100.0, 12345, True, "12345.00", None])
def test_non_decimal_amounts_are_refused(bad: object) -> None:
    # Floats drift by pennies; ints and strings are not what the type promises either.
    with pytest.raises(TypeError, match="must be a Decimal"):
        PlanForRouting(annual_cost=bad, annual_budget=BUDGET)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="must be a Decimal"):
        PlanForRouting(annual_cost=WITHIN, annual_budget=bad)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="must be a Decimal"):
        Approver(1, "Sam Patel", bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", ["NaN", "sNaN", "Infinity", "-Infinity"])
def test_non_finite_amounts_are_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="finite"):
        PlanForRouting(annual_cost=Decimal(bad), annual_budget=BUDGET)
    with pytest.raises(ValueError, match="finite"):
        Approver(1, "Sam Patel", Decimal(bad))


def test_bad_user_ids_and_flags_are_refused() -> None:
    route = route_plan(within_plan(), named_worker=WORKER_COVERS, line=())
    with pytest.raises(TypeError):
        Approver(True, "Sam Patel", Decimal(1))
    with pytest.raises(TypeError):
        may_sign_off(route, user_id="1", is_panel_member=False)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        may_sign_off(route, user_id=1, is_panel_member="no")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        may_release_starter_budget(urgent=1, is_named_worker=True)  # type: ignore[arg-type]


def test_line_must_hold_approvers() -> None:
    with pytest.raises(TypeError):
        route_plan(within_plan(), named_worker=None, line=[1, 2])  # type: ignore[list-item]
    with pytest.raises(TypeError):
        route_plan(within_plan(), named_worker=1, line=())  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kind", "approver_ids"),
    [(RouteKind.PANEL, (1,)), (RouteKind.NAMED_WORKER, ()), (RouteKind.NAMED_WORKER, (1, 2))],
)
def test_contradictory_routes_are_refused(kind: RouteKind, approver_ids: tuple[int, ...]) -> None:
    with pytest.raises(ValueError):
        Route(kind, approver_ids, "Because.")


def test_route_kind_values_are_stable() -> None:
    # These strings may be stored; changing them would orphan saved routes.
    assert [kind.value for kind in RouteKind] == ["named_worker", "line", "panel"]


# -- properties -----------------------------------------------------------------------------

MAX_PENCE = 10_000_000_00  # £10 million: more than any limit the admin form accepts

# Built once at import: constructing strategies inside every draw makes generation slow.
pence = st.integers(0, MAX_PENCE).map(lambda n: Decimal(n).scaleb(-2))
NAMES = st.sampled_from(["Sam Patel", "Alex Jones", "Priya Shah", "Jo O'Neill"])
IDS = st.integers(1, 8)  # few ids, so lines often repeat someone or include the named worker
# How an amount relates to the cost: anything, or exactly it, or a penny either side.
NUDGES = st.sampled_from([None, Decimal(0), Decimal("0.01"), Decimal("-0.01")])
LINE_LENGTHS = st.integers(0, 6)
HAS_WORKER = st.booleans()


def near(draw: st.DrawFn, anchor: Decimal) -> Decimal:
    """An amount that is often exactly ``anchor`` or a penny either side: the boundaries."""
    nudge = draw(NUDGES)
    if nudge is None:
        return draw(pence)
    return max(anchor + nudge, Decimal(0))


def approver(draw: st.DrawFn, cost: Decimal) -> Approver:
    return Approver(draw(IDS), draw(NAMES), near(draw, cost))


def line_of(draw: st.DrawFn, cost: Decimal, *, min_size: int = 0) -> list[Approver]:
    return [approver(draw, cost) for _ in range(max(min_size, draw(LINE_LENGTHS)))]


Scenario = tuple[PlanForRouting, Approver | None, list[Approver]]


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    cost = draw(pence)
    plan = PlanForRouting(annual_cost=cost, annual_budget=near(draw, cost))
    named_worker = approver(draw, cost) if draw(HAS_WORKER) else None
    return plan, named_worker, line_of(draw, cost)


def limits_by_id(named_worker: Approver | None, line: Sequence[Approver]) -> dict[int, Decimal]:
    """Each id's limit as the rules see it: the named worker's own, else the first listing."""
    limits: dict[int, Decimal] = {}
    for approver in line[::-1]:
        limits[approver.user_id] = approver.sign_off_limit
    if named_worker is not None:
        limits[named_worker.user_id] = named_worker.sign_off_limit
    return limits


# Hypothesis's default 100 examples; no deadline, because a loaded CI machine is not a bug.
PROPERTY_SETTINGS = settings(max_examples=100, deadline=None)


@PROPERTY_SETTINGS
@given(scenarios())
def test_within_budget_never_goes_to_panel(
    scenario: Scenario,
) -> None:
    plan, named_worker, line = scenario
    route = route_plan(plan, named_worker=named_worker, line=line)
    assert (route.kind is RouteKind.PANEL) is (not is_within_budget(plan))


@PROPERTY_SETTINGS
@given(scenarios(), st.integers(1, 9), st.booleans())
def test_over_budget_only_ever_signed_off_by_a_panel_member(
    scenario: Scenario,
    user_id: int,
    is_panel_member: bool,
) -> None:
    plan, named_worker, line = scenario
    route = route_plan(plan, named_worker=named_worker, line=line)
    if not is_within_budget(plan):
        assert route.approver_ids == ()
        assert may_sign_off(route, user_id=user_id, is_panel_member=is_panel_member) is (
            is_panel_member
        )


@PROPERTY_SETTINGS
@given(scenarios(), st.integers(1, 9), st.booleans())
def test_whoever_may_sign_off_within_budget_has_a_covering_limit(
    scenario: Scenario,
    user_id: int,
    is_panel_member: bool,
) -> None:
    plan, named_worker, line = scenario
    route = route_plan(plan, named_worker=named_worker, line=line)
    if is_within_budget(plan) and may_sign_off(
        route, user_id=user_id, is_panel_member=is_panel_member
    ):
        assert limits_by_id(named_worker, line)[user_id] >= plan.annual_cost
    # And every approver named, not just the one drawn.
    if is_within_budget(plan):
        limits = limits_by_id(named_worker, line)
        assert all(limits[i] >= plan.annual_cost for i in route.approver_ids)
        assert len(set(route.approver_ids)) == len(route.approver_ids)


@PROPERTY_SETTINGS
@given(scenarios())
def test_named_worker_chosen_whenever_their_limit_covers(
    scenario: Scenario,
) -> None:
    plan, named_worker, line = scenario
    route = route_plan(plan, named_worker=named_worker, line=line)
    covers = named_worker is not None and named_worker.sign_off_limit >= plan.annual_cost
    if is_within_budget(plan) and covers:
        assert named_worker is not None
        assert route.kind is RouteKind.NAMED_WORKER
        assert route.approver_ids == (named_worker.user_id,)
    elif is_within_budget(plan):
        assert route.kind is RouteKind.LINE
        if named_worker is not None:
            assert named_worker.user_id not in route.approver_ids


@PROPERTY_SETTINGS
@given(scenarios(), st.data())
def test_extra_approvers_at_the_end_change_nothing_for_the_first(
    scenario: Scenario, data: st.DataObject
) -> None:
    plan, named_worker, line = scenario
    before = route_plan(plan, named_worker=named_worker, line=line)
    extras = line_of(data.draw, plan.annual_cost, min_size=1)
    after = route_plan(plan, named_worker=named_worker, line=[*line, *extras])
    if before.approver_ids:
        assert after.kind is before.kind
        assert after.approver_ids[0] == before.approver_ids[0]
        assert after.approver_ids[: len(before.approver_ids)] == before.approver_ids
        assert after.reason == before.reason


@PROPERTY_SETTINGS
@given(scenarios())
def test_reason_always_states_the_cost_and_budget(
    scenario: Scenario,
) -> None:
    plan, named_worker, line = scenario
    reason = route_plan(plan, named_worker=named_worker, line=line).reason
    assert reason.startswith(f"The plan costs £{plan.annual_cost:,.2f} a year")
    assert f"budget of £{plan.annual_budget:,.2f}" in reason
    assert reason.endswith(".")
    assert reason.count(". ") == 0  # one sentence


@PROPERTY_SETTINGS
@given(pence, pence)
def test_within_budget_is_cost_at_most_budget(cost: Decimal, budget: Decimal) -> None:
    plan = PlanForRouting(annual_cost=cost, annual_budget=budget)
    assert is_within_budget(plan) is (cost <= budget)
