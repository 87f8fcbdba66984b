"""Administrators' pages: teams, staff and their delegated sign-off limits, and what the service
collects about people and why."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from selfdirect.accounts.reauth import recent_auth_required
from selfdirect.core.access import AuthedRequest, permission_required
from selfdirect.core.kept import kept
from selfdirect.workforce import selectors, services
from selfdirect.workforce.forms import StaffForm, TeamForm
from selfdirect.workforce.models import Discipline


@permission_required("workforce.manage_staff")
def staff_list(request: AuthedRequest) -> HttpResponse:
    page = Paginator(selectors.staff_list(), 50).get_page(request.GET.get("page"))
    return render(request, "workforce/staff_list.html", {"page": page})


@permission_required("workforce.manage_staff")
@recent_auth_required
def staff_edit(request: AuthedRequest, user_id: int) -> HttpResponse:
    staff = selectors.staff_get(user_id=user_id)
    initial = {
        "role": staff.role,
        "team": staff.team_id,
        "sign_off_limit": staff.sign_off_limit,
        "phone": staff.phone,
    }
    form = StaffForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.staff_update(
                actor=request.user,
                staff=staff,
                role=form.cleaned_data["role"],
                team=form.cleaned_data["team"],
                sign_off_limit=form.cleaned_data["sign_off_limit"],
                phone=form.cleaned_data["phone"],
            )
        except ValueError as error:
            form.add_error("team", str(error))
        else:
            messages.success(request, f"{staff}'s role, team and limit have been saved")
            return HttpResponseRedirect(reverse("workforce:staff-list"))
    return render(request, "workforce/staff_form.html", {"form": form, "staff": staff})


@permission_required("workforce.manage_staff")
def team_list(request: AuthedRequest) -> HttpResponse:
    return render(request, "workforce/team_list.html", {"teams": selectors.team_list()})


@permission_required("workforce.manage_staff")
def team_create(request: AuthedRequest) -> HttpResponse:
    return _team_form(request, team_id=None)


@permission_required("workforce.manage_staff")
def team_edit(request: AuthedRequest, team_id: int) -> HttpResponse:
    return _team_form(request, team_id=team_id)


def _team_form(request: AuthedRequest, *, team_id: int | None) -> HttpResponse:
    team = selectors.team_get(team_id=team_id) if team_id is not None else None
    initial = (
        {"name": team.name, "discipline": team.discipline, "phone": team.phone, "email": team.email}
        if team
        else {}
    )
    form = TeamForm(request.POST if request.method == "POST" else None, initial=initial, team=team)
    if request.method == "POST" and form.is_valid():
        saved = services.team_save(
            actor=request.user,
            team=team,
            name=form.cleaned_data["name"],
            discipline=Discipline(form.cleaned_data["discipline"]),
            phone=form.cleaned_data["phone"],
            email=form.cleaned_data["email"],
        )
        messages.success(request, f"{saved.name} has been saved")
        return HttpResponseRedirect(reverse("workforce:team-list"))
    return render(request, "workforce/team_form.html", {"form": form, "team": team})


@permission_required("workforce.manage_staff")
def field_register(request: AuthedRequest) -> HttpResponse:
    """Every field held about a person, its purpose and the outputs that use it: fields that
    no output uses come first, so they can be put to use or no longer collected."""
    counts, as_at = _field_value_counts(fresh=request.GET.get("fresh") == "1")
    report = selectors.field_register_report(counts=counts)
    unused = [row for model in report for row in model.rows if not row.outputs]
    return render(
        request,
        "workforce/field_register.html",
        {
            "report": report,
            "unused": unused,
            "as_at": as_at,
            "cache_minutes": settings.FIGURES_CACHE_SECONDS // 60,
        },
    )


def _field_value_counts(*, fresh: bool) -> tuple[selectors.ValueCounts, datetime.datetime]:
    """How many records hold each field, worked out at most once every FIGURES_CACHE_SECONDS.

    The counts read every row of every table that holds data about a person (about 1.4 s at
    100,000 people on SQLite). They are for deciding what to stop collecting, so counts a few
    minutes old are fine, as on the figures pages; the page says when they were worked out,
    and FRESH works them out again now. Only the numbers are kept: the register itself (the
    fields, purposes and outputs) is always read as it stands.
    """
    return kept("workforce:field-value-counts", selectors.field_value_counts, fresh=fresh)
