"""Who signs off a support plan: the council's published sign-off rules, known in advance.

Pure Python, no Django. The design's journey ("Step 4 — Sign-off by rules known in
advance") asks that a person and their worker can tell, before a plan is submitted, who
will sign it off and why. The council publishes these rules and this module implements
them exactly:

1. A plan within budget (its annual cost is no more than the person's annual budget) is
   signed off by the person's named worker, if the cost is within that worker's delegated
   sign-off limit.
2. A plan within budget that is above the named worker's limit (or where there is no named
   worker) is signed off by someone in the line of management, nearest first, whose limit
   covers the cost. If nobody's limit covers it, an administrator must set one; the plan
   still does not go to a panel.
3. Only a plan over budget goes to a panel, whatever anyone's limit is.

Two further published rules sit with these: only the route's approvers (or, for a panel
route, only panel members) may sign a plan off; and only the named worker may release a
starter budget, and only in an urgent case (Step 1: "an urgent case can get a starter
budget").

Every route carries one plain-English sentence saying why it goes where it goes, with the
amounts in it, because the person is told the reason directly.

All money is Decimal, never float: 0.1 as a float is not 0.1, and pence would drift at the
boundaries these rules turn on ("exactly equal to the budget" must be within budget).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal
from enum import StrEnum

__all__ = [
    "Approver",
    "PlanForRouting",
    "Route",
    "RouteKind",
    "is_within_budget",
    "may_release_starter_budget",
    "may_sign_off",
    "route_plan",
]

# Only used to work out how far over budget a plan is, for the reason. Comparisons between
# Decimals are exact whatever the context, so routing never depends on it; the precision is
# far beyond the 10-digit amounts the database stores, so the difference is exact too, and a
# fixed context means a caller changing the thread's context cannot change the wording.
_CONTEXT = Context(prec=100, rounding=ROUND_HALF_UP)


class RouteKind(StrEnum):
    """Where a plan goes for sign-off: published rules 1, 2 and 3 in turn."""

    NAMED_WORKER = "named_worker"
    LINE = "line"
    PANEL = "panel"


def _require_amount(what: str, value: object) -> Decimal:
    """The value, if it is a finite, non-negative Decimal; otherwise an error saying why.

    Floats (and ints, which the type says are not money here) are refused with TypeError,
    not converted: a float such as 0.1 has already drifted from the amount meant, and the
    rules turn on exact equality at the boundaries.
    """
    if not isinstance(value, Decimal):
        raise TypeError(f"{what} must be a Decimal amount of pounds, not {type(value).__name__}.")
    if not value.is_finite():
        raise ValueError(f"{what} must be a finite amount of pounds, not {value}.")
    if value < 0:
        raise ValueError(f"{what} cannot be negative (got {value}).")
    return value


def _require_user_id(what: str, value: object) -> int:
    # bool is an int subclass; True as a user id is always a mistake.
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} must be an int user id, not {type(value).__name__}.")
    return value


def _require_flag(what: str, value: object) -> bool:
    # A truthy stand-in such as the string "no" must not grant a permission.
    if not isinstance(value, bool):
        raise TypeError(f"{what} must be True or False, not {type(value).__name__}.")
    return value


@dataclass(frozen=True)
class Approver:
    """Someone who may sign off plans up to their delegated limit (set by an administrator)."""

    user_id: int
    name: str
    sign_off_limit: Decimal  # pounds a year this person may sign off

    def __post_init__(self) -> None:
        _require_user_id("An approver's user id", self.user_id)
        if not isinstance(self.name, str):
            raise TypeError(f"An approver's name must be a str, not {type(self.name).__name__}.")
        _require_amount(f"{self.name}'s sign-off limit", self.sign_off_limit)


@dataclass(frozen=True)
class PlanForRouting:
    """The two figures the published rules look at: what the plan costs and the budget."""

    annual_cost: Decimal  # the plan's annual cost, pounds
    annual_budget: Decimal  # the person's (indicative or agreed) annual budget, pounds

    def __post_init__(self) -> None:
        _require_amount("The plan's annual cost", self.annual_cost)
        _require_amount("The annual budget", self.annual_budget)


@dataclass(frozen=True)
class Route:
    """Where a plan goes for sign-off, who may sign it off, and the reason in plain English."""

    kind: RouteKind
    approver_ids: tuple[int, ...]  # who may sign it off, in the order to ask them; () for panel
    reason: str  # one sentence for the person and the worker, with the amounts in it

    def __post_init__(self) -> None:
        # A route is what ``may_sign_off`` trusts, so one that contradicts the published
        # rules (a panel route naming approvers, a named-worker route naming two) is refused
        # rather than silently interpreted.
        if not isinstance(self.kind, RouteKind):
            raise TypeError(f"A route's kind must be a RouteKind, not {type(self.kind).__name__}.")
        if not isinstance(self.approver_ids, tuple):
            raise TypeError("A route's approver ids must be a tuple.")
        for user_id in self.approver_ids:
            _require_user_id("An approver id", user_id)
        if len(set(self.approver_ids)) != len(self.approver_ids):
            raise ValueError("A route cannot name the same approver twice.")
        if self.kind is RouteKind.PANEL and self.approver_ids:
            raise ValueError("A panel route names no approvers: any panel member may decide.")
        if self.kind is RouteKind.NAMED_WORKER and len(self.approver_ids) != 1:
            raise ValueError("A named-worker route names exactly one approver.")
        if not isinstance(self.reason, str):
            raise TypeError(f"A route's reason must be a str, not {type(self.reason).__name__}.")
        if not self.reason.strip():
            raise ValueError("A route must give its reason: the person is told it directly.")


def _money(amount: Decimal) -> str:
    """Pounds as people write them, £12,345.00.

    Whole pence always show two places. An amount with a fraction of a penny is shown with
    all its digits rather than rounded, so a reason can never say "£100.00 is more than the
    £100.00 limit" when the exact comparison the route turned on was £100.004 against £100.
    """
    if not amount:
        amount = abs(amount)  # so -0 reads £0.00, not £-0.00
    text = f"{amount:,f}"  # exact: format with 'f' and no precision never rounds a Decimal
    whole, _, fraction = text.partition(".")
    fraction = fraction.rstrip("0").ljust(2, "0")
    return f"£{whole}.{fraction}"


def is_within_budget(plan: PlanForRouting) -> bool:
    """Published rules 1–3: a plan is within budget when its cost is no more than the budget.

    Equal counts as within: a plan that spends exactly the budget is not over it.
    """
    if not isinstance(plan, PlanForRouting):
        raise TypeError(f"Expected a PlanForRouting, not {type(plan).__name__}.")
    return plan.annual_cost <= plan.annual_budget


def _covers(approver: Approver, cost: Decimal) -> bool:
    # A limit equal to the cost covers it: the limit is the most they may sign off.
    return cost <= approver.sign_off_limit


def route_plan(
    plan: PlanForRouting, *, named_worker: Approver | None, line: Sequence[Approver]
) -> Route:
    """Where a plan goes for sign-off under published rules 1, 2 and 3.

    ``line`` is the named worker's line of management, nearest first (for example team
    manager, then head of service). Approvers are asked in that order.
    """
    if not isinstance(plan, PlanForRouting):
        raise TypeError(f"Expected a PlanForRouting, not {type(plan).__name__}.")
    if named_worker is not None and not isinstance(named_worker, Approver):
        raise TypeError(f"named_worker must be an Approver or None, not {type(named_worker)}.")
    approvers = tuple(line)
    for approver in approvers:
        if not isinstance(approver, Approver):
            raise TypeError(f"Everyone in the line must be an Approver, not {type(approver)}.")

    cost = plan.annual_cost
    budget = plan.annual_budget
    costs = f"The plan costs {_money(cost)} a year"

    # Rule 3 comes first because it overrides everything else: an over-budget plan goes to a
    # panel even if someone's limit would cover it, since agreeing to spend more than the
    # budget is the panel's decision, not any one person's.
    if not is_within_budget(plan):
        over = _money(_CONTEXT.subtract(cost, budget))
        return Route(
            kind=RouteKind.PANEL,
            approver_ids=(),
            reason=(
                f"{costs}, which is {over} more than the budget of {_money(budget)}, "
                "so a panel will decide it."
            ),
        )

    within = f"{costs}, which is within the budget of {_money(budget)}"

    # Rule 1: the named worker, who knows the person, signs off what their limit covers.
    if named_worker is not None and _covers(named_worker, cost):
        limit = _money(named_worker.sign_off_limit)
        return Route(
            kind=RouteKind.NAMED_WORKER,
            approver_ids=(named_worker.user_id,),
            reason=(
                f"{within} and within the {limit} a year that {named_worker.name}, "
                f"the named worker, may sign off, so {named_worker.name} can sign it off."
            ),
        )

    # Rule 2: the line of management, nearest first. The named worker is left out even if
    # listed in the line, because their own limit has just been found not to cover the cost;
    # a person listed twice is asked once, at their first (nearest) place.
    if named_worker is None:
        why_not_worker = ", and there is no named worker"
        excluded: set[int] = set()
    else:
        why_not_worker = (
            f" but more than the {_money(named_worker.sign_off_limit)} a year that "
            f"{named_worker.name}, the named worker, may sign off"
        )
        excluded = {named_worker.user_id}

    chosen: list[Approver] = []
    for approver in approvers:
        if approver.user_id in excluded:
            continue
        excluded.add(approver.user_id)
        if _covers(approver, cost):
            chosen.append(approver)

    if not chosen:
        # Within budget, so still not a panel matter (rule 3 is for over-budget plans only):
        # the gap is a missing delegation, which only an administrator can fix.
        return Route(
            kind=RouteKind.LINE,
            approver_ids=(),
            reason=(
                f"{within}{why_not_worker}, and nobody in the line of management has a "
                "delegated sign-off limit that covers it, so an administrator must set one; "
                "it will not go to a panel, because it is within budget."
            ),
        )

    # The reason names only the first person to ask, so adding people further up the line
    # never changes what the person is told.
    first = chosen[0]
    return Route(
        kind=RouteKind.LINE,
        approver_ids=tuple(approver.user_id for approver in chosen),
        reason=(
            f"{within}{why_not_worker}, so it goes to {first.name}, who may sign off up to "
            f"{_money(first.sign_off_limit)} a year."
        ),
    )


def may_sign_off(route: Route, *, user_id: int, is_panel_member: bool) -> bool:
    """Whether this user may sign off a plan on this route (published rules 1–3).

    A panel route may be decided by a panel member and nobody else, whatever their limit.
    Any other route may be signed off only by one of its approvers; being a panel member
    gives no right to sign off a within-budget plan, which is not a panel matter.
    """
    if not isinstance(route, Route):
        raise TypeError(f"Expected a Route, not {type(route).__name__}.")
    _require_user_id("user_id", user_id)
    _require_flag("is_panel_member", is_panel_member)
    if route.kind is RouteKind.PANEL:
        return is_panel_member
    return user_id in route.approver_ids


def may_release_starter_budget(*, urgent: bool, is_named_worker: bool) -> bool:
    """Whether a starter budget may be released before a plan is signed off (Step 1).

    Only for an urgent case, so that help starts without waiting for a plan, and only by the
    named worker, who is accountable for the person's support until the plan is signed off.
    """
    _require_flag("urgent", urgent)
    _require_flag("is_named_worker", is_named_worker)
    return urgent and is_named_worker
