"""Administrators' pages for importing from a previous system: upload the files, read the dry
run's report, then import exactly what was checked. Each step works without JavaScript."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from selfdirect.accounts.reauth import recent_auth_required
from selfdirect.core.access import AuthedRequest, permission_required
from selfdirect.legacy import selectors, services, validate
from selfdirect.legacy.forms import UploadForm
from selfdirect.legacy.models import BatchStatus

PERMISSION = "legacy.import_records"


@permission_required(PERMISSION)
@recent_auth_required
def upload(request: AuthedRequest) -> HttpResponse:
    form = UploadForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if request.method == "POST" and form.is_valid():
        batch = services.batch_create(actor=request.user, uploads=form.uploads())
        return HttpResponseRedirect(reverse("legacy:batch", args=[batch.pk]))
    return render(
        request,
        "legacy/upload.html",
        {
            "form": form,
            "batches": selectors.batch_list(),
            "guide": [
                (validate.KIND_LABELS[kind], columns)
                for kind, columns in services.import_guide().items()
            ],
            "max_size": validate.size_label(settings.UPLOAD_MAX_BYTES),
        },
    )


@permission_required(PERMISSION)
def batch(request: AuthedRequest, batch_id: int) -> HttpResponse:
    """The dry run's report, with the Import button when there are no problems; once
    imported, the confirmation with what was added."""
    found = selectors.batch_get(batch_id=batch_id)
    template = "legacy/done.html" if found.status == BatchStatus.IMPORTED else "legacy/report.html"
    return render(request, template, {"batch": found, **services.report_values(found)})


@permission_required(PERMISSION)
@recent_auth_required
def run(request: AuthedRequest, batch_id: int) -> HttpResponse:
    """Import a checked batch (POST only: a GET goes back to the report)."""
    found = selectors.batch_get(batch_id=batch_id)
    back = HttpResponseRedirect(reverse("legacy:batch", args=[found.pk]))
    if request.method != "POST":
        return back
    try:
        services.batch_import(actor=request.user, batch=found)
    except services.AlreadyImported:
        messages.info(request, "These files have already been imported")
    except services.ImportRefused:
        messages.error(
            request,
            "Nothing was imported: the files now have problems. Correct them and upload the "
            "files again",
        )
    return back
