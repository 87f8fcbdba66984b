from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from selfdirect.accounts.models import Role


def _navigation(request: HttpRequest) -> list[dict[str, Any]]:
    # No user when the request was refused before sign-in was looked at (a bad Host header).
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    items: list[tuple[str, str]] = [("Home", reverse("core:home"))]
    role = user.role
    if role in {Role.SOCIAL_WORKER, Role.TEAM_MANAGER}:
        items.append(("People", reverse("people:list")))
        items.append(("Requests", reverse("assessments:queue")))
        items.append(("Reviews", reverse("reviews:due")))
    if role == Role.TEAM_MANAGER:
        items.append(("Team", reverse("caseloads:team")))
    if role == Role.PANEL_MEMBER:
        items.append(("Panel", reverse("plans:panel")))
    if role == Role.ADMINISTRATOR:
        items.append(("Staff", reverse("workforce:staff-list")))
        items.append(("Teams", reverse("workforce:team-list")))
        items.append(("RAS", reverse("budgets:ras-list")))
        items.append(("What we collect", reverse("workforce:field-register")))
        items.append(("Themes", reverse("reviews:themes")))
        items.append(("Returns", reverse("returns:cld")))
    if role in {Role.TEAM_MANAGER, Role.COMMISSIONER, Role.ADMINISTRATOR}:
        items.append(("Figures", reverse("dashboards:index")))
    if role in {Role.COMMISSIONER, Role.ADMINISTRATOR}:
        items.append(("Learning", reverse("reviews:learning")))
    if role in {Role.PERSON, Role.REPRESENTATIVE, Role.PLAN_HELPER}:
        items = [("Home", reverse("portal:home"))]
    path = request.path
    return [
        {
            "text": text,
            "href": href,
            "active": path == href or (href != "/" and path.startswith(href)),
        }
        for text, href in items
    ]


def service(request: HttpRequest) -> dict[str, Any]:
    return {
        "council_name": settings.COUNCIL_NAME,
        "service_name": settings.SERVICE_NAME,
        "phase": settings.PHASE,
        "navigation": _navigation(request),
        "inactivity_minutes": settings.SESSION_INACTIVITY_TIMEOUT // 60,
    }
