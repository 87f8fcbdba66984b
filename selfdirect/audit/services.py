"""Writing audit events. Callers pass the reason the actor had: see people.rules.access_basis.

Events form a hash chain (see chain.py). Every writer holds the chain head's row lock from
reading the head until its transaction ends, so events join the chain one at a time: on
PostgreSQL through SELECT … FOR UPDATE; on SQLite, where Django has no row locks, because
every transaction starts with BEGIN IMMEDIATE (see settings) and so writers already take
turns. The unique sequence is the backstop: a writer that lost its place fails, it never
forks the chain.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.utils import timezone

from selfdirect.audit import chain
from selfdirect.audit.models import AuditChainHead, AuditEvent, EventType

ROW = AuditChainHead.ROW

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
    """Write one audit event, as the next link of the chain. Call it inside the transaction
    that makes the change: the chain head stays locked until that transaction ends."""
    with transaction.atomic(savepoint=False):
        head = audit_chain_head_lock()
        event = AuditEvent(
            at=timezone.now(),  # after the lock, so times rise along the chain
            actor=actor,
            actor_label=_actor_label(actor),
            person=person,
            person_label=person.reference if person is not None and person.pk else "",
            event_type=event_type,
            reason=reason[:300],
            old_values=old_values or {},
            new_values=new_values or {},
            sequence=head.sequence + 1,
            prev_hash=head.hash,
        )
        event.hash = chain.extend(head, chain.content_of(event)).hash
        event.save(force_insert=True)
        audit_chain_head_move(chain.Head(event.sequence, event.hash))
    return event


def audit_chain_head_lock() -> chain.Head:
    """Lock the chain head until the current transaction ends, and return it.

    For writers that add events themselves (the synthetic seed): they must call
    audit_chain_head_move() in the same transaction. Creates the head if it is missing (a
    database emptied by a test's flush), from the newest event.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("the audit chain head can only be locked inside a transaction")
    found = _head_sql(_READ_HEAD, ROW)
    if found is None:
        newest = AuditEvent.objects.order_by("-sequence").values_list("sequence", "hash").first()
        start = chain.Head(*newest) if newest else chain.Head()
        # Two first writers may both get here: one inserts, the other waits for it and then
        # inserts nothing, and both go on to lock the one row.
        AuditChainHead.objects.bulk_create(
            [AuditChainHead(pk=ROW, sequence=start.sequence, hash=start.hash)],
            ignore_conflicts=True,
        )
        found = _head_sql(_READ_HEAD, ROW)
        if found is None:
            raise RuntimeError("the audit chain head could not be made")
    return chain.Head(*found)


def audit_chain_head_move(head: chain.Head) -> None:
    """Record HEAD as the chain's last event; the caller holds the lock (see above)."""
    _head_sql(_MOVE_HEAD, head.sequence, head.hash, ROW)


# Only the model's own table and column names are put in; values are parameters.
_READ_HEAD = "SELECT {sequence}, {hash} FROM {table} WHERE {id} = %s{lock}"
_MOVE_HEAD = "UPDATE {table} SET {sequence} = %s, {hash} = %s WHERE {id} = %s"


def _head_sql(template: str, *params: int | str) -> tuple[int, str] | None:
    """Run one statement on the head's row, written out: the ORM takes several times longer
    to build these two statements than the database takes to run them, and they run for
    every event."""
    quote = connection.ops.quote_name
    meta = AuditChainHead._meta
    sql = template.format(
        table=quote(meta.db_table),
        id=quote(meta.get_field("id").column),
        sequence=quote(meta.get_field("sequence").column),
        hash=quote(meta.get_field("hash").column),
        lock=" FOR UPDATE" if connection.features.has_select_for_update else "",
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone() if cursor.description else None


def _actor_label(actor: User | None) -> str:
    if actor is None:
        return "System"
    return f"{actor.get_full_name() or actor.username} ({actor.get_role_display()})"
