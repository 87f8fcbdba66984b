"""Changing people's records. Each service is atomic and writes its audit event in the same
transaction as the change (conventions: services write, selectors read)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from selfdirect.audit.models import EventType
from selfdirect.audit.services import audit_record
from selfdirect.people.models import (
    BREAK_GLASS_REASON_MAX,
    BreakGlassGrant,
    CrisisEvent,
    NamedWorkerAllocation,
    Person,
    RecordRestriction,
    Relationship,
)
from selfdirect.people.rules import (
    BASIS_RESTRICTION_ADMIN,
    access_basis,
    break_glass_basis,
    restriction_allows,
)

if TYPE_CHECKING:
    from selfdirect.accounts.models import User
    from selfdirect.workforce.models import Team

# Person fields a worker may set through person_create / person_update.
PERSON_FIELDS = (
    "first_name",
    "last_name",
    "preferred_name",
    "date_of_birth",
    "nhs_number",
    "gender",
    "ethnicity",
    "client_type",
    "primary_support_reason",
    "postcode",
    "accommodation_status",
    "employment_status",
    "has_unpaid_carer",
    "autism",
    "funding_status",
    "date_of_death",
)
RELATIONSHIP_FIELDS = (
    "name",
    "relationship_type",
    "phone",
    "email",
    "address",
    "is_representative",
)


def _plain(value: Any) -> Any:
    """JSON-safe form of a field value for the audit trail."""
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if value is not None and not isinstance(value, str | int | float | bool):
        return str(value)
    return value


def _snapshot(obj: Person | Relationship, fields: tuple[str, ...]) -> dict[str, Any]:
    return {field: _plain(getattr(obj, field)) for field in fields}


def _reason(actor: User, person: Person) -> str:
    return access_basis(actor, person) or "Created the record"


UNALLOCATED_NEW = "New to the team: waiting for a named worker"


@transaction.atomic
def person_create(
    *, actor: User, named_worker: User | None, team: Team | None = None, **fields: Any
) -> Person:
    """Open a record for someone, with NAMED_WORKER as their first named worker.

    The person joins the named worker's team: the team responsible is always the
    named worker's, so "same team" access follows the allocation. With no named worker
    the person goes into TEAM's unallocated queue, and the days they wait are counted.
    """
    if named_worker is not None:
        if named_worker.team_id is None or not named_worker.holds_cases:
            raise ValidationError("The named worker must be a social worker or manager in a team")
        team_id = named_worker.team_id
    elif team is None:
        raise ValidationError("Choose a named worker, or a team whose queue they wait in")
    else:
        team_id = team.pk
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"Unknown person fields: {sorted(unknown)}")
    person = Person(team_id=team_id, named_worker=named_worker, **fields)
    person.full_clean()
    person.save()
    NamedWorkerAllocation.objects.create(
        person=person,
        worker=named_worker,
        started_at=timezone.now(),
        handover_note="",
        allocated_by=actor,
        unallocated_because="" if named_worker else UNALLOCATED_NEW,
    )
    audit_record(
        actor=actor,
        person=person,
        event_type=EventType.PERSON_CREATED,
        reason=_reason(actor, person),
        new_values={
            **_snapshot(person, PERSON_FIELDS),
            "named_worker": str(named_worker) if named_worker else "None yet (unallocated)",
        },
    )
    return person


@transaction.atomic
def person_update(*, actor: User, person: Person, **changes: Any) -> Person:
    """Change a person's details; the audit event holds only the fields that changed."""
    unknown = set(changes) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"Unknown person fields: {sorted(unknown)}")
    before = _snapshot(person, PERSON_FIELDS)
    for field, value in changes.items():
        setattr(person, field, value)
    person.full_clean()
    after = _snapshot(person, PERSON_FIELDS)
    changed = [field for field in PERSON_FIELDS if before[field] != after[field]]
    if not changed:
        return person
    person.save(update_fields=[*changed, "updated_at"])
    audit_record(
        actor=actor,
        person=person,
        event_type=EventType.PERSON_UPDATED,
        reason=_reason(actor, person),
        old_values={field: before[field] for field in changed},
        new_values={field: after[field] for field in changed},
    )
    return person


@transaction.atomic
def relationship_add(*, actor: User, person: Person, **fields: Any) -> Relationship:
    """Add someone to the person's circle of support."""
    relationship = Relationship(person=person, **fields)
    relationship.full_clean()
    relationship.save()
    audit_record(
        actor=actor,
        person=person,
        event_type=EventType.CIRCLE_ADDED,
        reason=_reason(actor, person),
        new_values=_snapshot(relationship, RELATIONSHIP_FIELDS),
    )
    return relationship


@transaction.atomic
def relationship_update(*, actor: User, relationship: Relationship, **changes: Any) -> Relationship:
    before = _snapshot(relationship, RELATIONSHIP_FIELDS)
    for field, value in changes.items():
        if field not in RELATIONSHIP_FIELDS:
            raise TypeError(f"Unknown relationship field: {field}")
        setattr(relationship, field, value)
    relationship.full_clean()
    after = _snapshot(relationship, RELATIONSHIP_FIELDS)
    changed = [field for field in RELATIONSHIP_FIELDS if before[field] != after[field]]
    if not changed:
        return relationship
    relationship.save()
    audit_record(
        actor=actor,
        person=relationship.person,
        event_type=EventType.CIRCLE_UPDATED,
        reason=_reason(actor, relationship.person),
        old_values={"name": before["name"], **{f: before[f] for f in changed}},
        new_values={"name": after["name"], **{f: after[f] for f in changed}},
    )
    return relationship


@transaction.atomic
def relationship_remove(*, actor: User, relationship: Relationship) -> None:
    person = relationship.person
    audit_record(
        actor=actor,
        person=person,
        event_type=EventType.CIRCLE_REMOVED,
        reason=_reason(actor, person),
        old_values=_snapshot(relationship, RELATIONSHIP_FIELDS),
    )
    relationship.delete()


@transaction.atomic
def named_worker_change(
    *, actor: User, person: Person, new_worker: User, handover_note: str
) -> NamedWorkerAllocation:
    """Hand the person over to NEW_WORKER, ending the current allocation in the same step.

    A handover note is required: it is the first thing the new worker sees, and
    continuity of knowledge is the point of having a named worker at all.
    """
    note = handover_note.strip()
    if not note:
        raise ValidationError({"handover_note": "Enter a handover note for the new named worker"})
    if not new_worker.holds_cases or new_worker.team_id is None:
        raise ValidationError({"new_worker": "Choose a social worker or manager in a team"})
    if new_worker.pk == person.named_worker_id:
        raise ValidationError({"new_worker": "Choose a different worker from the current one"})
    # Lock the person row so two managers reallocating at once cannot both succeed.
    locked = Person.objects.select_for_update().get(pk=person.pk)
    if new_worker.pk == locked.named_worker_id:
        raise ValidationError({"new_worker": "This worker has just been made their named worker"})
    old_worker = locked.named_worker
    now = timezone.now()
    locked.allocations.filter(ended_at__isnull=True).update(ended_at=now)
    allocation = NamedWorkerAllocation.objects.create(
        person=locked,
        worker=new_worker,
        started_at=now,
        handover_note=note,
        allocated_by=actor,
    )
    locked.named_worker = new_worker
    locked.team_id = new_worker.team_id
    locked.save(update_fields=["named_worker", "team", "updated_at"])
    audit_record(
        actor=actor,
        person=locked,
        event_type=EventType.NAMED_WORKER_CHANGED,
        reason=_reason(actor, person),
        old_values={
            "named_worker": str(old_worker) if old_worker else "None (unallocated)",
            "team": str(person.team),
        },
        new_values={
            "named_worker": str(new_worker),
            "team": str(new_worker.team),
            "handover_note": note,
        },
    )
    person.named_worker = new_worker
    person.team_id = new_worker.team_id
    return allocation


@transaction.atomic
def named_worker_release(*, actor: User, person: Person, reason: str) -> NamedWorkerAllocation:
    """End the named worker's spell and put the person in their team's unallocated queue.

    For when a worker leaves or is away for long: the reason is kept with the spell, and
    the days until someone is allocated count against continuity.
    """
    why = reason.strip()
    if not why:
        raise ValidationError({"reason": "Say why the person is going back to the queue"})
    locked = Person.objects.select_for_update().get(pk=person.pk)
    if locked.named_worker_id is None:
        raise ValidationError({"reason": "They are already waiting for a named worker"})
    old_worker = locked.named_worker
    now = timezone.now()
    locked.allocations.filter(ended_at__isnull=True).update(ended_at=now)
    spell = NamedWorkerAllocation.objects.create(
        person=locked,
        worker=None,
        started_at=now,
        handover_note="",
        allocated_by=actor,
        unallocated_because=why[:200],
    )
    locked.named_worker = None
    locked.save(update_fields=["named_worker", "updated_at"])
    audit_record(
        actor=actor,
        person=locked,
        event_type=EventType.NAMED_WORKER_CHANGED,
        reason=_reason(actor, person),
        old_values={"named_worker": str(old_worker)},
        new_values={"named_worker": "None (unallocated)", "because": why[:200]},
    )
    person.named_worker = None
    return spell


@transaction.atomic
def handover_note_read(*, actor: User, person: Person) -> None:
    """The named worker has read the handover note: stop showing it first."""
    updated = NamedWorkerAllocation.objects.filter(
        person=person, worker=actor, ended_at__isnull=True, note_read_at__isnull=True
    ).update(note_read_at=timezone.now())
    if updated:
        audit_record(
            actor=actor,
            person=person,
            event_type=EventType.HANDOVER_READ,
            reason=_reason(actor, person),
        )


@transaction.atomic
def crisis_record(
    *, actor: User, person: Person, kind: str, occurred_on: datetime.date, note: str = ""
) -> CrisisEvent:
    """Record a crisis (an unplanned admission or an emergency placement) in the person's life."""
    event = CrisisEvent(
        person=person,
        kind=kind,
        occurred_on=occurred_on,
        note=note.strip()[:300],
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    event.full_clean()
    if occurred_on > timezone.localdate():
        raise ValidationError({"occurred_on": "The date must be today or in the past"})
    if person.date_of_birth and occurred_on < person.date_of_birth:
        raise ValidationError({"occurred_on": "The date must be after their date of birth"})
    event.save()
    audit_record(
        actor=actor,
        person=person,
        event_type=EventType.CRISIS_RECORDED,
        reason=_reason(actor, person),
        new_values={"kind": kind, "occurred_on": occurred_on.isoformat()},
    )
    return event


# --- Need to know: break-glass and restricted records -------------------------------------

NOT_FOUND_OUTSIDE_CASELOAD = (
    "No record matches that reference, last name and date of birth. Check them and try again"
)


@transaction.atomic
def break_glass_start(*, actor: User, person: Person, reason: str) -> BreakGlassGrant:
    """Let ACTOR see PERSON's record for BREAK_GLASS_MINUTES, for the REASON they give.

    For a case worker who must look at someone outside their relationships (for example an
    out-of-hours call). The reason is required, written to the audit trail now and as the
    basis of every read until the access ends, and the managers of ACTOR's team see the use
    (break_glass_list_for_manager). A restricted record is never opened this way.
    """
    why = " ".join(reason.split())
    if not why:
        raise ValidationError({"reason": "Enter why you need to see this record"})
    if len(why) > BREAK_GLASS_REASON_MAX:
        raise ValidationError({"reason": "The reason must be 250 characters or fewer"})
    if not actor.holds_cases or actor.team_id is None:
        # The use must be flagged to a manager: without a team there is nobody to tell.
        raise ValidationError(
            {"reason": "Only a social worker or team manager in a team can do this"}
        )
    if not restriction_allows(actor, person):
        raise ValidationError({"reference": NOT_FOUND_OUTSIDE_CASELOAD})
    now = timezone.now()
    grant = BreakGlassGrant.objects.create(
        user=actor,
        person=person,
        team_id=actor.team_id,
        reason=why,
        started_at=now,
        expires_at=now + datetime.timedelta(minutes=settings.BREAK_GLASS_MINUTES),
    )
    audit_record(
        actor=actor,
        person=person,
        event_type=EventType.BREAK_GLASS_STARTED,
        reason=break_glass_basis(why),
        new_values={"until": grant.expires_at.isoformat(), "team": str(actor.team)},
    )
    return grant


@transaction.atomic
def break_glass_review(*, actor: User, grant: BreakGlassGrant) -> BreakGlassGrant:
    """A manager of the worker's team says they have looked at this use of break-glass.

    Managers cannot review their own use: another manager of the team must.
    """
    if grant.user_id == actor.pk:
        raise ValidationError("Another manager in your team must review your own use")
    if grant.reviewed_at is not None:
        return grant
    grant.reviewed_at = timezone.now()
    grant.reviewed_by = actor
    grant.save(update_fields=["reviewed_at", "reviewed_by"])
    audit_record(
        actor=actor,
        person=grant.person,
        event_type=EventType.BREAK_GLASS_REVIEWED,
        reason="Manager of the worker's team",
        new_values={
            "worker": str(grant.user),
            "opened_at": grant.started_at.isoformat(),
            "their_reason": grant.reason,
        },
    )
    return grant


def _staff_names(users: Iterable[User]) -> list[str]:
    return sorted(f"{u.get_full_name() or u.username} ({u.get_role_display()})" for u in users)


@transaction.atomic
def restriction_set(
    *, actor: User, person: Person, reason: str, allowed_staff: Iterable[User]
) -> RecordRestriction:
    """Restrict PERSON's record to ALLOWED_STAFF (new, or changing who is named).

    Every other member of staff then gets 404 for the record and never sees it in a list,
    whatever their relationship, break-glass included; the person and their representatives
    keep their access. Named staff still need a relationship (the restriction gives nothing).
    """
    why = " ".join(reason.split())
    if not why:
        raise ValidationError({"reason": "Enter why the record is restricted"})
    staff = list(allowed_staff)
    if any(not u.is_staff_role for u in staff):
        raise ValidationError({"allowed_staff": "Choose members of staff only"})
    now = timezone.now()
    existing = RecordRestriction.objects.select_for_update().filter(person=person).first()
    old_values: dict[str, Any] = {}
    if existing is None:
        restriction = RecordRestriction.objects.create(
            person=person, reason=why, created_by=actor, created_at=now, updated_at=now
        )
        event_type = EventType.RECORD_RESTRICTED
    else:
        restriction = existing
        old_values = {
            "reason": restriction.reason,
            "allowed_staff": _staff_names(restriction.allowed_staff.all()),
        }
        restriction.reason = why
        restriction.updated_at = now
        restriction.save(update_fields=["reason", "updated_at"])
        event_type = EventType.RESTRICTION_CHANGED
    restriction.allowed_staff.set(staff)
    audit_record(
        actor=actor,
        person=person,
        event_type=event_type,
        reason=BASIS_RESTRICTION_ADMIN,
        old_values=old_values,
        new_values={"reason": why, "allowed_staff": _staff_names(staff)},
    )
    return restriction


@transaction.atomic
def restriction_lift(*, actor: User, person: Person, reason: str) -> None:
    """End the restriction: the record is seen again by everyone with a relationship."""
    why = " ".join(reason.split())
    if not why:
        raise ValidationError({"reason": "Enter why the restriction is no longer needed"})
    restriction = RecordRestriction.objects.select_for_update().filter(person=person).first()
    if restriction is None:
        raise ValidationError({"reason": "This record is not restricted"})
    old_values = {
        "reason": restriction.reason,
        "allowed_staff": _staff_names(restriction.allowed_staff.all()),
    }
    restriction.delete()
    audit_record(
        actor=actor,
        person=person,
        event_type=EventType.RESTRICTION_LIFTED,
        reason=BASIS_RESTRICTION_ADMIN,
        old_values=old_values,
        new_values={"why_lifted": why},
    )
