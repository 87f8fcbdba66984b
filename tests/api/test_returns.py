"""The CLD return through the API: administrators ask for it, follow it, and download the file."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.utils import timezone

from selfdirect.audit.models import AuditEvent, EventType
from selfdirect.returns.models import CldExport, ExportStatus
from selfdirect.returns.spec import load
from tests.api.conftest import ApiClient
from tests.conftest import World

ApiAs = Callable[..., ApiClient]


def test_asked_for_made_and_downloaded(
    world: World, api_as: ApiAs, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    api = api_as(world.administrator)
    end = timezone.localdate()
    # The job is queued when the request's transaction commits. Tests never commit, so the
    # captured callbacks run when this block ends: after the answer, as a worker process would.
    with django_capture_on_commit_callbacks(execute=True):
        made = api.post("/returns/cld", {"period_end": end.isoformat()})
    assert made.status_code == 201, made.content
    assert made.json()["status"] == "queued"
    run = CldExport.objects.get()
    read = api.get(f"/returns/cld/{run.pk}")
    assert read.status_code == 200
    body = read.json()
    assert body["id"] == run.pk == made.json()["id"]
    assert body["status"] == "done" and body["percent"] == 100
    assert body["period_end"] == end.isoformat()
    assert body["period_start"] == run.period_start.isoformat()
    assert body["rows_written"] == body["rows_expected"] > 0
    assert body["failure_count"] == 0 and body["error"] == ""

    download = api.get(f"/returns/cld/{run.pk}/file")
    assert download.status_code == 200
    assert download["Content-Type"] == "text/csv; charset=utf-8"
    assert download["Content-Disposition"].startswith("attachment")
    text = b"".join(download.streaming_content).decode()
    lines = text.splitlines()
    assert lines[0].split(",") == list(load().columns)
    assert len(lines) == body["rows_written"] + 1
    events = AuditEvent.objects.filter(actor=world.administrator).order_by("id")
    kinds = [e.event_type for e in events]
    assert kinds.count(EventType.API_CALLED) == 2  # asked for, read
    assert kinds.count(EventType.CLD_EXPORTED) == 1
    assert kinds[-1] == EventType.CLD_DOWNLOADED


def test_not_ready_is_a_conflict(world: World, api_as: ApiAs) -> None:
    api = api_as(world.administrator)
    made = api.post("/returns/cld", {"period_end": "2026-09-30"})  # never committed: queued
    assert made.status_code == 201 and made.json()["status"] == "queued"
    assert made.json()["rows_expected"] is None and made.json()["percent"] == 0
    run_id = made.json()["id"]
    waiting = api.get(f"/returns/cld/{run_id}/file")
    assert waiting.status_code == 409 and "waiting to start" in waiting.json()["detail"]
    CldExport.objects.filter(pk=run_id).update(status=ExportStatus.FAILED, error="Disk full")
    failed = api.get(f"/returns/cld/{run_id}")
    assert failed.json()["status"] == "failed" and failed.json()["error"] == "Disk full"
    assert api.get(f"/returns/cld/{run_id}/file").status_code == 409
    assert not CldExport.objects.filter(status=ExportStatus.DONE).exists()


def test_periods_that_cannot_be_returned(world: World, api_as: ApiAs) -> None:
    api = api_as(world.administrator)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    for value in (tomorrow.isoformat(), "2020-03-31", "31/03/2026", "2026-02-30", None):
        response = api.post("/returns/cld", {"period_end": value})
        assert response.status_code == 422, (value, response.content)
        assert response.json()["errors"][0]["field"] == "period_end"
    assert api.post("/returns/cld", {}).status_code == 422
    assert not CldExport.objects.exists()


def test_administrators_only(world: World, api_as: ApiAs) -> None:
    run = CldExport.objects.create(
        period_start=datetime.date(2025, 10, 1),
        period_end=datetime.date(2026, 9, 30),
        requested_at=timezone.now(),
    )
    for user in (world.allocated_worker, world.team_manager, world.commissioner, world.the_person):
        api = api_as(user)
        assert api.post("/returns/cld", {"period_end": "2026-09-30"}).status_code == 403
        assert api.get(f"/returns/cld/{run.pk}").status_code == 403
        assert api.get(f"/returns/cld/{run.pk}/file").status_code == 403
    assert api_as(world.administrator).get("/returns/cld/999999").status_code == 404
    assert api_as(world.administrator).get("/returns/cld/999999/file").status_code == 404
    assert CldExport.objects.count() == 1
