"""Reading people. Every single-record read for a user goes through person_get_for_user."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404

from selfdirect.audit.models import EventType
from selfdirect.audit.services import audit_record
from selfdirect.people.models import CrisisEvent, NamedWorkerAllocation, Person, Relationship
from selfdirect.people.rules import access_basis, person_filter_for_user

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
    return people.distinct().order_by("last_name", "first_name", "id")


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
