"""Who may see and change a person's record: decided here and nowhere else.

Two questions, asked in this order by every view:
1. Does the user's *role* ever do this kind of thing? If not: 403 (see core.access).
2. Does the user have a *legitimate relationship* with this person? If not: 404, so
   nobody learns that the record exists (people.selectors).

A legitimate relationship is one of: the person's named worker; a worker or manager
in the person's team; the person themself; a representative in their circle of
support; or, for a limited time, a case worker who said why they must look
("break-glass", BreakGlassGrant). `access_basis` names which one applies, and that name is
written to the audit trail as the reason for every read.

A restricted record (RecordRestriction) is hidden from every member of staff not named on
the restriction, whatever their relationship, break-glass included. It takes access away
and never gives it. The person and their representatives are not affected.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import rules
from django.db.models import Q
from django.utils import timezone

from selfdirect.accounts.models import CASE_ROLES, STAFF_ROLES, Role
from selfdirect.people.models import BreakGlassGrant, RecordRestriction, Relationship

if TYPE_CHECKING:
    from selfdirect.accounts.models import User
    from selfdirect.people.models import Person

BASIS_NAMED_WORKER = "Named worker"
BASIS_TEAM_MANAGER = "Manager of the person's team"
BASIS_TEAM_MEMBER = "Worker in the person's team"
BASIS_SELF = "The person themself"
BASIS_REPRESENTATIVE = "Representative in the circle of support"
BASIS_BREAK_GLASS = "Break-glass: "  # followed by the reason the worker gave
BASIS_RESTRICTION_ADMIN = "Administrator managing who can see the record"


def break_glass_basis(reason: str) -> str:
    return f"{BASIS_BREAK_GLASS}{reason}"


def restriction_allows(user: User, person: Person) -> bool:
    """False if PERSON's record is restricted and USER is staff not named on the restriction.

    People in the portal (the person, representatives, the plan helpers they invited) are
    never kept out by a restriction: it is about council staff.
    """
    if not user.is_authenticated:
        return False
    if user.role not in STAFF_ROLES:
        return True
    return not (
        RecordRestriction.objects.filter(person_id=person.pk).exclude(allowed_staff=user).exists()
    )


def restriction_filter_for_user(user: User, prefix: str = "") -> Q:
    """The same rule as restriction_allows, as a query filter on people (PREFIX: the path to
    the person from the model being filtered, for example "person__"). One subquery."""
    if not user.is_authenticated:
        return Q(**{f"{prefix}pk__in": []})
    if user.role not in STAFF_ROLES:
        return Q()
    hidden = RecordRestriction.objects.exclude(allowed_staff=user).values("person_id")
    return ~Q(**{f"{prefix}pk__in": hidden})


def break_glass_active(user: User, person: Person) -> BreakGlassGrant | None:
    """USER's break-glass access to PERSON, if it has not expired yet (checked by time)."""
    return (
        BreakGlassGrant.objects.filter(
            user=user, person_id=person.pk, expires_at__gt=timezone.now()
        )
        .order_by("-expires_at", "-id")
        .first()
    )


def access_basis(user: User, person: Person) -> str | None:
    """The legitimate relationship USER has with PERSON, or None if there is none."""
    if not user.is_authenticated:
        return None
    if user.role in CASE_ROLES:
        if not restriction_allows(user, person):
            return None
        if person.named_worker_id == user.pk:
            return BASIS_NAMED_WORKER
        if user.team_id is not None and person.team_id == user.team_id:
            return BASIS_TEAM_MANAGER if user.role == Role.TEAM_MANAGER else BASIS_TEAM_MEMBER
        grant = break_glass_active(user, person)
        return break_glass_basis(grant.reason) if grant is not None else None
    if user.role == Role.PERSON and person.portal_user_id == user.pk:
        return BASIS_SELF
    if (
        user.role == Role.REPRESENTATIVE
        and person.relationships.filter(user=user, is_representative=True).exists()
    ):
        return BASIS_REPRESENTATIVE
    return None


def person_filter_for_user(user: User) -> Q:
    """The same rule as access_basis, as a query filter for lists (never loops in Python).

    Break-glass access is included while it lasts: the person is in the worker's lists and
    search for that hour, as on their page."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    if user.role in CASE_ROLES:
        q = Q(named_worker=user)
        if user.team_id is not None:
            q |= Q(team_id=user.team_id)
        # The few people USER has break-glass access to are read first (one small query), not
        # asked as a subquery: with a subquery among the alternatives PostgreSQL cannot
        # combine the indexes on named worker and team, and reads every person in the
        # council instead (0.1 s for a worker's list at size L, against 0.01 s).
        glass = BreakGlassGrant.objects.filter(user=user, expires_at__gt=timezone.now())
        if glass_ids := list(glass.values_list("person_id", flat=True)):
            q |= Q(pk__in=glass_ids)
        return q & restriction_filter_for_user(user)
    if user.role == Role.PERSON:
        return Q(portal_user=user)
    if user.role == Role.REPRESENTATIVE:
        # A subquery, not a join: a join repeats the person for each matching relationship,
        # and making the rows distinct costs lists a sort of every person in them.
        represented = Relationship.objects.filter(user=user, is_representative=True)
        return Q(pk__in=represented.values("person_id"))
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


@rules.predicate
def is_administrator(user: User) -> bool:
    return user.is_authenticated and user.role == Role.ADMINISTRATOR


def restriction_admin_basis(user: User) -> str | None:
    """Administrators (information governance) open any record to manage its restriction:
    the council as a whole decides who may see a restricted record, not its team."""
    if user.is_authenticated and user.role == Role.ADMINISTRATOR:
        return BASIS_RESTRICTION_ADMIN
    return None


# Role-level permissions (no object): answer "may this kind of user open these pages?".
rules.add_perm("people.work_with_people", is_case_worker)
rules.add_perm("people.allocate_named_worker", is_team_manager)
rules.add_perm("people.view_audit", is_team_manager)
rules.add_perm("people.use_portal_record", is_portal_person_or_representative)
# Break-glass: case workers ask for it; the managers of their team are told and review it.
rules.add_perm("people.break_glass", is_case_worker)
rules.add_perm("people.review_break_glass", is_team_manager)
# Restricted records are managed by administrators (information governance), not by the
# managers whose teams the restriction may keep out.
rules.add_perm("people.manage_restrictions", is_administrator)

# Object-level permissions: the relationship with this person.
rules.add_perm("people.view_person", has_relationship)
rules.add_perm("people.change_person", is_case_worker & has_relationship)
rules.add_perm("people.change_named_worker", manages_persons_team)
rules.add_perm("people.view_person_audit", manages_persons_team)
