"""A full history for world.person, built through the services, with known values to look for.

Every kind of record the collector produces exists at least once for world.person, so the
tests can check each section holds what was written, and nothing of anyone else's.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest

from selfdirect.assessments import services as assessment_services
from selfdirect.budgets import services as budget_services
from selfdirect.people import services as people_services
from selfdirect.people.models import Person
from selfdirect.people.selectors import person_get_for_user
from selfdirect.plans import services as plan_services
from selfdirect.reviews import schedule
from selfdirect.reviews import services as review_services
from selfdirect.reviews.models import PeerLink, Review
from tests.conftest import World
from tests.factories import PersonFactory

STORY = "I love the sea and my dog Biscuit"
CRISIS_NOTE = "Fell at home and went to A&E"
HANDOVER = "Likes mornings; ring before visiting"
CAPACITY_REASONS = "Understood and weighed up the options for her support"
POINT = "My PA is great"
DECISION = "Signed off: a good plan that meets her outcomes"
PHB_NOTE = "Agreed with the ICB for physiotherapy"
REVIEW_NOTE = "Everything is on track"
FAMILY_NAME = "Sam Son"
OTHER_STORY = "Bob's private words about his own life"
OTHER_CRISIS = "Bob was admitted to hospital"


@dataclass
class History:
    person: Person
    review: Review
    peer_offered: PeerLink  # world.person is the peer someone else was offered
    peer_person: Person  # the other person in that link


@pytest.fixture
def history(world: World) -> History:
    person = world.person
    worker = world.allocated_worker
    assessment_services.story_add(
        actor=world.the_person, person=person, entries={"about_me": STORY}
    )
    assessment_services.capacity_record(
        actor=worker,
        person=person,
        assessed_on=datetime.date(2026, 10, 20),
        impairment_of_mind=False,
        understand="able",
        retain="able",
        use_or_weigh="able",
        communicate="able",
        practicable_help_tried="Easy-read information",
        reasons=CAPACITY_REASONS,
        appropriate_person_available=True,
    )
    budget = person.indicative_budgets.get()
    budget_services.budget_stream_set(
        actor=worker,
        budget=budget,
        stream="personal_health_budget",
        weekly=Decimal("40.00"),
        note=PHB_NOTE,
        reason="Named worker",
    )
    people_services.crisis_record(
        actor=worker,
        person=person,
        kind="unplanned_hospital",
        occurred_on=datetime.date(2026, 9, 1),
        note=CRISIS_NOTE,
    )

    # The draft plan: written by the person, sent, signed off (services, a direct payment
    # and a review window follow).
    plan = world.plan
    plan_services.plan_save(
        actor=world.the_person,
        plan=plan,
        expected_version=plan.version,
        what_i_want="To go to the seaside every week",
        who_helps="My daughter",
        if_things_go_wrong="Ring my daughter",
        management="direct_payment",
        interim=False,
        items=[
            plan_services.ItemInput(
                "A personal assistant for trips out",
                "personal_assistant",
                "Jo PA",
                Decimal("16.00"),
                Decimal("3"),
                "week",
            )
        ],
    )
    plan.refresh_from_db()
    plan_services.plan_submit(actor=world.the_person, plan=plan, expected_version=plan.version)
    plan_services.plan_decide(actor=worker, plan=plan, approved=True, explanation=DECISION)

    # The open review: the person's view, a family member invited, then the worker's record.
    review = world.review
    review_services.review_give_view(
        actor=world.the_person,
        review=review,
        view=review_services.View(
            working=POINT,
            not_working="The agency is late",
            ratings={"nutrition": "fully_met"},
            share_quotes=True,
        ),
    )
    review_services.review_invite(
        actor=world.representative,
        review=review,
        name=FAMILY_NAME,
        email="sam@example.org",
        kind="family",
        answer_url=lambda token: f"https://example.org/{token}",
    )
    review_services.review_complete(
        actor=worker,
        review=review,
        outcome=review_services.Outcome(
            method="face_to_face",
            achieved={"nutrition": "fully_met", "personal_hygiene": "partially_met"},
            decision=schedule.CARRY_ON,
            decision_note=REVIEW_NOTE,
            will_share_experience=True,
            how_to_contact="Through my worker",
        ),
    )

    # Someone else is offered world.person's experience (world.person joined the register).
    seeker = PersonFactory(first_name="Sid", last_name="Seeker", named_worker=worker)
    offered = review_services.peer_propose(
        actor=worker, person=seeker, peer=person, why="Sid's private reason"
    )
    people_services.named_worker_change(
        actor=world.team_manager,
        person=person,
        new_worker=world.team_a_worker,
        handover_note=HANDOVER,
    )
    # A read of the record, as the audit trail records it.
    person_get_for_user(user=world.team_a_worker, person_id=person.pk)

    # Distinctive things about the other person, which must never appear.
    other = world.other_person
    assessment_services.story_add(
        actor=world.worker_other_team, person=other, entries={"about_me": OTHER_STORY}
    )
    people_services.crisis_record(
        actor=world.worker_other_team,
        person=other,
        kind="emergency_placement",
        occurred_on=datetime.date(2026, 8, 1),
        note=OTHER_CRISIS,
    )
    person.refresh_from_db()
    return History(person=person, review=review, peer_offered=offered, peer_person=seeker)
