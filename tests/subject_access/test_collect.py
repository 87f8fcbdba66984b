"""The collector: every section, with known values, for a person with a full history; nothing
of anyone else's; and a number of queries that does not grow with the history."""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from selfdirect.audit.models import AuditEvent, EventType
from selfdirect.people.models import Person
from selfdirect.plans.models import Plan, PlanItem, PlanStatus
from selfdirect.reviews.models import (
    ContributorKind,
    PointKind,
    Review,
    ReviewContribution,
    ReviewOutcome,
    ReviewPoint,
    ReviewStatus,
)
from selfdirect.subject_access.collect import SCHEMA_VERSION, SECTION_KEYS, collect
from tests.conftest import World
from tests.subject_access.conftest import (
    CAPACITY_REASONS,
    CRISIS_NOTE,
    DECISION,
    FAMILY_NAME,
    HANDOVER,
    OTHER_CRISIS,
    OTHER_STORY,
    PHB_NOTE,
    POINT,
    REVIEW_NOTE,
    STORY,
    History,
)


def _collect(world: World, person: Person) -> dict[str, Any]:
    return collect(person=person, produced_by=world.administrator, reason="SAR-2026-014")


def test_header_says_who_what_and_when(world: World, history: History) -> None:
    data = _collect(world, history.person)
    header = data["header"]
    assert header["schema_version"] == SCHEMA_VERSION
    assert header["council"] == "Northbridge Borough Council"
    assert header["person_id"] == history.person.pk
    assert header["person_reference"] == history.person.reference
    assert header["produced_by"] == f"{world.administrator.get_full_name()} (Administrator)"
    assert header["request_reference_or_reason"] == "SAR-2026-014"
    assert datetime.datetime.fromisoformat(header["produced_at"]).tzinfo is not None
    assert [entry["section"] for entry in header["contents"]] == list(SECTION_KEYS)
    assert list(data["sections"]) == list(SECTION_KEYS)
    for entry in header["contents"]:
        assert entry["records"] == len(data["sections"][entry["section"]])


def test_every_section_holds_what_was_written(world: World, history: History) -> None:
    data = _collect(world, history.person)
    sections = data["sections"]
    for key in SECTION_KEYS:
        assert sections[key], f"{key} is empty for a person with a full history"

    (record,) = sections["person"]
    assert record["reference"] == history.person.reference
    assert record["first_name"] == "Ada" and record["last_name"] == "Lovelace"
    assert record["date_of_birth"] == history.person.date_of_birth.isoformat()
    assert record["gender"] == {"code": "female", "label": "Female"}
    assert record["named_worker"] == f"{world.team_a_worker.get_full_name()} (Social worker)"
    assert record["team"] == world.team_a.name
    assert record["portal_account"]["username"] == world.the_person.username
    assert "password" not in json.dumps(record)

    (contact,) = sections["requests_for_support"]
    assert contact["route_of_access"] == {
        "code": "hospital_discharge",
        "label": "Discharge from hospital",
    }
    assert contact["received_on"] == "2026-11-01" and contact["urgent"] is True

    assert [entry["text"] for entry in sections["story"]] == [STORY]
    assert sections["story"][0]["section"]["label"] == "About me"

    done = next(a for a in sections["assessments"] if a["status"]["code"] == "completed")
    assert done["eligible"] is True and done["eligibility_reasons"]
    judgements = {j["outcome"]["code"]: j for j in done["judgements"]}
    assert judgements["nutrition"]["achievable"] is False
    assert judgements["nutrition"]["risk"] == {"code": "substantial", "label": "Substantial"}
    assert judgements["personal_hygiene"]["met_by_others"]["label"] == "Some of it"

    (capacity,) = sections["capacity"]
    assert capacity["reasons"] == CAPACITY_REASONS
    assert capacity["outcome"]["code"] == "has_capacity"

    (budget,) = sections["budgets"]
    assert budget["assessment_id"] == done["id"]
    assert budget["ras_version"]["version"]
    assert {c["outcome"]["code"] for c in budget["contributions"]} == {
        "nutrition",
        "personal_hygiene",
    }
    assert budget["contributions"][0]["risk"]["label"] in {"Substantial", "Critical"}
    streams = {s["stream"]["code"]: s for s in budget["streams"]}
    assert streams["personal_health_budget"]["weekly"] == "40.00"
    assert streams["personal_health_budget"]["note"] == PHB_NOTE

    plan = next(p for p in sections["plans"] if p["id"] == world.plan.pk)
    assert plan["status"] == {"code": "approved", "label": "Signed off"}
    assert plan["what_i_want"] == "To go to the seaside every week"
    assert plan["items"][0]["what"] == "A personal assistant for trips out"
    assert plan["items"][0]["weekly_cost"] == "48.00"
    assert plan["decision"]["approved"] is True and plan["decision"]["explanation"] == DECISION
    assert plan["route_kind"]["label"] == "Your named worker"
    assert plan["route_approvers"] == [f"{world.allocated_worker.get_full_name()} (Social worker)"]
    assert plan["invitations"][0]["name"] == "Hana Helper"
    assert plan["invitations"][0]["accepted_by"].endswith("(Plan helper)")

    assert sections["services"][0]["plan_id"] == world.plan.pk
    assert sections["direct_payments"][0]["four_weekly_amount"] == "192.00"
    assert {r["plan_id"] for r in sections["reviews_due"]} >= {world.plan.pk}

    (review,) = sections["reviews"]
    assert review["status"]["code"] == "completed"
    assert review["decision_note"] == REVIEW_NOTE
    assert review["decision"]["label"] == "Carry on: the plan is working"
    points = [p for c in review["contributions"] for p in c["points"]]
    assert {"kind": {"code": "working", "label": "What is working"}}.items() <= next(
        p for p in points if p["text"] == POINT
    ).items()
    view = review["contributions"][0]
    assert view["kind"]["code"] == "person"
    assert view["outcome_ratings"] == [
        {
            "outcome": {"code": "nutrition", "label": "Managing and maintaining nutrition"},
            "rating": {"code": "fully_met", "label": "Fully met"},
        }
    ]
    assert {o["outcome"]["code"]: o["achieved"]["code"] for o in review["outcomes"]} == {
        "nutrition": "fully_met",
        "personal_hygiene": "partially_met",
    }
    assert review["invitations"][0]["name"] == FAMILY_NAME

    circle = {r["name"]: r for r in sections["circle_of_support"]}
    assert circle["Rita Rep"]["is_representative"] is True
    assert circle["Rita Rep"]["relationship_type"]["label"] == "Attorney for health and welfare"
    assert "Cora Contact" in circle

    spells = sections["named_workers"]
    assert spells[-1]["handover_note"] == HANDOVER
    assert spells[-1]["allocated_by"].endswith("(Team manager)")

    assert sections["crises"][0]["note"] == CRISIS_NOTE
    assert sections["crises"][0]["kind"]["label"] == "Unplanned hospital admission"
    assert sections["peer_register"][0]["how_to_contact"] == "Through my worker"
    assert {link["your_part"]["code"] for link in sections["peer_links"]} == {
        "seeking",
        "offering",
    }

    audit = sections["audit"]
    viewed = [e for e in audit if e["event_type"]["code"] == EventType.PERSON_VIEWED]
    assert viewed and viewed[-1]["actor_label"].startswith(world.team_a_worker.get_full_name())
    assert viewed[-1]["reason"] == "Named worker"  # team_a_worker took over
    assert viewed[-1]["event_type"]["label"] == "Viewed the record"
    assert len(audit) == AuditEvent.objects.filter(person=history.person).count()
    assert [e["at"] for e in audit] == sorted(e["at"] for e in audit)


def test_nothing_about_anyone_else(world: World, history: History) -> None:
    text = json.dumps(_collect(world, history.person), ensure_ascii=False)
    other = world.other_person
    for value in (
        other.first_name,
        other.last_name,
        other.nhs_number,
        other.reference,
        OTHER_STORY,
        OTHER_CRISIS,
        "Otto Rep",  # the other person's representative
        # The other side of a peer link: their name, record and what was said about them.
        history.peer_person.last_name,
        history.peer_person.reference,
        "Sid's private reason",
        f"Peer {world.team_a.pk}",
    ):
        assert value not in text, value
    # And the other way round: the other person's file has nothing of world.person's.
    other_text = json.dumps(_collect(world, other), ensure_ascii=False)
    for value in (STORY, CRISIS_NOTE, HANDOVER, world.person.nhs_number, "Lovelace", POINT):
        assert value not in other_text, value


def test_a_new_person_has_empty_sections(world: World) -> None:
    from tests.factories import PersonFactory

    data = _collect(world, PersonFactory(named_worker=world.allocated_worker))
    assert len(data["sections"]["person"]) == 1
    assert data["sections"]["person"][0]["portal_account"] is None
    assert data["sections"]["plans"] == [] and data["sections"]["reviews"] == []


def _add_history(person: Person, worker: Any, n: int) -> None:
    """N more signed-off plans, each with items and a completed review with views and points,
    made directly: this test is about counting queries, not about the services."""
    budget = person.indicative_budgets.first()
    now = timezone.now()
    for i in range(n):
        plan = Plan.objects.create(
            person=person,
            budget=budget,
            status=PlanStatus.APPROVED,
            created_at=now,
            updated_at=now,
            updated_by=worker,
            route_kind="named_worker",
            route_approver_ids=[worker.pk],
        )
        PlanItem.objects.create(
            plan=plan,
            what=f"Item {i}",
            provider_kind="provider",
            unit_cost=10,
            units=1,
            per="week",
            weekly_cost=10,
            annual_cost=520,
        )
        review = Review.objects.create(
            person=person,
            plan=plan,
            planned=False,
            reason="other",
            status=ReviewStatus.COMPLETED,
            opened_at=now,
            opened_by=worker,
            completed_by=worker,
            completed_at=now,
        )
        contribution = ReviewContribution.objects.create(
            review=review,
            kind=ContributorKind.WORKER,
            author=worker,
            author_label="Worker",
            submitted_at=now,
        )
        ReviewPoint.objects.create(contribution=contribution, kind=PointKind.WORKING, text="Ok")
        ReviewOutcome.objects.create(review=review, outcome="nutrition", achieved="fully_met")


def test_queries_do_not_grow_with_plans_and_reviews(
    world: World, history: History, django_assert_max_num_queries: Any
) -> None:
    person = Person.objects.select_related("team", "named_worker", "portal_user").get(
        pk=history.person.pk
    )
    with CaptureQueriesContext(connection) as before:
        _collect(world, person)
    _add_history(person, world.allocated_worker, 5)
    with django_assert_max_num_queries(len(before)):
        data = _collect(world, person)
    assert len(data["sections"]["reviews"]) == 6
    # A fixed number per section: a couple of dozen, whatever the history.
    assert len(before) <= 30


def test_the_dict_is_plain_json(world: World, history: History) -> None:
    """Only JSON's own types: a date, Decimal or model left in would fail json.dumps."""
    data = _collect(world, history.person)
    assert json.loads(json.dumps(data)) == data
