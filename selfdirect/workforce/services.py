"""Changing the council's teams and staff. History is kept by django-simple-history."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from selfdirect.accounts.models import CASE_ROLES, User
from selfdirect.workforce.models import Discipline, Team


@transaction.atomic
def staff_update(
    *,
    actor: User,
    staff: User,
    role: str,
    team: Team | None,
    sign_off_limit: Decimal,
    phone: str | None = None,
) -> User:
    """Set a member of staff's role, team and delegated sign-off limit.

    A worker who holds cases keeps their team: moving them would silently move
    their people's "same team" access, so people must be handed over first.
    """
    moving = staff.role in CASE_ROLES and staff.team_id != (team.pk if team else None)
    if moving and staff.named_people.exists():
        raise ValueError(
            "Hand over the people this worker is named worker for before changing their team"
        )
    staff.role = role
    staff.team = team
    staff.sign_off_limit = sign_off_limit
    if phone is not None:
        staff.phone = phone
    staff._change_reason = f"Changed by {actor}"  # type: ignore[attr-defined]
    staff.save(update_fields=["role", "team", "sign_off_limit", "phone"])
    return staff


@transaction.atomic
def staff_create(
    *,
    actor: User,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    role: str,
    team: Team | None,
    sign_off_limit: Decimal = Decimal("0.00"),
    phone: str = "",
) -> User:
    """Add a member of staff, with no password they could be given by someone else.

    The password is unusable until a new one is set for them: a password chosen by whoever
    adds the account would be known to two people.
    """
    if role in CASE_ROLES and team is None:
        raise ValueError("Social workers and team managers must be in a team")
    staff = User(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        role=role,
        team=team,
        sign_off_limit=sign_off_limit,
        phone=phone,
    )
    staff.set_unusable_password()
    staff.full_clean()
    staff._change_reason = f"Added by {actor}"  # type: ignore[attr-defined]
    staff.save()
    return staff


@transaction.atomic
def team_save(
    *,
    actor: User,
    team: Team | None,
    name: str,
    discipline: Discipline,
    phone: str = "",
    email: str = "",
) -> Team:
    team = team or Team()
    team.name = name
    team.discipline = discipline
    team.phone = phone
    team.email = email
    team._change_reason = f"Changed by {actor}"  # type: ignore[attr-defined]
    team.full_clean()
    team.save()
    return team
