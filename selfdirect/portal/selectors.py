"""Reads for the portal's account pages: who can be invited, and the invitations still open."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from selfdirect.people.models import Person, Relationship
from selfdirect.portal.models import PortalInvitation

SELF = "self"


@dataclass(frozen=True)
class Invitee:
    key: str  # "self", or the relationship's id
    label: str
    relationship: Relationship | None
    email_on_record: str = ""


def open_invitations(*, person: Person) -> QuerySet[PortalInvitation]:
    """Invitations neither used nor withdrawn, newest first; expired ones too, so a worker can
    see they ran out and send them again."""
    return (
        PortalInvitation.objects.filter(
            person=person, accepted_at__isnull=True, withdrawn_at__isnull=True
        )
        .select_related("relationship", "invited_by")
        .order_by("-created_at", "-id")
    )


def invitees(*, person: Person, open_ones: list[PortalInvitation]) -> list[Invitee]:
    """Who may be invited now: the person, and each representative in their circle, with no
    account and no open invitation."""
    waiting = {invitation.relationship_id for invitation in open_ones}
    found: list[Invitee] = []
    if person.portal_user_id is None and None not in waiting:
        found.append(Invitee(SELF, f"{person.full_name} themself", None))
    for relationship in person.relationships.filter(
        is_representative=True, user__isnull=True
    ).order_by("name", "id"):
        if relationship.pk not in waiting:
            found.append(
                Invitee(
                    str(relationship.pk),
                    f"{relationship.name} ({relationship.get_relationship_type_display()})",
                    relationship,
                    relationship.email,
                )
            )
    return found


def with_accounts(*, person: Person) -> list[str]:
    """Who already uses the portal for this person, for the worker's page."""
    names = [f"{person.full_name} themself"] if person.portal_user_id else []
    names += [
        r.name for r in person.relationships.filter(is_representative=True, user__isnull=False)
    ]
    return names


def is_expired(invitation: PortalInvitation) -> bool:
    return invitation.expires_at <= timezone.now()
