"""API calls are audited like page views: a read of a person writes a 'viewed' event with the
relationship that allowed it; a call about no one person writes one 'used the API' event."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from selfdirect.accounts.models import User
from selfdirect.audit.models import EventType
from selfdirect.audit.services import audit_record
from selfdirect.people.models import Person
from selfdirect.people.rules import access_basis
from selfdirect.people.selectors import record_read_or_404


def call_name(request: HttpRequest) -> str:
    return f"{request.method} {request.path}"


def person_read(request: HttpRequest, person: Person, **values: Any) -> str:
    """404 unless the caller has a legitimate relationship; else audit the read."""
    user: User = request.user  # type: ignore[assignment]
    return record_read_or_404(
        user=user,
        person=person,
        basis=access_basis(user, person),
        new_values={"api": call_name(request), **values},
    )


def call_used(request: HttpRequest, **values: Any) -> None:
    user: User = request.user  # type: ignore[assignment]
    audit_record(
        actor=user,
        person=None,
        event_type=EventType.API_CALLED,
        reason="API call",
        new_values={"api": call_name(request), **values},
    )
