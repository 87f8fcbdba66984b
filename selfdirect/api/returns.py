"""The statutory Client Level Data return, for administrators: asked for, made in the background,
then downloaded. Each production and each download is audited."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest
from django.utils import timezone
from ninja import Router, Status

from selfdirect.accounts.models import User
from selfdirect.api import audit
from selfdirect.api.errors import ERRORS, Conflict, Refused
from selfdirect.api.schemas import CldExportIn, CldExportOut
from selfdirect.returns import selectors, services
from selfdirect.returns.models import CldExport, ExportStatus

router = Router(tags=["returns"])

# The return began in April 2023 (the first period ends within that year at the earliest).
FIRST_YEAR = 2023


def _administrator(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    if not user.has_perm("returns.make_return"):
        raise Refused("Only administrators may make or download the CLD return")
    return user


def export_out(run: CldExport) -> CldExportOut:
    return CldExportOut(
        id=run.pk,
        status=run.status,
        period_start=run.period_start,
        period_end=run.period_end,
        requested_at=run.requested_at,
        started_at=run.started_at,
        finished_at=run.finished_at,
        rows_written=run.rows_written,
        rows_expected=run.rows_expected,
        percent=run.percent,
        failure_count=run.failure_count,
        period_warnings=run.period_warnings,
        error=run.error,
    )


@router.post(
    "/returns/cld",
    response={201: CldExportOut, **ERRORS},
    summary="Ask for the CLD return for the 12 months ending on a day",
)
def request_return(request: HttpRequest, payload: CldExportIn) -> Status[CldExportOut]:
    """The return is made in the background once this request is saved: the answer's `status`
    is usually `queued`; read `/returns/cld/{id}` until it is `done` (or `failed`), then get
    the file. Administrators only."""
    user = _administrator(request)
    if payload.period_end > timezone.localdate():
        raise ValidationError(
            {"period_end": ["The last day of the period must be today or in the past"]}
        )
    if payload.period_end.year < FIRST_YEAR:
        raise ValidationError({"period_end": ["The return began in April 2023: choose later"]})
    with transaction.atomic():
        # The job is queued when this transaction commits, so it never starts on a row that
        # is not saved yet (with the immediate backend it runs then, before we answer).
        run = services.export_request(actor=user, period_end=payload.period_end)
        audit.call_used(request, export=run.pk, period_end=str(payload.period_end))
    run.refresh_from_db()
    return Status(201, export_out(run))


@router.get(
    "/returns/cld/{export_id}",
    response={200: CldExportOut, **ERRORS},
    summary="How a CLD return is getting on",
)
def read_return(request: HttpRequest, export_id: int) -> CldExportOut:
    _administrator(request)
    run = selectors.export_get(run_id=export_id)
    audit.call_used(request, export=run.pk)
    return export_out(run)


CSV = {"text/csv": {"schema": {"type": "string", "description": "The CLD Release 2 CSV file"}}}


@router.get(
    "/returns/cld/{export_id}/file",
    response={200: None, **ERRORS},
    openapi_extra={"responses": {200: {"description": "The CSV file", "content": CSV}}},
    summary="Download a finished CLD return (CSV)",
)
def download_return(request: HttpRequest, export_id: int) -> FileResponse:
    """The file, once `status` is `done`; 409 while it is being made, or if it failed."""
    user = _administrator(request)
    run = selectors.export_get(run_id=export_id)
    if run.status != ExportStatus.DONE:
        audit.call_used(request, export=run.pk, status=run.status)
        label = dict(ExportStatus.choices)[run.status].lower()
        raise Conflict(f"This return is not ready to download: it is {label}")
    path = services.file_path(run) if run.file_name else None
    if path is None or not path.is_file():
        audit.call_used(request, export=run.pk, status="no file")
        raise Http404("This return's file is no longer kept")
    services.export_downloaded(actor=user, run=run)
    # Streamed from disk: the file can be large.
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=services.download_name(run),
        content_type="text/csv; charset=utf-8",
    )
