from __future__ import annotations

import csv
from decimal import Decimal
from typing import Any

import rules
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from selfdirect.accounts.reauth import recent_auth_required
from selfdirect.assessments.outcomes import (
    ADULT_OUTCOMES,
    CARER_OUTCOMES,
    MET_BY_OTHERS,
    RISK_LEVELS,
)
from selfdirect.budgets import ras, services, whatif
from selfdirect.budgets.forms import RasDraftForm, RasDraftStartForm, RasForm
from selfdirect.budgets.models import RasDraft
from selfdirect.budgets.ras_json import config_from_json
from selfdirect.budgets.selectors import (
    ras_current,
    ras_draft_get,
    ras_draft_list,
    ras_version_list,
)
from selfdirect.budgets.services import ras_publish
from selfdirect.core.access import AuthedRequest, permission_required
from selfdirect.core.forms import apply_service_errors
from selfdirect.dashboards import charts
from selfdirect.dashboards.figures import THRESHOLD
from selfdirect.dashboards.tables import Figure
from selfdirect.workforce.models import Team


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
@recent_auth_required
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


# --- Drafts and what-if ------------------------------------------------------------------


@permission_required("budgets.model_ras")
@require_safe
def ras_drafts(request: AuthedRequest) -> HttpResponse:
    version, _ = ras_current()
    return render(
        request,
        "budgets/ras_drafts.html",
        {
            "current": version,
            "drafts": ras_draft_list(),
            "may_publish": rules.has_perm("budgets.publish_ras", request.user),
        },
    )


@permission_required("budgets.model_ras")
def ras_draft_new(request: AuthedRequest) -> HttpResponse:
    """Start a draft as a copy of the live RAS."""
    form = RasDraftStartForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        draft = services.ras_draft_start(actor=request.user, name=form.cleaned_data["name"])
        messages.success(
            request, "Draft started: a copy of the live RAS. Change what you want to try out"
        )
        return HttpResponseRedirect(reverse("budgets:ras-draft", args=[draft.pk]))
    return render(request, "budgets/ras_draft_new.html", {"form": form})


def _draft_initial(draft: RasDraft) -> dict[str, Any]:
    config = config_from_json(draft.config)
    return {
        **RasForm.initial_from(config),
        "version": config.version,
        "name": draft.name,
        "note": draft.note,
        "draft_version": draft.version,
    }


@permission_required("budgets.model_ras")
def ras_draft(request: AuthedRequest, pk: int) -> HttpResponse:
    """Change a draft. The same form and checks as publishing a version; nobody is priced."""
    draft = ras_draft_get(pk=pk)
    config = config_from_json(draft.config)
    form = RasDraftForm(
        request.POST if request.method == "POST" else None, initial=_draft_initial(draft)
    )
    if request.method == "POST" and not draft.is_published and form.is_valid():
        try:
            services.ras_draft_save(
                actor=request.user,
                draft=draft,
                name=form.cleaned_data["name"].strip(),
                note=form.cleaned_data["note"],
                config=form.config(weeks_per_year=config.weeks_per_year),
                expected_version=form.cleaned_data["draft_version"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Draft saved. This is what it would do")
            return HttpResponseRedirect(reverse("budgets:ras-draft-whatif", args=[draft.pk]))
    return render(request, "budgets/ras_draft_form.html", {"form": form, "draft": draft})


def _differences(live: ras.RasConfig, draft: ras.RasConfig) -> list[tuple[str, str, str]]:
    """(setting, live, draft) for every number the draft changes, in the form's order."""
    rows: list[tuple[str, str, str]] = []
    for title, a, b in (
        ("Needs assessments", live.adult, draft.adult),
        ("Carers' assessments", live.carer, draft.carer),
    ):
        for code, label in RISK_LEVELS:
            if Decimal(a.points[code]) != Decimal(b.points[code]):
                rows.append(
                    (
                        f"{title}: points for {label.lower()} risk",
                        str(a.points[code]),
                        str(b.points[code]),
                    )
                )
        for code, label in MET_BY_OTHERS:
            if Decimal(a.unmet_share[code]) != Decimal(b.unmet_share[code]):
                rows.append(
                    (
                        f"{title}: share that counts when others meet {label.lower()}",
                        _percent(a.unmet_share[code]),
                        _percent(b.unmet_share[code]),
                    )
                )
        if Decimal(a.price_per_point) != Decimal(b.price_per_point):
            rows.append(
                (
                    f"{title}: price per point a week",
                    f"£{a.price_per_point:,.2f}",
                    f"£{b.price_per_point:,.2f}",
                )
            )
    for label, x, y in (
        ("Bottom of the range", live.range_low, draft.range_low),
        ("Top of the range", live.range_high, draft.range_high),
    ):
        if Decimal(x) != Decimal(y):
            rows.append((label, _percent(x), _percent(y)))
    return rows


def _percent(share: Decimal | int) -> str:
    return f"{(Decimal(share) * 100).normalize():f}%"


@permission_required("budgets.model_ras")
@require_safe
def ras_draft_whatif(request: AuthedRequest, pk: int) -> HttpResponse:
    """What the draft would do to everyone's indicative budget, against the live RAS.

    Nothing is changed: see budgets/whatif.py for the population and the arithmetic. With
    `?format=csv&figure=<key>` (or `figure=headline`), one table as CSV.
    """
    draft = ras_draft_get(pk=pk)
    live_version, live = ras_current()
    draft_config = config_from_json(draft.config)
    repricing = whatif.reprice(live, draft_config)
    live_label = f"live RAS {live_version.version}"
    draft_label = f"draft {draft_config.version}"
    result = whatif.report(
        repricing,
        live_label=live_label,
        draft_label=draft_label,
        team_names=dict(Team.objects.values_list("id", "name")),
    )
    if request.GET.get("format") == "csv":
        key = request.GET.get("figure", "")
        if key == "headline":
            return _csv(result.headline.csv_rows(), f"ras-draft-{draft.pk}-headline.csv")
        figure = result.figure(key)
        if figure is None:
            raise Http404("No such figure")
        return _csv(figure.table.csv_rows(), f"ras-draft-{draft.pk}-{key}.csv")
    return render(
        request,
        "budgets/ras_draft_whatif.html",
        {
            "draft": draft,
            "draft_config": draft_config,
            "live_version": live_version,
            "differences": _differences(live, draft_config),
            "headline": result.headline.rows(),
            "items": [_shown(figure) for figure in result.figures],
            "threshold": THRESHOLD,
            "may_publish": rules.has_perm("budgets.publish_ras", request.user),
            "version_taken": ras_version_list().filter(version=draft_config.version).exists(),
        },
    )


def _shown(figure: Figure) -> dict[str, Any]:
    return {
        "figure": figure,
        "chart": charts.bar_chart(figure.chart, title=figure.title, key=f"whatif-{figure.key}"),
        "rows": figure.table.html_rows(),
        "csv_url": f"?format=csv&figure={figure.key}",
        "wide": len(figure.table.columns) > 4,
    }


def _csv(rows: list[list[str]], filename: str) -> HttpResponse:
    response = HttpResponse(
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
    csv.writer(response).writerows(rows)
    return response


@permission_required("budgets.model_ras")
def ras_draft_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    draft = ras_draft_get(pk=pk)
    if request.method == "POST":
        services.ras_draft_delete(actor=request.user, draft=draft)
        messages.success(request, f"The draft “{draft.name}” has been deleted")
        return HttpResponseRedirect(reverse("budgets:ras-drafts"))
    return render(request, "budgets/ras_draft_delete.html", {"draft": draft})


@permission_required("budgets.publish_ras")
@recent_auth_required
def ras_draft_publish(request: AuthedRequest, pk: int) -> HttpResponse:
    """Administrators only: the draft becomes the live RAS, through ras_publish."""
    draft = ras_draft_get(pk=pk)
    config = config_from_json(draft.config)
    problems: list[str] = []
    if request.method == "POST":
        try:
            published = services.ras_draft_publish(actor=request.user, draft=draft)
        except ValidationError as error:
            problems = list(error.messages)
        else:
            messages.success(
                request,
                f"RAS version {published.version} is published. "
                "It prices assessments completed from now on",
            )
            return HttpResponseRedirect(reverse("budgets:ras-list"))
    return render(
        request,
        "budgets/ras_draft_publish.html",
        {"draft": draft, "config": config, "problems": problems},
    )
