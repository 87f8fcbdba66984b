"""The portal: what the person, and those acting for them, see and write."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from selfdirect.assessments import services as assessment_services
from selfdirect.assessments.forms import PortalStoryForm
from selfdirect.assessments.selectors import (
    capacity_history,
    latest_completed_assessment,
    story_for_person,
)
from selfdirect.budgets.letters import decision_letter_pdf
from selfdirect.budgets.selectors import budget_for_assessment
from selfdirect.core.access import AuthedRequest, permission_required
from selfdirect.people.selectors import person_get_for_user, person_list_for_user, relationship_list
from selfdirect.plans.selectors import plans_for_helper


@permission_required("portal.use_portal")
def home(request: AuthedRequest) -> HttpResponse:
    people = list(person_list_for_user(user=request.user)[:50])
    helping = list(plans_for_helper(user=request.user)[:50])
    return render(request, "portal/home.html", {"people": people, "helping": helping})


@permission_required("people.use_portal_record")
def person(request: AuthedRequest, person_id: int) -> HttpResponse:
    record = person_get_for_user(user=request.user, person_id=person_id, what="portal")
    assessment = latest_completed_assessment(person=record)
    return render(
        request,
        "portal/person.html",
        {
            "person": record,
            "circle": relationship_list(person=record),
            "is_self": record.portal_user_id == request.user.pk,
            "assessment": assessment,
            "capacity": capacity_history(person=record).first(),
        },
    )


@permission_required("assessments.tell_my_story")
def story(request: AuthedRequest, person_id: int) -> HttpResponse:
    """The person (or their representative) writes their story, before or after the conversation."""
    record = person_get_for_user(user=request.user, person_id=person_id, what="portal story")
    form = PortalStoryForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        assessment_services.story_add(actor=request.user, person=record, entries=form.cleaned_data)
        messages.success(
            request, "Thank you. What you wrote has been saved and your named worker can read it"
        )
        return HttpResponseRedirect(reverse("portal:story", args=[record.pk]))
    return render(
        request,
        "portal/story.html",
        {
            "person": record,
            "form": form,
            "sections": story_for_person(person=record),
            "is_self": record.portal_user_id == request.user.pk,
        },
    )


@permission_required("people.use_portal_record")
def budget(request: AuthedRequest, person_id: int) -> HttpResponse:
    record = person_get_for_user(user=request.user, person_id=person_id, what="portal budget")
    assessment = latest_completed_assessment(person=record)
    return render(
        request,
        "portal/budget.html",
        {
            "person": record,
            "assessment": assessment,
            "budget": budget_for_assessment(assessment_id=assessment.pk) if assessment else None,
            "named_worker": record.named_worker,
            "is_self": record.portal_user_id == request.user.pk,
        },
    )


@permission_required("people.use_portal_record")
def letter(request: AuthedRequest, person_id: int) -> HttpResponse:
    record = person_get_for_user(user=request.user, person_id=person_id, what="portal letter")
    assessment = latest_completed_assessment(person=record)
    if assessment is None:
        raise Http404("No decision yet")
    return decision_letter_pdf(assessment)
