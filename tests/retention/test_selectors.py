"""The due list, from a hand-built set of people whose answers are worked out below.

Today is 1 June 2026; case records are kept 8 years, contact-only records 2, and records are
listed for review 90 days ahead (until 30 August 2026).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from selfdirect.accounts.models import Role
from selfdirect.assessments.models import Assessment, Contact, StoryEntry
from selfdirect.people.models import CrisisEvent, Person
from selfdirect.retention import selectors
from selfdirect.retention.models import RetentionAction
from selfdirect.retention.policy import Category, Periods, Status
from selfdirect.support.models import Service
from tests.factories import PersonFactory, TeamFactory, UserFactory

D = datetime.date
TODAY = D(2026, 6, 1)
PERIODS = Periods(case_years=8, contact_only_years=2, review_days=90)


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def _person(name: str, made: datetime.date, worker) -> Person:  # type: ignore[no-untyped-def]
    person = PersonFactory(first_name=name, named_worker=worker)
    Person.objects.filter(pk=person.pk).update(created_at=_at(made))
    return person


def _contact(person: Person, on: datetime.date, worker) -> None:  # type: ignore[no-untyped-def]
    Contact.objects.create(
        person=person,
        team=person.team,
        received_on=on,
        route_of_access="community",
        requested_by="Self",
        what_for="Help at home",
        recorded_by=worker,
    )


def _assessment(person: Person, done: datetime.date, worker) -> None:  # type: ignore[no-untyped-def]
    Assessment.objects.create(
        person=person,
        assessor=worker,
        status="completed",
        started_at=_at(done - datetime.timedelta(days=20)),
        completed_at=_at(done),
    )


def _service(person: Person, start: datetime.date, end: datetime.date | None) -> None:
    Service.objects.create(
        person=person,
        description="Home care",
        delivery_mechanism="cash_payment",
        service_type="community_direct_payment",
        service_component="direct_payment",
        unit_cost=Decimal("20.00"),
        cost_frequency="weekly",
        planned_units_per_week=Decimal("1"),
        weekly_cost=Decimal("20.00"),
        start_date=start,
        end_date=end,
    )


@pytest.fixture
def people(db: None) -> dict[str, Person]:
    worker = UserFactory(role=Role.SOCIAL_WORKER, team=TeamFactory())
    made = D(2016, 1, 1)
    p = {name: _person(name, made, worker) for name in "ABCDEFGHIJ"}
    _contact(p["A"], D(2024, 1, 10), worker)  # contact only, due 10 Jan 2026: deletion
    _contact(p["B"], D(2024, 7, 15), worker)  # due 15 Jul 2026: review
    _contact(p["C"], D(2024, 12, 1), worker)  # due 1 Dec 2026: not yet
    # Case: last assessed 2017, support ended 31 Jan 2018: due 31 Jan 2026, deletion.
    _contact(p["D"], D(2017, 4, 1), worker)
    _assessment(p["D"], D(2017, 5, 1), worker)
    _service(p["D"], D(2017, 6, 1), D(2018, 1, 31))
    # Support still open since 2010: never due, however old.
    _assessment(p["E"], D(2010, 1, 1), worker)
    _service(p["E"], D(2010, 2, 1), None)
    # Support ended 2018 but a crisis was recorded in March 2019: due 2027, not yet.
    _service(p["F"], D(2017, 6, 1), D(2018, 1, 31))
    CrisisEvent.objects.create(
        person=p["F"],
        kind="unplanned_hospital",
        occurred_on=D(2019, 3, 1),
        recorded_by=worker,
        recorded_at=_at(D(2019, 3, 2)),
    )
    _service(p["G"], D(2017, 6, 1), D(2018, 8, 1))  # case, due 1 Aug 2026: review
    # Due for deletion, but already anonymised.
    _contact(p["H"], D(2020, 1, 1), worker)
    RetentionAction.objects.create(
        person=p["H"],
        anonymised_at=timezone.now(),
        reason="Test",
        category="contact_only",
        last_activity=D(2020, 1, 1),
        due_on=D(2022, 1, 1),
    )
    # Nothing but the record, made in 2016: contact only, due 2018: deletion.
    # J: a contact in 2016, but a story added last month: not yet.
    _contact(p["J"], D(2016, 2, 1), worker)
    StoryEntry.objects.create(
        person=p["J"],
        section="about_me",
        text="Words",
        author=worker,
        author_label="Worker",
        created_at=_at(D(2026, 5, 1)),
    )
    return p


def test_finds_exactly_the_due_people(people: dict[str, Person]) -> None:
    found = {
        record.person_id: record
        for record in selectors.due_records(periods=PERIODS, today=TODAY)
        if record.person_id in {p.pk for p in people.values()}
    }
    names = {pk: name for name, p in people.items() for pk in [p.pk]}
    got = {
        names[pk]: (r.facts.category, r.facts.last_activity, r.due_on, r.status)
        for pk, r in found.items()
    }
    assert got == {
        "A": (Category.CONTACT_ONLY, D(2024, 1, 10), D(2026, 1, 10), Status.DELETION),
        "B": (Category.CONTACT_ONLY, D(2024, 7, 15), D(2026, 7, 15), Status.REVIEW),
        "D": (Category.CASE, D(2018, 1, 31), D(2026, 1, 31), Status.DELETION),
        "G": (Category.CASE, D(2018, 8, 1), D(2026, 8, 1), Status.REVIEW),
        "I": (Category.CONTACT_ONLY, D(2016, 1, 1), D(2018, 1, 1), Status.DELETION),
    }


def test_one_query_whatever_the_number_of_people(people: dict[str, Person]) -> None:
    with CaptureQueriesContext(connection) as queries:
        list(selectors.due_records(periods=PERIODS, today=TODAY))
    assert len(queries) == 1


def test_record_facts_of_one_person(people: dict[str, Person]) -> None:
    facts = selectors.record_facts(person_id=people["E"].pk)
    assert facts is not None and facts.support_open and facts.category is Category.CASE
    facts = selectors.record_facts(person_id=people["F"].pk)
    assert facts is not None and facts.last_activity == D(2019, 3, 1)
    assert selectors.record_facts(person_id=people["H"].pk) is None  # anonymised
