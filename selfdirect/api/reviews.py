"""Reviews: opened (planned, or unplanned for a reason), read, and completed with how far each
outcome of the plan is met and what happens next. A review never changes the budget."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from ninja import Router, Status

from selfdirect.accounts.models import User
from selfdirect.api.errors import ERRORS, Conflict
from selfdirect.api.people import person_for, require_case_worker
from selfdirect.api.schemas import (
    OutcomeAchievedOut,
    PlanOutcome,
    ReviewCompleteIn,
    ReviewOpenIn,
    ReviewOut,
    ReviewWindow,
)
from selfdirect.reviews import services
from selfdirect.reviews.models import Review
from selfdirect.reviews.selectors import open_review, review_get_for_user

router = Router(tags=["reviews"])


def review_out(review: Review) -> ReviewOut:
    review.refresh_from_db()
    window = review.scheduled
    return ReviewOut(
        id=review.pk,
        person_id=review.person_id,
        plan_id=review.plan_id,
        planned=review.planned,
        reason=review.reason,
        reason_detail=review.reason_detail,
        asked_for_by_person=review.asked_for_by_person,
        status=review.status,
        opened_at=review.opened_at,
        opened_by_id=review.opened_by_id,
        window=(
            ReviewWindow(kind=window.kind, due_from=window.due_from, due_by=window.due_by)
            if window is not None
            else None
        ),
        plan_outcomes=[
            PlanOutcome(outcome=code, label=label)
            for code, label in services.plan_outcomes(review.plan)
        ],
        views_given=review.contributions.count(),
        method=review.method,
        decision=review.decision,
        decision_note=review.decision_note,
        outcomes_achieved=review.outcomes_achieved,
        outcomes=[
            OutcomeAchievedOut(outcome=o.outcome, achieved=o.achieved)
            for o in review.outcomes.all()
        ],
        event_outcome=review.event_outcome,
        completed_at=review.completed_at,
        completed_by_id=review.completed_by_id,
    )


@router.post(
    "/people/{person_id}/reviews",
    response={200: ReviewOut, 201: ReviewOut, **ERRORS},
    summary="Open a review of the person's signed-off plan",
)
def open_a_review(request: HttpRequest, person_id: int, payload: ReviewOpenIn) -> Status[ReviewOut]:
    """A planned review fulfils the person's open review window; an unplanned one (`reason`
    from the CLD list, with `reason_detail`) is extra and leaves the planned window be. One
    review is open at a time: if one is, it is returned unchanged (200). 409 if there is no
    signed-off plan to review."""
    user = require_case_worker(request)
    person = person_for(request, person_id, what="review")
    existing = open_review(person=person)
    if existing is not None:
        return Status(200, review_out(existing))
    if services.current_plan(person) is None:
        raise Conflict("There is no signed-off plan to review yet")
    with transaction.atomic():
        review = services.review_open(
            actor=user, person=person, reason=payload.reason, reason_detail=payload.reason_detail
        )
    return Status(201, review_out(review))


@router.get("/reviews/{review_id}", response={200: ReviewOut, **ERRORS}, summary="Read a review")
def read_review(request: HttpRequest, review_id: int) -> ReviewOut:
    user: User = request.user  # type: ignore[assignment]
    return review_out(review_get_for_user(user=user, review_id=review_id, what="api"))


def _check_outcomes(review: Review, payload: ReviewCompleteIn) -> dict[str, str]:
    """Every outcome of the plan, once, with how far it is met; field errors otherwise."""
    outcomes = services.plan_outcomes(review.plan)
    allowed = dict(outcomes)
    problems: dict[str, list[str]] = {}
    achieved: dict[str, str] = {}
    for index, result in enumerate(payload.outcomes):
        if result.outcome not in allowed:
            problems[f"outcomes.{index}.outcome"] = [
                f"Not an outcome of this plan: use one of {', '.join(allowed)}"
            ]
        elif result.outcome in achieved:
            problems[f"outcomes.{index}.outcome"] = ["This outcome is given more than once"]
        else:
            achieved[result.outcome] = result.achieved
    missing = [f"Say how far '{label}' is met" for code, label in outcomes if code not in achieved]
    if missing:
        problems["outcomes"] = missing
    if problems:
        raise ValidationError(problems)
    return achieved


@router.post(
    "/reviews/{review_id}/complete",
    response={200: ReviewOut, **ERRORS},
    summary="Complete a review: outcomes met, and what happens next",
)
def complete_review(request: HttpRequest, review_id: int, payload: ReviewCompleteIn) -> ReviewOut:
    """Records how far each outcome of the plan is met (`outcomes`: every one in the review's
    `plan_outcomes`), how the review was held, and the decision, then acts on it: carrying on
    schedules the next planned review; changing the plan starts a revised draft; reassessing
    opens an assessment; ending support ends the services. The person is told. 409 if the
    review is already completed."""
    user = require_case_worker(request)
    review = review_get_for_user(user=user, review_id=review_id, what="api complete")
    if not review.is_open:
        raise Conflict("This review has already been completed")
    achieved = _check_outcomes(review, payload)
    with transaction.atomic():
        done = services.review_complete(
            actor=user,
            review=review,
            outcome=services.Outcome(
                method=payload.method,
                achieved=achieved,
                decision=payload.decision,
                decision_note=payload.decision_note,
                themes={t.point_id: t.theme_id for t in payload.themes},
                will_share_experience=payload.will_share_experience,
                how_to_contact=payload.how_to_contact,
                peer_follow_up=payload.peer_follow_up,
            ),
        )
    return review_out(done)
