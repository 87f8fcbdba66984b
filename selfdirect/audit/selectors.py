from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from selfdirect.audit.models import AuditEvent

if TYPE_CHECKING:
    from selfdirect.people.models import Person


def audit_event_list_for_person(*, person: Person) -> QuerySet[AuditEvent]:
    """Newest first; the caller paginates."""
    return AuditEvent.objects.filter(person=person).order_by("-at", "-id")
