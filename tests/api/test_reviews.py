"""Reviews through the API: opened (planned or unplanned), read, and completed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from selfdirect.assessments.models import Assessment, AssessmentStatus
from selfdirect.plans.models import Plan, PlanStatus
from selfdirect.reviews.models import Review, ReviewStatus
from selfdirect.support.models import ScheduledReview
from tests.api.conftest import ApiClient
from tests.conftest import World
from tests.factories import PersonFactory

ApiAs = Callable[..., ApiClient]


def completion(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "method": "remote",
        "outcomes": [
            {"outcome": "nutrition", "achieved": "fully_met"},
            {"outcome": "personal_hygiene", "achieved": "fully_met"},
        ],
        "decision": "carry_on",
    }
    body.update(changes)
    return body


def test_the_open_review_is_read_and_reopening_returns_it(world: World, api_as: ApiAs) -> None:
    api = api_as(world.allocated_worker)
    read = api.get(f"/reviews/{world.review.pk}")
    assert read.status_code == 200, read.content
    body = read.json()
    assert body["status"] == "open" and body["planned"] is True and body["reason"] == "planned"
    assert body["plan_outcomes"] == [
        {"outcome": "nutrition", "label": "Managing and maintaining nutrition"},
        {"outcome": "personal_hygiene", "label": "Maintaining personal hygiene"},
    ]
    assert body["outcomes"] == [] and body["completed_at"] is None
    again = api.post(f"/people/{world.person.pk}/reviews", {"reason": "hospital"})
    assert again.status_code == 200 and again.json()["id"] == world.review.pk
    assert Review.objects.filter(person=world.person).count() == 1


def test_completing_a_review(world: World, api_as: ApiAs) -> None:
    api = api_as(world.allocated_worker)
    path = f"/reviews/{world.review.pk}/complete"
    done = api.post(
        path,
        completion(
            outcomes=[
                {"outcome": "personal_hygiene", "achieved": "not_met"},
                {"outcome": "nutrition", "achieved": "partially_met"},
            ],
            decision="reassess",
            decision_note="Washing has got harder since the winter.",
            will_share_experience=True,
            how_to_contact="Through my worker",
        ),
    )
    assert done.status_code == 200, done.content
    body = done.json()
    assert body["status"] == "completed" and body["decision"] == "reassess"
    assert body["outcomes_achieved"] == "partially_met"
    assert body["event_outcome"] == "Progress to assessment, review or reassessment"
    assert {o["outcome"]: o["achieved"] for o in body["outcomes"]} == {
        "nutrition": "partially_met",
        "personal_hygiene": "not_met",
    }
    assert Assessment.objects.filter(
        person=world.person, status=AssessmentStatus.IN_PROGRESS
    ).exists()
    assert ScheduledReview.objects.filter(person=world.person, closed_on__isnull=True).exists()
    assert api.post(path, completion()).status_code == 409

    # Then an unplanned review, for a reason from the CLD list, saying what changed.
    path = f"/people/{world.person.pk}/reviews"
    no_detail = api.post(path, {"reason": "hospital"})
    assert no_detail.status_code == 422
    assert no_detail.json()["errors"][0]["field"] == "reason_detail"
    assert api.post(path, {"reason": "a whim"}).status_code == 422
    unplanned = api.post(path, {"reason": "hospital", "reason_detail": "A fall at home"})
    assert unplanned.status_code == 201, unplanned.content
    assert unplanned.json()["planned"] is False and unplanned.json()["window"] is None


def test_outcomes_must_be_the_plans_each_once(world: World, api_as: ApiAs) -> None:
    api = api_as(world.allocated_worker)
    path = f"/reviews/{world.review.pk}/complete"
    wrong = api.post(
        path,
        completion(
            outcomes=[
                {"outcome": "clothing", "achieved": "fully_met"},
                {"outcome": "nutrition", "achieved": "fully_met"},
                {"outcome": "nutrition", "achieved": "not_met"},
            ]
        ),
    )
    assert wrong.status_code == 422
    assert [e["field"] for e in wrong.json()["errors"]] == [
        "outcomes.0.outcome",
        "outcomes.2.outcome",
        "outcomes",
    ]
    assert "Maintaining personal hygiene" in wrong.json()["errors"][2]["message"]
    bad_values = api.post(
        path,
        completion(
            method="by carrier pigeon",
            outcomes=[{"outcome": "nutrition", "achieved": "mostly"}],
            decision="carry_on",
        ),
    )
    assert {e["field"] for e in bad_values.json()["errors"]} == {
        "method",
        "outcomes.0.achieved",
    }
    no_note = api.post(path, completion(decision="change_plan"))
    assert no_note.status_code == 422
    assert no_note.json()["errors"] == [
        {"field": "decision_note", "message": "Say why, in words the person will understand"}
    ]
    no_theme = api.post(path, completion(themes=[{"point_id": 1, "theme_id": 999999}]))
    assert no_theme.status_code == 422
    assert Review.objects.get(pk=world.review.pk).status == ReviewStatus.OPEN


def test_changing_the_plan_starts_a_revised_draft(world: World, api_as: ApiAs) -> None:
    Plan.objects.filter(person=world.person, status=PlanStatus.DRAFT).delete()
    done = api_as(world.allocated_worker).post(
        f"/reviews/{world.review.pk}/complete",
        completion(decision="change_plan", decision_note="A lunch club instead of a visit"),
    )
    assert done.status_code == 200, done.content
    assert Plan.objects.filter(person=world.person, status=PlanStatus.DRAFT).exists()


def test_no_signed_off_plan_to_review(world: World, api_as: ApiAs) -> None:
    newcomer = PersonFactory(named_worker=world.allocated_worker)
    response = api_as(world.allocated_worker).post(f"/people/{newcomer.pk}/reviews", {})
    assert response.status_code == 409 and "signed-off plan" in response.json()["detail"]


def test_who_may_open_read_and_complete(world: World, api_as: ApiAs) -> None:
    for portal in (world.the_person, world.representative):
        api = api_as(portal)
        assert api.get(f"/reviews/{world.review.pk}").status_code == 200
        assert api.post(f"/people/{world.person.pk}/reviews", {}).status_code == 403
        assert api.post(f"/reviews/{world.review.pk}/complete", completion()).status_code == 403
    other = api_as(world.worker_other_team)
    assert other.get(f"/reviews/{world.review.pk}").status_code == 404
    assert other.post(f"/people/{world.person.pk}/reviews", {}).status_code == 404
    assert other.post(f"/reviews/{world.review.pk}/complete", completion()).status_code == 404
    assert api_as(world.allocated_worker).get("/reviews/999999").status_code == 404
    assert Review.objects.get(pk=world.review.pk).status == ReviewStatus.OPEN
