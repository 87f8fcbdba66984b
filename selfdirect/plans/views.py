"""The plan pages, shared by staff and the portal: the same plan, written by whoever the person
chooses. Saving is version-checked so two people editing at once never lose work (targets R5)."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from selfdirect.accounts.models import PORTAL_ROLES, Role
from selfdirect.core.access import AuthedRequest, permission_required
from selfdirect.core.forms import apply_service_errors
from selfdirect.people.selectors import person_get_for_user
from selfdirect.plans import costs, published, services, signoff
from selfdirect.plans.forms import (
    BaseItemFormSet,
    DecisionForm,
    InvitationForm,
    ItemFormSet,
    PlanForm,
)
from selfdirect.plans.models import Plan, PlanStatus
from selfdirect.plans.selectors import (
    invitations_for_plan,
    latest_plan,
    panel_hidden_count,
    panel_queue,
    plan_get_for_decision,
    plan_get_for_user,
    plan_totals,
)
from selfdirect.support import release
from selfdirect.support.models import DirectPayment, ScheduledReview, Service

CONFLICT = (
    "Someone else saved this plan while you were editing it, so your changes have not been "
    "saved yet. What you typed is still below, and their version is shown underneath. "
    "Check both, then save again to keep yours."
)


def _in_portal(request: AuthedRequest) -> bool:
    return request.user.role in PORTAL_ROLES


def _plan_url(request: AuthedRequest, plan: Plan) -> str:
    name = "portal:plan-edit" if _in_portal(request) else "plans:edit"
    return reverse(name, args=[plan.pk])


def _person_url(request: AuthedRequest, person_id: int) -> str:
    if _in_portal(request):
        return reverse("portal:person", args=[person_id])
    return reverse("people:detail", args=[person_id])


@permission_required("plans.write_plan")
def start(request: AuthedRequest, person_id: int) -> HttpResponse:
    """Start the person's plan (POST), or see the plan in hand."""
    person = person_get_for_user(user=request.user, person_id=person_id, what="plan")
    if request.method == "POST":
        try:
            plan = services.plan_start(actor=request.user, person=person)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return HttpResponseRedirect(_person_url(request, person.pk))
        return HttpResponseRedirect(_plan_url(request, plan))
    return render(
        request,
        "plans/start.html",
        {"person": person, "plan": latest_plan(person=person), "portal": _in_portal(request)},
    )


def _initial(plan: Plan) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    plan_initial = {
        "version": plan.version,
        "what_i_want": plan.what_i_want,
        "who_helps": plan.who_helps,
        "if_things_go_wrong": plan.if_things_go_wrong,
        "management": plan.management,
        "interim": plan.interim,
    }
    items = [
        {
            "what": i.what,
            "provider_kind": i.provider_kind,
            "provider_name": i.provider_name,
            "unit_cost": i.unit_cost,
            "unit": i.unit,
            "units": i.units.normalize(),
            "per": i.per,
            "management": i.management,
        }
        for i in plan.items.all()
    ]
    return plan_initial, items


@permission_required("plans.help_with_plan")
def edit(request: AuthedRequest, plan_id: int) -> HttpResponse:
    plan = plan_get_for_user(user=request.user, plan_id=plan_id)
    if plan.status != PlanStatus.DRAFT:
        return render(request, "plans/submitted.html", _context(request, plan))
    plan_initial, items_initial = _initial(plan)
    posted = request.method == "POST"
    form = PlanForm(request.POST if posted else None, initial=plan_initial)
    formset = ItemFormSet(request.POST if posted else None, initial=items_initial, prefix="items")
    conflict = False
    if posted and form.is_valid() and formset.is_valid():
        data = form.cleaned_data
        try:
            services.plan_save(
                actor=request.user,
                plan=plan,
                expected_version=data["version"],
                what_i_want=data["what_i_want"],
                who_helps=data["who_helps"],
                if_things_go_wrong=data["if_things_go_wrong"],
                management=data["management"],
                interim=data["interim"],
                items=cast(BaseItemFormSet, formset).items(),
            )
            if "send" in request.POST:
                services.plan_submit(
                    actor=request.user,
                    plan=plan,
                    expected_version=plan.version,
                    written_by=data.get("written_by", ""),
                )
        except services.PlanConflict:
            conflict = True
            # Keep what they typed; the next save, made knowingly, wins.
            data_copy = request.POST.copy()
            plan.refresh_from_db()
            data_copy["version"] = str(plan.version)
            form = PlanForm(data_copy, initial=plan_initial)
            form.is_valid()
            form.add_error(None, CONFLICT)
            formset = ItemFormSet(data_copy, initial=items_initial, prefix="items")
            formset.is_valid()
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if "send" in request.POST:
                messages.success(request, "The plan has been sent for sign-off")
            else:
                messages.success(request, "The plan has been saved")
            url = _plan_url(request, plan)
            if "add_item" in request.POST:
                url += "#new-item"
            return HttpResponseRedirect(url)
    context = _context(request, plan)
    context.update({"form": form, "formset": formset, "conflict": conflict})
    return render(request, "plans/edit.html", context)


def _context(request: AuthedRequest, plan: Plan) -> dict[str, Any]:
    plan.refresh_from_db()
    total = plan_totals(plan=plan)
    budget = plan.budget
    return {
        "plan": plan,
        "person": plan.person,
        "budget": budget,
        "saved_items": list(plan.items.all()),
        "total": total,
        "left_weekly": budget.weekly - total.weekly,
        "over_by_weekly": total.weekly - budget.weekly,
        "over_budget": total.annual > budget.annual,
        "portal": _in_portal(request),
        "is_self": plan.person.portal_user_id == request.user.pk,
        "person_url": _person_url(request, plan.person_id),
        "services": list(Service.objects.filter(plan=plan).order_by("id")),
        "direct_payment": (payment := DirectPayment.objects.filter(plan=plan).first()),
        "payment_dates": release.payment_dates(payment.first_payment_on, 4) if payment else [],
        "first_review": ScheduledReview.objects.filter(plan=plan).order_by("due_by").first(),
    }


@permission_required("plans.decide_plan")
def decide(request: AuthedRequest, plan_id: int) -> HttpResponse:
    """Sign-off by the published rules: the named worker, their line, or (over budget) the panel."""
    plan = plan_get_for_decision(user=request.user, plan_id=plan_id)
    route = services.route_of(plan) if plan.route_kind else None
    allowed = route is not None and signoff.may_sign_off(
        route, user_id=request.user.pk, is_panel_member=request.user.role == Role.PANEL_MEMBER
    )
    form = DecisionForm(request.POST if request.method == "POST" else None)
    if (
        request.method == "POST"
        and allowed
        and plan.status == PlanStatus.SUBMITTED
        and form.is_valid()
    ):
        data = form.cleaned_data
        try:
            services.plan_decide(
                actor=request.user,
                plan=plan,
                approved=data["decision"] == "approve",
                explanation=data["explanation"],
                reason_code=data["reason_code"],
                legal_restriction=data["legal_restriction"],
                risk_description=data["risk_description"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "The decision has been saved and the person has been told")
            target = "plans:panel" if request.user.role == Role.PANEL_MEMBER else "plans:decide"
            args = [] if target == "plans:panel" else [plan.pk]
            return HttpResponseRedirect(reverse(target, args=args))
    context = _context(request, plan)
    context.update(
        {
            "form": form,
            "route": route,
            "allowed": allowed,
            "gap_annual": services.plan_annual_cost(plan) - services.plan_annual_budget(plan),
            "decision": getattr(plan, "decision", None),
        }
    )
    return render(request, "plans/decide.html", context)


@permission_required("plans.use_panel_queue")
def panel(request: AuthedRequest) -> HttpResponse:
    plans = []
    for plan in panel_queue(user=request.user).prefetch_related("items", "budget__streams"):
        cost, budget = services.plan_annual_cost(plan), services.plan_annual_budget(plan)
        plans.append({"plan": plan, "cost": cost, "budget": budget, "gap": cost - budget})
    hidden = panel_hidden_count(user=request.user)
    return render(request, "plans/panel.html", {"plans": plans, "hidden": hidden})


def plan_rules(request: HttpRequest) -> HttpResponse:
    """Public, no sign-in: the council's plan rules and the only reasons a plan can be refused."""
    return render(
        request,
        "plans/rules.html",
        {
            "sign_off_rules": published.SIGN_OFF_RULES,
            "reasons": published.REFUSAL_REASONS,
            "restrictions": published.LEGAL_RESTRICTIONS,
        },
    )


@permission_required("plans.invite_helper")
def invite(request: AuthedRequest, plan_id: int) -> HttpResponse:
    """The person chooses who helps: family, a friend, a support planner, a peer, a provider."""
    plan = plan_get_for_user(user=request.user, plan_id=plan_id)
    form = InvitationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.plan_invite(
            actor=request.user,
            plan=plan,
            name=data["name"],
            email=data["email"],
            kind=data["kind"],
            accept_url=lambda token: request.build_absolute_uri(
                reverse("portal:invitation", args=[token])
            ),
        )
        messages.success(request, f"We have emailed {data['name']} a link to help with the plan")
        return HttpResponseRedirect(reverse("portal:plan-invite", args=[plan.pk]))
    return render(
        request,
        "plans/invite.html",
        {
            "plan": plan,
            "person": plan.person,
            "form": form,
            "invitations": invitations_for_plan(plan=plan),
        },
    )


def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    """A plan helper accepts an invitation. Someone signed out may have no account yet: they
    go to the page that makes one from the link, or lets them sign in (portal:helper-join)."""
    if not request.user.is_authenticated:
        return HttpResponseRedirect(reverse("portal:helper-join", args=[token]))
    return _accept_invitation(request, token)


@permission_required("plans.accept_invitation")
def _accept_invitation(request: AuthedRequest, token: str) -> HttpResponse:
    invitation = services.invitation_for_token(token)
    if invitation is None:
        raise Http404("No such invitation")
    form_error = ""
    if request.method == "POST":
        try:
            services.invitation_accept(actor=request.user, token=token)
        except ValidationError as error:
            form_error = " ".join(error.messages)
        else:
            messages.success(request, "You can now help with the plan")
            return HttpResponseRedirect(reverse("portal:plan-edit", args=[invitation.plan_id]))
    return render(
        request,
        "plans/accept.html",
        {"invitation": invitation, "error": form_error},
    )


@permission_required("plans.help_with_plan")
def totals(request: AuthedRequest, plan_id: int) -> HttpResponse:
    """The running total for what is typed so far (htmx enhancement; nothing is saved).

    Without JavaScript the total updates on every save instead.
    """
    plan = plan_get_for_user(user=request.user, plan_id=plan_id)
    context = _context(request, plan)
    if request.method == "POST":
        formset = ItemFormSet(request.POST, prefix="items")
        typed = []
        for form in formset.forms:
            if (
                form.is_valid()
                and form.cleaned_data.get("what")
                and not form.cleaned_data.get("DELETE")
            ):
                data = form.cleaned_data
                typed.append(costs.item_cost(data["unit_cost"], data["units"], data["per"]))
        total = costs.plan_total(typed)
        budget = plan.budget
        context.update(
            {
                "total": total,
                "left_weekly": budget.weekly - total.weekly,
                "over_by_weekly": total.weekly - budget.weekly,
                "over_budget": total.annual > budget.annual,
            }
        )
    return render(request, "plans/_totals.html", context)
