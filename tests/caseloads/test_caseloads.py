"""Caseloads on hand-built histories: the worker's next actions, the team's weighting, the
unallocated queue, handover notes and crises."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from selfdirect.accounts.models import Role
from selfdirect.assessments import services as assessment_services
from selfdirect.audit.models import AuditEvent, EventType
from selfdirect.caseloads.selectors import team_caseloads, unallocated_queue, worker_caseload
from selfdirect.people import services
from selfdirect.people.models import CrisisEvent, NamedWorkerAllocation, Person
from selfdirect.support.models import ScheduledReview
from tests.conftest import World
from tests.factories import PersonFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 23)


def _codes(rows, person: Person) -> list[str]:  # type: ignore[no-untyped-def]
    row = next(r for r in rows if r.person.pk == person.pk)
    return [a.code for a in row.actions]


def test_the_worker_sees_urgent_work_first(world: World) -> None:
    worker = world.allocated_worker
    settled = PersonFactory(first_name="Aaron", last_name="Aardvark", named_worker=worker)
    urgent = PersonFactory(first_name="Zed", last_name="Zebra", named_worker=worker)
    assessment_services.contact_create(
        actor=worker,
        person=urgent,
        received_on=TODAY,
        route_of_access="hospital_discharge",
        requested_by="Ward 7",
        what_for="Going home tomorrow",
        urgent=True,
    )
    rows = worker_caseload(worker=worker, today=TODAY)
    assert rows[0].person == urgent and _codes(rows, urgent) == ["urgent_request"]
    # world.person's urgent request was assessed after it arrived; an assessment is open.
    assert _codes(rows, world.person)[0] == "assessment_open"
    assert "urgent_request" not in _codes(rows, world.person)
    assert _codes(rows, settled) == []
    assert rows[-1].actions == []


def test_review_overdue_and_due_come_from_open_windows(world: World) -> None:
    worker = world.allocated_worker
    late = PersonFactory(named_worker=worker)
    soon = PersonFactory(named_worker=worker)
    plan = world.person.plans.first()
    for who, start, end in ((late, -60, -1), (soon, -5, 20)):
        ScheduledReview.objects.create(
            person=who,
            plan=plan,
            due_from=TODAY + datetime.timedelta(days=start),
            due_by=TODAY + datetime.timedelta(days=end),
        )
    rows = worker_caseload(worker=worker, today=TODAY)
    assert _codes(rows, late) == ["review_overdue"]
    assert _codes(rows, soon) == ["review_due"]
    assert [r.person for r in rows].index(late) < [r.person for r in rows].index(soon)


def test_team_caseload_weights_add_up(world: World) -> None:
    team = TeamFactory()
    worker = UserFactory(role=Role.SOCIAL_WORKER, team=team)
    other = UserFactory(role=Role.SOCIAL_WORKER, team=team)
    calm = PersonFactory(named_worker=worker)
    crisis = PersonFactory(named_worker=worker)
    services.crisis_record(
        actor=worker, person=crisis, kind="unplanned_hospital", occurred_on=TODAY
    )
    assessment_services.contact_create(
        actor=worker,
        person=crisis,
        received_on=TODAY,
        route_of_access="community",
        requested_by="Daughter",
        what_for="A fall",
        urgent=True,
    )
    loads = {load.worker: load for load in team_caseloads(team=team, today=TODAY).workers}
    # calm weighs 1; crisis weighs 1 + 2 (crisis) + 2 (urgent request not yet assessed).
    assert (loads[worker].people, loads[worker].weighted, loads[worker].urgent) == (2, 6, 1)
    assert (loads[other].people, loads[other].weighted) == (0, 0)
    assert calm.pk  # on the caseload, counted above
    # The worker's own page weighs each person in Python: the same rules, the same answer.
    rows = {row.person: row.weight for row in worker_caseload(worker=worker, today=TODAY)}
    assert rows == {calm: 1, crisis: 5}


def test_release_puts_the_person_in_the_queue_and_allocation_takes_them_out(
    world: World,
) -> None:
    person = world.person
    manager = world.team_manager
    services.named_worker_release(actor=manager, person=person, reason="Worker has left")
    person.refresh_from_db()
    assert person.named_worker is None
    spell = NamedWorkerAllocation.objects.get(person=person, ended_at__isnull=True)
    assert spell.worker is None and spell.unallocated_because == "Worker has left"
    queue = list(unallocated_queue(team=world.team_a, today=TODAY, viewer=world.team_manager))
    assert queue == [person]
    with pytest.raises(ValidationError):
        services.named_worker_release(actor=manager, person=person, reason="Again")
    with pytest.raises(ValidationError):
        services.named_worker_change(
            actor=manager, person=person, new_worker=world.team_a_worker, handover_note="  "
        )
    services.named_worker_change(
        actor=manager, person=person, new_worker=world.team_a_worker, handover_note="Call first"
    )
    person.refresh_from_db()
    assert person.named_worker == world.team_a_worker
    assert list(unallocated_queue(team=world.team_a, today=TODAY, viewer=world.team_manager)) == []
    assert NamedWorkerAllocation.objects.filter(person=person, ended_at__isnull=True).count() == 1


def test_release_needs_a_reason(world: World) -> None:
    with pytest.raises(ValidationError):
        services.named_worker_release(actor=world.team_manager, person=world.person, reason=" ")


def test_queue_is_urgent_first_then_longest_waiting(world: World) -> None:
    manager = world.team_manager
    waiting = [PersonFactory(named_worker=world.team_a_worker) for _ in range(3)]
    for person in waiting:
        services.named_worker_release(actor=manager, person=person, reason="Worker left")
    # Make the second the longest waiting, and the third urgent.
    NamedWorkerAllocation.objects.filter(person=waiting[1], worker__isnull=True).update(
        started_at=timezone.now() - datetime.timedelta(days=30)
    )
    assessment_services.contact_create(
        actor=manager,
        person=waiting[2],
        received_on=TODAY,
        route_of_access="community",
        requested_by="GP",
        what_for="Carer in hospital",
        urgent=True,
    )
    assert list(unallocated_queue(team=world.team_a, today=TODAY, viewer=world.team_manager)) == [
        waiting[2],
        waiting[1],
        waiting[0],
    ]


def test_a_manager_can_open_a_record_straight_into_the_queue(world: World) -> None:
    person = services.person_create(
        actor=world.team_manager,
        named_worker=None,
        team=world.team_a,
        first_name="Quinn",
        last_name="Queue",
        date_of_birth=datetime.date(1980, 1, 1),
        gender="female",
        ethnicity="white_english_welsh_scottish_northern_irish_or_british",
        primary_support_reason="mental_health_support",
        postcode="SD1 4AB",
        accommodation_status="owner_occupier_or_shared_ownership_scheme",
        employment_status="not_in_paid_employment_not_actively_seeking_work_or_retired",
    )
    assert person.named_worker is None and person.team == world.team_a
    assert list(unallocated_queue(team=world.team_a, today=TODAY, viewer=world.team_manager)) == [
        person
    ]


def test_the_new_worker_sees_the_handover_note_first_until_they_have_read_it(
    world: World,
) -> None:
    services.named_worker_change(
        actor=world.team_manager,
        person=world.person,
        new_worker=world.team_a_worker,
        handover_note="Ada prefers mornings; ring her daughter first.",
    )
    client = world.client_for(world.team_a_worker)
    home = client.get(reverse("core:home")).content.decode()
    assert "Read the handover note" in home
    page = client.get(reverse("people:detail", args=[world.person.pk])).content.decode()
    assert page.index("Read this first: handover note") < page.index("Named worker</h2>")
    assert "ring her daughter first" in page
    response = client.post(reverse("people:handover-read", args=[world.person.pk]))
    assert response.status_code == 302
    page = client.get(reverse("people:detail", args=[world.person.pk])).content.decode()
    assert "Read this first" not in page and "ring her daughter first" in page
    assert AuditEvent.objects.filter(
        person=world.person, event_type=EventType.HANDOVER_READ, actor=world.team_a_worker
    ).exists()
    # Another worker in the team does not get the banner.
    other = world.client_for(world.allocated_worker)
    assert (
        "Read this first"
        not in other.get(reverse("people:detail", args=[world.person.pk])).content.decode()
    )


def test_reallocation_pages(world: World) -> None:
    client = world.client_for(world.team_manager)
    url = reverse("people:named-worker-release", args=[world.person.pk])
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200 and "govuk-error-summary" in response.content.decode()
    response = client.post(url, {"reason": "Long-term sick leave"})
    assert response.status_code == 302
    team = client.get(reverse("caseloads:team")).content.decode()
    assert "Ada Lovelace" in team and "Long-term sick leave" in team
    response = client.post(
        reverse("people:named-worker", args=[world.person.pk]),
        {"new_worker": world.team_a_worker.pk, "handover_note": ""},
    )
    assert response.status_code == 200 and "Enter a handover note" in response.content.decode()
    response = client.post(
        reverse("people:named-worker", args=[world.person.pk]),
        {"new_worker": world.team_a_worker.pk, "handover_note": "Back from the queue"},
    )
    assert response.status_code == 302
    world.person.refresh_from_db()
    assert world.person.named_worker == world.team_a_worker


def test_a_manager_sees_only_their_own_teams_workers(world: World) -> None:
    client = world.client_for(world.team_manager)
    assert (
        client.get(reverse("caseloads:worker", args=[world.allocated_worker.pk])).status_code == 200
    )
    assert (
        client.get(reverse("caseloads:worker", args=[world.worker_other_team.pk])).status_code
        == 404
    )


def test_recording_a_crisis(world: World) -> None:
    client = world.client_for(world.allocated_worker)
    url = reverse("people:crisis-add", args=[world.person.pk])
    future = TODAY + datetime.timedelta(days=400)
    bad = client.post(
        url,
        {
            "kind": "emergency_placement",
            "occurred_on_0": future.day,
            "occurred_on_1": future.month,
            "occurred_on_2": future.year,
        },
    )
    assert bad.status_code == 200 and "govuk-error-summary" in bad.content.decode()
    assert not CrisisEvent.objects.exists()
    good = client.post(
        url,
        {
            "kind": "inpatient_or_atu",
            "occurred_on_0": "2",
            "occurred_on_1": "11",
            "occurred_on_2": "2026",
            "note": "After a medication change",
        },
    )
    assert good.status_code == 302
    event = CrisisEvent.objects.get()
    assert (event.person, event.kind, event.recorded_by) == (
        world.person,
        "inpatient_or_atu",
        world.allocated_worker,
    )
    assert AuditEvent.objects.filter(event_type=EventType.CRISIS_RECORDED).count() == 1
    page = client.get(reverse("people:detail", args=[world.person.pk])).content.decode()
    assert "Admission to an inpatient or assessment and treatment unit" in page


def test_the_person_sees_how_to_reach_their_named_worker(world: World) -> None:
    world.allocated_worker.phone = "01632 960123"
    world.allocated_worker.save()
    client = world.client_for(world.the_person)
    page = client.get(reverse("portal:person", args=[world.person.pk])).content.decode()
    assert "01632 960123" in page and world.allocated_worker.email in page
    world.team_a.phone = "01632 960999"
    world.team_a.save()
    services.named_worker_release(actor=world.team_manager, person=world.person, reason="Left")
    page = client.get(reverse("portal:person", args=[world.person.pk])).content.decode()
    assert "is choosing a named worker" in page and "01632 960999" in page


def test_pages_take_the_same_number_of_queries_however_big_the_caseload(world: World) -> None:
    def counts() -> tuple[int, int]:
        sizes = []
        for user, url in (
            (world.allocated_worker, reverse("core:home")),
            (world.team_manager, reverse("caseloads:team")),
        ):
            client = world.client_for(user)
            client.get(url)  # warm the session
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            sizes.append(len(queries))
        return sizes[0], sizes[1]

    before = counts()
    for index in range(6):
        person = PersonFactory(named_worker=world.allocated_worker)
        services.crisis_record(
            actor=world.allocated_worker,
            person=person,
            kind="unplanned_hospital",
            occurred_on=TODAY - datetime.timedelta(days=index),
        )
        if index % 2:
            services.named_worker_release(actor=world.team_manager, person=person, reason="Left")
    UserFactory(role=Role.SOCIAL_WORKER, team=world.team_a)
    assert counts() == before


@pytest.mark.django_db(transaction=False)
def test_team_totals_agree_with_each_persons_weight_on_a_seeded_council() -> None:
    """The totals count people fact by fact; the weight of each person, worked out in the
    database from all their facts (`with_facts`), must add up to the same on every caseload."""
    from django.db.models import Count, Q, Sum

    from selfdirect.caseloads.selectors import with_facts
    from selfdirect.core.synthetic import seed_council
    from selfdirect.people.models import Person
    from selfdirect.workforce.models import Team

    seed_council(people=300, seed=11, as_of=TODAY)
    checked = 0
    for team in Team.objects.all():
        totals = team_caseloads(team=team, today=TODAY)
        workers = [load.worker for load in totals.workers]
        expected = {
            row["named_worker"]: row
            for row in with_facts(Person.objects.filter(named_worker__in=workers), today=TODAY)
            .values("named_worker")
            .annotate(
                people=Count("pk"),
                weighted=Sum("weight"),
                urgent=Count("pk", filter=Q(urgent_request=True)),
                overdue=Count("pk", filter=Q(review_overdue=True)),
                plans=Count("pk", filter=Q(plan_waiting=True)),
                unread=Count("pk", filter=Q(handover_unread=True)),
            )
            .order_by()
        }
        for load in totals.workers:
            want = expected.get(load.worker.pk)
            got = (load.people, load.weighted, load.urgent, load.overdue, load.plans, load.unread)
            if want is None:
                assert got == (0, 0, 0, 0, 0, 0)
                continue
            assert got == tuple(
                want[k] for k in ("people", "weighted", "urgent", "overdue", "plans", "unread")
            )
            checked += load.weighted > load.people  # someone on it has a factor
    assert checked >= 3
