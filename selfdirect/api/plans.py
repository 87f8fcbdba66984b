"""Support plans: started against the latest budget, written (version-checked), sent for
sign-off and decided by the council's published rules, as on the web.

Who may write: case-holding staff with a relationship to the person, the person and their
representative (plans.write_plan), and to change or send a plan, the helpers the person invited
to it (plans.help_with_plan). Who may decide: only those the published rules name for this plan
(plans/signoff.py): the named worker or their line within their limit, or the panel for a plan
over budget.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from ninja import Router, Status

from selfdirect.accounts.models import Role, User
from selfdirect.api.errors import ERRORS, Conflict, Refused
from selfdirect.api.people import person_for
from selfdirect.api.schemas import (
    DecisionIn,
    DecisionOut,
    Money,
    PlanBudget,
    PlanIn,
    PlanItemOut,
    PlanOut,
    RouteOut,
    SubmitIn,
)
from selfdirect.plans import costs, services, signoff
from selfdirect.plans.models import Plan, PlanDecision, PlanStatus
from selfdirect.plans.selectors import plan_get_for_decision, plan_get_for_user, plan_totals

router = Router(tags=["plans"])

STALE = "Someone else saved this plan since you read it: read it again, then retry"


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _require(request: HttpRequest, perm: str, refusal: str) -> User:
    user = _user(request)
    if not user.has_perm(perm):
        raise Refused(refusal)
    return user


def plan_out(plan: Plan) -> PlanOut:
    plan.refresh_from_db()
    total = plan_totals(plan=plan)
    annual_budget = services.plan_annual_budget(plan)
    decision: PlanDecision | None = PlanDecision.objects.filter(plan=plan).first()
    return PlanOut(
        id=plan.pk,
        person_id=plan.person_id,
        status=plan.status,
        version=plan.version,
        interim=plan.interim,
        what_i_want=plan.what_i_want,
        who_helps=plan.who_helps,
        if_things_go_wrong=plan.if_things_go_wrong,
        management=plan.management,
        items=[
            PlanItemOut(
                id=i.pk,
                what=i.what,
                provider_kind=i.provider_kind,
                provider_name=i.provider_name,
                unit_cost=i.unit_cost,
                unit=i.unit,
                units=i.units,
                per=i.per,
                management=i.management,
                weekly_cost=i.weekly_cost,
                annual_cost=i.annual_cost,
            )
            for i in plan.items.all()
        ],
        totals=Money(weekly=total.weekly, annual=total.annual),
        budget=PlanBudget(
            id=plan.budget_id,
            weekly=plan.budget.weekly,
            annual=plan.budget.annual,
            annual_all_streams=annual_budget,
        ),
        over_budget=total.annual > annual_budget,
        created_at=plan.created_at,
        updated_at=plan.updated_at,
        submitted_at=plan.submitted_at,
        written_by=plan.written_by,
        route=(
            RouteOut(
                kind=plan.route_kind,
                approver_ids=list(plan.route_approver_ids),
                reason=plan.route_reason,
            )
            if plan.route_kind
            else None
        ),
        decision=(
            DecisionOut(
                approved=decision.approved,
                reason_code=decision.reason_code,
                legal_restriction=decision.legal_restriction,
                risk_description=decision.risk_description,
                explanation=decision.explanation,
                decided_by_id=decision.decided_by_id,
                by_panel=decision.by_panel,
                decided_at=decision.decided_at,
            )
            if decision is not None
            else None
        ),
    )


@router.post(
    "/people/{person_id}/plans",
    response={200: PlanOut, 201: PlanOut, **ERRORS},
    summary="Start the person's plan against their latest budget",
)
def start_plan(request: HttpRequest, person_id: int) -> Status[PlanOut]:
    """Starts a plan against the person's latest indicative budget (201). If a draft is already
    being written, that draft is returned instead (200). 409 if there is no budget yet."""
    user = _require(
        request,
        "plans.write_plan",
        "Only the person, their representative and their workers may start a plan",
    )
    person = person_for(request, person_id, what="plan")
    had_draft = Plan.objects.filter(person=person, status=PlanStatus.DRAFT).exists()
    try:
        with transaction.atomic():
            plan = services.plan_start(actor=user, person=person)
    except ValidationError as error:
        # The only refusal is having no budget yet: a state, not a bad value.
        raise Conflict(" ".join(error.messages)) from error
    return Status(200 if had_draft else 201, plan_out(plan))


@router.get("/plans/{plan_id}", response={200: PlanOut, **ERRORS}, summary="Read a plan")
def read_plan(request: HttpRequest, plan_id: int) -> PlanOut:
    """Anyone with a relationship to the person, a helper the person invited to this plan, and
    (for a plan over budget, sent to the panel) a panel member."""
    return plan_out(plan_get_for_decision(user=_user(request), plan_id=plan_id))


def _check_items(payload: PlanIn) -> None:
    """The one limit the schema cannot state: how many units make sense depends on the period
    (there are 168 hours in a week)."""
    problems: dict[str, list[str]] = {}
    for index, item in enumerate(payload.items):
        limit = costs.MAX_UNITS[item.per]
        if item.units > limit:
            period = dict(costs.PERIODS)[item.per]
            problems[f"items.{index}.units"] = [f"How many must be {limit} or fewer {period}"]
    if problems:
        raise ValidationError(problems)


def _editable_plan(request: HttpRequest, plan_id: int) -> tuple[User, Plan]:
    user = _require(
        request,
        "plans.help_with_plan",
        "Only the person, their representative, their helpers and workers may change a plan",
    )
    plan = plan_get_for_user(user=user, plan_id=plan_id)
    if plan.status != PlanStatus.DRAFT:
        raise Conflict("This plan has been sent for sign-off and can no longer be changed")
    return user, plan


@router.put("/plans/{plan_id}", response={200: PlanOut, **ERRORS}, summary="Save a plan")
def save_plan(request: HttpRequest, plan_id: int, payload: PlanIn) -> PlanOut:
    """Saves the whole plan: its words and its items, replacing the items it had. `version`
    must be the version you read; if anyone saved since, nothing is saved (409)."""
    user, plan = _editable_plan(request, plan_id)
    _check_items(payload)
    try:
        with transaction.atomic():
            services.plan_save(
                actor=user,
                plan=plan,
                expected_version=payload.version,
                what_i_want=payload.what_i_want,
                who_helps=payload.who_helps,
                if_things_go_wrong=payload.if_things_go_wrong,
                management=payload.management,
                interim=payload.interim,
                items=[
                    services.ItemInput(
                        what=i.what.strip(),
                        provider_kind=i.provider_kind,
                        provider_name=i.provider_name,
                        unit_cost=i.unit_cost,
                        units=i.units,
                        per=i.per,
                        management=i.management,
                        unit=i.unit,
                    )
                    for i in payload.items
                ],
            )
    except services.PlanConflict as error:
        raise Conflict(STALE) from error
    return plan_out(plan)


@router.post(
    "/plans/{plan_id}/submit",
    response={200: PlanOut, **ERRORS},
    summary="Send a plan for sign-off",
)
def submit_plan(request: HttpRequest, plan_id: int, payload: SubmitIn) -> PlanOut:
    """Sends the plan for sign-off under the published rules; the answer's `route` says who
    may sign it off and why. 409 if it has changed since `version`, or is not ready: it needs
    what the person wants to achieve and at least one thing the money pays for."""
    user, plan = _editable_plan(request, plan_id)
    if not plan.what_i_want.strip():
        raise Conflict("Say what the person wants to achieve before sending the plan")
    if not plan.items.exists():
        raise Conflict("Add at least one thing the money will pay for")
    try:
        with transaction.atomic():
            services.plan_submit(
                actor=user,
                plan=plan,
                expected_version=payload.version,
                written_by=payload.written_by or "",
            )
    except services.PlanConflict as error:
        raise Conflict(STALE) from error
    return plan_out(plan)


@router.post(
    "/plans/{plan_id}/decision",
    response={201: PlanOut, **ERRORS},
    summary="Sign a plan off, or refuse it for a published reason",
)
def decide_plan(request: HttpRequest, plan_id: int, payload: DecisionIn) -> Status[PlanOut]:
    """Only those the published rules name may decide (403 for anyone else): the named worker
    or someone in their line within their sign-off limit, and for a plan over budget only a
    panel member. A refusal needs a published `reason_code`; `unsafe` needs
    `risk_description`, `legal_restriction` needs `legal_restriction`, and only the panel may
    refuse a plan for being over budget. Signing off releases the support at once (services,
    any direct payment and the first review). The person is told directly."""
    user = _require(request, "plans.decide_plan", "Only workers and panel members may decide plans")
    plan = plan_get_for_decision(user=user, plan_id=plan_id)
    if plan.status != PlanStatus.SUBMITTED or not plan.route_kind:
        raise Conflict("This plan is not waiting for a decision")
    route = services.route_of(plan)
    if not signoff.may_sign_off(
        route, user_id=user.pk, is_panel_member=user.role == Role.PANEL_MEMBER
    ):
        raise Refused(f"Only those the published rules name may decide this plan. {route.reason}")
    with transaction.atomic():
        services.plan_decide(
            actor=user,
            plan=plan,
            approved=payload.approved,
            explanation=payload.explanation,
            reason_code=payload.reason_code or "",
            legal_restriction=payload.legal_restriction or "",
            risk_description=payload.risk_description,
        )
    return Status(201, plan_out(plan))
