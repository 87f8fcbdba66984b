"""Writing audit events. Callers pass the reason the actor had: see people.rules.access_basis."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils import timezone

from selfdirect.audit.models import AuditEvent, EventType

if TYPE_CHECKING:
    from selfdirect.accounts.models import User
    from selfdirect.people.models import Person


def audit_record(
    *,
    actor: User | None,
    person: Person | None,
    event_type: EventType,
    reason: str,
    old_values: dict[str, Any] | None = None,
    new_values: dict[str, Any] | None = None,
) -> AuditEvent:
    """Write one audit event. Call it inside the transaction that makes the change."""
    return AuditEvent.objects.create(
        at=timezone.now(),
        actor=actor,
        actor_label=_actor_label(actor),
        person=person,
        person_label=person.reference if person is not None and person.pk else "",
        event_type=event_type,
        reason=reason[:300],
        old_values=old_values or {},
        new_values=new_values or {},
    )


def _actor_label(actor: User | None) -> str:
    if actor is None:
        return "System"
    return f"{actor.get_full_name() or actor.username} ({actor.get_role_display()})"
