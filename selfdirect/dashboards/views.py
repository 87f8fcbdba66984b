"""The figures pages for team managers, commissioners and administrators. Each view parses the
filters, calls one selector, and renders: the page (a chart beside each table), or one table
as CSV (`?format=csv&figure=<key>`)."""

from __future__ import annotations

import csv
import datetime
from dataclasses import replace
from typing import Any
from urllib.parse import urlencode

import rules
from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from selfdirect.core.access import AuthedRequest, permission_required
from selfdirect.core.kept import kept
from selfdirect.dashboards import charts, figures, selectors
from selfdirect.dashboards.forms import FiltersForm
from selfdirect.dashboards.tables import Figure
from selfdirect.people.codes import PRIMARY_SUPPORT_REASON

TITLES = {
    "continuity": "Continuity and prevention",
    "flow": "Waiting times and sign-off",
    "commissioning": "Outcomes, learning and equality",
}


@permission_required("dashboards.see_figures")
@require_safe
def index(request: AuthedRequest) -> HttpResponse:
    return render(
        request, "dashboards/index.html", {"titles": TITLES, "threshold": figures.THRESHOLD}
    )


@permission_required("dashboards.see_figures")
@require_safe
def continuity(request: AuthedRequest) -> HttpResponse:
    return _figures_page(request, "continuity")


@permission_required("dashboards.see_figures")
@require_safe
def flow(request: AuthedRequest) -> HttpResponse:
    return _figures_page(request, "flow")


@permission_required("dashboards.see_figures")
@require_safe
def commissioning(request: AuthedRequest) -> HttpResponse:
    return _figures_page(request, "commissioning")


def _figures_page(request: AuthedRequest, page: str) -> HttpResponse:
    today = timezone.localdate()
    teams = selectors.team_choices()
    f = selectors.filters_from_query(
        request.GET,
        today=today,
        teams=teams,
        default_team_id=selectors.default_team_for(request.user),
    )
    if page != "flow":
        f = replace(f, split="")
    result, svgs, as_at = _page_figures(page, f, teams, fresh=request.GET.get("fresh") == "1")
    if page == "continuity" and rules.has_perm("dashboards.see_named_people", request.user):
        # Names are the manager's own team's and are never cached: always as things stand.
        named = selectors.people_with_changes(user=request.user, today=today)
        result = replace(result, named_people=named)
    if request.GET.get("format") == "csv":
        figure = result.figure(request.GET.get("figure", ""))
        if figure is None:
            raise Http404("No such figure")
        return _csv(figure, f)
    learning_link = (
        reverse("reviews:learning") + "?" + urlencode({"team": f.team_id or "", "psr": f.psr})
        if rules.has_perm("reviews.see_learning", request.user)
        else ""
    )
    items = [
        _shown(fig, svgs[fig.key], f, learning_link if fig.key == "learning" else "")
        for fig in result.figures
    ]
    team_names = dict(teams)
    return render(
        request,
        "dashboards/figures.html",
        {
            "title": TITLES[page],
            "page": page,
            "filters": f,
            "form": FiltersForm(
                filters=f,
                teams=teams,
                periods=figures.periods(today),
                with_split=page == "flow",
            ),
            "items": items,
            "team_label": team_names.get(f.team_id, "") if f.team_id else "All teams",
            "psr_label": dict(PRIMARY_SUPPORT_REASON).get(f.psr, ""),
            "named_people": result.named_people,
            "own_team": team_names.get(request.user.team_id or 0, ""),
            "threshold": figures.THRESHOLD,
            "as_at": as_at,
            "cache_minutes": settings.FIGURES_CACHE_SECONDS // 60,
            "fresh_url": "?" + f.query(fresh="1"),
        },
    )


def _page_figures(
    page: str, f: selectors.Filters, teams: list[tuple[int, str]], *, fresh: bool
) -> tuple[selectors.Page, dict[str, str], datetime.datetime]:
    """The page's figures and their charts for these filters, worked out at most once every
    FIGURES_CACHE_SECONDS (for everyone who asks with the same filters).

    Council-wide figures read every request, plan, review and budget in the period, so at
    100,000 people they take seconds; they describe months, so minutes-old figures are
    fine, and the page says when they were worked out. FRESH works them out again now.
    """

    def work() -> tuple[selectors.Page, dict[str, str]]:
        result = selectors.PAGES[page](f=f, user=None, teams=dict(teams))
        svgs = {
            fig.key: charts.bar_chart(fig.chart, title=fig.title, key=fig.key)
            for fig in result.figures
        }
        return result, svgs

    key = f"figures:{page}:{timezone.localdate().isoformat()}:{f.query()}"
    (result, svgs), as_at = kept(key, work, fresh=fresh)
    return result, svgs, as_at


def _shown(figure: Figure, svg: str, f: selectors.Filters, more_link: str) -> dict[str, Any]:
    return {
        "figure": figure,
        "chart": svg,
        "rows": figure.table.html_rows(),
        "csv_url": "?" + f.query(format="csv", figure=figure.key),
        "wide": len(figure.table.columns) > 4,
        "more_link": more_link,
    }


def _csv(figure: Figure, f: selectors.Filters) -> HttpResponse:
    """One figure's table as CSV, suppressed exactly as on the page."""
    filename = f"{figure.key}-{f.period.key}.csv"
    response = HttpResponse(
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
    writer = csv.writer(response)
    writer.writerows(figure.table.csv_rows())
    return response
