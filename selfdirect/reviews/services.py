"""Reviews, learning themes and peer support: every write, with its audit event.

A review gathers views (the person, their representative, anyone they invite, the worker),
then the worker records outcomes and a decision. A review never changes the budget: when
needs have changed it opens a reassessment, and the budget changes only if that assessment
says so.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Min, Q
from django.utils import timezone

from selfdirect.accounts.models import Role
from selfdirect.assessments import services as assessment_services
from selfdirect.audit.models import EventType
from selfdirect.audit.services import audit_record
from selfdirect.core.tokens import new_token, token_hash
from selfdirect.people.rules import access_basis
from selfdirect.people.selectors import emails_to_tell
from selfdirect.plans import services as plan_services
from selfdirect.plans.models import Plan, PlanDecision, PlanStatus
from selfdirect.reviews import schedule
from selfdirect.reviews.models import (
    ContributorKind,
    LearningTheme,
    LinkStatus,
    PeerLink,
    PeerSupporter,
    PointKind,
    Review,
    ReviewContribution,
    ReviewInvitation,
    ReviewOutcome,
    ReviewPoint,
    ReviewStatus,
)
from selfdirect.support.models import DirectPayment, ScheduledReview, Service

if TYPE_CHECKING:
    from selfdirect.accounts.models import User
    from selfdirect.people.models import Person

INVITATION_DAYS = 21
MAX_POINTS = 20


def _reason(actor: User, person: Person) -> str:
    return access_basis(actor, person) or "Recorded by the council"


def current_plan(person: Person) -> Plan | None:
    """The signed-off plan in force: the latest one approved."""
    return (
        Plan.objects.filter(person=person, status=PlanStatus.APPROVED)
        .order_by("-decision__decided_at", "-id")
        .first()
    )


def plan_outcomes(plan: Plan) -> list[tuple[str, str]]:
    """The outcomes the plan is for: those its budget was worked out from, in that order."""
    return [(c["outcome"], c["label"]) for c in plan.budget.contributions]


def _points(text: str) -> list[str]:
    """One point per line; blank lines and bullet marks are dropped."""
    points = [line.strip().lstrip("-•*").strip() for line in text.splitlines()]
    return [p[:2000] for p in points if p][:MAX_POINTS]


# --- Opening a review --------------------------------------------------------------------


@transaction.atomic
def review_open(
    *,
    actor: User,
    person: Person,
    reason: str = schedule.PLANNED_REASON,
    reason_detail: str = "",
) -> Review:
    """Open a review of the person's current plan, or return the one already open.

    A planned review fulfils the person's open review window; an unplanned one (for a reason
    from the CLD list) is extra and leaves the planned window where it is.
    """
    existing = Review.objects.filter(person=person, status=ReviewStatus.OPEN).first()
    if existing is not None:
        return existing
    plan = current_plan(person)
    if plan is None:
        raise ValidationError("There is no signed-off plan to review yet")
    if reason not in dict(schedule.REVIEW_REASONS):
        raise ValidationError({"reason": "Choose why the review is happening"})
    planned = reason == schedule.PLANNED_REASON
    if not planned and not reason_detail.strip():
        raise ValidationError({"reason_detail": "Say what has changed"})
    window = None
    if planned:
        window = (
            ScheduledReview.objects.filter(person=person, closed_on__isnull=True)
            .filter(review__isnull=True)
            .order_by("due_by")
            .first()
        )
    review = Review.objects.create(
        person=person,
        plan=plan,
        scheduled=window,
        planned=planned,
        reason=reason,
        reason_detail=reason_detail.strip(),
        opened_at=timezone.now(),
        opened_by=actor,
    )
    audit_record(
        actor=actor,
        person=person,
        event_type=EventType.REVIEW_OPENED,
        reason=_reason(actor, person),
        new_values={"review": review.pk, "planned": planned, "reason": reason},
    )
    return review


@transaction.atomic
def review_ask(*, actor: User, person: Person, what_changed: str) -> Review:
    """The person (or their representative) asks for a review: an unplanned one, opened at
    once, and their named worker is told."""
    if not what_changed.strip():
        raise ValidationError(
            {"what_changed": "Tell us what has changed or what you want to talk about"}
        )
    review = review_open(
        actor=actor, person=person, reason="other", reason_detail=what_changed.strip()
    )
    if review.opened_by_id == actor.pk and not review.asked_for_by_person:
        review.asked_for_by_person = True
        review.save(update_fields=["asked_for_by_person"])
    audit_record(
        actor=actor,
        person=person,
        event_type=EventType.REVIEW_ASKED,
        reason=_reason(actor, person),
        new_values={"review": review.pk},
    )
    # Their named worker, or (while they have none) the team's managers and its shared inbox.
    if person.named_worker is not None:
        recipients = [person.named_worker.email]
    else:
        recipients = [
            *person.team.members.filter(role=Role.TEAM_MANAGER, is_active=True).values_list(
                "email", flat=True
            ),
            person.team.email,
        ]
    recipients = [email for email in recipients if email]
    if recipients:
        name = person.preferred_name or person.first_name
        body = (
            f"{name} {person.last_name} ({person.reference}) has asked for a review.\n\n"
            f"What they said has changed:\n{what_changed.strip()}\n\n"
            "Open their record to see the review.\n"
        )
        transaction.on_commit(
            lambda: send_mail(
                subject="A review has been asked for",
                message=body,
                from_email=None,
                recipient_list=recipients,
                fail_silently=True,
            )
        )
    return review


# --- Views before and at the meeting -----------------------------------------------------


@dataclass(frozen=True)
class View:
    working: str = ""
    not_working: str = ""
    change: str = ""
    ratings: Mapping[str, str] | None = None
    share_quotes: bool = False
    will_share_experience: bool | None = None


def _contributor(actor: User, person: Person) -> tuple[str, str]:
    name = actor.get_full_name() or actor.username
    if actor.role == Role.PERSON and person.portal_user_id == actor.pk:
        return ContributorKind.PERSON, f"{name} (the person)"
    if actor.role == Role.REPRESENTATIVE:
        return ContributorKind.REPRESENTATIVE, f"{name} (representative)"
    return ContributorKind.WORKER, f"{name} ({actor.get_role_display().lower()})"


def _check_view(review: Review, view: View) -> dict[str, str]:
    if review.status != ReviewStatus.OPEN:
        raise ValidationError("This review has been completed, so views can no longer be added")
    outcomes = dict(plan_outcomes(review.plan))
    ratings = {k: v for k, v in (view.ratings or {}).items() if v}
    allowed = dict(schedule.OUTCOMES_ACHIEVED)
    for code, value in ratings.items():
        if code not in outcomes or value not in allowed:
            raise ValidationError(f"Choose how far '{outcomes.get(code, code)}' is met")
    if not (_points(view.working) or _points(view.not_working) or _points(view.change) or ratings):
        raise ValidationError("Write at least one thing, or say how far an outcome is met")
    return ratings


def _save_view(
    *,
    review: Review,
    kind: str,
    author: User | None,
    author_label: str,
    view: View,
    ratings: dict[str, str],
) -> ReviewContribution:
    # One view per author: giving it again replaces the earlier one.
    if author is not None:
        ReviewContribution.objects.filter(review=review, author=author).delete()
    contribution = ReviewContribution.objects.create(
        review=review,
        kind=kind,
        author=author,
        author_label=author_label[:200],
        outcome_ratings=ratings,
        share_quotes=view.share_quotes,
        will_share_experience=view.will_share_experience
        if kind in (ContributorKind.PERSON, ContributorKind.REPRESENTATIVE)
        else None,
        submitted_at=timezone.now(),
    )
    ReviewPoint.objects.bulk_create(
        [
            ReviewPoint(contribution=contribution, kind=point_kind, text=text)
            for point_kind, text_block in (
                (PointKind.WORKING, view.working),
                (PointKind.NOT_WORKING, view.not_working),
                (PointKind.CHANGE, view.change),
            )
            for text in _points(text_block)
        ]
    )
    return contribution


@transaction.atomic
def review_give_view(*, actor: User, review: Review, view: View) -> ReviewContribution:
    """The person, their representative or the worker gives their view of how things are."""
    ratings = _check_view(review, view)
    kind, label = _contributor(actor, review.person)
    contribution = _save_view(
        review=review, kind=kind, author=actor, author_label=label, view=view, ratings=ratings
    )
    audit_record(
        actor=actor,
        person=review.person,
        event_type=EventType.REVIEW_VIEW_GIVEN,
        reason=_reason(actor, review.person),
        new_values={"review": review.pk, "points": contribution.points.count()},
    )
    return contribution


@transaction.atomic
def review_invite(
    *,
    actor: User,
    review: Review,
    name: str,
    email: str,
    kind: str,
    answer_url: Callable[[str], str],
) -> ReviewInvitation:
    """The person invites someone (family, a provider) to give a view. The link works once,
    for 21 days, and shows only the review questions."""
    if review.status != ReviewStatus.OPEN:
        raise ValidationError("This review has been completed")
    token = new_token()
    now = timezone.now()
    invitation = ReviewInvitation(
        review=review,
        name=name.strip(),
        email=email.strip(),
        kind=kind,
        token_hash=token_hash(token),
        invited_by=actor,
        created_at=now,
        expires_at=now + timedelta(days=INVITATION_DAYS),
    )
    invitation.full_clean()
    invitation.save()
    audit_record(
        actor=actor,
        person=review.person,
        event_type=EventType.REVIEW_INVITED,
        reason=_reason(actor, review.person),
        new_values={"review": review.pk, "name": invitation.name, "kind": kind},
    )
    person = review.person
    link = answer_url(token)
    body = (
        f"Dear {invitation.name},\n\n{person.preferred_name or person.first_name} has asked you "
        f"to say how their support is going, for their review.\n\nFollow this link within "
        f"{INVITATION_DAYS} days to answer a few questions:\n{link}\n\n{settings.COUNCIL_NAME}"
    )
    transaction.on_commit(
        lambda: send_mail(
            subject="You have been asked for your view of someone's support",
            message=body,
            from_email=None,
            recipient_list=[invitation.email],
            fail_silently=True,
        )
    )
    return invitation


def invitation_for_token(token: str) -> ReviewInvitation | None:
    """The invitation a link is for, while it can still be used."""
    invitation = (
        ReviewInvitation.objects.select_related("review", "review__person", "review__plan")
        .filter(token_hash=token_hash(token))
        .first()
    )
    if (
        invitation is None
        or invitation.answered_at is not None
        or invitation.expires_at <= timezone.now()
        or invitation.review.status != ReviewStatus.OPEN
    ):
        return None
    return invitation


@transaction.atomic
def review_answer_invitation(*, token: str, view: View) -> ReviewContribution:
    """Someone invited by the person gives their view, once."""
    invitation = invitation_for_token(token)
    if invitation is None:
        raise ValidationError("This link has expired or has already been used")
    review = invitation.review
    ratings = _check_view(review, View(**{**view.__dict__, "will_share_experience": None}))
    contribution = _save_view(
        review=review,
        kind=invitation.kind,
        author=None,
        author_label=f"{invitation.name} ({invitation.get_kind_display().lower()})",
        view=view,
        ratings=ratings,
    )
    invitation.answered_at = timezone.now()
    invitation.save(update_fields=["answered_at"])
    audit_record(
        actor=None,
        person=review.person,
        event_type=EventType.REVIEW_VIEW_GIVEN,
        reason=f"Invited by the person: {invitation.name}",
        new_values={"review": review.pk, "invitation": invitation.pk},
    )
    return contribution


# --- Completing the review ---------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    method: str
    achieved: Mapping[str, str]
    decision: str
    decision_note: str = ""
    themes: Mapping[int, int | None] | None = None
    will_share_experience: bool | None = None
    how_to_contact: str = ""
    peer_follow_up: str = ""


def _support_started(plan: Plan) -> datetime.date:
    started = Service.objects.filter(plan=plan).aggregate(first=Min("start_date"))["first"]
    if started is None:
        decided = PlanDecision.objects.filter(plan=plan).values_list("decided_at", flat=True)
        started = timezone.localdate(decided[0]) if decided else None
    return started or timezone.localdate()


@transaction.atomic
def review_complete(*, actor: User, review: Review, outcome: Outcome) -> Review:
    """Record the review: how far each plan outcome is met, the decision, themes for what was
    said, and whether the person will share their experience. Then act on the decision."""
    review = Review.objects.select_for_update().get(pk=review.pk)
    if review.status != ReviewStatus.OPEN:
        raise ValidationError("This review has already been completed")
    errors: dict[str, str] = {}
    if outcome.method not in dict(schedule.METHODS):
        errors["method"] = "Choose how the review was held"
    if outcome.decision not in dict(schedule.DECISIONS):
        errors["decision"] = "Choose what happens next"
    outcomes = plan_outcomes(review.plan)
    allowed = dict(schedule.OUTCOMES_ACHIEVED)
    for code, label in outcomes:
        if outcome.achieved.get(code) not in allowed:
            errors[f"outcome_{code}"] = f"Choose how far '{label}' is met"
    if outcome.decision in (schedule.END_OTHER, schedule.REASSESS, schedule.CHANGE_PLAN) and (
        not outcome.decision_note.strip()
    ):
        errors["decision_note"] = "Say why, in words the person will understand"
    if outcome.will_share_experience and not outcome.how_to_contact.strip():
        errors["how_to_contact"] = "Say how a peer could get in touch, once both agree"
    if errors:
        raise ValidationError(errors)

    # Themes for what was said (only points made in this review; retired themes refused).
    theme_ids = {t for t in (outcome.themes or {}).values() if t}
    active = set(
        LearningTheme.objects.filter(pk__in=theme_ids, active=True).values_list("pk", flat=True)
    )
    if theme_ids - active:
        raise ValidationError("Choose a theme from the list")
    points = {
        p.pk: p for p in ReviewPoint.objects.filter(contribution__review=review).order_by("pk")
    }
    retagged = []
    for point_id, theme_id in (outcome.themes or {}).items():
        point = points.get(point_id)
        if point is not None and point.kind != PointKind.CHANGE and point.theme_id != theme_id:
            point.theme_id = theme_id
            retagged.append(point)
    ReviewPoint.objects.bulk_update(retagged, ["theme"])

    ReviewOutcome.objects.bulk_create(
        [
            ReviewOutcome(review=review, outcome=code, achieved=outcome.achieved[code])
            for code, _ in outcomes
        ]
    )
    person = review.person
    today = timezone.localdate()
    review.method = outcome.method
    review.decision = outcome.decision
    review.decision_note = outcome.decision_note.strip()
    review.outcomes_achieved = (
        schedule.overall_outcomes_achieved(outcome.achieved[c] for c, _ in outcomes)
        if outcomes
        else ""
    )
    review.event_outcome = schedule.EVENT_OUTCOME[outcome.decision]
    review.peer_follow_up = outcome.peer_follow_up.strip()
    review.status = ReviewStatus.COMPLETED
    review.completed_at = timezone.now()
    review.completed_by = actor
    review.team_id = person.team_id
    review.primary_support_reason = person.primary_support_reason
    review.by_named_worker = person.named_worker_id == actor.pk
    review.save()

    if review.scheduled_id is not None:
        ScheduledReview.objects.filter(pk=review.scheduled_id).update(
            closed_on=today, closed_because="Review held"
        )
    PeerLink.objects.filter(
        Q(person=person) | Q(peer=person), status=LinkStatus.LINKED, followed_up_in__isnull=True
    ).update(followed_up_in=review)
    if outcome.will_share_experience is True:
        peer_join(actor=actor, person=person, how_to_contact=outcome.how_to_contact, review=review)
    elif outcome.will_share_experience is False:
        peer_withdraw(actor=actor, person=person)

    revised: Plan | None = None
    if outcome.decision in (schedule.END_AS_PLANNED, schedule.END_OTHER):
        Service.objects.filter(person=person, end_date__isnull=True).update(end_date=today)
        ScheduledReview.objects.filter(person=person, closed_on__isnull=True).update(
            closed_on=today, closed_because="Support ended"
        )
    else:
        _schedule_next(review)
        if outcome.decision == schedule.CHANGE_PLAN:
            revised = plan_services.plan_revise(actor=actor, plan=review.plan)
        elif outcome.decision == schedule.REASSESS:
            kind = "carer" if person.client_type == "unpaid_carer" else "adult"
            assessment_services.assessment_start(actor=actor, person=person, kind=kind)

    audit_record(
        actor=actor,
        person=person,
        event_type=EventType.REVIEW_COMPLETED,
        reason=_reason(actor, person),
        new_values={
            "review": review.pk,
            "decision": review.decision,
            "outcomes_achieved": review.outcomes_achieved,
            "revised_plan": revised.pk if revised else None,
        },
    )
    _tell_person(review)
    return review


def _schedule_next(review: Review) -> None:
    """After a planned review, the next planned window; an unplanned one leaves it be."""
    person = review.person
    if ScheduledReview.objects.filter(person=person, closed_on__isnull=True).exists():
        return
    plan = review.plan
    held = [
        schedule.PastReview(on=timezone.localdate(r.completed_at), planned=r.planned)
        for r in Review.objects.filter(person=person, status=ReviewStatus.COMPLETED)
        if r.completed_at is not None
    ]
    payment = DirectPayment.objects.filter(plan=plan).first()
    window = schedule.next_planned_review(
        support_started=_support_started(plan),
        reviews=held,
        direct_payment_started=payment.first_payment_on if payment else None,
    )
    ScheduledReview.objects.create(
        person=person,
        plan=plan,
        kind=window.kind,
        due_from=window.due_from,
        due_by=window.due_by,
    )


def _tell_person(review: Review) -> None:
    person = review.person
    emails = emails_to_tell(person=person)
    if not emails:
        return
    body = (
        f"Your review has been recorded.\n\nWhat happens next: "
        f"{review.get_decision_display()}.\n"
        + (f"\n{review.decision_note}\n" if review.decision_note else "")
        + "\nYour budget has not changed. You can read the review when you sign in.\n\n"
        f"{settings.COUNCIL_NAME}"
    )
    transaction.on_commit(
        lambda: send_mail(
            subject="Your review",
            message=body,
            from_email=None,
            recipient_list=emails,
            fail_silently=True,
        )
    )


# --- Learning themes (administrators) ----------------------------------------------------


@transaction.atomic
def theme_save(
    *, actor: User, name: str, description: str, active: bool, theme: LearningTheme | None = None
) -> LearningTheme:
    """Add or change a learning theme. Themes are retired, never deleted, so counts hold."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Enter a name for the theme"})
    clash = LearningTheme.objects.filter(name__iexact=name)
    if theme is not None:
        clash = clash.exclude(pk=theme.pk)
    if clash.exists():
        raise ValidationError({"name": "There is already a theme with that name"})
    theme = theme or LearningTheme()
    theme.name = name
    theme.description = description.strip()
    theme.active = active
    theme.save()
    return theme


# --- Peer support ------------------------------------------------------------------------


@transaction.atomic
def peer_join(
    *, actor: User, person: Person, how_to_contact: str, review: Review | None = None
) -> PeerSupporter:
    """The person agrees to share their experience with others: they join the register."""
    if not how_to_contact.strip():
        raise ValidationError({"how_to_contact": "Say how a peer could get in touch"})
    supporter, _ = PeerSupporter.objects.update_or_create(
        person=person,
        defaults={
            "joined_on": timezone.localdate(),
            "how_to_contact": how_to_contact.strip()[:300],
            "withdrawn_on": None,
            "source_review": review,
        },
    )
    audit_record(
        actor=actor,
        person=person,
        event_type=EventType.PEER_JOINED,
        reason=_reason(actor, person),
        new_values={"review": review.pk if review else None},
    )
    return supporter


@transaction.atomic
def peer_withdraw(*, actor: User, person: Person) -> None:
    """The person no longer wants to be suggested as a peer. Links already made stay."""
    updated = PeerSupporter.objects.filter(person=person, withdrawn_on__isnull=True).update(
        withdrawn_on=timezone.localdate()
    )
    PeerLink.objects.filter(peer=person, status=LinkStatus.PROPOSED).update(
        status=LinkStatus.DECLINED
    )
    if updated:
        audit_record(
            actor=actor,
            person=person,
            event_type=EventType.PEER_WITHDRAWN,
            reason=_reason(actor, person),
        )


@transaction.atomic
def peer_propose(*, actor: User, person: Person, peer: Person, why: str) -> PeerLink:
    """A worker proposes putting PERSON in touch with a peer on the register. Nothing is
    shared with either until both agree."""
    if peer.pk == person.pk:
        raise ValidationError("Someone cannot be their own peer")
    if not PeerSupporter.objects.filter(person=peer, withdrawn_on__isnull=True).exists():
        raise ValidationError("That person is no longer on the peer support register")
    if PeerLink.objects.filter(person=person, peer=peer).exists():
        raise ValidationError("This link has already been proposed")
    link = PeerLink.objects.create(
        person=person, peer=peer, why=why[:300], proposed_by=actor, proposed_at=timezone.now()
    )
    audit_record(
        actor=actor,
        person=person,
        event_type=EventType.PEER_PROPOSED,
        reason=_reason(actor, person),
        new_values={"link": link.pk},
    )
    return link


SIDE_PERSON = "person"
SIDE_PEER = "peer"


@transaction.atomic
def peer_answer(*, actor: User, link: PeerLink, side: str, agree: bool, how: str) -> PeerLink:
    """One side of a proposed link agrees or declines (themselves in the portal, or their
    worker recording what they said). The link is made only when both have agreed."""
    link = PeerLink.objects.select_for_update().get(pk=link.pk)
    if link.status != LinkStatus.PROPOSED:
        raise ValidationError("This link has already been settled")
    who = link.person if side == SIDE_PERSON else link.peer
    now = timezone.now()
    if not agree:
        link.status = LinkStatus.DECLINED
        link.save(update_fields=["status"])
        audit_record(
            actor=actor,
            person=who,
            event_type=EventType.PEER_DECLINED,
            reason=_reason(actor, who),
            new_values={"link": link.pk},
        )
        return link
    if side == SIDE_PERSON:
        link.person_agreed_at, link.person_agreed_how = now, how[:200]
    else:
        link.peer_agreed_at, link.peer_agreed_how = now, how[:200]
    audit_record(
        actor=actor,
        person=who,
        event_type=EventType.PEER_AGREED,
        reason=_reason(actor, who),
        new_values={"link": link.pk, "how": how[:200]},
    )
    if link.person_agreed_at and link.peer_agreed_at:
        link.status = LinkStatus.LINKED
        link.linked_at = now
        for about in (link.person, link.peer):
            audit_record(
                actor=actor,
                person=about,
                event_type=EventType.PEER_LINKED,
                reason="Both agreed to the link",
                new_values={"link": link.pk},
            )
    link.save()
    return link
