"""Staff pages for steps 1–2: contact, the story, outcome judgments, the decision, the result.

A worker's path from a new contact to an indicative budget is five screens (targets P6):
contact → story → outcomes → decision → result.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from selfdirect.assessments import services
from selfdirect.assessments.forms import (
    CapacityForm,
    ContactCloseForm,
    ContactForm,
    DecisionForm,
    OutcomesForm,
    StarterBudgetForm,
    StoryForm,
)
from selfdirect.assessments.models import Assessment, Contact
from selfdirect.assessments.selectors import (
    assessment_get_for_user,
    capacity_history,
    contact_get_for_user,
    contact_queue_for_team,
    story_for_person,
)
from selfdirect.assessments.services import EditConflict
from selfdirect.budgets.forms import StreamForm
from selfdirect.budgets.letters import decision_letter_pdf
from selfdirect.budgets.selectors import budget_for_assessment
from selfdirect.budgets.services import budget_stream_set
from selfdirect.core.access import AuthedRequest, permission_required
from selfdirect.core.forms import apply_service_errors
from selfdirect.people.rules import access_basis
from selfdirect.people.selectors import person_get_for_user
from selfdirect.plans import signoff
from selfdirect.support import services as support_services

QUEUE_PAGE_SIZE = 25

CONFLICT = (
    "Someone else saved this assessment while you were working on it. "
    "Your changes have not been saved. The page now shows their version: "
    "check it and make your changes again."
)


@permission_required("assessments.view_contact_queue")
def contact_queue(request: AuthedRequest) -> HttpResponse:
    user = request.user
    contacts = (
        contact_queue_for_team(team_id=user.team_id, viewer=user)
        if user.team_id
        else Contact.objects.none()
    )
    # A team's queue grows with the team: a page at a time, urgent and oldest first.
    page = Paginator(contacts, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "assessments/contact_queue.html", {"page": page})


@permission_required("assessments.assess")
def contact_create(request: AuthedRequest, person_id: int) -> HttpResponse:
    """Screen 1: the request for support. Saving it opens the assessment."""
    person = person_get_for_user(user=request.user, person_id=person_id, what="new contact")
    kind = "carer" if person.client_type == "unpaid_carer" else "adult"
    form = ContactForm(request.POST if request.method == "POST" else None, initial={"kind": kind})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        contact = services.contact_create(
            actor=request.user,
            person=person,
            received_on=data["received_on"],
            route_of_access=data["route_of_access"],
            requested_by=data["requested_by"],
            what_for=data["what_for"],
            urgent=data["urgent"],
        )
        assessment = services.assessment_start(
            actor=request.user, person=person, kind=data["kind"], contact=contact
        )
        messages.success(request, "The request has been recorded and the assessment started")
        return HttpResponseRedirect(reverse("assessments:story", args=[assessment.pk]))
    return render(request, "assessments/contact_form.html", {"form": form, "person": person})


def _editable(request: AuthedRequest, assessment: Assessment) -> HttpResponse | None:
    if assessment.is_completed:
        messages.info(request, "This assessment has been completed, so it can no longer be changed")
        return HttpResponseRedirect(reverse("assessments:result", args=[assessment.pk]))
    return None


@permission_required("assessments.assess")
def story(request: AuthedRequest, assessment_id: int) -> HttpResponse:
    """Screen 2: the person's story in their words, and what the worker adds."""
    assessment = assessment_get_for_user(
        user=request.user, assessment_id=assessment_id, what="story"
    )
    if (done := _editable(request, assessment)) is not None:
        return done
    form = StoryForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if "skip" in request.POST:
            return HttpResponseRedirect(reverse("assessments:outcomes", args=[assessment.pk]))
        if form.is_valid():
            services.story_add(
                actor=request.user, person=assessment.person, entries=form.cleaned_data
            )
            return HttpResponseRedirect(reverse("assessments:outcomes", args=[assessment.pk]))
    return render(
        request,
        "assessments/story.html",
        {
            "assessment": assessment,
            "person": assessment.person,
            "form": form,
            "sections": story_for_person(person=assessment.person),
        },
    )


def _outcomes_initial(assessment: Assessment) -> dict[str, Any]:
    initial: dict[str, Any] = {"version": assessment.version}
    for j in assessment.judgements.all():
        initial[f"{j.outcome}-achievable"] = "yes" if j.achievable else "no"
        initial[f"{j.outcome}-unable_reason"] = j.unable_reason
        initial[f"{j.outcome}-met_by_others"] = j.met_by_others
        initial[f"{j.outcome}-risk"] = j.risk
        initial[f"{j.outcome}-reason"] = j.reason
    return initial


@permission_required("assessments.assess")
def outcomes(request: AuthedRequest, assessment_id: int) -> HttpResponse:
    """Screen 3: for each outcome, can they achieve it; if not, why, what is met, and the risk."""
    assessment = assessment_get_for_user(
        user=request.user, assessment_id=assessment_id, what="outcomes"
    )
    if (done := _editable(request, assessment)) is not None:
        return done
    form = OutcomesForm(
        request.POST if request.method == "POST" else None,
        kind=assessment.kind,
        initial=_outcomes_initial(assessment),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.judgements_save(
                actor=request.user,
                assessment=assessment,
                judgements=form.judgements(),
                expected_version=form.cleaned_data["version"],
            )
        except EditConflict:
            messages.error(request, CONFLICT)
            return HttpResponseRedirect(reverse("assessments:outcomes", args=[assessment.pk]))
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return HttpResponseRedirect(reverse("assessments:decision", args=[assessment.pk]))
    return render(
        request,
        "assessments/outcomes.html",
        {"assessment": assessment, "person": assessment.person, "form": form},
    )


@permission_required("assessments.assess")
def decision(request: AuthedRequest, assessment_id: int) -> HttpResponse:
    """Screen 4: significant impact and the conditions of the regulations; completing decides."""
    assessment = assessment_get_for_user(
        user=request.user, assessment_id=assessment_id, what="decision"
    )
    if (done := _editable(request, assessment)) is not None:
        return done
    judgements = list(assessment.judgements.all())
    form = DecisionForm(
        request.POST if request.method == "POST" else None,
        kind=assessment.kind,
        initial={"version": assessment.version},
    )
    if request.method == "POST" and not judgements:
        form.is_valid()
        form.add_error(None, "Record the judgments about outcomes before completing the assessment")
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.assessment_complete(
                actor=request.user,
                assessment=assessment,
                needs_arise_from_condition=data["needs_arise_from_condition"] == "yes",
                significant_impact=data["significant_impact"] == "yes",
                significant_impact_reason=data["significant_impact_reason"],
                carer_health_deteriorating=data.get("carer_health_deteriorating") == "yes",
                expected_version=data["version"],
                method=data["method"],
            )
        except EditConflict:
            messages.error(request, CONFLICT)
            return HttpResponseRedirect(reverse("assessments:decision", args=[assessment.pk]))
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return HttpResponseRedirect(reverse("assessments:result", args=[assessment.pk]))
    latest_capacity = capacity_history(person=assessment.person).first()
    return render(
        request,
        "assessments/decision.html",
        {
            "assessment": assessment,
            "person": assessment.person,
            "form": form,
            "judgements": judgements,
            "capacity": latest_capacity,
        },
    )


@permission_required("assessments.assess")
def result(request: AuthedRequest, assessment_id: int) -> HttpResponse:
    """Screen 5: the decision and, if eligible, the indicative budget, explained."""
    assessment = assessment_get_for_user(
        user=request.user, assessment_id=assessment_id, what="result"
    )
    if not assessment.is_completed:
        return HttpResponseRedirect(reverse("assessments:decision", args=[assessment.pk]))
    budget = budget_for_assessment(assessment_id=assessment.pk)
    form = StreamForm(request.POST if request.method == "POST" else None) if budget else None
    if request.method == "POST" and budget is not None and form is not None and form.is_valid():
        try:
            budget_stream_set(
                actor=request.user,
                budget=budget,
                stream=form.cleaned_data["stream"],
                weekly=form.cleaned_data["weekly"],
                note=form.cleaned_data["note"],
                reason=access_basis(request.user, assessment.person) or "",
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "The funding stream has been saved")
            return HttpResponseRedirect(reverse("assessments:result", args=[assessment.pk]))
    return render(
        request,
        "assessments/result.html",
        {
            "assessment": assessment,
            "person": assessment.person,
            "budget": budget,
            "form": form,
            "named_worker": assessment.person.named_worker,
        },
    )


@permission_required("assessments.assess")
def letter(request: AuthedRequest, assessment_id: int) -> HttpResponse:
    assessment = assessment_get_for_user(
        user=request.user, assessment_id=assessment_id, what="letter"
    )
    if not assessment.is_completed:
        return HttpResponseRedirect(reverse("assessments:decision", args=[assessment.pk]))
    return decision_letter_pdf(assessment)


@permission_required("assessments.assess")
def capacity_create(request: AuthedRequest, person_id: int) -> HttpResponse:
    person = person_get_for_user(user=request.user, person_id=person_id, what="capacity")
    form = CapacityForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        record = services.capacity_record(
            actor=request.user,
            person=person,
            assessed_on=data["assessed_on"],
            impairment_of_mind=data["impairment_of_mind"] == "yes",
            understand=data["understand"],
            retain=data["retain"],
            use_or_weigh=data["use_or_weigh"],
            communicate=data["communicate"],
            practicable_help_tried=data["practicable_help_tried"],
            reasons=data["reasons"],
            appropriate_person_available=data["appropriate_person_available"] == "yes",
        )
        text = f"Capacity decision saved: {record.get_outcome_display().lower()}"
        if record.advocate_required:
            text += ". An independent advocate must be arranged"
        messages.success(request, text)
        return HttpResponseRedirect(reverse("people:detail", args=[person.pk]))
    return render(
        request,
        "assessments/capacity_form.html",
        {"form": form, "person": person, "history": capacity_history(person=person)},
    )


@permission_required("assessments.assess")
def contact_close(request: AuthedRequest, contact_id: int) -> HttpResponse:
    """End a request without an assessment: information and advice, a referral, and so on."""
    contact = contact_get_for_user(user=request.user, contact_id=contact_id, page="close request")
    form = ContactCloseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_close(
                actor=request.user,
                contact=contact,
                outcome=form.cleaned_data["outcome"],
                closed_on=form.cleaned_data["closed_on"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "The request has been closed")
            return HttpResponseRedirect(reverse("assessments:queue"))
    return render(
        request,
        "assessments/contact_close.html",
        {"contact": contact, "person": contact.person, "form": form},
    )


@permission_required("assessments.assess")
def starter_budget(request: AuthedRequest, contact_id: int) -> HttpResponse:
    """Same-day money for an urgent request, before any plan (only the named worker)."""
    contact = contact_get_for_user(user=request.user, contact_id=contact_id)
    allowed = signoff.may_release_starter_budget(
        urgent=contact.urgent, is_named_worker=contact.person.named_worker_id == request.user.pk
    )
    form = StarterBudgetForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and allowed and form.is_valid():
        data = form.cleaned_data
        try:
            support_services.starter_budget_release(
                actor=request.user,
                contact=contact,
                weekly=data["weekly"],
                weeks=data["weeks"],
                what_for=data["what_for"],
                direct_payment=data["delivery"] == "direct_payment",
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "The starter budget has been released and starts today")
            return HttpResponseRedirect(reverse("people:detail", args=[contact.person_id]))
    return render(
        request,
        "assessments/starter_budget.html",
        {
            "contact": contact,
            "person": contact.person,
            "form": form,
            "allowed": allowed,
            "released": list(contact.starter_services.all()),
        },
    )
