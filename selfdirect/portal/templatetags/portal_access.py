"""`{% portal_invitations person %}`: the online access section on the worker's person page,
with the invitations waiting and when their links stop working (one query)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from selfdirect.people.models import Person
from selfdirect.portal.selectors import open_invitations

register = template.Library()


@register.inclusion_tag("portal/_invitations_summary.html")
def portal_invitations(person: Person) -> dict[str, Any]:
    return {
        "person": person,
        "invitations": list(open_invitations(person=person)),
        "now": timezone.now(),
    }
