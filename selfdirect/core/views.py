from __future__ import annotations

import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone

from selfdirect.accounts.models import CASE_ROLES, PORTAL_ROLES, Role
from selfdirect.caseloads.selectors import unallocated_queue, worker_caseload
from selfdirect.people.selectors import break_glass_unreviewed_count
from selfdirect.reviews.selectors import due_counts


def home(request: HttpRequest) -> HttpResponse:
    """Where each kind of user starts: the start page, a worker's people, or the portal."""
    user = request.user
    if not user.is_authenticated:
        return render(request, "core/start.html")
    if user.role in PORTAL_ROLES:
        return HttpResponseRedirect(reverse("portal:home"))
    context: dict[str, object] = {}
    if user.role in CASE_ROLES:
        today = timezone.localdate()
        rows = worker_caseload(worker=user, today=today)
        needing = [row for row in rows if row.actions]
        context["rows"] = needing
        context["settled"] = len(rows) - len(needing)
        context["my_people_count"] = len(rows)
        context["weighted"] = sum(row.weight for row in rows)
        context["reviews"] = due_counts(user=user, today=today)
        if user.role == Role.TEAM_MANAGER and user.team is not None:
            context["queue_count"] = unallocated_queue(
                team=user.team, today=today, viewer=user
            ).count()
            context["break_glass_unreviewed"] = break_glass_unreviewed_count(user=user)
    return render(request, "core/home.html", context)


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "core/privacy.html")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent after the page went stale (or the session expired): say so plainly."""
    return render(request, "core/csrf_failure.html", status=403)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "core/400.html", status=400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "core/403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "core/404.html", status=404)


# Seconds a browser or client is told to wait when the database cannot be reached.
RETRY_AFTER_SECONDS = 30


def server_error(request: HttpRequest) -> HttpResponse:
    """A plain page with no context processors or database: whatever broke may be one of them.

    When the database could not be reached (restarting, or the network to it down), the
    service is unavailable for a moment rather than broken: 503, and when to try again."""
    context = {"council_name": settings.COUNCIL_NAME, "service_name": settings.SERVICE_NAME}
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        body = get_template("core/503.html").render(context)
        response = HttpResponse(body, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return HttpResponse(get_template("core/500.html").render(context), status=500)
