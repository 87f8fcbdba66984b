"""The team manager's pages: the team's caseloads with their weighting, one worker's
caseload, and the unallocated queue. Allocation itself is people:named-worker (a
handover note is required there)."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from selfdirect.accounts.models import CASE_ROLES, User
from selfdirect.caseloads import weighting
from selfdirect.caseloads.selectors import team_caseloads, unallocated_queue, worker_caseload
from selfdirect.core.access import AuthedRequest, permission_required
from selfdirect.people.selectors import break_glass_unreviewed_count


@permission_required("caseloads.view_team")
def team(request: AuthedRequest) -> HttpResponse:
    user = request.user
    if user.team is None:
        raise Http404("You are not in a team")
    today = timezone.localdate()
    return render(
        request,
        "caseloads/team.html",
        {
            "caseloads": team_caseloads(team=user.team, today=today),
            "queue": list(unallocated_queue(team=user.team, today=today, viewer=user)[:200]),
            "break_glass_unreviewed": break_glass_unreviewed_count(user=user),
            "factors": weighting.FACTORS,
            "base_points": weighting.BASE_POINTS,
        },
    )


@permission_required("caseloads.view_team")
def worker(request: AuthedRequest, user_id: int) -> HttpResponse:
    """One worker's caseload, for their manager to rebalance: only workers in the same team."""
    manager = request.user
    if manager.team_id is None:
        raise Http404("You are not in a team")
    shown = (
        User.objects.filter(pk=user_id, role__in=CASE_ROLES, team_id=manager.team_id)
        .select_related("team")
        .first()
    )
    if shown is None:
        raise Http404("No such worker in your team")
    rows = worker_caseload(worker=shown, today=timezone.localdate(), viewer=manager)
    return render(
        request,
        "caseloads/worker.html",
        {"shown": shown, "rows": rows, "weighted": sum(r.weight for r in rows)},
    )
