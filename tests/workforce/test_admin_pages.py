from __future__ import annotations

from decimal import Decimal

from django.urls import reverse

from selfdirect.workforce.models import Team
from tests.conftest import World


def test_change_limit(world: World) -> None:
    client = world.client_for(world.administrator)
    url = reverse("workforce:staff-edit", args=[world.team_a_worker.pk])
    content = client.post(
        url, {"role": "social_worker", "team": world.team_a.pk, "sign_off_limit": "abc"}
    ).content.decode()
    assert "Sign-off limit must be a number of pounds" in content
    content = client.post(
        url, {"role": "social_worker", "team": world.team_a.pk, "sign_off_limit": "-5"}
    ).content.decode()
    assert "Sign-off limit must be 0 or more" in content
    response = client.post(
        url, {"role": "social_worker", "team": world.team_a.pk, "sign_off_limit": "25000"}
    )
    assert response.status_code == 302
    world.team_a_worker.refresh_from_db()
    assert world.team_a_worker.sign_off_limit == Decimal("25000")
    assert world.team_a_worker.history.count() >= 2  # simple-history backstop


def test_case_worker_needs_a_team(world: World) -> None:
    client = world.client_for(world.administrator)
    url = reverse("workforce:staff-edit", args=[world.panel_member.pk])
    content = client.post(
        url, {"role": "social_worker", "team": "", "sign_off_limit": "0"}
    ).content.decode()
    assert "Choose a team" in content


def test_worker_with_people_cannot_change_team(world: World) -> None:
    client = world.client_for(world.administrator)
    url = reverse("workforce:staff-edit", args=[world.allocated_worker.pk])
    content = client.post(
        url, {"role": "social_worker", "team": world.team_b.pk, "sign_off_limit": "0"}
    ).content.decode()
    assert "Hand over the people" in content
    world.allocated_worker.refresh_from_db()
    assert world.allocated_worker.team == world.team_a


def test_add_and_rename_team(world: World) -> None:
    client = world.client_for(world.administrator)
    content = client.post(
        reverse("workforce:team-create"),
        {"name": world.team_a.name.upper(), "discipline": "carers"},
    ).content.decode()
    assert "There is already a team with that name" in content
    response = client.post(
        reverse("workforce:team-create"), {"name": "Carers – East", "discipline": "carers"}
    )
    assert response.status_code == 302
    team = Team.objects.get(name="Carers – East")
    response = client.post(
        reverse("workforce:team-edit", args=[team.pk]),
        {"name": "Carers – East", "discipline": "carers"},
    )
    assert response.status_code == 302
