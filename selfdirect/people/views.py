"""Staff pages for people: parse input, check access, call one service or selector, render."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

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
    BreakGlassForm,
    CrisisForm,
    NamedWorkerChangeForm,
    NewPersonForm,
    PersonForm,
    RelationshipForm,
    ReleaseForm,
    RestrictionFindForm,
    RestrictionForm,
    RestrictionLiftForm,
)
from selfdirect.people.rules import BASIS_BREAK_GLASS, access_basis, break_glass_active
from selfdirect.people.selectors import (
    allocation_history,
    break_glass_get_for_manager,
    break_glass_list_for_manager,
    break_glass_unreviewed_count,
    crisis_events,
    current_allocation,
    person_find_outside_caseload,
    person_get_for_restriction,
    person_get_for_user,
    person_id_for_reference,
    person_list_for_user,
    relationship_get,
    relationship_list,
    restriction_for,
    restriction_list,
)
from selfdirect.people.services import (
    NOT_FOUND_OUTSIDE_CASELOAD,
    PERSON_FIELDS,
    RELATIONSHIP_FIELDS,
)

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
    outside = person.named_worker_id != user.pk and person.team_id != user.team_id
    return render(
        request,
        "people/person_detail.html",
        {
            "person": person,
            # Seen from outside the caseload: say until when, and that the manager is told.
            "break_glass": break_glass_active(user, person) if outside else None,
            "restriction": restriction_for(person=person),
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


# --- Need to know: break-glass and restricted records -------------------------------------


@permission_required("people.break_glass")
def break_glass(request: AuthedRequest) -> HttpResponse:
    """Find someone outside your caseload, by what you already know, and say why you must look."""
    user = request.user
    form = BreakGlassForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = person_find_outside_caseload(
            user=user,
            reference=data["reference"],
            last_name=data["last_name"],
            date_of_birth=data["date_of_birth"],
        )
        basis = access_basis(user, person) if person is not None else None
        if person is None:
            form.add_error("reference", NOT_FOUND_OUTSIDE_CASELOAD)
        elif basis is not None and not basis.startswith(BASIS_BREAK_GLASS):
            messages.success(request, f"You can already see {person.full_name}'s record")
            return HttpResponseRedirect(reverse("people:detail", args=[person.pk]))
        else:
            try:
                grant = services.break_glass_start(actor=user, person=person, reason=data["reason"])
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(
                    request,
                    f"You can see {person.full_name}'s record until "
                    f"{timezone.localtime(grant.expires_at):%H:%M}. Your manager has been told",
                )
                return HttpResponseRedirect(reverse("people:detail", args=[person.pk]))
    return render(
        request,
        "people/break_glass.html",
        {"form": form, "minutes": settings.BREAK_GLASS_MINUTES},
    )


@permission_required("people.review_break_glass")
def break_glass_uses(request: AuthedRequest) -> HttpResponse:
    """A team manager's list of their workers' uses of break-glass; POST marks one reviewed."""
    user = request.user
    if request.method == "POST":
        grant_id = request.POST.get("grant", "")
        if not grant_id.isdigit():
            raise Http404("No such use of break-glass")
        grant = break_glass_get_for_manager(user=user, grant_id=int(grant_id))
        try:
            services.break_glass_review(actor=user, grant=grant)
        except ValidationError:
            raise PermissionDenied from None
        messages.success(request, f"Marked as reviewed: {grant.user}, {grant.reference}")
        return HttpResponseRedirect(reverse("people:break-glass-uses"))
    page = Paginator(break_glass_list_for_manager(user=user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "people/break_glass_uses.html",
        {
            "page": page,
            "unreviewed": break_glass_unreviewed_count(user=user),
            "now": timezone.now(),
        },
    )


@permission_required("people.manage_restrictions")
def restrictions(request: AuthedRequest) -> HttpResponse:
    """Administrators: every restricted record, and finding a record by its reference."""
    find = RestrictionFindForm(request.GET if "reference" in request.GET else None)
    if find.is_bound and find.is_valid():
        person_id = person_id_for_reference(reference=find.cleaned_data["reference"])
        if person_id is None:
            find.add_error("reference", "No record has that reference. Check it and try again")
        else:
            return HttpResponseRedirect(reverse("restrictions:person", args=[person_id]))
    page = Paginator(restriction_list(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "people/restrictions.html", {"find": find, "page": page})


@permission_required("people.manage_restrictions")
def restriction_person(request: AuthedRequest, person_id: int) -> HttpResponse:
    """Restrict one record, change who is named on the restriction, or lift it."""
    person = person_get_for_restriction(user=request.user, person_id=person_id)
    restriction = restriction_for(person=person)
    if restriction is not None:
        initial = {
            "reason": restriction.reason,
            "allowed_staff": [u.pk for u in restriction.allowed_staff.all()],
        }
    else:
        # The named worker usually needs to keep the record: suggest them, the choice is yours.
        initial = {"allowed_staff": [person.named_worker_id] if person.named_worker_id else []}
    lifting = request.method == "POST" and request.POST.get("action") == "lift"
    posted = request.POST if request.method == "POST" else None
    form = RestrictionForm(None if lifting else posted, initial=initial)
    lift = RestrictionLiftForm(posted if lifting else None)
    done = reverse("restrictions:list")
    if lifting and lift.is_valid():
        try:
            services.restriction_lift(
                actor=request.user, person=person, reason=lift.cleaned_data["lift_reason"]
            )
        except ValidationError as error:
            apply_service_errors(lift, error)
        else:
            messages.success(request, f"{person.reference} is no longer restricted")
            return HttpResponseRedirect(done)
    elif posted is not None and not lifting and form.is_valid():
        try:
            services.restriction_set(
                actor=request.user,
                person=person,
                reason=form.cleaned_data["reason"],
                allowed_staff=form.cleaned_data["allowed_staff"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"{person.reference} is restricted to the staff you chose")
            return HttpResponseRedirect(done)
    return render(
        request,
        "people/restriction_person.html",
        {"person": person, "restriction": restriction, "form": form, "lift": lift},
    )
