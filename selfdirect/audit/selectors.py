from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from django.db.models import QuerySet

from selfdirect.audit import chain
from selfdirect.audit.models import AuditChainHead, AuditEvent

if TYPE_CHECKING:
    from selfdirect.people.models import Person


def audit_event_list_for_person(*, person: Person) -> QuerySet[AuditEvent]:
    """Newest first; the caller paginates."""
    return AuditEvent.objects.filter(person=person).order_by("-at", "-id")


def audit_chain_verify(*, chunk_size: int = 2000) -> chain.Verdict:
    """Check the whole audit trail against its hash chain, oldest event first.

    Reads the events as a stream, CHUNK_SIZE rows at a time (a server-side cursor on
    PostgreSQL), so memory stays the same however long the trail is. Takes no lock:
    events written while it reads are checked against the chain head read afterwards.
    """
    return chain.verify(
        _stored_events(chunk_size),
        head_before=_chain_head(),
        head_after=_chain_head,
    )


def audit_event_at(sequence: int) -> AuditEvent | None:
    """The event at SEQUENCE in the chain, if there is one: to describe where it broke."""
    return AuditEvent.objects.filter(sequence=sequence).first()


def _chain_head() -> chain.Head | None:
    row = AuditChainHead.objects.filter(pk=AuditChainHead.ROW).values_list("sequence", "hash")
    found = row.first()
    return chain.Head(*found) if found else None


def _stored_events(chunk_size: int) -> Iterator[chain.Stored]:
    rows = (
        AuditEvent.objects.order_by("sequence")
        .values_list("id", "prev_hash", "hash", *chain.CONTENT_FIELDS)
        .iterator(chunk_size=chunk_size)
    )
    for event_id, prev_hash, hash_, *content in rows:
        yield chain.Stored(event_id, prev_hash, hash_, chain.Content(*content))
