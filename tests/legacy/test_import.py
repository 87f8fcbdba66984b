"""legacy/services.py: a dry run names every bad row; a real run writes nothing while any
problem remains and everything, in one go, once they are put right."""

from __future__ import annotations

import datetime
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import IntegrityError

from selfdirect.accounts.models import Role, User
from selfdirect.audit.models import AuditEvent, EventType
from selfdirect.legacy import services
from selfdirect.legacy.models import BatchStatus, ImportBatch, LegacyRecord
from selfdirect.legacy.validate import COLUMNS, Upload
from selfdirect.people.models import NamedWorkerAllocation, Person, Relationship
from selfdirect.people.services import PERSON_FIELDS
from selfdirect.support.models import Service
from tests.conftest import World
from tests.factories import UserFactory, valid_nhs_number
from tests.legacy.conftest import csv_bytes, xlsx_bytes

WORKERS = [
    ["legacy_id", "username", "first_name", "last_name", "role", "team"],
    ["W1", "kim.lee", "Kim", "Lee", "Social worker", "Older people – North"],
    ["W2", "sam.roe", "Sam", "Roe", "team_manager", "No such team"],  # bad: unknown team
]
PEOPLE_HEAD = [
    "legacy_id",
    "first_name",
    "last_name",
    "date_of_birth",
    "nhs_number",
    "gender",
    "ethnicity",
    "primary_support_reason",
    "postcode",
    "accommodation_status",
    "employment_status",
    "team",
]


def people_rows(*, fixed: bool) -> list[list[str]]:
    common = ["white_irish", "mental_health_support", "SD1 4AB", "unknown", "unknown"]
    return [
        PEOPLE_HEAD,
        ["P1", "Nia", "Jones", "1948-02-03", valid_nhs_number(500), "female", *common, ""],
        # bad: check digit wrong, and a date that does not exist
        [
            "P2",
            "Owen",
            "Price",
            "1950-02-30" if not fixed else "1950-02-28",
            "943 476 5918" if not fixed else "",
            "male",
            *common,
            "Older people – North",
        ],
        ["P3", "Ivy", "Hale", "1939-09-09", "", "Woman" if not fixed else "Female", *common, ""],
    ]


ALLOCATIONS = [
    ["legacy_id", "person_legacy_id", "worker_legacy_id", "started_on", "ended_on"],
    ["A1", "P1", "W1", "2024-01-15", ""],
    ["A2", "P3", "W2", "2024-02-01", ""],
    ["A3", "P1", "W9", "2020-01-01", "2024-01-15"],  # bad: unknown worker
]
CIRCLES = [
    ["legacy_id", "person_legacy_id", "name", "relationship_type", "is_representative"],
    ["C1", "P1", "Gwen Jones", "Family member", "yes"],
]
SERVICES = [
    [
        "legacy_id",
        "person_legacy_id",
        "description",
        "delivery_mechanism",
        "service_type",
        "service_component",
        "unit_cost",
        "cost_frequency",
        "planned_units_per_week",
        "start_date",
    ],
    [
        "S1",
        "P1",
        "Home care",
        "CASSR commissioned support",
        "Long term support: Community",
        "Home support or domiciliary care",
        "21.00",
        "Hourly",
        "10",
        "2024-02-01",
    ],
]


def uploads(*, fixed: bool) -> list[Upload]:
    workers = [row[:] for row in WORKERS]
    allocations = [row[:] for row in ALLOCATIONS]
    if fixed:
        workers[2][5] = "Older people – North"
        allocations[3][2] = "W2"
    files = {
        "workers": workers,
        "people": people_rows(fixed=fixed),
        "allocations": allocations,
        "circles": CIRCLES,
        "services": SERVICES,
    }
    return [Upload(kind, f"{kind}.csv", csv_bytes(rows)) for kind, rows in files.items()]


@pytest.fixture
def admin(world: World) -> User:
    return world.administrator


def test_dry_run_names_every_bad_row(world: World, admin: User) -> None:
    checked = services.legacy_check(uploads=uploads(fixed=False))
    found = {(p.file, p.row, p.column) for p in checked.problems}
    assert found == {
        ("workers.csv", 3, "team"),
        ("people.csv", 3, "date_of_birth"),
        ("people.csv", 3, "nhs_number"),
        ("people.csv", 4, "gender"),
        ("allocations.csv", 4, "worker_legacy_id"),
    }
    assert Person.objects.filter(last_name__in=["Jones", "Price", "Hale"]).count() == 0


def test_real_run_refuses_while_problems_remain_then_imports_everything(
    world: World, admin: User
) -> None:
    people_before = Person.objects.count()
    users_before = User.objects.count()
    audit_before = AuditEvent.objects.count()
    with pytest.raises(services.ImportRefused) as refused:
        services.legacy_import(actor=admin, uploads=uploads(fixed=False))
    assert len(refused.value.checked.problems) == 5
    assert Person.objects.count() == people_before
    assert User.objects.count() == users_before
    assert AuditEvent.objects.count() == audit_before
    assert LegacyRecord.objects.count() == 0

    checked = services.legacy_import(actor=admin, uploads=uploads(fixed=True))
    assert checked.counts() == {
        "workers": 2,
        "people": 3,
        "allocations": 3,
        "circles": 1,
        "services": 1,
    }
    kim = User.objects.get(username="kim.lee")
    assert (kim.role, kim.team, kim.has_usable_password()) == (
        Role.SOCIAL_WORKER,
        world.team_a,
        False,
    )
    nia = Person.objects.get(last_name="Jones")
    assert (nia.named_worker, nia.team) == (kim, world.team_a)
    history = list(nia.allocations.order_by("started_at"))
    assert [(s.worker.username, s.ended_at is None) for s in history] == [
        ("sam.roe", False),
        ("kim.lee", True),
    ]
    assert history[1].started_at.date() == datetime.date(2024, 1, 15)
    owen = Person.objects.get(last_name="Price")
    assert owen.named_worker is None and owen.team == world.team_a  # waiting in the queue
    assert owen.allocations.get().unallocated_because
    assert Relationship.objects.get(person=nia).is_representative
    service = Service.objects.get(person=nia)
    assert (service.weekly_cost, service.plan, service.end_date) == (210, None, None)
    # Each person's record was created through person_create (its audit event), circle
    # members through relationship_add, and the import as a whole has one summary event.
    created = AuditEvent.objects.filter(event_type=EventType.PERSON_CREATED, actor=admin)
    assert created.count() == 3
    assert AuditEvent.objects.filter(event_type=EventType.CIRCLE_ADDED, person=nia).exists()
    summary = AuditEvent.objects.get(event_type=EventType.LEGACY_IMPORTED)
    assert summary.actor == admin and summary.person is None
    assert summary.new_values["added"]["people"] == 3
    assert summary.new_values["files"]["people"] == "people.csv"
    assert LegacyRecord.objects.get(kind="people", legacy_id="P1").object_id == nia.pk


def test_rerunning_adds_nothing_and_later_files_refer_to_earlier_imports(
    world: World, admin: User
) -> None:
    services.legacy_import(actor=admin, uploads=uploads(fixed=True))
    people = Person.objects.count()
    again = services.legacy_import(actor=admin, uploads=uploads(fixed=True))
    assert sum(again.counts().values()) == 0
    assert again.already == {
        "workers": 2,
        "people": 3,
        "allocations": 3,
        "circles": 1,
        "services": 1,
    }
    assert Person.objects.count() == people
    # A later import: Nia gets a new named worker and another service; she is named only
    # by her legacy ID from the first import.
    later = [
        Upload(
            "allocations",
            "allocations-2.csv",
            csv_bytes([ALLOCATIONS[0], ["A9", "P1", "W2", "2025-05-01", ""]]),
        ),
        Upload("services", "services-2.csv", csv_bytes([SERVICES[0], ["S2", *SERVICES[1][1:]]])),
    ]
    checked = services.legacy_import(actor=admin, uploads=later)
    assert checked.counts() == {"allocations": 1, "services": 1}
    nia = Person.objects.get(last_name="Jones")
    assert nia.named_worker.username == "sam.roe"
    spells = list(nia.allocations.order_by("started_at"))
    assert spells[-2].ended_at == spells[-1].started_at  # the handover, dated as the old system
    assert spells[-1].started_at.date() == datetime.date(2025, 5, 1)
    assert spells[-1].handover_note  # named_worker_change requires one
    assert AuditEvent.objects.filter(event_type=EventType.NAMED_WORKER_CHANGED, person=nia).exists()
    assert nia.services.count() == 2


def test_a_clash_found_while_writing_rolls_everything_back(
    world: World, admin: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A username taken between the check and the write is reported against its row, and
    nothing at all is written (the clashing account, made inside the same transaction here,
    is rolled back with the rest)."""
    original = services.known_now

    def stale() -> services.Known:
        known = original()
        UserFactory(username="sam.roe")  # appears after the check has read the usernames
        return known

    monkeypatch.setattr(services, "known_now", stale)
    before = (Person.objects.count(), User.objects.count(), AuditEvent.objects.count())
    with pytest.raises(services.ImportRefused) as refused:
        services.legacy_import(actor=admin, uploads=uploads(fixed=True))
    problem = refused.value.checked.problems[0]
    assert (problem.file, problem.row) == ("workers.csv", 3)
    assert "username" in problem.message.lower()
    assert (Person.objects.count(), User.objects.count(), AuditEvent.objects.count()) == before
    assert not User.objects.filter(username="kim.lee").exists()


def test_xlsx_files_import(world: World, admin: User) -> None:
    rows = people_rows(fixed=True)
    rows[1][3] = datetime.date(1948, 2, 3)  # type: ignore[call-overload]
    files = [
        Upload("workers", "workers.xlsx", xlsx_bytes([WORKERS[0], WORKERS[1]])),
        Upload("people", "people.xlsx", xlsx_bytes([rows[0], rows[1]])),
        Upload("allocations", "allocations.xlsx", xlsx_bytes([ALLOCATIONS[0], ALLOCATIONS[1]])),
    ]
    checked = services.legacy_import(actor=admin, uploads=files)
    assert checked.counts() == {"workers": 1, "people": 1, "allocations": 1}
    nia = Person.objects.get(last_name="Jones")
    assert nia.date_of_birth == datetime.date(1948, 2, 3)
    assert nia.named_worker.username == "kim.lee"


def test_batch_keeps_files_until_imported(world: World, admin: User) -> None:
    batch = services.batch_create(actor=admin, uploads=uploads(fixed=True))
    assert batch.status == BatchStatus.CHECKED and batch.problems == []
    assert batch.files.count() == 5
    services.batch_import(actor=admin, batch=batch)
    batch.refresh_from_db()
    assert (batch.status, batch.imported_by) == (BatchStatus.IMPORTED, admin)
    assert all(bytes(f.content) == b"" for f in batch.files.all())  # no second copy kept
    assert LegacyRecord.objects.filter(batch=batch).count() == 10
    with pytest.raises(services.AlreadyImported):
        services.batch_import(actor=admin, batch=batch)


def test_batch_with_problems_is_not_imported(world: World, admin: User) -> None:
    batch = services.batch_create(actor=admin, uploads=uploads(fixed=False))
    assert len(batch.problems) == 5
    with pytest.raises(services.ImportRefused):
        services.batch_import(actor=admin, batch=batch)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.CHECKED
    assert not Person.objects.filter(last_name="Jones").exists()


def test_one_record_per_legacy_id(world: World) -> None:
    now = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    LegacyRecord.objects.create(kind="people", legacy_id="X", object_id=1, imported_at=now)
    with pytest.raises(IntegrityError):
        LegacyRecord.objects.create(kind="people", legacy_id="X", object_id=2, imported_at=now)


def test_allocation_history_is_kept_for_an_unallocated_person(world: World, admin: User) -> None:
    """Someone with only past named workers waits in the queue from when the last one ended."""
    files = uploads(fixed=True)
    services.legacy_import(actor=admin, uploads=files)
    owen = Person.objects.get(last_name="Price")
    spell = NamedWorkerAllocation.objects.get(person=owen)
    assert spell.worker is None and spell.ended_at is None


def test_validation_module_does_not_import_django() -> None:
    """Conventions: rules are pure, so the whole population can be checked without Django."""
    root = Path(__file__).resolve().parents[2]
    code = (
        "import sys; import selfdirect.legacy.validate; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    )
    result = subprocess.run(  # noqa: S603 (our own interpreter and code)
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_people_columns_are_the_person_fields() -> None:
    """A field added to Person (and to people.services.PERSON_FIELDS) needs a column here too,
    or imported people would silently lack it."""
    columns = {column.name for column in COLUMNS["people"]} - {"legacy_id", "team"}
    assert columns == set(PERSON_FIELDS)


def test_batches_are_listed_newest_first(world: World, admin: User) -> None:
    first = services.batch_create(actor=admin, uploads=uploads(fixed=False))
    second = services.batch_create(actor=admin, uploads=uploads(fixed=True))
    assert list(ImportBatch.objects.all()[:2]) == [second, first]


def test_dry_run_uses_the_same_email_check_as_the_write(world: World) -> None:
    """An address the database would refuse is found by the dry run, not only when writing."""
    circles = [
        ["legacy_id", "person_legacy_id", "name", "relationship_type", "email"],
        ["C1", "P1", "Gwen Jones", "family", "gwen@example.c"],
    ]
    files = [*uploads(fixed=True)[:3], Upload("circles", "circles.csv", csv_bytes(circles))]
    problems = services.legacy_check(uploads=files).problems
    assert [(p.row, p.column) for p in problems] == [(2, "email")]
