"""`selfdirect import` (the import_legacy command): dry run and real run."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from selfdirect.audit.models import AuditEvent, EventType
from selfdirect.cli import ALIASES
from selfdirect.people.models import Person
from selfdirect.workforce.models import Team
from tests.factories import UserFactory
from tests.legacy.conftest import SAMPLES, csv_bytes

KINDS = ("workers", "people", "allocations", "circles", "services")


def sample_args(**instead: Path) -> list[str]:
    """The sample files, with any given INSTEAD of the sample of that kind."""
    return [
        arg
        for kind in KINDS
        for arg in (f"--{kind}", str(instead.get(kind, SAMPLES / f"{kind}.csv")))
    ]


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_legacy", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_console_name_is_import() -> None:
    assert ALIASES["import"] == "import_legacy"


def test_dry_run_writes_nothing(sample_teams: dict[str, Team]) -> None:
    out, _ = run(*sample_args(), "--dry-run")
    assert "No problems found: 4 workers, 4 people, 5 named-worker allocations" in out
    assert "Dry run: nothing was written" in out
    assert Person.objects.count() == 0


def test_dry_run_lists_problems_and_fails(sample_teams: dict[str, Team], tmp_path: Path) -> None:
    bad = tmp_path / "people.csv"
    text = (SAMPLES / "people.csv").read_text(encoding="utf-8")
    bad.write_text(text.replace("999 900 1017", "999 900 1018"), encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError, match=r"1 problem found\. Nothing was written"):
        call_command("import_legacy", *sample_args(people=bad), "--dry-run", stderr=err)
    assert "people.csv, row 3, column nhs_number: NHS number 999 900 1018 is not a valid" in (
        err.getvalue()
    )


def test_real_run_needs_an_administrator(sample_teams: dict[str, Team]) -> None:
    with pytest.raises(CommandError, match="--by USERNAME"):
        run(*sample_args())
    UserFactory(username="worker", role="social_worker")
    with pytest.raises(CommandError, match="no administrator with the username worker"):
        run(*sample_args(), "--by", "worker")
    assert Person.objects.count() == 0


def test_real_run_imports_and_is_audited(sample_teams: dict[str, Team]) -> None:
    admin = UserFactory(username="admin", role="administrator")
    out, _ = run(*sample_args(), "--by", "admin")
    assert out.startswith("Imported 4 workers, 4 people")
    assert Person.objects.count() == 4
    event = AuditEvent.objects.get(event_type=EventType.LEGACY_IMPORTED)
    assert event.actor == admin
    out, _ = run(*sample_args(), "--by", "admin")
    assert "21 rows imported before left as they were" in out
    assert Person.objects.count() == 4


def test_real_run_refuses_with_problems(sample_teams: dict[str, Team], tmp_path: Path) -> None:
    UserFactory(username="admin", role="administrator")
    bad = tmp_path / "circles.csv"
    bad.write_bytes(csv_bytes([["legacy_id", "person_legacy_id", "name"], ["C1", "P404", "Al"]]))
    err = StringIO()
    with pytest.raises(CommandError, match=r"1 problem found\. Nothing was imported"):
        call_command("import_legacy", *sample_args(circles=bad), "--by", "admin", stderr=err)
    assert "The “relationship_type” column is missing" in err.getvalue()
    assert Person.objects.count() == 0


def test_bad_arguments(db: None, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="Give at least one file"):
        run("--dry-run")
    with pytest.raises(CommandError, match="There is no file"):
        run("--people", str(tmp_path / "missing.csv"), "--dry-run")
    old = tmp_path / "people.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 100)
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_legacy", "--people", str(old), "--dry-run", stderr=err)
    assert "people.xls: The file must be a CSV file (.csv) or an Excel workbook (.xlsx)" in (
        err.getvalue()
    )
