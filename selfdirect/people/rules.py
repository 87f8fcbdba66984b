"""Who may see and change a person's record: decided here and nowhere else.

Two questions, asked in this order by every view:
1. Does the user's *role* ever do this kind of thing? If not: 403 (see core.access).
2. Does the user have a *legitimate relationship* with this person? If not: 404, so
   nobody learns that the record exists (people.selectors).

A legitimate relationship is one of: the person's named worker; a worker or manager
in the person's team; the person themself; a representative in their circle of
support. `access_basis` names which one applies, and that name is written to the
audit trail as the reason for every read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import rules
from django.db.models import Q

from selfdirect.accounts.models import CASE_ROLES, Role

if TYPE_CHECKING:
    from selfdirect.accounts.models import User
    from selfdirect.people.models import Person

BASIS_NAMED_WORKER = "Named worker"
BASIS_TEAM_MANAGER = "Manager of the person's team"
BASIS_TEAM_MEMBER = "Worker in the person's team"
BASIS_SELF = "The person themself"
BASIS_REPRESENTATIVE = "Representative in the circle of support"


def access_basis(user: User, person: Person) -> str | None:
    """The legitimate relationship USER has with PERSON, or None if there is none."""
    if not user.is_authenticated:
        return None
    if user.role in CASE_ROLES:
        if person.named_worker_id == user.pk:
            return BASIS_NAMED_WORKER
        if user.team_id is not None and person.team_id == user.team_id:
            return BASIS_TEAM_MANAGER if user.role == Role.TEAM_MANAGER else BASIS_TEAM_MEMBER
        return None
    if user.role == Role.PERSON and person.portal_user_id == user.pk:
        return BASIS_SELF
    if (
        user.role == Role.REPRESENTATIVE
        and person.relationships.filter(user=user, is_representative=True).exists()
    ):
        return BASIS_REPRESENTATIVE
    return None


def person_filter_for_user(user: User) -> Q:
    """The same rule as access_basis, as a query filter for lists (never loops in Python)."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    if user.role in CASE_ROLES:
        q = Q(named_worker=user)
        if user.team_id is not None:
            q |= Q(team_id=user.team_id)
        return q
    if user.role == Role.PERSON:
        return Q(portal_user=user)
    if user.role == Role.REPRESENTATIVE:
        return Q(relationships__user=user, relationships__is_representative=True)
    return Q(pk__in=[])


@rules.predicate
def has_relationship(user: User, person: Person | None) -> bool:
    return person is not None and access_basis(user, person) is not None


@rules.predicate
def is_case_worker(user: User) -> bool:
    return user.is_authenticated and user.role in CASE_ROLES


@rules.predicate
def is_team_manager(user: User) -> bool:
    return user.is_authenticated and user.role == Role.TEAM_MANAGER


@rules.predicate
def is_portal_person_or_representative(user: User) -> bool:
    return user.is_authenticated and user.role in {Role.PERSON, Role.REPRESENTATIVE}


@rules.predicate
def manages_persons_team(user: User, person: Person | None) -> bool:
    return (
        person is not None
        and user.is_authenticated
        and user.role == Role.TEAM_MANAGER
        and user.team_id is not None
        and user.team_id == person.team_id
    )


# Role-level permissions (no object): answer "may this kind of user open these pages?".
rules.add_perm("people.work_with_people", is_case_worker)
rules.add_perm("people.allocate_named_worker", is_team_manager)
rules.add_perm("people.view_audit", is_team_manager)
rules.add_perm("people.use_portal_record", is_portal_person_or_representative)

# Object-level permissions: the relationship with this person.
rules.add_perm("people.view_person", has_relationship)
rules.add_perm("people.change_person", is_case_worker & has_relationship)
rules.add_perm("people.change_named_worker", manages_persons_team)
rules.add_perm("people.view_person_audit", manages_persons_team)
