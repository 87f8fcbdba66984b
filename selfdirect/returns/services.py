"""Making the CLD return: as a background job with progress for the page, or at once for the CLI.

Each production is audited (returns.cld_exported), as is each download: the file holds
every person's statutory data, so who took a copy matters.
"""

from __future__ import annotations

import datetime
import logging
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from selfdirect.accounts.models import User
from selfdirect.audit.models import EventType
from selfdirect.audit.services import audit_record
from selfdirect.returns import checker, export
from selfdirect.returns.cld_map import Period
from selfdirect.returns.models import CldExport, ExportStatus

logger = logging.getLogger(__name__)

# How many failures are kept in detail for the page (the counts are always complete).
KEEP_FAILURES = 2000


def files_dir() -> Path:
    folder = Path(settings.FILES_DIR) / "cld"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def file_path(run: CldExport) -> Path:
    return files_dir() / run.file_name


def download_name(run: CldExport) -> str:
    return f"CLD-R2-{settings.LA_CODE}-{run.period_end:%Y-%m-%d}.csv"


def _write_atomically(period: Period, target: Path, progress: Callable[[int], None] | None) -> int:
    """Write to a temporary file beside TARGET and rename: a reader never sees half a file."""
    handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".part")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            written = export.write(out, period, progress=progress)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return written


def export_to_path(period: Period, target: Path, *, actor: User | None) -> int:
    """Write the return for PERIOD to TARGET now (the CLI), and audit it."""
    written = _write_atomically(period, target.resolve(), None)
    audit_record(
        actor=actor,
        person=None,
        event_type=EventType.CLD_EXPORTED,
        reason="The statutory Client Level Data return",
        new_values={
            "period_start": str(period.start),
            "period_end": str(period.end),
            "rows": written,
        },
    )
    return written


def export_request(*, actor: User, period_end: datetime.date) -> CldExport:
    """Ask for the return for the 12 months ending PERIOD_END; it is made in the background."""
    from selfdirect.returns.tasks import make_cld_export

    period = Period.ending(period_end)
    run = CldExport.objects.create(
        period_start=period.start,
        period_end=period.end,
        requested_by=actor,
        requested_at=timezone.now(),
    )
    transaction.on_commit(lambda: make_cld_export.enqueue(run.pk))
    return run


def export_run(run_id: int) -> None:
    """Make the file, telling the page how far it has got, then check it."""
    run = CldExport.objects.get(pk=run_id)
    if run.status != ExportStatus.QUEUED:
        return
    period = Period(start=run.period_start, end=run.period_end)
    run.status = ExportStatus.RUNNING
    run.started_at = timezone.now()
    run.rows_expected = export.count_rows(period)
    run.file_name = f"cld-{run.pk}-{run.period_end:%Y%m%d}.csv"
    run.save(update_fields=["status", "started_at", "rows_expected", "file_name"])

    def progress(written: int) -> None:
        CldExport.objects.filter(pk=run.pk).update(rows_written=written)

    try:
        written = _write_atomically(period, file_path(run), progress)
        with file_path(run).open(encoding="utf-8", newline="") as stream:
            report = checker.check_csv(stream, keep_failures=KEEP_FAILURES)
    except Exception as error:  # a failed job must say so on the page, not vanish
        logger.exception("The CLD export %s failed", run.pk)
        CldExport.objects.filter(pk=run.pk).update(
            status=ExportStatus.FAILED,
            finished_at=timezone.now(),
            error=f"{type(error).__name__}: {error}"[:2000],
        )
        return
    with transaction.atomic():
        CldExport.objects.filter(pk=run.pk).update(
            status=ExportStatus.DONE,
            finished_at=timezone.now(),
            rows_written=written,
            failure_count=report.failure_count + len(report.header_problems),
            period_warnings=report.period_warnings,
            counts={name: dict(counter) for name, counter in report.counts.items()},
            failures=[
                {
                    "line": f.line,
                    "field": f.field,
                    "status": f.status,
                    "value": f.value,
                    "message": f.message,
                    "person_id": f.person_id,
                    "event_type": f.event_type,
                }
                for f in report.failures
            ],
        )
        audit_record(
            actor=run.requested_by,
            person=None,
            event_type=EventType.CLD_EXPORTED,
            reason="The statutory Client Level Data return",
            new_values={
                "export": run.pk,
                "period_start": str(period.start),
                "period_end": str(period.end),
                "rows": written,
            },
        )


def export_downloaded(*, actor: User, run: CldExport) -> None:
    audit_record(
        actor=actor,
        person=None,
        event_type=EventType.CLD_DOWNLOADED,
        reason="The statutory Client Level Data return",
        new_values={"export": run.pk, "period_end": str(run.period_end)},
    )
