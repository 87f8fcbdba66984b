"""The administrators' pages for the statutory Client Level Data return."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from selfdirect.accounts.reauth import recent_auth_required
from selfdirect.core.access import AuthedRequest, permission_required
from selfdirect.returns import checker, selectors, services
from selfdirect.returns.cld_map import Period, last_quarter_end
from selfdirect.returns.forms import ExportForm
from selfdirect.returns.models import ExportStatus

FAILURES_SHOWN = 500


@permission_required("returns.make_return")
@recent_auth_required
def cld(request: AuthedRequest) -> HttpResponse:
    """Ask for a return; see the ones made before."""
    suggested = last_quarter_end(datetime.date.today())
    form = ExportForm(
        request.POST if request.method == "POST" else None,
        initial={"period_end": suggested},
    )
    if request.method == "POST" and form.is_valid():
        run = services.export_request(
            actor=request.user, period_end=form.cleaned_data["period_end"]
        )
        return HttpResponseRedirect(reverse("returns:cld-run", args=[run.pk]))
    return render(
        request,
        "returns/cld.html",
        {
            "form": form,
            "runs": selectors.export_list(),
            "suggested": Period.ending(suggested),
        },
    )


@permission_required("returns.make_return")
def cld_run(request: AuthedRequest, run_id: int) -> HttpResponse:
    """Progress while the file is made; then the download and its data-quality report."""
    run = selectors.export_get(run_id=run_id)
    polled = request.headers.get("HX-Request") == "true"  # the page's progress poll
    context: dict[str, Any] = {"run": run}
    if polled and not run.finished:
        return render(request, "returns/_progress.html", context)
    if run.status == ExportStatus.DONE:
        context.update(
            {
                "statuses": checker.STATUSES,
                "counts": [
                    (name, [run.counts.get(name, {}).get(s, 0) for s in checker.STATUSES])
                    for name in run.counts
                ],
                "failed_fields": [
                    name
                    for name, by_status in run.counts.items()
                    if any(by_status.get(s, 0) for s in checker.FAILED)
                ],
                "failures": selectors.failures_with_people(run, limit=FAILURES_SHOWN),
                "failures_shown": FAILURES_SHOWN,
                "download_name": services.download_name(run),
            }
        )
    if polled:
        # Finished while the page was polling: load the whole page once, with the report.
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return render(request, "returns/cld_run.html", context)


@permission_required("returns.make_return")
@recent_auth_required
def cld_download(request: AuthedRequest, run_id: int) -> HttpResponse:
    run = selectors.export_get(run_id=run_id)
    path = services.file_path(run) if run.file_name else None
    if run.status != ExportStatus.DONE or path is None or not path.is_file():
        raise Http404("This return has no file to download")
    services.export_downloaded(actor=request.user, run=run)
    # Streamed from disk: the file can be large. (The decorators are typed for HttpResponse.)
    return FileResponse(  # type: ignore[return-value]
        path.open("rb"),
        as_attachment=True,
        filename=services.download_name(run),
        content_type="text/csv; charset=utf-8",
    )
