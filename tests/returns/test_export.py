"""The return made from real records: its header, what it includes and leaves out, its check,
the administrators' pages, the background job, and the command line."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from selfdirect.assessments import services as assessment_services
from selfdirect.assessments.models import Contact
from selfdirect.audit.models import AuditEvent, EventType
from selfdirect.people.models import Person
from selfdirect.returns import checker, export, services
from selfdirect.returns.cld_map import Period
from selfdirect.returns.models import CldExport, ExportStatus
from selfdirect.returns.spec import load
from selfdirect.support import release
from selfdirect.support.models import Service
from tests.conftest import World

SPEC = load()


def _period() -> Period:
    return Period.ending(timezone.localdate())


def _export(period: Period | None = None) -> tuple[list[str], list[dict[str, str]]]:
    out = io.StringIO()
    export.write(out, period or _period())
    out.seek(0)
    reader = csv.reader(out)
    header = next(reader)
    return header, [dict(zip(header, line, strict=True)) for line in reader]


def test_the_header_is_the_spec_exactly(world: World) -> None:
    header, _ = _export()
    assert tuple(header) == SPEC.columns


def test_the_return_has_completed_events_only_and_passes_its_own_check(world: World) -> None:
    _, rows = _export()
    references = {row["Event_Reference"] for row in rows}
    assert f"ASM-{world.done_assessment.pk}" in references
    assert f"ASM-{world.open_assessment.pk}" not in references  # not complete
    assert f"REV-{world.review.pk}" not in references  # still gathering views
    assert {row["Event_Type"] for row in rows} <= {"Request", "Assessment", "Service", "Review"}
    mine = [r for r in rows if r["LA_Person_Unique_Identifier"] == world.person.reference]
    assert mine and all(r["NHS_Number"] == world.person.nhs_number for r in mine)
    assert {r["Event_Type"] for r in rows if r["Event_End_Date"] == ""} <= {"Service"}
    report = checker.check_rows(rows)
    assert report.passed, report.failures[:5]


def test_planted_invalid_values_are_reported_against_the_field_and_person(world: World) -> None:
    Person.objects.filter(pk=world.other_person.pk).update(postcode="NOT A PC")
    line = release.service_for_item(
        management="direct_payment",
        provider_kind="personal_assistant",
        unit_cost=Decimal("15.00"),
        unit="hour",
        units=Decimal("10"),
        per="week",
        client_type="service_user",
    )
    Service.objects.create(
        person=world.person,
        description="Personal assistant",
        delivery_mechanism=line.delivery_mechanism,
        service_type="Long Term Support: Community",  # the Release 1 spelling
        service_component=line.service_component,
        unit_cost=line.unit_cost,
        cost_frequency=line.cost_frequency,
        planned_units_per_week=line.planned_units_per_week,
        weekly_cost=Decimal("150.00"),
        start_date=timezone.localdate() - datetime.timedelta(days=30),
    )
    _, rows = _export()
    report = checker.check_rows(rows)
    found = {(f.field, f.person_id, f.status) for f in report.failures}
    assert ("Postcode", world.other_person.reference, checker.INVALID) in found
    assert ("Service_Type", world.person.reference, checker.RELEASE_1) in found
    assert {f.field for f in report.failures} == {"Postcode", "Service_Type"}


def test_a_request_closed_without_an_assessment(world: World) -> None:
    person = world.person
    received = timezone.localdate() - datetime.timedelta(days=10)
    advised = assessment_services.contact_create(
        actor=world.allocated_worker,
        person=person,
        received_on=received,
        route_of_access="community",
        requested_by="Their daughter",
        what_for="Help at home",
        urgent=False,
    )
    error = assessment_services.contact_create(
        actor=world.allocated_worker,
        person=person,
        received_on=received,
        route_of_access="community",
        requested_by="Test",
        what_for="Entered twice",
        urgent=False,
    )
    client = world.client_for(world.allocated_worker)
    page = client.post(
        reverse("assessments:contact-close", args=[advised.pk]),
        {"outcome": "information_and_advice"},
    )
    assert "Enter the date it ended" in page.content.decode()
    today = timezone.localdate()
    done = client.post(
        reverse("assessments:contact-close", args=[advised.pk]),
        {
            "outcome": "information_and_advice",
            "closed_on_0": today.day,
            "closed_on_1": today.month,
            "closed_on_2": today.year,
        },
    )
    assert done.status_code == 302
    assessment_services.contact_close(
        actor=world.allocated_worker, contact=error, outcome="cancelled", closed_on=today
    )
    with pytest.raises(Exception, match="already been closed"):
        assessment_services.contact_close(
            actor=world.allocated_worker, contact=error, outcome="other", closed_on=today
        )
    assert AuditEvent.objects.filter(event_type=EventType.CONTACT_CLOSED).count() == 2
    queue = client.get(reverse("assessments:queue")).content.decode()
    assert reverse("assessments:contact-close", args=[advised.pk]) not in queue
    _, rows = _export()
    by_reference = {row["Event_Reference"]: row for row in rows}
    assert by_reference[f"REQ-{advised.pk}"]["Event_Outcome"] == (
        "NFA: Information and advice or signposting"
    )
    assert f"REQ-{error.pk}" not in by_reference  # cancelled: never an event
    assert Contact.objects.get(pk=advised.pk).closed_outcome == "information_and_advice"


def test_the_page_makes_the_return_in_the_background_and_reports(
    world: World, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    client = world.client_for(world.administrator)
    page = client.get(reverse("returns:cld")).content.decode()
    assert "Make the return" in page
    bad = client.post(reverse("returns:cld"), {"period_end_0": "31", "period_end_1": "2"})
    assert "must include a year" in bad.content.decode()
    end = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("returns:cld"),
            {"period_end_0": end.day, "period_end_1": end.month, "period_end_2": end.year},
        )
    run = CldExport.objects.get()
    assert response["Location"] == reverse("returns:cld-run", args=[run.pk])
    assert run.status == ExportStatus.DONE
    assert run.rows_written == run.rows_expected and run.failure_count == 0
    page = client.get(response["Location"]).content.decode()
    assert "Ready to send" in page and "Passed: Valid" in page
    # A poll from the page once the job has finished reloads it with the results.
    polled = client.get(response["Location"], HTTP_HX_REQUEST="true")
    assert polled.status_code == 204 and polled["HX-Refresh"] == "true"
    download = client.get(reverse("returns:cld-download", args=[run.pk]))
    body = b"".join(download.streaming_content).decode()  # type: ignore[attr-defined]
    assert body.splitlines()[0].split(",") == list(SPEC.columns)
    assert download["Content-Disposition"].startswith("attachment")
    assert AuditEvent.objects.filter(event_type=EventType.CLD_EXPORTED).count() == 1
    assert AuditEvent.objects.filter(event_type=EventType.CLD_DOWNLOADED).count() == 1


def test_the_page_shows_progress_and_failures_with_who_can_fix_them(world: World) -> None:
    client = world.client_for(world.administrator)
    run = services.export_request(actor=world.administrator, period_end=timezone.localdate())
    page = client.get(reverse("returns:cld-run", args=[run.pk])).content.decode()
    assert "Waiting to start" in page and '<progress class="sd-progress"' in page
    assert client.get(reverse("returns:cld-download", args=[run.pk])).status_code == 404
    Person.objects.filter(pk=world.person.pk).update(nhs_number="")
    services.export_run(run.pk)
    page = client.get(reverse("returns:cld-run", args=[run.pk])).content.decode()
    assert "failed the data-quality check" in page
    assert world.person.reference in page
    assert reverse("people:detail", args=[world.person.pk]) in page
    assert str(world.person.team) in page


def test_a_failed_job_says_so(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> int:
        raise OSError("disk full")

    monkeypatch.setattr(export, "write", broken)
    run = services.export_request(actor=world.administrator, period_end=timezone.localdate())
    services.export_run(run.pk)
    run.refresh_from_db()
    assert run.status == ExportStatus.FAILED and "disk full" in run.error
    page = world.client_for(world.administrator).get(reverse("returns:cld-run", args=[run.pk]))
    assert "could not be made" in page.content.decode()
    assert not list(Path(services.files_dir()).glob("*.part"))


def test_the_command_line(world: World, tmp_path: Path) -> None:
    out = tmp_path / "cld.csv"
    end = timezone.localdate().isoformat()
    text = io.StringIO()
    call_command("export_cld", "--period-end", end, "--out", str(out), stdout=text)
    assert "Wrote" in text.getvalue()
    checked = io.StringIO()
    call_command("check_cld", str(out), stdout=checked)
    assert "No failures" in checked.getvalue()
    bad = tmp_path / "bad.csv"
    lines = out.read_text(encoding="utf-8").splitlines()
    postcode = list(SPEC.columns).index("Postcode")
    cells = next(csv.reader([lines[1]]))
    cells[postcode] = "NOWHERE"
    buffer = io.StringIO()
    csv.writer(buffer).writerow(cells)
    bad.write_text("\n".join([lines[0], buffer.getvalue().strip()]) + "\n", encoding="utf-8")
    report = io.StringIO()
    with pytest.raises(SystemExit) as exit_code:
        call_command("check_cld", str(bad), stdout=report)
    assert exit_code.value.code == 1
    assert "Line 2" in report.getvalue() and "Postcode Failed: Invalid" in report.getvalue()
    assert AuditEvent.objects.filter(event_type=EventType.CLD_EXPORTED).count() == 1


def test_in_production_a_worker_process_makes_the_return(
    world: World, settings, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    """With the database backend the request only queues the job; `db_worker` makes it."""
    # The settings fixture resets django-tasks' backends when TASKS changes, and again after.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        run = services.export_request(actor=world.administrator, period_end=timezone.localdate())
    run.refresh_from_db()
    assert run.status == ExportStatus.QUEUED
    # What `selfdirect db_worker` does with each queued job (its loop also closes database
    # connections between jobs, which would end the test's transaction).
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "selfdirect.returns.tasks.make_cld_export"
    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test",
        excluded_queue_names=[],
    ).run_task(queued)
    run.refresh_from_db()
    assert run.status == ExportStatus.DONE and run.failure_count == 0


def test_the_progress_says_when_the_file_is_being_checked(world: World) -> None:
    run = services.export_request(actor=world.administrator, period_end=timezone.localdate())
    CldExport.objects.filter(pk=run.pk).update(
        status=ExportStatus.RUNNING, rows_expected=2000, rows_written=500
    )
    client = world.client_for(world.administrator)
    url = reverse("returns:cld-run", args=[run.pk])
    polled = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "Written 500 of 2,000 rows (25%)" in polled and 'max="100" value="25"' in polled
    CldExport.objects.filter(pk=run.pk).update(rows_written=2000)
    assert "checking the file field by field" in client.get(url).content.decode()
