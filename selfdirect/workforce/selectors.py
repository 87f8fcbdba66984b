from __future__ import annotations

from django.db.models import Count, QuerySet
from django.http import Http404

from selfdirect.accounts.models import STAFF_ROLES, User
from selfdirect.workforce.models import Team


def staff_list(*, team_id: int | None = None) -> QuerySet[User]:
    staff = User.objects.filter(role__in=STAFF_ROLES).select_related("team")
    if team_id is not None:
        staff = staff.filter(team_id=team_id)
    return staff.order_by("last_name", "first_name", "id")


def staff_get(*, user_id: int) -> User:
    user = User.objects.filter(pk=user_id, role__in=STAFF_ROLES).select_related("team").first()
    if user is None:
        raise Http404("No such member of staff")
    return user


def team_list() -> QuerySet[Team]:
    return Team.objects.annotate(member_count=Count("members", distinct=True)).order_by("name")


def team_get(*, team_id: int) -> Team:
    team = Team.objects.filter(pk=team_id).first()
    if team is None:
        raise Http404("No such team")
    return team
