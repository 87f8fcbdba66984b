"""Writing and submitting the person's plan. Every write is atomic, audited and version-checked."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from selfdirect.accounts.models import Role, User
from selfdirect.audit.models import EventType
from selfdirect.audit.services import audit_record
from selfdirect.budgets.models import IndicativeBudget
from selfdirect.core.tokens import new_token, token_hash
from selfdirect.people.rules import access_basis
from selfdirect.people.selectors import emails_to_tell
from selfdirect.plans import costs, published, signoff
from selfdirect.plans.models import (
    HelperKind,
    Plan,
    PlanAuthor,
    PlanDecision,
    PlanInvitation,
    PlanItem,
    PlanStatus,
)
from selfdirect.support.services import support_release

if TYPE_CHECKING:
    from selfdirect.people.models import Person


class PlanConflict(Exception):
    """Someone else saved the plan after this edit began; nothing was saved."""


@dataclass(frozen=True)
class ItemInput:
    what: str
    provider_kind: str
    provider_name: str
    unit_cost: Decimal
    units: Decimal
    per: str
    management: str = ""
    unit: str = "hour"


def _reason(actor: User, person: Person) -> str:
    return access_basis(actor, person) or "Recorded by the council"


@transaction.atomic
def plan_start(*, actor: User, person: Person) -> Plan:
    """Start a plan against the person's latest indicative budget, or return the draft in hand."""
    draft = Plan.objects.filter(person=person, status=PlanStatus.DRAFT).first()
    if draft is not None:
        return draft
    budget = IndicativeBudget.objects.filter(person=person).order_by("-issued_at", "-id").first()
    if budget is None:
        raise ValidationError("A plan can be started once there is an indicative budget")
    now = timezone.now()
    plan = Plan.objects.create(
        person=person, budget=budget, created_at=now, updated_at=now, updated_by=actor
    )
    audit_record(
        actor=actor,
        person=person,
        event_type=EventType.PLAN_STARTED,
        reason=_reason(actor, person),
        new_values={"plan": plan.pk, "budget_weekly": str(budget.weekly)},
    )
    return plan


@transaction.atomic
def plan_save(
    *,
    actor: User,
    plan: Plan,
    expected_version: int,
    what_i_want: str,
    who_helps: str,
    if_things_go_wrong: str,
    management: str,
    interim: bool,
    items: list[ItemInput],
) -> Plan:
    """Save the whole plan: its words and its items, replacing the items it had.

    Raises PlanConflict if anyone saved since EXPECTED_VERSION (targets R5: no lost
    update), and ValidationError for an item that cannot be costed (nothing is saved).
    """
    if plan.status != PlanStatus.DRAFT:
        raise ValidationError("This plan has been sent for sign-off and can no longer be changed")
    priced = []
    for index, item in enumerate(items, start=1):
        problems = costs.item_problems(item.unit_cost, item.units, item.per)
        if problems:
            raise ValidationError(f"Item {index}: {' '.join(problems)}")
        priced.append((item, costs.item_cost(item.unit_cost, item.units, item.per)))
    updated = Plan.objects.filter(pk=plan.pk, version=expected_version).update(
        version=F("version") + 1,
        what_i_want=what_i_want.strip(),
        who_helps=who_helps.strip(),
        if_things_go_wrong=if_things_go_wrong.strip(),
        management=management,
        interim=interim,
        updated_at=timezone.now(),
        updated_by=actor,
    )
    if updated != 1:
        raise PlanConflict
    plan.refresh_from_db()
    plan.items.all().delete()
    PlanItem.objects.bulk_create(
        [
            PlanItem(
                plan=plan,
                what=item.what.strip(),
                provider_kind=item.provider_kind,
                provider_name=item.provider_name.strip(),
                unit_cost=item.unit_cost,
                unit=item.unit,
                units=item.units,
                per=item.per,
                weekly_cost=cost.weekly,
                annual_cost=cost.annual,
                management=item.management,
            )
            for item, cost in priced
        ]
    )
    total = costs.plan_total([cost for _, cost in priced])
    audit_record(
        actor=actor,
        person=plan.person,
        event_type=EventType.PLAN_SAVED,
        reason=_reason(actor, plan.person),
        new_values={"plan": plan.pk, "items": len(priced), "weekly": str(total.weekly)},
    )
    return plan


def plan_author_for(*, actor: User, plan: Plan) -> str:
    """Who probably wrote the plan, judged from who sends it (the sender can say otherwise)."""
    if actor.role == Role.PERSON:
        return PlanAuthor.PERSON
    if actor.role == Role.REPRESENTATIVE:
        return PlanAuthor.FAMILY
    if actor.role == Role.PLAN_HELPER:
        kind = plan.invitations.filter(accepted_by=actor).values_list("kind", flat=True).first()
        by_kind: dict[str, str] = {
            HelperKind.FAMILY: PlanAuthor.FAMILY,
            HelperKind.FRIEND: PlanAuthor.FAMILY,
            HelperKind.PROVIDER: PlanAuthor.PROVIDER,
        }
        return by_kind.get(kind or "", PlanAuthor.USER_LED)
    return PlanAuthor.WORKER


@transaction.atomic
def plan_submit(*, actor: User, plan: Plan, expected_version: int, written_by: str = "") -> Plan:
    """Send the plan for sign-off under the council's published rules.

    WRITTEN_BY says who mainly wrote it (a PlanAuthor); blank means judge from the sender.
    """
    if written_by and written_by not in PlanAuthor.values:
        raise ValidationError({"written_by": "Choose who mainly wrote the plan"})
    if plan.status != PlanStatus.DRAFT:
        raise ValidationError("This plan has already been sent for sign-off")
    if not plan.what_i_want.strip():
        raise ValidationError("Say what you want to achieve before sending the plan")
    if not plan.items.exists():
        raise ValidationError("Add at least one thing the money will pay for")
    route = plan_route(plan)
    updated = Plan.objects.filter(
        pk=plan.pk, version=expected_version, status=PlanStatus.DRAFT
    ).update(
        version=F("version") + 1,
        status=PlanStatus.SUBMITTED,
        submitted_at=timezone.now(),
        updated_by=actor,
        written_by=written_by or plan_author_for(actor=actor, plan=plan),
        route_kind=route.kind.value,
        route_approver_ids=list(route.approver_ids),
        route_reason=route.reason,
    )
    if updated != 1:
        raise PlanConflict
    plan.refresh_from_db()
    audit_record(
        actor=actor,
        person=plan.person,
        event_type=EventType.PLAN_SUBMITTED,
        reason=_reason(actor, plan.person),
        new_values={"plan": plan.pk, "route": route.kind.value, "route_reason": route.reason},
    )
    return plan


def plan_annual_cost(plan: Plan) -> Decimal:
    return sum((item.annual_cost for item in plan.items.all()), Decimal("0.00"))


def plan_annual_budget(plan: Plan) -> Decimal:
    """Every funding stream of the integrated budget, a year."""
    weekly = sum((line.weekly for line in plan.budget.streams.all()), Decimal("0.00"))
    return (weekly * costs.WEEKS_PER_YEAR).quantize(costs.PENNY)


def plan_route(plan: Plan) -> signoff.Route:
    """Where the published rules send this plan: named worker, their line, or the panel."""
    worker = plan.person.named_worker
    # Someone waiting for a named worker has nobody at rule 1: their plan goes to the line.
    named = (
        signoff.Approver(user_id=worker.pk, name=str(worker), sign_off_limit=worker.sign_off_limit)
        if worker is not None
        else None
    )
    # The line of management: the team's managers, lowest limit first (nearest first).
    managers = User.objects.filter(
        role=Role.TEAM_MANAGER, team_id=plan.person.team_id, is_active=True
    ).order_by("sign_off_limit", "pk")
    if worker is not None:
        managers = managers.exclude(pk=worker.pk)
    line = [
        signoff.Approver(user_id=m.pk, name=str(m), sign_off_limit=m.sign_off_limit)
        for m in managers
    ]
    facts = signoff.PlanForRouting(
        annual_cost=plan_annual_cost(plan), annual_budget=plan_annual_budget(plan)
    )
    return signoff.route_plan(facts, named_worker=named, line=line)


def route_of(plan: Plan) -> signoff.Route:
    return signoff.Route(
        kind=signoff.RouteKind(plan.route_kind),
        approver_ids=tuple(plan.route_approver_ids),
        reason=plan.route_reason,
    )


@transaction.atomic
def plan_decide(
    *,
    actor: User,
    plan: Plan,
    approved: bool,
    explanation: str,
    reason_code: str = "",
    legal_restriction: str = "",
    risk_description: str = "",
) -> PlanDecision:
    """Sign a plan off, or refuse it for a published reason; tell the person directly.

    Only those the published rules name may decide (plans/signoff.py): the named worker or
    someone in their line within their limit, and for a plan over budget only the panel.
    """
    if plan.status != PlanStatus.SUBMITTED:
        raise ValidationError("This plan is not waiting for a decision")
    route = route_of(plan)
    if not signoff.may_sign_off(
        route, user_id=actor.pk, is_panel_member=actor.role == Role.PANEL_MEMBER
    ):
        raise PermissionDenied("Only those the published rules name may decide this plan")
    errors: dict[str, str] = {}
    if not explanation.strip():
        errors["explanation"] = "Explain the decision in plain words"
    if not approved:
        codes = dict(published.REFUSAL_REASONS)
        if reason_code not in codes:
            errors["reason_code"] = "Choose one of the council's published reasons"
        elif reason_code == "over_budget" and route.kind != signoff.RouteKind.PANEL:
            errors["reason_code"] = "Only the panel can refuse a plan for being over budget"
        elif reason_code == "unsafe" and not risk_description.strip():
            errors["risk_description"] = "Describe the risk that makes the plan unsafe"
        elif reason_code == "legal_restriction" and legal_restriction not in dict(
            published.LEGAL_RESTRICTIONS
        ):
            errors["legal_restriction"] = "Choose which published legal restriction applies"
    if errors:
        raise ValidationError(errors)
    decision = PlanDecision.objects.create(
        plan=plan,
        approved=approved,
        reason_code="" if approved else reason_code,
        legal_restriction=legal_restriction if reason_code == "legal_restriction" else "",
        risk_description=risk_description.strip() if reason_code == "unsafe" else "",
        explanation=explanation.strip(),
        decided_by=actor,
        by_panel=route.kind == signoff.RouteKind.PANEL,
        decided_at=timezone.now(),
    )
    Plan.objects.filter(pk=plan.pk).update(
        status=PlanStatus.APPROVED if approved else PlanStatus.REFUSED,
        version=F("version") + 1,
    )
    plan.refresh_from_db()
    if approved:
        support_release(plan=plan)
    audit_record(
        actor=actor,
        person=plan.person,
        event_type=EventType.PLAN_DECIDED,
        reason="Panel member" if decision.by_panel else (_reason(actor, plan.person)),
        new_values={"plan": plan.pk, "approved": approved, "reason_code": decision.reason_code},
    )
    transaction.on_commit(lambda: _tell_person(plan, decision))
    return decision


def _tell_person(plan: Plan, decision: PlanDecision) -> None:
    """The person and their representatives hear the decision and the reason directly."""
    person = plan.person
    recipients = emails_to_tell(person=person)
    if not recipients:
        return
    if decision.approved:
        outcome = (
            "Your support plan has been signed off. Your support starts now, and we will "
            "meet you 6 to 8 weeks after it starts to see how it is going."
        )
    else:
        outcome = (
            "Your support plan has not been signed off, for this published reason: "
            f"{dict(published.REFUSAL_REASONS)[decision.reason_code]}."
        )
    body = (
        f"Dear {person.preferred_name or person.first_name},\n\n{outcome}\n\n"
        f"Why: {decision.explanation}\n\n"
        "You can see the decision in your online account. If you disagree, tell your named "
        f"worker.\n\n{settings.COUNCIL_NAME}"
    )
    send_mail(
        subject="A decision about your support plan",
        message=body,
        from_email=None,
        recipient_list=recipients,
        fail_silently=True,
    )


INVITATION_DAYS = 14


@transaction.atomic
def plan_invite(
    *, actor: User, plan: Plan, name: str, email: str, kind: str, accept_url: Callable[[str], str]
) -> PlanInvitation:
    """The person (or their representative) invites someone to help with this plan only.

    The email with the link is sent once the invitation is saved; the link expires after
    14 days. Inviting a provider creates no obligation to use that provider.
    """
    token = new_token()
    now = timezone.now()
    invitation = PlanInvitation(
        plan=plan,
        name=name.strip(),
        email=email.strip(),
        kind=kind,
        token_hash=token_hash(token),
        invited_by=actor,
        created_at=now,
        expires_at=now + timedelta(days=INVITATION_DAYS),
    )
    invitation.full_clean()
    invitation.save()
    audit_record(
        actor=actor,
        person=plan.person,
        event_type=EventType.HELPER_INVITED,
        reason=_reason(actor, plan.person),
        new_values={"plan": plan.pk, "name": invitation.name, "kind": kind},
    )
    link = accept_url(token)
    body = (
        f"Dear {invitation.name},\n\n{plan.person.preferred_name or plan.person.first_name} "
        f"has invited you to help write their support plan.\n\nTo accept, follow this link "
        f"within {INVITATION_DAYS} days. You can make an account from the link, or sign in if "
        f"you have one:\n{link}\n\nYou will see only their plan.\n\n"
        f"{settings.COUNCIL_NAME}"
    )
    transaction.on_commit(
        lambda: send_mail(
            subject="You have been invited to help with a support plan",
            message=body,
            from_email=None,
            recipient_list=[invitation.email],
            fail_silently=True,
        )
    )
    return invitation


def invitation_for_token(token: str) -> PlanInvitation | None:
    return (
        PlanInvitation.objects.select_related("plan", "plan__person")
        .filter(token_hash=token_hash(token))
        .first()
    )


@transaction.atomic
def invitation_accept(*, actor: User, token: str) -> PlanInvitation:
    """A plan helper joins the plan they were invited to, if the link is still good."""
    invitation = invitation_for_token(token)
    if invitation is None:
        raise ValidationError("This invitation link is not right. Ask for a new one.")
    if invitation.accepted_by_id is not None and invitation.accepted_by_id != actor.pk:
        raise ValidationError("This invitation has already been used. Ask for a new one.")
    if invitation.expires_at <= timezone.now():
        raise ValidationError("This invitation has expired. Ask for a new one.")
    if invitation.accepted_by_id is None:
        invitation.accepted_by = actor
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_by", "accepted_at"])
        audit_record(
            actor=actor,
            person=invitation.plan.person,
            event_type=EventType.HELPER_JOINED,
            reason="Plan helper invited by the person",
            new_values={"plan": invitation.plan_id, "name": invitation.name},
        )
    return invitation


@transaction.atomic
def plan_revise(*, actor: User, plan: Plan) -> Plan:
    """A new draft that starts as a copy of PLAN, against the same budget, so the person can
    improve their own arrangements (from a review). The draft in hand is returned if there is
    one. It is signed off by the same published rules as any plan."""
    draft = Plan.objects.filter(person=plan.person, status=PlanStatus.DRAFT).first()
    if draft is not None:
        return draft
    now = timezone.now()
    revised = Plan.objects.create(
        person=plan.person,
        budget=plan.budget,
        what_i_want=plan.what_i_want,
        who_helps=plan.who_helps,
        if_things_go_wrong=plan.if_things_go_wrong,
        management=plan.management,
        created_at=now,
        updated_at=now,
        updated_by=actor,
    )
    PlanItem.objects.bulk_create(
        [
            PlanItem(
                plan=revised,
                what=item.what,
                provider_kind=item.provider_kind,
                provider_name=item.provider_name,
                unit_cost=item.unit_cost,
                unit=item.unit,
                units=item.units,
                per=item.per,
                weekly_cost=item.weekly_cost,
                annual_cost=item.annual_cost,
                management=item.management,
            )
            for item in PlanItem.objects.filter(plan=plan)
        ]
    )
    audit_record(
        actor=actor,
        person=plan.person,
        event_type=EventType.PLAN_STARTED,
        reason=_reason(actor, plan.person),
        new_values={"plan": revised.pk, "revising": plan.pk},
    )
    return revised
