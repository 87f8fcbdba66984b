from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from selfdirect.assessments.outcomes import (
    ADULT_OUTCOMES,
    CARER_OUTCOMES,
    MET_BY_OTHERS,
    RISK_LEVELS,
)
from selfdirect.budgets import ras
from selfdirect.budgets.forms import RasForm
from selfdirect.budgets.selectors import ras_current, ras_version_list
from selfdirect.budgets.services import ras_publish
from selfdirect.core.access import AuthedRequest, permission_required
from selfdirect.core.forms import apply_service_errors


def _tables(config: ras.RasConfig) -> list[dict[str, object]]:
    return [
        {
            "title": title,
            "table": table,
            "points": [(label, table.points[code]) for code, label in RISK_LEVELS],
            "shares": [(label, table.unmet_share[code]) for code, label in MET_BY_OTHERS],
        }
        for title, table in (
            ("Needs assessments", config.adult),
            ("Carers' assessments", config.carer),
        )
    ]


def transparency(request: HttpRequest) -> HttpResponse:
    """Public, no sign-in: the live RAS and how budgets are worked out from it."""
    version, config = ras_current()
    return render(
        request,
        "budgets/transparency.html",
        {
            "version": version,
            "config": config,
            "sentences": ras.describe(config),
            "tables": _tables(config),
            "adult_outcomes": ADULT_OUTCOMES,
            "carer_outcomes": CARER_OUTCOMES,
        },
    )


@permission_required("budgets.manage_ras")
def ras_list(request: AuthedRequest) -> HttpResponse:
    version, config = ras_current()
    return render(
        request,
        "budgets/ras_list.html",
        {
            "current": version,
            "tables": _tables(config),
            "config": config,
            "versions": ras_version_list(),
        },
    )


@permission_required("budgets.manage_ras")
def ras_new(request: AuthedRequest) -> HttpResponse:
    """Publish a new version. Budgets already issued keep the version they were priced with."""
    _, current = ras_current()
    form = RasForm(
        request.POST if request.method == "POST" else None, initial=RasForm.initial_from(current)
    )
    if request.method == "POST" and form.is_valid():
        try:
            published = ras_publish(
                actor=request.user,
                config=form.config(weeks_per_year=current.weeks_per_year),
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                f"RAS version {published.version} is published. "
                "It prices assessments completed from now on",
            )
            return HttpResponseRedirect(reverse("budgets:ras-list"))
    return render(request, "budgets/ras_form.html", {"form": form})
