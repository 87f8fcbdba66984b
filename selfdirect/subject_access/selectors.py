"""Reading people for subject access: a search across the whole council, and one person.

Administrators have no relationship with the people they answer a request for, so these do
not use people.rules.access_basis; subject_access.rules decides instead, and the read of
one person is audited through people.selectors.record_read_or_404 like every other.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.http import Http404

from selfdirect.people import codes
from selfdirect.people.models import Person
from selfdirect.people.rules import restriction_filter_for_user
from selfdirect.people.selectors import record_read_or_404
from selfdirect.subject_access.collect import SECTIONS, Section, collect
from selfdirect.subject_access.rules import subject_access_basis

if TYPE_CHECKING:
    from selfdirect.accounts.models import User


def person_search(*, user: User, query: str) -> QuerySet[Person]:
    """Everyone whose name, NHS number or record number matches QUERY.

    Words match the start of a first, last or preferred name (all words must match). Digits
    match the start of an NHS number, or a record number exactly; "SD0000012" is a record
    number. The caller has checked the permission; nothing here is filtered by team, but
    restricted records USER is not named on are never found (people/rules.py).
    """
    query = query.strip()
    people = Person.objects.filter(restriction_filter_for_user(user)).select_related(
        "team", "named_worker"
    )
    compact = query.replace(" ", "")
    # Person.reference is "SD" and seven digits; people type it with or without the zeros.
    if compact.upper().startswith(codes.REFERENCE_PREFIX):
        record = codes.pk_from_reference(compact)
        if record is not None:
            return people.filter(pk=record)
    if compact.isdigit():
        match = Q(nhs_number__startswith=compact)
        if len(compact) <= 9:
            match |= Q(pk=int(compact))
        return people.filter(match).order_by("last_name", "first_name", "id")
    for word in query.split()[:3]:
        people = people.filter(
            Q(first_name__istartswith=word)
            | Q(last_name__istartswith=word)
            | Q(preferred_name__istartswith=word)
        )
    return people.order_by("last_name", "first_name", "id")


def person_get_for_subject_access(
    *, user: User, person_id: int, record_read: bool = True
) -> Person:
    """The person, if USER may produce their data; otherwise 404.

    RECORD_READ writes a "viewed" audit event (the summary page shows what is held). A
    production writes its own event instead, so the caller passes False for that.
    """
    person = (
        Person.objects.select_related("team", "named_worker", "portal_user")
        .filter(pk=person_id)
        .first()
    )
    if person is None:
        raise Http404("No such person")
    basis = subject_access_basis(user, person)
    if record_read:
        record_read_or_404(
            user=user, person=person, basis=basis, new_values={"page": "subject access"}
        )
    elif basis is None:
        raise Http404("No such person")
    return person


def section_counts(*, person: Person) -> list[tuple[Section, int]]:
    """How many records each section of the file would hold, counted from the collector itself
    so the page can never promise something different from what the file contains."""
    sections = collect(person=person, produced_by=None, reason="")["sections"]
    return [(section, len(sections[section.key])) for section in SECTIONS]
