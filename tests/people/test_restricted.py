"""Restricted records: hidden from every member of staff not named on the restriction.

world.person (Ada Lovelace, team A, named worker allocated_worker) is restricted here with
only allocated_worker named, unless a test says otherwise. team_manager manages team A but
is not named: they must get 404 and never see her name in a list.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from selfdirect.accounts.models import User
from selfdirect.audit.models import AuditEvent, EventType
from selfdirect.dashboards import figures
from selfdirect.dashboards.selectors import Filters, continuity_page, people_with_changes
from selfdirect.people import services
from selfdirect.people.models import Person, RecordRestriction
from selfdirect.people.rules import access_basis, person_filter_for_user
from selfdirect.plans import services as plan_services
from selfdirect.reviews.selectors import reviews_due, unplanned_open
from selfdirect.support.models import ScheduledReview
from tests.api.conftest import ApiClient
from tests.conftest import World
from tests.factories import PersonFactory

WHY = "Close relative of a member of staff in team A"


def _restrict(world: World, *allowed: User, person: Person | None = None) -> RecordRestriction:
    return services.restriction_set(
        actor=world.administrator,
        person=person or world.person,
        reason=WHY,
        allowed_staff=list(allowed),
    )


def _status(world: World, user: User, name: str, *args: object) -> int:
    return world.client_for(user).get(reverse(name, args=list(args))).status_code


def _page(world: World, user: User, name: str, *args: object) -> str:
    response = world.client_for(user).get(reverse(name, args=list(args)))
    assert response.status_code == 200
    return response.content.decode()


def _page_q(world: World, user: User, who: str) -> str:
    return world.client_for(user).get(reverse("reviews:due"), {"who": who}).content.decode()


def _reviewed_people(user: User) -> set[Person]:
    """Everyone on USER's reviews due page (all their team's, not only their own)."""
    due = reviews_due(user=user, mine=False)
    unplanned = unplanned_open(user=user, mine=False)
    return {w.person for w in due} | {r.person for r in unplanned}


def test_the_team_manager_not_named_gets_404_and_the_named_worker_still_sees_it(
    world: World,
) -> None:
    _restrict(world, world.allocated_worker)
    person = world.person
    for user in (world.team_manager, world.team_a_worker):
        assert _status(world, user, "people:detail", person.pk) == 404
        assert _status(world, user, "people:audit", person.pk) in {403, 404}
        assert _status(world, user, "plans:edit", world.plan.pk) == 404
        assert _status(world, user, "assessments:result", world.done_assessment.pk) == 404
        assert _status(world, user, "reviews:review", world.review.pk) == 404
        assert access_basis(user, person) is None
    assert _status(world, world.allocated_worker, "people:detail", person.pk) == 200
    assert "Restricted record" in _page(world, world.allocated_worker, "people:detail", person.pk)
    # The person and their representative keep their access in the portal.
    assert _status(world, world.the_person, "portal:person", person.pk) == 200
    assert _status(world, world.representative, "portal:person", person.pk) == 200
    assert _status(world, world.representative, "portal:plan-edit", world.plan.pk) == 200


def test_it_is_absent_from_the_team_managers_lists(world: World) -> None:
    today = timezone.localdate()
    ScheduledReview.objects.create(
        person=world.person,
        plan=world.review.plan,
        due_from=today,
        due_by=today + datetime.timedelta(days=14),
    )
    _restrict(world, world.allocated_worker)
    link = f'href="{reverse("people:detail", args=[world.person.pk])}"'
    manager = world.team_manager
    assert world.person not in Person.objects.filter(person_filter_for_user(manager))
    assert link not in _page(world, manager, "people:list")
    search = world.client_for(manager).get(reverse("people:list"), {"q": "Lovelace"})
    assert link not in search.content.decode()
    assert link not in _page(world, manager, "caseloads:worker", world.allocated_worker.pk)
    name = world.person.full_name
    assert name not in _page(world, manager, "reviews:due") + _page_q(world, manager, "team")
    assert world.person not in _reviewed_people(manager)
    assert link not in _page(world, manager, "assessments:queue")
    assert link not in _page(world, manager, "core:home")
    # The named worker still has them on their own lists.
    assert link in _page(world, world.allocated_worker, "people:list")
    assert link in _page(world, world.allocated_worker, "assessments:queue")
    assert world.person in _reviewed_people(world.allocated_worker)


def test_it_is_absent_from_the_unallocated_queue(world: World) -> None:
    waiting = PersonFactory(
        first_name="Wendy", last_name="Waiting", named_worker=None, team=world.team_a
    )
    _restrict(world, person=waiting)
    assert waiting.full_name not in _page(world, world.team_manager, "caseloads:team")
    # The count on the manager's home page agrees with the list.
    home = world.client_for(world.team_manager).get(reverse("core:home"))
    assert home.context["queue_count"] == 0


def test_the_api_people_list_and_record_leave_it_out(world: World) -> None:
    _restrict(world, world.allocated_worker)
    api = ApiClient(world.team_manager)
    listed = api.get("/people")
    assert listed.status_code == 200
    assert world.person.pk not in [p["id"] for p in listed.json()["people"]]
    assert api.get(f"/people/{world.person.pk}").status_code == 404
    assert ApiClient(world.allocated_worker).get(f"/people/{world.person.pk}").status_code == 200


def test_break_glass_cannot_open_it(world: World) -> None:
    _restrict(world, world.allocated_worker)
    person = world.person
    data = {
        "reference": person.reference,
        "last_name": person.last_name,
        "date_of_birth_0": str(person.date_of_birth.day),
        "date_of_birth_1": str(person.date_of_birth.month),
        "date_of_birth_2": str(person.date_of_birth.year),
        "reason": "Urgent call",
    }
    response = world.client_for(world.worker_other_team).post(reverse("people:break-glass"), data)
    assert "No record matches that reference" in response.content.decode()
    assert _status(world, world.worker_other_team, "people:detail", person.pk) == 404
    # A grant made before the restriction stops working when it is set.
    RecordRestriction.objects.all().delete()
    services.break_glass_start(actor=world.worker_other_team, person=person, reason="Urgent")
    assert _status(world, world.worker_other_team, "people:detail", person.pk) == 200
    _restrict(world, world.allocated_worker)
    assert _status(world, world.worker_other_team, "people:detail", person.pk) == 404


def test_panel_members_see_it_only_when_named(world: World) -> None:
    plan = world.plan
    plan_services.plan_save(
        actor=world.the_person,
        plan=plan,
        expected_version=plan.version,
        what_i_want="Get out more",
        who_helps="Family",
        if_things_go_wrong="Neighbour",
        management="direct_payment",
        interim=False,
        items=[
            plan_services.ItemInput(
                "PA support", "personal_assistant", "Sam", Decimal("16.00"), Decimal("20"), "week"
            )
        ],
    )
    plan = plan_services.plan_submit(
        actor=world.the_person, plan=plan, expected_version=plan.version
    )
    assert plan.route_kind == "panel"  # £320 a week against a budget of £144
    _restrict(world, world.allocated_worker)
    panel = world.panel_member
    queue = _page(world, panel, "plans:panel")
    assert world.person.full_name not in queue
    assert "1 plan belongs to a restricted record" in queue
    assert _status(world, panel, "plans:decide", plan.pk) == 404
    _restrict(world, world.allocated_worker, panel)
    assert world.person.full_name in _page(world, panel, "plans:panel")
    assert _status(world, panel, "plans:decide", plan.pk) == 200


def test_subject_access_finds_it_only_for_a_named_administrator(world: World) -> None:
    _restrict(world, world.allocated_worker)
    admin = world.administrator
    found = world.client_for(admin).get(reverse("subject_access:search"), {"q": "Lovelace"})
    assert found.status_code == 200
    link = f'href="{reverse("subject_access:person", args=[world.person.pk])}"'
    assert link not in found.content.decode()
    assert _status(world, admin, "subject_access:person", world.person.pk) == 404
    _restrict(world, world.allocated_worker, admin)
    found = world.client_for(admin).get(reverse("subject_access:search"), {"q": "Lovelace"})
    assert link in found.content.decode()
    assert _status(world, admin, "subject_access:person", world.person.pk) == 200


def test_figures_count_the_person_but_never_name_them(world: World) -> None:
    person = world.person
    for worker in (world.team_a_worker, world.allocated_worker):
        services.named_worker_change(
            actor=world.team_manager, person=person, new_worker=worker, handover_note="Over to you"
        )
    today = timezone.localdate()
    manager = world.team_manager
    f = Filters(period=figures.periods(today)[0], team_id=None)
    before = continuity_page(f=f, user=manager, teams={world.team_a.pk: "A", world.team_b.pk: "B"})
    assert [n.person_id for n in people_with_changes(user=manager, today=today)] == [person.pk]

    _restrict(world, world.allocated_worker)
    after = continuity_page(f=f, user=manager, teams={world.team_a.pk: "A", world.team_b.pk: "B"})
    assert after.figures == before.figures
    assert people_with_changes(user=manager, today=today) == []


def test_only_administrators_restrict_and_every_change_is_audited(world: World) -> None:
    admin = world.client_for(world.administrator)
    url = reverse("restrictions:person", args=[world.person.pk])

    # Found by reference from the list page.
    found = admin.get(reverse("restrictions:list"), {"reference": world.person.reference})
    assert found.status_code == 302 and found["Location"] == url
    missing = admin.get(reverse("restrictions:list"), {"reference": "SD9999999"})
    assert "No record has that reference" in missing.content.decode()

    refused = admin.post(url, {"action": "restrict", "reason": " "})
    assert "Enter why the record is restricted" in refused.content.decode()
    assert not RecordRestriction.objects.exists()

    staff = [world.allocated_worker.pk, world.team_manager.pk]
    assert (
        admin.post(url, {"action": "restrict", "reason": WHY, "allowed_staff": staff}).status_code
        == 302
    )
    restriction = RecordRestriction.objects.get()
    assert set(restriction.allowed_staff.all()) == {world.allocated_worker, world.team_manager}
    assert _status(world, world.team_manager, "people:detail", world.person.pk) == 200
    assert _status(world, world.team_a_worker, "people:detail", world.person.pk) == 404
    set_event = AuditEvent.objects.get(event_type=EventType.RECORD_RESTRICTED)
    assert set_event.actor == world.administrator and set_event.new_values["reason"] == WHY
    assert world.person.full_name in _page(world, world.administrator, "restrictions:list")

    admin.post(
        url, {"action": "restrict", "reason": WHY, "allowed_staff": [world.allocated_worker.pk]}
    )
    assert _status(world, world.team_manager, "people:detail", world.person.pk) == 404
    changed = AuditEvent.objects.get(event_type=EventType.RESTRICTION_CHANGED)
    assert len(changed.old_values["allowed_staff"]) == 2
    assert len(changed.new_values["allowed_staff"]) == 1

    no_reason = admin.post(url, {"action": "lift", "lift_reason": ""})
    assert "Enter why the restriction is no longer needed" in no_reason.content.decode()
    assert (
        admin.post(url, {"action": "lift", "lift_reason": "Staff member left"}).status_code == 302
    )
    assert not RecordRestriction.objects.exists()
    assert AuditEvent.objects.filter(event_type=EventType.RESTRICTION_LIFTED).exists()
    assert _status(world, world.team_a_worker, "people:detail", world.person.pk) == 200


def test_only_staff_can_be_named(world: World) -> None:
    with pytest.raises(ValidationError):
        _restrict(world, world.representative)
    assert not RecordRestriction.objects.exists()


def test_a_restriction_never_gives_access(world: World) -> None:
    """Named staff still need a relationship: the restriction only takes access away."""
    _restrict(world, world.worker_other_team)
    assert _status(world, world.worker_other_team, "people:detail", world.person.pk) == 404
    assert access_basis(world.worker_other_team, world.person) is None


def test_the_lists_leave_it_out_in_one_subquery_not_a_loop(world: World) -> None:
    """A regression guard: hundreds of restrictions cost the people list nothing extra."""

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            _page(world, world.team_manager, "people:list")
        return len(captured)

    _restrict(world, world.allocated_worker)
    few = queries()
    for _ in range(5):
        other = PersonFactory(named_worker=world.allocated_worker)
        _restrict(world, world.allocated_worker, person=other)
    assert queries() == few
