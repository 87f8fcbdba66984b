"""Reading people. Every single-record read for a user goes through person_get_for_user."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404

from selfdirect.audit.models import AuditEvent, EventType
from selfdirect.audit.services import audit_record
from selfdirect.people import codes
from selfdirect.people.models import (
    BreakGlassGrant,
    CrisisEvent,
    NamedWorkerAllocation,
    Person,
    RecordRestriction,
    Relationship,
)
from selfdirect.people.rules import (
    access_basis,
    person_filter_for_user,
    restriction_admin_basis,
    restriction_filter_for_user,
)

if TYPE_CHECKING:
    from selfdirect.accounts.models import User


def record_read_or_404(
    *,
    user: User,
    person: Person,
    basis: str | None,
    event_type: EventType = EventType.PERSON_VIEWED,
    new_values: dict[str, Any] | None = None,
) -> str:
    """The one place a read of someone's record is allowed or refused, and audited.

    BASIS is the legitimate relationship (from a rules module), or None: then 404, so
    nobody learns the record exists. Otherwise a read event is written with BASIS as
    the reason (targets R2), and BASIS is returned.
    """
    if basis is None:
        raise Http404("Not found")
    with transaction.atomic():
        audit_record(
            actor=user, person=person, event_type=event_type, reason=basis, new_values=new_values
        )
    return basis


def person_get_for_user(
    *,
    user: User,
    person_id: int,
    event_type: EventType = EventType.PERSON_VIEWED,
    what: str = "",
) -> Person:
    """The person, if USER has a legitimate relationship with them; otherwise 404.

    A 404 (not 403) so that nobody learns a record exists. Every successful read
    writes an audit event whose reason is the relationship that allowed it (R2).
    """
    person = (
        Person.objects.select_related("team", "named_worker", "portal_user")
        .filter(pk=person_id)
        .first()
    )
    if person is None:
        raise Http404("No such person")
    record_read_or_404(
        user=user,
        person=person,
        basis=access_basis(user, person),
        event_type=event_type,
        new_values={"page": what} if what else None,
    )
    return person


def person_list_for_user(*, user: User, search: str = "") -> QuerySet[Person]:
    """People USER has a relationship with; search by name or the start of an NHS number."""
    people = Person.objects.filter(person_filter_for_user(user)).select_related(
        "team", "named_worker"
    )
    search = search.strip()
    if search:
        digits = search.replace(" ", "")
        if digits.isdigit():
            people = people.filter(nhs_number__startswith=digits)
        else:
            for word in search.split()[:3]:
                people = people.filter(
                    Q(first_name__istartswith=word) | Q(last_name__istartswith=word)
                )
    # No .distinct(): person_filter_for_user joins nothing, so each person comes once.
    return people.order_by("last_name", "first_name", "id")


def relationship_list(*, person: Person) -> QuerySet[Relationship]:
    return person.relationships.select_related("user").order_by("name", "id")


def relationship_get(*, person: Person, relationship_id: int) -> Relationship:
    """A member of this person's circle (the person has already been access-checked)."""
    relationship = person.relationships.filter(pk=relationship_id).first()
    if relationship is None:
        raise Http404("No such person in the circle of support")
    return relationship


def allocation_history(*, person: Person) -> QuerySet[NamedWorkerAllocation]:
    return person.allocations.select_related("worker", "worker__team", "allocated_by").order_by(
        "-started_at", "-id"
    )


def crisis_events(*, person: Person) -> QuerySet[CrisisEvent]:
    return person.crisis_events.select_related("recorded_by").order_by("-occurred_on", "-id")


def current_allocation(*, person: Person) -> NamedWorkerAllocation | None:
    return person.allocations.filter(ended_at__isnull=True).select_related("worker").first()


def emails_to_tell(*, person: Person) -> list[str]:
    """Where to tell the person directly about a decision: them, and their representatives."""
    emails = [person.portal_user.email] if person.portal_user and person.portal_user.email else []
    emails += list(
        person.relationships.filter(is_representative=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    return emails


# --- Need to know: break-glass, restricted records, who has looked -----------------------


def person_find_outside_caseload(
    *, user: User, reference: str, last_name: str, date_of_birth: datetime.date
) -> Person | None:
    """The one person whose reference, last name and date of birth all match, or None.

    Break-glass never browses: the worker must already know who they are looking for. A
    restricted record USER is not named on is not found, exactly as if it did not exist.
    """
    pk = codes.pk_from_reference(reference)
    if pk is None:
        return None
    return (
        Person.objects.filter(
            restriction_filter_for_user(user),
            pk=pk,
            last_name__iexact=last_name.strip(),
            date_of_birth=date_of_birth,
        )
        .select_related("team")
        .first()
    )


def break_glass_list_for_manager(*, user: User) -> QuerySet[BreakGlassGrant]:
    """Every use of break-glass by the workers of USER's team, newest first (one query a page).

    Only the record's reference is shown, never the name: the manager has no relationship
    with the person either."""
    if user.team_id is None:
        return BreakGlassGrant.objects.none()
    return (
        BreakGlassGrant.objects.filter(team=user.team_id)
        .select_related("user", "reviewed_by")
        .order_by("-started_at", "-id")
    )


def break_glass_unreviewed_count(*, user: User) -> int:
    return break_glass_list_for_manager(user=user).filter(reviewed_at__isnull=True).count()


def break_glass_get_for_manager(*, user: User, grant_id: int) -> BreakGlassGrant:
    """One use of break-glass in USER's team; 404 for any other."""
    grant = break_glass_list_for_manager(user=user).filter(pk=grant_id).first()
    if grant is None:
        raise Http404("No such use of break-glass")
    return grant


def restriction_list() -> QuerySet[RecordRestriction]:
    """Every restricted record, with who is named (two queries whatever the number)."""
    return (
        RecordRestriction.objects.select_related("person", "created_by")
        .prefetch_related("allowed_staff")
        .order_by("person__last_name", "person__first_name", "person_id")
    )


def restriction_for(*, person: Person) -> RecordRestriction | None:
    return (
        RecordRestriction.objects.filter(person=person)
        .prefetch_related("allowed_staff")
        .select_related("created_by")
        .first()
    )


def person_get_for_restriction(*, user: User, person_id: int) -> Person:
    """A person's record for an administrator managing its restriction (audited read)."""
    person = Person.objects.select_related("team", "named_worker").filter(pk=person_id).first()
    if person is None:
        raise Http404("No such person")
    record_read_or_404(
        user=user,
        person=person,
        basis=restriction_admin_basis(user),
        new_values={"page": "restriction"},
    )
    return person


def person_id_for_reference(*, reference: str) -> int | None:
    """The record number for a reference, if such a record exists (administrators only)."""
    pk = codes.pk_from_reference(reference)
    if pk is None or not Person.objects.filter(pk=pk).exists():
        return None
    return pk


def record_events_for_person(
    *, person: Person, leave_out_actor: User | None = None
) -> QuerySet[AuditEvent]:
    """Who has looked at or changed PERSON's record, newest first (for the person themself).

    LEAVE_OUT_ACTOR: the reader's own visits, which would otherwise fill the list."""
    events = AuditEvent.objects.filter(person=person)
    if leave_out_actor is not None:
        events = events.exclude(actor=leave_out_actor)
    return events.select_related("actor").order_by("-at", "-id")
