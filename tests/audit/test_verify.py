"""The audit trail's hash chain in the database: audit_record() and the synthetic seed write
it, and `selfdirect audit-verify` names the first event changed or removed (issue 9)."""

from __future__ import annotations

import datetime
import importlib
import itertools
import threading
from collections.abc import Callable
from functools import partial
from io import StringIO
from types import SimpleNamespace
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from selfdirect.audit import chain
from selfdirect.audit.models import AuditChainHead, AuditEvent, EventType
from selfdirect.audit.selectors import audit_chain_verify
from selfdirect.audit.services import audit_record
from selfdirect.cli import main
from selfdirect.core.synthetic import seed_council
from tests.conftest import World

AS_OF = datetime.date(2026, 11, 1)


def verify_command() -> tuple[int, str]:
    """Run `audit-verify` as the console script does: exit status and what it printed."""
    out = StringIO()
    try:
        call_command("audit_verify", stdout=out)
    except SystemExit as exit_:
        return int(exit_.code or 0), out.getvalue()
    return 0, out.getvalue()


def record(world: World, reason: str, **values: object) -> AuditEvent:
    return audit_record(
        actor=world.allocated_worker,
        person=world.person,
        event_type=EventType.PERSON_UPDATED,
        reason=reason,
        old_values={"preferred_name": ""},
        new_values={"preferred_name": "Ada", **values},
    )


def chained() -> list[AuditEvent]:
    return list(AuditEvent.objects.order_by("sequence"))


# Writing ---------------------------------------------------------------------------------------


def test_audit_record_builds_a_valid_chain(world: World) -> None:
    before = AuditEvent.objects.count()
    made = [record(world, f"Reason {n}", amount=1.5, count=n) for n in range(5)]
    made.append(
        audit_record(actor=None, person=None, event_type=EventType.CLD_EXPORTED, reason="Job")
    )
    events = chained()
    assert len(events) == before + 6
    assert [e.sequence for e in events] == list(range(1, len(events) + 1))
    assert events[0].prev_hash == chain.GENESIS
    for previous, event in itertools.pairwise(events):
        assert event.prev_hash == previous.hash
    for event in events:
        assert event.hash == chain.event_hash(event.prev_hash, chain.content_of(event))
    # What audit_record returns is what was stored.
    assert [(e.pk, e.hash) for e in events[-6:]] == [(e.pk, e.hash) for e in made]
    head = AuditChainHead.objects.get()
    assert (head.sequence, head.hash) == (events[-1].sequence, events[-1].hash)
    assert audit_chain_verify().ok


def test_audit_record_costs_two_small_queries_more_and_locks_the_head(world: World) -> None:
    record(world, "Named worker")  # the head exists (a flushed database has none at first)
    with CaptureQueriesContext(connection) as queries:
        record(world, "Named worker")
    sql = [query["sql"] for query in queries]
    assert len(sql) == 3  # read (and lock) the head, insert the event, move the head
    assert "audit_auditchainhead" in sql[0]
    if connection.vendor == "postgresql":
        assert sql[0].rstrip().endswith("FOR UPDATE")


def test_a_missing_head_is_made_again_from_the_newest_event(world: World) -> None:
    newest = AuditEvent.objects.order_by("-sequence").first()
    assert newest is not None
    AuditChainHead.objects.all().delete()
    assert not audit_chain_verify().ok  # the head's absence is itself reported
    event = record(world, "Named worker")
    assert (event.sequence, event.prev_hash) == (newest.sequence + 1, newest.hash)
    assert audit_chain_verify().ok


def _in_own_connections(*works: Callable[[], object]) -> None:
    """Run each of WORKS at once in a thread, so on a database connection of its own that
    commits, and raise the first failure."""
    failures: list[BaseException] = []

    def run(work: Callable[[], object]) -> None:
        try:
            work()
        except BaseException as error:
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(work,)) for work in works]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]


def test_concurrent_writers_take_turns(db: None) -> None:
    """On PostgreSQL, writers in separate transactions each get the next place in the chain.

    The writers commit on their own connections, outside this test's transaction, so the
    test removes their events and puts the head back itself. (A transactional test would
    empty the database, migrations' data included, for the transactional tests after it.)
    """
    if connection.vendor != "postgresql":
        pytest.skip("the test's open transaction holds SQLite's only write lock")
    writers, per_writer, tag = 6, 15, "Concurrency test writer"
    start = threading.Barrier(writers, timeout=60)
    saved: list[AuditChainHead | None] = []
    _in_own_connections(lambda: saved.append(AuditChainHead.objects.first()))

    def write(number: int) -> None:
        start.wait()
        for n in range(per_writer):
            with transaction.atomic():
                audit_record(
                    actor=None,
                    person=None,
                    event_type=EventType.CLD_EXPORTED,
                    reason=f"{tag} {number}, event {n}",
                )

    def tidy() -> None:
        with transaction.atomic():
            AuditEvent.objects.filter(reason__startswith=tag).delete()
            AuditChainHead.objects.all().delete()
            if saved[0] is not None:
                saved[0].save()

    try:
        _in_own_connections(*(partial(write, n) for n in range(writers)))
        verdict = audit_chain_verify()
        assert verdict.ok
        written = AuditEvent.objects.filter(reason__startswith=tag)
        assert written.count() == writers * per_writer
        assert verdict.checked >= writers * per_writer
    finally:
        _in_own_connections(tidy)


def test_the_seeded_council_carries_one_chain(db: None, settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    seed_council(people=60, seed=1, as_of=AS_OF)
    sequences = list(AuditEvent.objects.order_by("sequence").values_list("sequence", flat=True))
    assert sequences == list(range(1, len(sequences) + 1))
    # The seed's own rows, then the events of the demo journeys made through the services.
    created = AuditEvent.objects.filter(event_type=EventType.PERSON_CREATED).count()
    assert created >= 60
    assert len(sequences) > created
    assert AuditChainHead.objects.get().sequence == len(sequences)
    status, out = verify_command()
    assert status == 0, out
    assert f"all {len(sequences):,} audit events are intact" in out


# Checking -------------------------------------------------------------------------------------


def test_a_clean_world_passes(world: World) -> None:
    status, out = verify_command()
    assert status == 0, out
    count = AuditEvent.objects.count()
    assert count > 0
    assert out.startswith(f"OK: all {count:,} audit events are intact")
    assert AuditEvent.objects.order_by("-sequence").first().hash in out  # type: ignore[union-attr]


def test_an_empty_trail_passes(db: None) -> None:
    assert verify_command() == (0, "OK: the audit trail has no events yet.\n")


def test_the_console_script_name_runs_it(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    main(["audit-verify"])
    assert "audit events are intact" in capsys.readouterr().out


def test_an_edited_event_is_named(world: World) -> None:
    event = AuditEvent.objects.filter(person=world.person).order_by("sequence")[1]
    AuditEvent.objects.filter(pk=event.pk).update(reason="x")
    status, out = verify_command()
    assert status == 1
    assert f"The audit trail is broken at event {event.sequence} (id {event.pk})" in out
    assert f"by {event.actor_label}, about {world.person.reference}" in out
    assert "Why: its content has changed since it was written" in out
    assert f"Events 1 to {event.sequence - 1} are intact" in out


@pytest.mark.parametrize(
    "change",
    [
        {"at": datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)},
        {"actor": None},  # what deleting the account would do: see ARCHITECTURE, Audit
        {"person": None},
        {"event_type": EventType.PERSON_VIEWED},
        {"old_values": {}},
        {"new_values": {"preferred_name": "Eve"}},
        {"prev_hash": "f" * 64},
        {"hash": "f" * 64},
    ],
)
def test_any_field_edited_is_found(world: World, change: dict[str, object]) -> None:
    event = record(world, "Named worker")
    record(world, "Named worker")
    AuditEvent.objects.filter(pk=event.pk).update(**change)
    broken = audit_chain_verify().broken
    assert broken is not None
    assert broken.sequence == event.sequence
    assert broken.event is not None and broken.event.id == event.pk


def test_an_event_moved_in_the_chain_is_found(world: World) -> None:
    event = record(world, "Named worker")
    after = record(world, "Named worker")
    AuditEvent.objects.filter(pk=event.pk).update(sequence=10_000)
    broken = audit_chain_verify().broken
    assert broken is not None
    assert broken.event is not None and broken.event.id == after.pk


def test_a_deleted_event_names_the_one_after_the_gap(world: World) -> None:
    events = chained()
    gone, after = events[2], events[3]
    AuditEvent.objects.filter(pk=gone.pk).delete()
    status, out = verify_command()
    assert status == 1
    assert f"broken at event {after.sequence} (id {after.pk})" in out
    assert f"Why: the event before it is missing: event {gone.sequence} not found." in out


def test_a_changed_event_with_its_hash_worked_out_again_fails_at_the_next(world: World) -> None:
    events = chained()
    target, after = events[2], events[3]
    target.reason = "Nothing to see here"
    forged = chain.event_hash(target.prev_hash, chain.content_of(target))
    AuditEvent.objects.filter(pk=target.pk).update(reason=target.reason, hash=forged)
    status, out = verify_command()
    assert status == 1
    assert f"broken at event {after.sequence} (id {after.pk})" in out
    assert f"it does not follow on from event {target.sequence}" in out


def test_the_newest_event_deleted_is_found(world: World) -> None:
    newest = AuditEvent.objects.order_by("-sequence").first()
    assert newest is not None
    newest.delete()
    status, out = verify_command()
    assert status == 1
    assert f"broken at event {newest.sequence}, which is missing" in out
    assert "the newest events are missing" in out


def test_the_newest_event_changed_and_rehashed_is_found(world: World) -> None:
    newest = AuditEvent.objects.order_by("-sequence").first()
    assert newest is not None
    newest.reason = "Nothing to see here"
    forged = chain.event_hash(newest.prev_hash, chain.content_of(newest))
    AuditEvent.objects.filter(pk=newest.pk).update(reason=newest.reason, hash=forged)
    status, out = verify_command()
    assert status == 1
    assert f"broken at event {newest.sequence} (id {newest.pk})" in out
    assert chain.REHASHED in out


def test_an_event_added_behind_the_applications_back_is_found(world: World) -> None:
    newest = AuditEvent.objects.order_by("-sequence").first()
    assert newest is not None
    forged = AuditEvent(
        at=timezone.now(),
        actor_label="Someone",
        event_type=EventType.PERSON_VIEWED,
        reason="Curious",
        sequence=newest.sequence + 1,
        prev_hash=newest.hash,
    )
    forged.hash = chain.event_hash(forged.prev_hash, chain.content_of(forged))
    forged.save()
    status, out = verify_command()
    assert status == 1
    assert f"broken at event {forged.sequence} (id {forged.pk})" in out
    assert "not in the chain head" in out


def test_a_seeded_council_edited_fails_naming_the_event(db: None, settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    seed_council(people=60, seed=1, as_of=AS_OF)
    event = AuditEvent.objects.get(sequence=30)
    AuditEvent.objects.filter(pk=event.pk).update(person_label="SD9999999")
    status, out = verify_command()
    assert status == 1
    assert f"broken at event 30 (id {event.pk})" in out


# The migration that chains the events already held ------------------------------------------


def test_the_migration_chains_existing_events_in_the_order_they_were_written(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """0012's data step, on events as an older database holds them: no place, no hashes.

    (Run on today's models: the columns are the same. Migrating back and forth inside a test
    would need a transactional test, which empties the database for the tests after it.)
    """
    migration = importlib.import_module("selfdirect.audit.migrations.0012_hash_chain")
    moments = [timezone.now() - datetime.timedelta(days=n) for n in (1, 3, 2)]
    old = [
        AuditEvent.objects.create(
            at=moment,
            actor_label="System",
            event_type=EventType.PERSON_VIEWED,
            reason=f"Event {n}",
            new_values={"n": n, "share": 0.5},
            sequence=1_000_000 + n,  # stand-ins for the empty column
        )
        for n, moment in enumerate(moments)
    ]
    AuditChainHead.objects.all().delete()
    monkeypatch.setattr(migration, "BATCH", 2)  # more than one page
    migration.chain_existing_events(django_apps, SimpleNamespace(connection=connection))
    events = chained()
    assert [e.pk for e in events] == [e.pk for e in old]  # id order, not time order
    assert [e.sequence for e in events] == [1, 2, 3]
    verdict = audit_chain_verify()
    assert verdict.ok
    assert verdict.checked == 3
