"""Reviews end to end through the pages: the person's view, invited views, the worker's record
and decision, what the decision does (and never does), learning, and peer support."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from selfdirect.assessments.models import Assessment, AssessmentStatus
from selfdirect.budgets.models import IndicativeBudget
from selfdirect.plans.models import Plan, PlanItem, PlanStatus
from selfdirect.reviews import schedule
from selfdirect.reviews import services as review_services
from selfdirect.reviews.models import (
    LearningTheme,
    LinkStatus,
    PeerLink,
    PeerSupporter,
    Review,
    ReviewOutcome,
    ReviewPoint,
    ReviewStatus,
)
from selfdirect.support.models import ScheduledReview, Service
from tests.conftest import World, _signed_off
from tests.factories import PersonFactory, completed_assessment

OUTCOMES = ("nutrition", "personal_hygiene")  # what world.person's budget was for


def _complete(world: World, review: Review, **extra: Any) -> Any:
    data: dict[str, Any] = {
        "method": "face_to_face",
        "decision": "carry_on",
        "will_share_experience": "not_asked",
        **{f"outcome_{code}": "fully_met" for code in OUTCOMES},
    }
    data.update(extra)
    worker = review.person.named_worker
    return world.client_for(worker).post(reverse("reviews:complete", args=[review.pk]), data)


def test_the_plan_outcomes_are_the_ones_the_budget_was_for(world: World) -> None:
    assert [c for c, _ in review_services.plan_outcomes(world.review.plan)] == list(OUTCOMES)


def test_person_gives_their_view_in_the_portal_and_the_worker_sees_it(world: World) -> None:
    client = world.client_for(world.the_person)
    url = reverse("portal:review", args=[world.person.pk])
    response = client.post(
        url,
        {
            "working": "My PA is great\n\nI go swimming again",
            "not_working": "The agency is often late",
            "change": "Fewer agency hours",
            "outcome_nutrition": "fully_met",
            "outcome_personal_hygiene": "partially_met",
            "share_quotes": "yes",
            "will_share_experience": "yes",
        },
    )
    assert response.status_code == 302
    points = ReviewPoint.objects.filter(contribution__review=world.review)
    assert sorted(p.text for p in points if p.kind == "working") == [
        "I go swimming again",
        "My PA is great",
    ]
    page = world.client_for(world.allocated_worker).get(
        reverse("reviews:review", args=[world.review.pk])
    )
    content = page.content.decode()
    assert "The agency is often late" in content
    assert "Partly: some of it is happening" in content
    assert "(the person)" in content


def test_a_view_with_nothing_in_it_is_refused_and_kept(world: World) -> None:
    client = world.client_for(world.the_person)
    response = client.post(reverse("portal:review", args=[world.person.pk]), {"share_quotes": "no"})
    assert response.status_code == 200
    assert "Write at least one thing" in response.content.decode()
    assert not world.review.contributions.exists()


def test_invited_family_member_answers_once(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    client = world.client_for(world.representative)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("portal:review-invite", args=[world.review.pk]),
            {"name": "Sam Son", "email": "sam@example.org", "kind": "family"},
        )
    assert response.status_code == 302
    link = re.search(r"http://testserver(/review-answer/[^/]+/)", mail.outbox[-1].body)
    assert link is not None
    anonymous = world.client_for(None)
    form = anonymous.get(link.group(1))
    assert form.status_code == 200 and "Lovelace" not in form.content.decode()
    answer = anonymous.post(link.group(1), {"working": "She seems happier", "share_quotes": "no"})
    assert answer.status_code == 200 and "Thank you" in answer.content.decode()
    assert world.review.contributions.get().author_label == "Sam Son (family or a friend)"
    assert anonymous.get(link.group(1)).status_code == 404  # used


def test_worker_records_outcomes_and_decision(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    review_services.review_give_view(
        actor=world.the_person,
        review=world.review,
        view=review_services.View(working="My PA", not_working="Late agency", share_quotes=True),
    )
    theme = LearningTheme.objects.get(name="Provider reliability")
    late = ReviewPoint.objects.get(text="Late agency")
    with django_capture_on_commit_callbacks(execute=True):
        response = _complete(
            world,
            world.review,
            **{"outcome_personal_hygiene": "not_met", f"theme_{late.pk}": str(theme.pk)},
        )
    assert response.status_code == 302
    review = Review.objects.get(pk=world.review.pk)
    assert review.status == ReviewStatus.COMPLETED
    assert review.outcomes_achieved == "partially_met"
    assert review.event_outcome == "Continuation of support or services"
    assert dict(ReviewOutcome.objects.filter(review=review).values_list("outcome", "achieved")) == {
        "nutrition": "fully_met",
        "personal_hygiene": "not_met",
    }
    late.refresh_from_db()
    assert late.theme == theme
    assert review.by_named_worker is True and review.team_id == world.team_a.pk
    # A planned review sets the next one: within 12 months.
    window = ScheduledReview.objects.get(person=world.person, closed_on__isnull=True)
    assert window.due_by == schedule.add_months(timezone.localdate(), 12)
    assert any("Your review" in m.subject for m in mail.outbox)


def test_every_outcome_must_be_recorded(world: World) -> None:
    response = _complete(world, world.review, outcome_nutrition="")
    assert response.status_code == 200
    assert "Choose how far" in response.content.decode()
    assert Review.objects.get(pk=world.review.pk).status == ReviewStatus.OPEN


def test_a_review_never_cuts_the_budget_needs_changed_means_reassessment(world: World) -> None:
    budgets = list(IndicativeBudget.objects.values_list("pk", "weekly"))
    Assessment.objects.filter(person=world.person, status=AssessmentStatus.IN_PROGRESS).delete()
    response = _complete(
        world, world.review, decision="reassess", decision_note="Needs more help at night"
    )
    assert response.status_code == 302
    assert list(IndicativeBudget.objects.values_list("pk", "weekly")) == budgets
    assert Plan.objects.get(pk=world.review.plan_id).budget.weekly == budgets[0][1]
    assert Assessment.objects.filter(
        person=world.person, status=AssessmentStatus.IN_PROGRESS
    ).exists()
    review = Review.objects.get(pk=world.review.pk)
    assert review.event_outcome == "Progress to assessment, review or reassessment"


def test_the_person_can_revise_their_plan_straight_from_the_review(world: World) -> None:
    Plan.objects.filter(person=world.person, status=PlanStatus.DRAFT).delete()
    reviewed = world.review.plan
    PlanItem.objects.create(
        plan=reviewed,
        what="Personal assistant",
        provider_kind="personal_assistant",
        unit_cost="15.00",
        units="10",
        per="week",
        weekly_cost="150.00",
        annual_cost="7821.43",
    )
    response = _complete(world, world.review, decision="change_plan", decision_note="More PA")
    assert response.status_code == 302
    draft = Plan.objects.get(person=world.person, status=PlanStatus.DRAFT)
    assert draft.budget_id == reviewed.budget_id
    assert list(draft.items.values_list("what", flat=True)) == ["Personal assistant"]
    start = world.client_for(world.the_person).get(reverse("portal:plan", args=[world.person.pk]))
    assert start.status_code == 200


def test_ending_support_ends_services_and_reviews(world: World) -> None:
    Service.objects.create(
        person=world.person,
        plan=world.review.plan,
        description="PA",
        delivery_mechanism="Direct payment",
        service_type="Long term support: Community",
        service_component="Direct payment",
        unit_cost="15.00",
        cost_frequency="Hourly",
        planned_units_per_week="10",
        weekly_cost="150.00",
        start_date=datetime.date(2026, 1, 1),
    )
    response = _complete(world, world.review, decision="end_as_planned")
    assert response.status_code == 302
    assert not Service.objects.filter(person=world.person, end_date__isnull=True).exists()
    assert not ScheduledReview.objects.filter(person=world.person, closed_on__isnull=True).exists()


def test_an_unplanned_review_leaves_the_planned_window_alone(world: World) -> None:
    Review.objects.filter(pk=world.review.pk).delete()
    window = ScheduledReview.objects.create(
        person=world.person,
        plan=Plan.objects.get(person=world.person, status=PlanStatus.APPROVED),
        kind="annual",
        due_from=datetime.date(2027, 5, 1),
        due_by=datetime.date(2027, 6, 1),
    )
    client = world.client_for(world.allocated_worker)
    response = client.post(
        reverse("reviews:unplanned", args=[world.person.pk]),
        {"reason": "hospital", "reason_detail": "Fell at home, two nights in hospital"},
    )
    review = Review.objects.get(person=world.person)
    assert response.status_code == 302 and not review.planned and review.scheduled is None
    assert review.get_reason_display() == "Unplanned: Hospital"
    _complete(world, review)
    window.refresh_from_db()
    assert window.closed_on is None and window.due_by == datetime.date(2027, 6, 1)
    assert ScheduledReview.objects.filter(person=world.person, closed_on__isnull=True).count() == 1


def test_the_person_can_ask_for_a_review(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    Review.objects.filter(pk=world.review.pk).delete()
    world.allocated_worker.email = "worker@example.org"
    world.allocated_worker.save()
    client = world.client_for(world.the_person)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("portal:review", args=[world.person.pk]),
            {"what_changed": "My PA is leaving"},
        )
    assert response.status_code == 302
    review = Review.objects.get(person=world.person, status=ReviewStatus.OPEN)
    assert review.asked_for_by_person and not review.planned
    assert mail.outbox[-1].to == ["worker@example.org"]
    due = world.client_for(world.allocated_worker).get(reverse("reviews:due"))
    assert "My PA is leaving" in due.content.decode()


def test_due_and_overdue_reviews_are_listed_for_the_worker_and_team(world: World) -> None:
    plan = Plan.objects.get(person=world.person, status=PlanStatus.APPROVED)
    today = timezone.localdate()
    ScheduledReview.objects.create(
        person=world.person,
        plan=plan,
        kind="first",
        due_from=today - datetime.timedelta(days=30),
        due_by=today - datetime.timedelta(days=2),
    )
    mine = world.client_for(world.allocated_worker).get(reverse("reviews:due"))
    assert "Overdue" in mine.content.decode() and "Ada Lovelace" in mine.content.decode()
    team = world.client_for(world.team_manager).get(reverse("reviews:due") + "?who=team")
    assert "Ada Lovelace" in team.content.decode()
    other = world.client_for(world.worker_other_team).get(reverse("reviews:due") + "?who=team")
    assert "Ada Lovelace" not in other.content.decode()
    home = world.client_for(world.allocated_worker).get(reverse("core:home"))
    assert re.search(r"<strong>1</strong> overdue", home.content.decode())


# --- Learning -----------------------------------------------------------------------------


def _reviewed_people(world: World, count: int, theme: LearningTheme, *, quote: bool) -> None:
    for n in range(count):
        person = PersonFactory(first_name=f"Learner-{n}", named_worker=world.allocated_worker)
        completed_assessment(person, world.allocated_worker)
        review = review_services.review_open(
            actor=world.allocated_worker, person=_signed_off(person, world.allocated_worker)
        )
        review_services.review_give_view(
            actor=world.allocated_worker,
            review=review,
            view=review_services.View(not_working=f"Agency late {n}", share_quotes=True),
        )
        # The person's own consent to quoting is what matters for the worker's notes: none.
        point = ReviewPoint.objects.get(contribution__review=review)
        if quote:
            review_services._save_view(
                review=review,
                kind="person",
                author=None,
                author_label="Them",
                view=review_services.View(
                    not_working=f"They never come on time {n}", share_quotes=True
                ),
                ratings={},
            )
        themes = {p.pk: theme.pk for p in ReviewPoint.objects.filter(contribution__review=review)}
        themes[point.pk] = theme.pk
        review_services.review_complete(
            actor=world.allocated_worker,
            review=review,
            outcome=review_services.Outcome(
                method="remote",
                achieved=dict.fromkeys(OUTCOMES, "partially_met"),
                decision="carry_on",
                themes=themes,
            ),
        )


def test_learning_counts_are_suppressed_under_five(world: World) -> None:
    theme = LearningTheme.objects.get(name="Provider reliability")
    _reviewed_people(world, 4, theme, quote=True)
    client = world.client_for(world.commissioner)
    page = client.get(reverse("reviews:learning")).content.decode()
    assert "Provider reliability" in page
    assert "fewer than 5" in page
    assert "never come on time" not in page  # no quotes for a suppressed theme
    _reviewed_people(world, 1, theme, quote=False)
    page = client.get(reverse("reviews:learning")).content.decode()
    assert re.search(r"numeric\">5</td>", page)
    assert "They never come on time" in page  # the person agreed
    assert "Agency late" not in page  # the worker's notes are never quoted
    # Names carry a hyphen so a random CSRF token (letters and digits) can never match them.
    assert "Lovelace" not in page and "Learner-" not in page
    by_team = client.get(reverse("reviews:learning") + "?split=team").content.decode()
    assert world.team_a.name in by_team


def test_learning_counts_are_kept_for_a_few_minutes_and_can_be_worked_out_now(
    world: World, settings
) -> None:  # type: ignore[no-untyped-def]
    from django.core.cache import cache

    settings.FIGURES_CACHE_SECONDS = 600
    cache.clear()
    theme = LearningTheme.objects.get(name="Provider reliability")
    _reviewed_people(world, 5, theme, quote=True)
    client = world.client_for(world.commissioner)
    url = reverse("reviews:learning") + "?split=team"
    first = client.get(url).text
    assert "worked out again every 10 minutes" in first
    assert 'href="?split=team&amp;fresh=1"' in first
    assert re.search(r"numeric\">5</td>", first)
    _reviewed_people(world, 1, theme, quote=False)
    # The same counts, from the cache; quotes are never kept.
    assert re.search(r"numeric\">5</td>", client.get(url).text)
    assert re.search(r"numeric\">6</td>", client.get(url + "&fresh=1").text)
    cache.clear()


# --- Peer support -------------------------------------------------------------------------


def test_peer_link_needs_both_to_agree_and_is_followed_up(world: World) -> None:
    PeerLink.objects.all().delete()
    seeker = world.person
    client = world.client_for(world.allocated_worker)
    page = client.get(reverse("reviews:peers", args=[seeker.pk])).content.decode()
    assert "same main reason for support" in page
    assert "Peer " not in page.split("People who might help")[1]  # described, never named
    peer_id = re.search(r'name="peer" type="radio" value="(\d+)"', page).group(1)  # type: ignore[union-attr]
    assert (
        client.post(reverse("reviews:peers", args=[seeker.pk]), {"peer": peer_id}).status_code
        == 302
    )
    link = PeerLink.objects.get(person=seeker)
    # The person agrees in the portal; not linked until the peer agrees too.
    portal = world.client_for(world.the_person)
    portal.post(reverse("portal:peer-answer", args=[link.pk]), {"agree": "yes"})
    link.refresh_from_db()
    assert link.status == LinkStatus.PROPOSED and link.person_agreed_how == "In the portal"
    # The peer's worker records the peer's answer. (The same worker here: both in team A.)
    client.post(reverse("reviews:peer-answer", args=[link.pk]), {"agree": "yes", "how": "Phone"})
    link.refresh_from_db()
    # The worker has a relationship with both sides: they answered for the first (the person's)
    # side, which was already agreed; so record the peer's side through the service instead.
    if link.status != LinkStatus.LINKED:
        review_services.peer_answer(
            actor=world.allocated_worker,
            link=link,
            side=review_services.SIDE_PEER,
            agree=True,
            how="Phone",
        )
        link.refresh_from_db()
    assert link.status == LinkStatus.LINKED
    page = portal.get(reverse("portal:peers", args=[seeker.pk])).content.decode()
    assert "Through my worker" in page  # how to contact, shared once linked
    _complete(world, world.review, peer_follow_up="They have met twice")
    link.refresh_from_db()
    assert link.followed_up_in_id == world.review.pk


def test_declining_ends_the_proposal(world: World) -> None:
    portal = world.client_for(world.the_person)
    portal.post(reverse("portal:peer-answer", args=[world.peer_link.pk]), {"agree": "no"})
    world.peer_link.refresh_from_db()
    assert world.peer_link.status == LinkStatus.DECLINED


def test_consenting_at_review_joins_the_register(world: World) -> None:
    response = _complete(
        world, world.review, will_share_experience="yes", how_to_contact="ada@example.org"
    )
    assert response.status_code == 302
    supporter = PeerSupporter.objects.get(person=world.person)
    assert supporter.is_active and supporter.how_to_contact == "ada@example.org"


def test_consent_without_a_way_to_contact_is_refused(world: World) -> None:
    response = _complete(world, world.review, will_share_experience="yes")
    assert response.status_code == 200
    assert "Say how a peer could get in touch" in response.content.decode()


def test_portal_join_and_leave_the_register(world: World) -> None:
    portal = world.client_for(world.the_person)
    url = reverse("portal:peers", args=[world.person.pk])
    assert "Say how" in portal.post(url, {"action": "join"}).content.decode()
    portal.post(url, {"action": "join", "how_to_contact": "By email"})
    assert PeerSupporter.objects.get(person=world.person).is_active
    portal.post(url, {"action": "leave"})
    assert not PeerSupporter.objects.get(person=world.person).is_active


# --- Themes -------------------------------------------------------------------------------


def test_administrator_keeps_the_theme_list(world: World) -> None:
    client = world.client_for(world.administrator)
    assert client.post(reverse("reviews:theme-create"), {"name": "Housing"}).status_code == 302
    clash = client.post(reverse("reviews:theme-create"), {"name": "housing"})
    assert "already a theme" in clash.content.decode()
    theme = LearningTheme.objects.get(name="Housing")
    client.post(reverse("reviews:theme-edit", args=[theme.pk]), {"name": "Housing"})
    theme.refresh_from_db()
    assert theme.active is False  # unticked: retired, not deleted


@pytest.mark.parametrize("decision", [c for c, _ in schedule.DECISIONS])
def test_every_decision_can_be_recorded(world: World, decision: str) -> None:
    response = _complete(world, world.review, decision=decision, decision_note="Because")
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Review.objects.get(pk=world.review.pk).event_outcome == schedule.EVENT_OUTCOME[decision]


def test_learning_counts_reviews_by_the_local_day_they_were_completed(world: World) -> None:
    """A review completed at 00:30 on 1 August (23:30 on 31 July in UTC) is August's."""
    from zoneinfo import ZoneInfo

    from selfdirect.reviews.selectors import LearningFilter, learning_cells

    theme = LearningTheme.objects.get(name="Provider reliability")
    _reviewed_people(world, 5, theme, quote=False)
    just_after_midnight = datetime.datetime(2026, 8, 1, 0, 30, tzinfo=ZoneInfo("Europe/London"))
    Review.objects.filter(status="completed").update(completed_at=just_after_midnight)

    def people(start: datetime.date, end: datetime.date) -> int:
        cells = learning_cells(f=LearningFilter(start=start, end=end))
        return sum(c.working + c.not_working for c in cells if c.theme == theme.name)

    assert people(datetime.date(2026, 8, 1), datetime.date(2026, 8, 31)) == 5
    assert people(datetime.date(2026, 8, 1), datetime.date(2026, 8, 1)) == 5
    assert people(datetime.date(2026, 7, 1), datetime.date(2026, 7, 31)) == 0
