"""Who has looked at my record: the person (and their representative) see the audit trail."""

from __future__ import annotations

from django.urls import reverse

from selfdirect.audit.models import AuditEvent
from selfdirect.people import services
from selfdirect.people.models import Person
from selfdirect.people.selectors import person_get_for_user
from tests.conftest import World


def _rows(world: World, user: object, person: Person, **query: str) -> list[dict[str, object]]:
    client = world.client_for(user)  # type: ignore[arg-type]
    response = client.get(reverse("portal:who-looked", args=[person.pk]), query)
    assert response.status_code == 200
    return list(response.context["rows"])


def test_the_person_sees_who_looked_and_why(world: World) -> None:
    person_get_for_user(user=world.team_a_worker, person_id=world.person.pk)
    rows = _rows(world, world.the_person, world.person)
    newest = rows[0]
    assert newest["who"] == f"{world.team_a_worker.get_full_name()} (Social worker)"
    assert newest["what"] == "Viewed the record"
    assert newest["why"] == "They work in your team"
    page = world.client_for(world.the_person).get(
        reverse("portal:who-looked", args=[world.person.pk])
    )
    content = page.content.decode()
    assert world.team_a_worker.get_full_name() in content
    assert "They work in your team" in content
    # Linked from the portal home and the person's own page.
    link = reverse("portal:who-looked", args=[world.person.pk])
    assert link in world.client_for(world.the_person).get(reverse("portal:home")).content.decode()
    person_page = world.client_for(world.the_person).get(
        reverse("portal:person", args=[world.person.pk])
    )
    assert link in person_page.content.decode()


def test_break_glass_is_shown_with_the_reason_given(world: World) -> None:
    reason = "Out-of-hours call from the ward"
    services.break_glass_start(actor=world.worker_other_team, person=world.person, reason=reason)
    person_get_for_user(user=world.worker_other_team, person_id=world.person.pk)
    rows = _rows(world, world.representative, world.person)
    looked = [r for r in rows if str(r["who"]).startswith(world.worker_other_team.get_full_name())]
    assert [r["what"] for r in looked] == [
        "Viewed the record",
        "Opened the record from outside their caseload",
    ]
    # Said to the representative about Ada, not "you".
    assert all(
        r["why"] == f"They are not in the team that supports Ada, so they had to give a reason: "
        f"{reason}"
        for r in looked
    )


def test_own_visits_are_left_out_unless_asked_for(world: World) -> None:
    client = world.client_for(world.the_person)
    client.get(reverse("portal:person", args=[world.person.pk]))
    mine = AuditEvent.objects.filter(person=world.person, actor=world.the_person).count()
    assert mine >= 1
    rows = _rows(world, world.the_person, world.person)
    assert all(r["who"] != "You" for r in rows)
    everyone = _rows(world, world.the_person, world.person, mine="1")
    assert sum(1 for r in everyone if r["who"] == "You") >= mine


def test_newest_first_and_paginated(world: World) -> None:
    for _ in range(30):
        person_get_for_user(user=world.allocated_worker, person_id=world.person.pk)
    total = AuditEvent.objects.filter(person=world.person).exclude(actor=world.the_person).count()
    first = _rows(world, world.the_person, world.person)
    second = _rows(world, world.the_person, world.person, page="2")
    assert len(first) == 25
    assert len(first) + len(second) == min(total, 50)
    times = [r["at"] for r in first + second]
    assert times == sorted(times, reverse=True)
    assert first[0]["why"] == "They are your named worker"


def test_nobody_else_sees_this_persons_list(world: World) -> None:
    url = reverse("portal:who-looked", args=[world.person.pk])
    for user in (world.representative_of_other, world.stranger, world.non_representative_contact):
        assert world.client_for(user).get(url).status_code == 404
    assert world.client_for(world.team_manager).get(url).status_code == 403
