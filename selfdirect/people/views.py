"""Staff pages for people: parse input, check access, call one service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from selfdirect.accounts.models import Role
from selfdirect.assessments.selectors import (
    assessment_list_for_person,
    capacity_history,
    urgent_contacts,
)
from selfdirect.audit.models import EventType
from selfdirect.audit.selectors import audit_event_list_for_person
from selfdirect.core.access import AuthedRequest, permission_required
from selfdirect.core.forms import apply_service_errors
from selfdirect.people import services
from selfdirect.people.forms import (
    CrisisForm,
    NamedWorkerChangeForm,
    NewPersonForm,
    PersonForm,
    RelationshipForm,
    ReleaseForm,
)
from selfdirect.people.selectors import (
    allocation_history,
    crisis_events,
    current_allocation,
    person_get_for_user,
    person_list_for_user,
    relationship_get,
    relationship_list,
)
from selfdirect.people.services import PERSON_FIELDS, RELATIONSHIP_FIELDS

PAGE_SIZE = 25


@permission_required("people.work_with_people")
def person_list(request: AuthedRequest) -> HttpResponse:
    search = request.GET.get("q", "")[:100]
    people = person_list_for_user(user=request.user, search=search)
    mine = request.GET.get("mine") == "1"
    if mine:
        people = people.filter(named_worker=request.user)
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "people/person_list.html",
        {"page": page, "search": search, "mine": mine},
    )


@permission_required("people.work_with_people")
def person_create(request: AuthedRequest) -> HttpResponse:
    user = request.user
    team_id = user.team_id
    initial = {"named_worker": user.pk} if user.role == Role.SOCIAL_WORKER else {}
    form = NewPersonForm(
        request.POST if request.method == "POST" else None,
        team_id=team_id,
        initial=initial,
        allow_unallocated=user.role == Role.TEAM_MANAGER and user.team is not None,
    )
    if request.method == "POST" and form.is_valid():
        data = {field: form.cleaned_data[field] for field in PERSON_FIELDS}
        try:
            person = services.person_create(
                actor=user,
                named_worker=form.cleaned_data["named_worker"],
                team=user.team,
                **data,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"{person.full_name}'s record has been created")
            return HttpResponseRedirect(reverse("people:detail", args=[person.pk]))
    return render(request, "people/person_form.html", {"form": form, "creating": True})


@permission_required("people.work_with_people")
def person_detail(request: AuthedRequest, person_id: int) -> HttpResponse:
    person = person_get_for_user(user=request.user, person_id=person_id)
    user = request.user
    return render(
        request,
        "people/person_detail.html",
        {
            "person": person,
            "circle": relationship_list(person=person),
            "allocation": current_allocation(person=person),
            "crises": crisis_events(person=person),
            "can_change_named_worker": user.has_perm("people.change_named_worker", person),
            "can_view_audit": user.has_perm("people.view_person_audit", person),
            "assessments": assessment_list_for_person(person=person),
            "capacity": capacity_history(person=person).first(),
            "urgent_contacts": urgent_contacts(person=person),
        },
    )


@permission_required("people.work_with_people")
def person_edit(request: AuthedRequest, person_id: int) -> HttpResponse:
    person = person_get_for_user(user=request.user, person_id=person_id, what="change details")
    initial = {field: getattr(person, field) for field in PERSON_FIELDS}
    form = PersonForm(
        request.POST if request.method == "POST" else None, initial=initial, person_id=person.pk
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(
                actor=request.user,
                person=person,
                **{field: form.cleaned_data[field] for field in PERSON_FIELDS},
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Their details have been saved")
            return HttpResponseRedirect(reverse("people:detail", args=[person.pk]))
    return render(request, "people/person_form.html", {"form": form, "person": person})


@permission_required("people.work_with_people")
def relationship_add(request: AuthedRequest, person_id: int) -> HttpResponse:
    person = person_get_for_user(user=request.user, person_id=person_id, what="add to circle")
    form = RelationshipForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.relationship_add(
            actor=request.user,
            person=person,
            **{field: form.cleaned_data[field] for field in RELATIONSHIP_FIELDS},
        )
        messages.success(
            request, f"{form.cleaned_data['name']} has been added to the circle of support"
        )
        return HttpResponseRedirect(reverse("people:detail", args=[person.pk]) + "#circle")
    return render(request, "people/relationship_form.html", {"form": form, "person": person})


@permission_required("people.work_with_people")
def relationship_edit(request: AuthedRequest, person_id: int, relationship_id: int) -> HttpResponse:
    person = person_get_for_user(user=request.user, person_id=person_id, what="change circle")
    relationship = relationship_get(person=person, relationship_id=relationship_id)
    initial = {field: getattr(relationship, field) for field in RELATIONSHIP_FIELDS}
    form = RelationshipForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.relationship_update(
            actor=request.user,
            relationship=relationship,
            **{field: form.cleaned_data[field] for field in RELATIONSHIP_FIELDS},
        )
        messages.success(request, f"{relationship.name}'s details have been saved")
        return HttpResponseRedirect(reverse("people:detail", args=[person.pk]) + "#circle")
    return render(
        request,
        "people/relationship_form.html",
        {"form": form, "person": person, "relationship": relationship},
    )


@permission_required("people.work_with_people")
def relationship_remove(
    request: AuthedRequest, person_id: int, relationship_id: int
) -> HttpResponse:
    person = person_get_for_user(user=request.user, person_id=person_id, what="remove from circle")
    relationship = relationship_get(person=person, relationship_id=relationship_id)
    if request.method == "POST":
        name = relationship.name
        services.relationship_remove(actor=request.user, relationship=relationship)
        messages.success(request, f"{name} has been removed from the circle of support")
        return HttpResponseRedirect(reverse("people:detail", args=[person.pk]) + "#circle")
    return render(
        request,
        "people/relationship_remove.html",
        {"person": person, "relationship": relationship},
    )


@permission_required("people.allocate_named_worker")
def named_worker_change(request: AuthedRequest, person_id: int) -> HttpResponse:
    person = person_get_for_user(user=request.user, person_id=person_id, what="named worker")
    if not request.user.has_perm("people.change_named_worker", person):
        # A manager may see a person as named worker in another team, but only the
        # manager of the person's own team hands them over.
        raise PermissionDenied
    form = NamedWorkerChangeForm(
        request.POST if request.method == "POST" else None,
        team_id=person.team_id,
        exclude_worker_id=person.named_worker_id,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.named_worker_change(
                actor=request.user,
                person=person,
                new_worker=form.cleaned_data["new_worker"],
                handover_note=form.cleaned_data["handover_note"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request, f"{person.full_name}'s named worker is now {person.named_worker}"
            )
            return HttpResponseRedirect(reverse("people:detail", args=[person.pk]))
    return render(
        request,
        "people/named_worker_change.html",
        {"form": form, "person": person, "history": allocation_history(person=person)},
    )


@permission_required("people.view_audit")
def person_audit(request: AuthedRequest, person_id: int) -> HttpResponse:
    person = person_get_for_user(
        user=request.user,
        person_id=person_id,
        event_type=EventType.AUDIT_VIEWED,
    )
    if not request.user.has_perm("people.view_person_audit", person):
        raise PermissionDenied
    page = Paginator(audit_event_list_for_person(person=person), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "people/person_audit.html", {"person": person, "page": page})


@permission_required("people.allocate_named_worker")
def named_worker_release(request: AuthedRequest, person_id: int) -> HttpResponse:
    """Put the person back in the team's unallocated queue (their worker is leaving)."""
    person = person_get_for_user(user=request.user, person_id=person_id, what="release")
    if not request.user.has_perm("people.change_named_worker", person):
        raise PermissionDenied
    if person.named_worker_id is None:
        messages.success(request, f"{person.full_name} is already waiting for a named worker")
        return HttpResponseRedirect(reverse("people:detail", args=[person.pk]))
    form = ReleaseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.named_worker_release(
                actor=request.user, person=person, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"{person.full_name} is now in the queue for a named worker")
            return HttpResponseRedirect(reverse("caseloads:team") + "#unallocated")
    return render(request, "people/named_worker_release.html", {"form": form, "person": person})


@permission_required("people.work_with_people")
def handover_read(request: AuthedRequest, person_id: int) -> HttpResponse:
    """The named worker says they have read the handover note (POST only)."""
    person = person_get_for_user(user=request.user, person_id=person_id, what="handover note")
    if request.method == "POST":
        services.handover_note_read(actor=request.user, person=person)
        messages.success(request, "The handover note is marked as read")
    return HttpResponseRedirect(reverse("people:detail", args=[person.pk]))


@permission_required("people.work_with_people")
def crisis_add(request: AuthedRequest, person_id: int) -> HttpResponse:
    person = person_get_for_user(user=request.user, person_id=person_id, what="record a crisis")
    form = CrisisForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.crisis_record(
                actor=request.user,
                person=person,
                kind=form.cleaned_data["kind"],
                occurred_on=form.cleaned_data["occurred_on"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "The crisis has been recorded")
            return HttpResponseRedirect(reverse("people:detail", args=[person.pk]) + "#crises")
    return render(request, "people/crisis_form.html", {"form": form, "person": person})
