"""Bringing a council's caseload over from its previous system: check, then write all or nothing.

legacy/validate.py (pure) finds every problem in the files. Here the database is read into
the plain `Known` data it checks against, and a real import writes every row in one
transaction, through the services that keep the audit trail and named-worker history right
(people.services.person_create, relationship_add, named_worker_change), with one summary
audit event for the import as a whole. Nothing is written while any problem remains.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from selfdirect.accounts.models import CASE_ROLES, STAFF_ROLES, Role, User
from selfdirect.audit.models import EventType
from selfdirect.audit.services import audit_record
from selfdirect.legacy import validate
from selfdirect.legacy.models import BatchStatus, ImportBatch, ImportFile, LegacyRecord
from selfdirect.legacy.validate import (
    ALLOCATIONS,
    CIRCLES,
    PEOPLE,
    SERVICES,
    WORKERS,
    Checked,
    Known,
    KnownPerson,
    KnownWorker,
    Problem,
    Upload,
)
from selfdirect.people import services as people_services
from selfdirect.people.models import NamedWorkerAllocation, Person, RelationshipType
from selfdirect.support.models import Service
from selfdirect.workforce.models import Team
from selfdirect.workforce.services import staff_create

if TYPE_CHECKING:
    from selfdirect.audit.models import AuditEvent

AUDIT_REASON = "Moving the council's records from its previous system"
DEFAULT_HANDOVER = "Named worker as recorded in the council's previous system"


class ImportRefused(Exception):
    """The files still have problems (found now, or only when writing): nothing was written."""

    def __init__(self, checked: Checked) -> None:
        super().__init__(f"{len(checked.problems)} problems")
        self.checked = checked


class AlreadyImported(Exception):
    """The batch was imported before (a second press of the button, or another tab)."""


# --- Reading what exists ---------------------------------------------------------------------


def known_now() -> Known:
    """What the database holds that the files are checked against, as plain data."""
    imported: dict[str, dict[str, int]] = defaultdict(dict)
    for kind, legacy_id, object_id in LegacyRecord.objects.values_list(
        "kind", "legacy_id", "object_id"
    ).iterator():
        imported[kind][legacy_id] = object_id
    worker_ids = LegacyRecord.objects.filter(kind=WORKERS).values("object_id")
    staff = {
        row["pk"]: KnownWorker(role=row["role"], team=row["team__name"] or "")
        for row in User.objects.filter(pk__in=worker_ids).values("pk", "role", "team__name")
    }
    person_ids = LegacyRecord.objects.filter(kind=PEOPLE).values("object_id")
    current = dict(
        NamedWorkerAllocation.objects.filter(
            person_id__in=person_ids, ended_at__isnull=True
        ).values_list("person_id", "started_at")
    )
    people = {
        pk: KnownPerson(
            current_started=timezone.localdate(current[pk]) if pk in current else None,
            date_of_death=died,
        )
        for pk, died in Person.objects.filter(pk__in=person_ids).values_list("pk", "date_of_death")
    }
    return Known(
        today=timezone.localdate(),
        teams=list(Team.objects.values_list("name", flat=True)),
        usernames=list(User.objects.values_list("username", flat=True)),
        nhs_numbers=list(
            Person.objects.exclude(nhs_number="").values_list("nhs_number", flat=True)
        ),
        workers={
            legacy_id: staff[pk] for legacy_id, pk in imported[WORKERS].items() if pk in staff
        },
        people={
            legacy_id: people[pk] for legacy_id, pk in imported[PEOPLE].items() if pk in people
        },
        imported={kind: set(ids) for kind, ids in imported.items()},
        staff_roles=_staff_roles(),
        case_roles=frozenset(role.value for role in CASE_ROLES),
        relationship_types=tuple(RelationshipType.choices),
        email_ok=_email_ok,
    )


def _email_ok(value: str) -> bool:
    try:
        validate_email(value)
    except ValidationError:
        return False
    return True


def _staff_roles() -> validate.Choices:
    return tuple((role.value, role.label) for role in Role if role in STAFF_ROLES)


def import_guide() -> dict[str, list[validate.GuideColumn]]:
    """Each file's columns and allowed values, for the page and the written guide."""
    return validate.guide(
        staff_roles=_staff_roles(), relationship_types=tuple(RelationshipType.choices)
    )


def legacy_check(*, uploads: Sequence[Upload]) -> Checked:
    """The dry run: every problem in UPLOADS, against the database as it is now."""
    return validate.check(uploads, known_now(), max_bytes=settings.UPLOAD_MAX_BYTES)


# --- Writing ---------------------------------------------------------------------------------


@transaction.atomic
def legacy_import(
    *, actor: User, uploads: Sequence[Upload], batch: ImportBatch | None = None
) -> Checked:
    """Check UPLOADS again and, only if there are no problems, write every row.

    All or nothing: one transaction, so a problem found part-way (say a clash with a record
    added since the dry run) leaves the database as it was. Raises ImportRefused.
    """
    checked = validate.check(uploads, known_now(), max_bytes=settings.UPLOAD_MAX_BYTES)
    if not checked.ok:
        raise ImportRefused(checked)
    _Writer(actor=actor, batch=batch, checked=checked).write()
    _audit(actor=actor, checked=checked, batch=batch)
    return checked


def _audit(*, actor: User, checked: Checked, batch: ImportBatch | None) -> AuditEvent:
    return audit_record(
        actor=actor,
        person=None,
        event_type=EventType.LEGACY_IMPORTED,
        reason=AUDIT_REASON,
        new_values={
            "files": dict(checked.files),
            "added": checked.counts(),
            "already_imported": {kind: checked.already.get(kind, 0) for kind in checked.files},
            "batch": batch.pk if batch is not None else None,
        },
    )


def _at(day: datetime.date) -> datetime.datetime:
    """Noon on DAY in the council's time zone: the old system gives only a date, and at noon
    that date is the same in UTC (how the database holds it) as in London."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12, 0)))


class _Writer:
    """Writes checked rows in order (workers, people, allocations, circles, services), keeping
    the legacy ID of each record it makes."""

    def __init__(self, *, actor: User, batch: ImportBatch | None, checked: Checked) -> None:
        self.actor = actor
        self.batch = batch
        self.checked = checked
        self.now = timezone.now()
        self.ids: dict[str, dict[str, int]] = defaultdict(dict)
        for kind, legacy_id, object_id in LegacyRecord.objects.filter(
            kind__in=[WORKERS, PEOPLE]
        ).values_list("kind", "legacy_id", "object_id"):
            self.ids[kind][legacy_id] = object_id
        self.records: list[LegacyRecord] = []
        self.users: dict[int, User] = {}
        self.people: dict[int, Person] = {}
        self.teams = {team.name: team for team in Team.objects.all()}

    def write(self) -> None:
        self._workers()
        self._people()
        self._allocations()
        self._circles()
        self._services()
        LegacyRecord.objects.bulk_create(self.records)

    def _keep(self, kind: str, legacy_id: str, object_id: int) -> None:
        self.ids[kind][legacy_id] = object_id
        self.records.append(
            LegacyRecord(
                kind=kind,
                legacy_id=legacy_id,
                object_id=object_id,
                batch=self.batch,
                imported_at=self.now,
            )
        )

    def _refuse(self, kind: str, row: int, error: ValidationError | ValueError) -> ImportRefused:
        """A problem the check could not foresee: report it against its row; the transaction
        is rolled back as the exception leaves legacy_import."""
        if isinstance(error, ValidationError):
            message = "; ".join(str(m) for m in error.messages)
        else:
            message = str(error)
        problem = Problem(kind, self.checked.files.get(kind, ""), row, "", message)
        return ImportRefused(Checked(files=dict(self.checked.files), problems=[problem]))

    def _user(self, legacy_id: str) -> User:
        pk = self.ids[WORKERS][legacy_id]
        if pk not in self.users:
            self.users[pk] = User.objects.select_related("team").get(pk=pk)
        return self.users[pk]

    def _person(self, legacy_id: str) -> Person:
        pk = self.ids[PEOPLE][legacy_id]
        if pk not in self.people:
            self.people[pk] = Person.objects.get(pk=pk)
        return self.people[pk]

    def _workers(self) -> None:
        for row in self.checked.workers:
            try:
                user = staff_create(
                    actor=self.actor,
                    username=row.username,
                    first_name=row.first_name,
                    last_name=row.last_name,
                    email=row.email,
                    role=row.role,
                    team=self.teams[row.team] if row.team else None,
                    sign_off_limit=row.sign_off_limit,
                    phone=row.phone,
                )
            except (ValidationError, ValueError) as error:
                raise self._refuse(WORKERS, row.row, error) from error
            self.users[user.pk] = user
            self._keep(WORKERS, row.legacy_id, user.pk)

    def _people(self) -> None:
        current = validate.current_allocations(self.checked.allocations)
        last_ended: dict[str, datetime.date] = {}
        for past in self.checked.allocations:
            if past.ended_on is not None:
                known = last_ended.get(past.person_legacy_id)
                last_ended[past.person_legacy_id] = max(known or past.ended_on, past.ended_on)
        for row in self.checked.people:
            allocation = current.get(row.legacy_id)
            worker = self._user(allocation.worker_legacy_id) if allocation else None
            try:
                person = people_services.person_create(
                    actor=self.actor,
                    named_worker=worker,
                    team=None if worker else self.teams[row.team],
                    **row.fields,
                )
            except (ValidationError, ValueError) as error:
                raise self._refuse(PEOPLE, row.row, error) from error
            self.people[person.pk] = person
            self._keep(PEOPLE, row.legacy_id, person.pk)
            # person_create opened a spell starting now; it began when the old system says
            # (or, for someone waiting, when their last named worker's spell ended).
            spell = NamedWorkerAllocation.objects.get(person=person, ended_at__isnull=True)
            if allocation is not None:
                spell.started_at = _at(allocation.started_on)
                spell.handover_note = allocation.handover_note
                spell.save(update_fields=["started_at", "handover_note"])
                self._keep(ALLOCATIONS, allocation.legacy_id, spell.pk)
            elif row.legacy_id in last_ended:
                spell.started_at = _at(last_ended[row.legacy_id])
                spell.save(update_fields=["started_at"])

    def _allocations(self) -> None:
        new_people = {row.legacy_id for row in self.checked.people}
        for row in self.checked.allocations:
            if row.current and row.person_legacy_id in new_people:
                continue  # the person was created with this named worker
            person = self._person(row.person_legacy_id)
            worker = self._user(row.worker_legacy_id)
            if row.current:
                self._change_named_worker(row, person, worker)
                continue
            assert row.ended_on is not None
            spell = NamedWorkerAllocation.objects.create(
                person=person,
                worker=worker,
                started_at=_at(row.started_on),
                ended_at=_at(row.ended_on),
                handover_note=row.handover_note,
                allocated_by=self.actor,
            )
            self._keep(ALLOCATIONS, row.legacy_id, spell.pk)

    def _change_named_worker(
        self, row: validate.AllocationRow, person: Person, worker: User
    ) -> None:
        """A new current named worker for someone imported earlier: a handover, as if a
        manager had made it, dated when the old system says it happened."""
        previous = NamedWorkerAllocation.objects.get(person=person, ended_at__isnull=True)
        if previous.worker_id == worker.pk:
            self._keep(ALLOCATIONS, row.legacy_id, previous.pk)
            return
        try:
            spell = people_services.named_worker_change(
                actor=self.actor,
                person=person,
                new_worker=worker,
                handover_note=row.handover_note or DEFAULT_HANDOVER,
            )
        except (ValidationError, ValueError) as error:
            raise self._refuse(ALLOCATIONS, row.row, error) from error
        began = max(_at(row.started_on), previous.started_at)
        NamedWorkerAllocation.objects.filter(pk=previous.pk).update(ended_at=began)
        NamedWorkerAllocation.objects.filter(pk=spell.pk).update(started_at=began)
        self._keep(ALLOCATIONS, row.legacy_id, spell.pk)

    def _circles(self) -> None:
        for row in self.checked.circles:
            try:
                relationship = people_services.relationship_add(
                    actor=self.actor, person=self._person(row.person_legacy_id), **row.fields
                )
            except (ValidationError, ValueError) as error:
                raise self._refuse(CIRCLES, row.row, error) from error
            self._keep(CIRCLES, row.legacy_id, relationship.pk)

    def _services(self) -> None:
        for row in self.checked.services:
            service = Service(person=self._person(row.person_legacy_id), **row.fields)
            try:
                service.full_clean()
            except ValidationError as error:
                raise self._refuse(SERVICES, row.row, error) from error
            service.save()
            self._keep(SERVICES, row.legacy_id, service.pk)


# --- Batches uploaded on the administrators' page --------------------------------------------


@transaction.atomic
def batch_create(*, actor: User, uploads: Sequence[Upload]) -> ImportBatch:
    """Keep uploaded files with their dry-run report, so "Import" runs on exactly these."""
    checked = legacy_check(uploads=uploads)
    batch = ImportBatch.objects.create(
        created_by=actor, created_at=timezone.now(), report=checked.as_report()
    )
    ImportFile.objects.bulk_create(
        ImportFile(
            batch=batch,
            kind=upload.kind,
            name=upload.name[:255],
            size=len(upload.data),
            content=upload.data,
        )
        for upload in uploads
    )
    return batch


def batch_uploads(batch: ImportBatch) -> list[Upload]:
    return [
        Upload(kind=file.kind, name=file.name, data=bytes(file.content))
        for file in batch.files.all()
    ]


def batch_import(*, actor: User, batch: ImportBatch) -> ImportBatch:
    """Import a checked batch. If problems have appeared since the dry run (someone added a
    record that now clashes), nothing is written and the batch's report shows them."""
    try:
        return _batch_import(actor=actor, batch=batch)
    except ImportRefused as refused:
        ImportBatch.objects.filter(pk=batch.pk).update(report=refused.checked.as_report())
        batch.refresh_from_db()
        raise


@transaction.atomic
def _batch_import(*, actor: User, batch: ImportBatch) -> ImportBatch:
    locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if locked.status == BatchStatus.IMPORTED:
        raise AlreadyImported
    checked = legacy_import(actor=actor, uploads=batch_uploads(locked), batch=locked)
    locked.status = BatchStatus.IMPORTED
    locked.report = checked.as_report()
    locked.imported_by = actor
    locked.imported_at = timezone.now()
    locked.save(update_fields=["status", "report", "imported_by", "imported_at"])
    # Everything in the files is now in the records: keep no second copy of the caseload.
    locked.files.update(content=b"")
    return locked


def report_values(batch: ImportBatch) -> dict[str, Any]:
    """The batch's report, grouped for the page: problems per file, counts in words."""
    report = batch.report or {}
    files: dict[str, str] = report.get("files", {})
    problems: list[dict[str, Any]] = report.get("problems", [])
    by_kind = [
        {
            "kind": kind,
            "label": validate.KIND_LABELS[kind],
            "file": files[kind],
            "problems": [p for p in problems if p.get("kind") == kind],
            "added": report.get("counts", {}).get(kind, 0),
            "already": report.get("already", {}).get(kind, 0),
        }
        for kind in validate.KINDS
        if kind in files
    ]
    return {
        "files": by_kind,
        "problem_count": len(problems),
        "files_with_problems": sum(1 for entry in by_kind if entry["problems"]),
        "counted": validate.counted(report.get("counts", {})),
        "has_new": any(report.get("counts", {}).values()),
        "already": sum(report.get("already", {}).values()),
    }
