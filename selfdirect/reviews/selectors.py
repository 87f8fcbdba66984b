"""Reads for reviews, learning and peer support. Lists are query filters, never loops."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from selfdirect.audit.models import EventType
from selfdirect.budgets.models import IndicativeBudget
from selfdirect.people.codes import PRIMARY_SUPPORT_REASON
from selfdirect.people.models import Person
from selfdirect.people.rules import access_basis, person_filter_for_user
from selfdirect.people.selectors import record_read_or_404
from selfdirect.plans.models import Plan, PlanItem, PlanStatus
from selfdirect.reviews import learning, peers
from selfdirect.reviews.models import (
    ContributorKind,
    LearningTheme,
    LinkStatus,
    PeerLink,
    PeerSupporter,
    PointKind,
    Review,
    ReviewContribution,
    ReviewPoint,
    ReviewStatus,
)
from selfdirect.support.models import ScheduledReview
from selfdirect.workforce.models import Team

if TYPE_CHECKING:
    from selfdirect.accounts.models import User


def review_get_for_user(*, user: User, review_id: int, what: str = "review") -> Review:
    """The review, if USER has a relationship with the person; otherwise 404 (audited)."""
    review = (
        Review.objects.select_related("person", "person__named_worker", "person__team", "plan")
        .filter(pk=review_id)
        .first()
    )
    if review is None:
        raise Http404("No such review")
    record_read_or_404(
        user=user,
        person=review.person,
        basis=access_basis(user, review.person),
        event_type=EventType.PERSON_VIEWED,
        new_values={"page": what, "review": review.pk},
    )
    return review


def reviews_for_person(*, person: Person) -> QuerySet[Review]:
    return Review.objects.filter(person=person).select_related("completed_by")


def open_review(*, person: Person) -> Review | None:
    return Review.objects.filter(person=person, status=ReviewStatus.OPEN).first()


def open_window(*, person: Person) -> ScheduledReview | None:
    return (
        ScheduledReview.objects.filter(person=person, closed_on__isnull=True)
        .order_by("due_by")
        .first()
    )


def contributions_for(*, review: Review) -> QuerySet[ReviewContribution]:
    return review.contributions.prefetch_related("points", "points__theme")


def points_for(*, review: Review) -> QuerySet[ReviewPoint]:
    return (
        ReviewPoint.objects.filter(contribution__review=review)
        .exclude(kind=PointKind.CHANGE)
        .select_related("contribution", "theme")
        .order_by("kind", "pk")
    )


def reviews_due(*, user: User, mine: bool) -> QuerySet[ScheduledReview]:
    """Open review windows for the people USER works with (or only their own people),
    soonest due first."""
    people = Person.objects.filter(person_filter_for_user(user))
    if mine:
        people = people.filter(named_worker=user)
    return (
        ScheduledReview.objects.filter(closed_on__isnull=True, person__in=people)
        .select_related("person", "person__named_worker")
        .annotate(open_review=Exists(Review.objects.filter(scheduled=OuterRef("pk"))))
        .order_by("due_by", "pk")
    )


def unplanned_open(*, user: User, mine: bool) -> QuerySet[Review]:
    people = Person.objects.filter(person_filter_for_user(user))
    if mine:
        people = people.filter(named_worker=user)
    return (
        Review.objects.filter(status=ReviewStatus.OPEN, planned=False, person__in=people)
        .select_related("person", "person__named_worker")
        .order_by("opened_at")
    )


def due_counts(*, user: User, today: datetime.date) -> dict[str, int]:
    """How many of USER's own people have a review overdue, or due now."""
    windows = ScheduledReview.objects.filter(
        closed_on__isnull=True, person__named_worker=user
    ).aggregate(
        overdue=Count("pk", filter=Q(due_by__lt=today)),
        due=Count("pk", filter=Q(due_from__lte=today, due_by__gte=today)),
    )
    return {"overdue": windows["overdue"], "due": windows["due"]}


# --- Learning ----------------------------------------------------------------------------


@dataclass(frozen=True)
class LearningFilter:
    start: datetime.date
    end: datetime.date
    team_id: int | None = None
    primary_support_reason: str = ""
    split: str = ""  # "", "team", "psr" or "quarter"


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _completed_in(f: LearningFilter) -> Q:
    # Local days as a range of instants, not `__date`: casting every review's time to a date
    # kept the (status, completed_at) index out and took half a second at 100,000 people.
    q = Q(
        contribution__review__status=ReviewStatus.COMPLETED,
        contribution__review__completed_at__gte=_day_start(f.start),
        contribution__review__completed_at__lt=_day_start(f.end + datetime.timedelta(days=1)),
        theme__isnull=False,
        kind__in=[PointKind.WORKING, PointKind.NOT_WORKING],
    )
    if f.team_id:
        q &= Q(contribution__review__team_id=f.team_id)
    if f.primary_support_reason:
        q &= Q(contribution__review__primary_support_reason=f.primary_support_reason)
    return q


def learning_cells(*, f: LearningFilter) -> list[learning.Cell]:
    """People whose completed review raised each theme, as working or not working: one
    aggregate query, then suppression (reviews/learning.py)."""
    split_field = {
        "team": "contribution__review__team__name",
        "psr": "contribution__review__primary_support_reason",
    }.get(f.split)
    values = ["theme__name", "kind"]
    if split_field:
        values.append(split_field)
    if f.split == "quarter":
        # Quarters are not a database function on both engines: count people per quarter here,
        # from one query of distinct (theme, kind, time, person) rows.
        people: dict[tuple[str, str, str], set[int]] = {}
        for row in (
            ReviewPoint.objects.filter(_completed_in(f))
            .values_list(
                "theme__name",
                "kind",
                "contribution__review__completed_at",
                "contribution__review__person",
            )
            .distinct()
        ):
            theme, kind, at, person_id = row
            if at is None:
                continue
            key = (theme, learning.quarter_label(at.date()), kind)
            people.setdefault(key, set()).add(person_id)
        return learning.cells((t, q, k, len(ids)) for (t, q, k), ids in people.items())
    psr_labels = dict(PRIMARY_SUPPORT_REASON)
    rows = (
        ReviewPoint.objects.filter(_completed_in(f))
        .values(*values)
        .annotate(people=Count("contribution__review__person", distinct=True))
        .order_by()
    )
    out = []
    for row in rows:
        split = row.get(split_field, "") if split_field else ""
        if f.split == "psr":
            split = psr_labels.get(split, split or "Not recorded")
        out.append((row["theme__name"], split or "", row["kind"], row["people"]))
    return learning.cells(out)


def learning_quotes(*, f: LearningFilter, themes: set[str], limit: int = 5) -> dict[str, list[str]]:
    """Quotes for THEMES (those whose counts are shown), only where the writer agreed to
    share them and the person agreed too; the worker's own notes are never quoted."""
    person_agreed = ReviewContribution.objects.filter(
        review=OuterRef("contribution__review"),
        kind__in=[ContributorKind.PERSON, ContributorKind.REPRESENTATIVE],
        share_quotes=True,
    )
    quotes: dict[str, list[str]] = {}
    points = (
        ReviewPoint.objects.filter(_completed_in(f), theme__name__in=themes)
        .filter(contribution__share_quotes=True)
        .exclude(contribution__kind=ContributorKind.WORKER)
        .filter(Exists(person_agreed))
        .values_list("theme__name", "kind", "text")
        .order_by("-contribution__review__completed_at", "-pk")
    )
    for theme, kind, text in points[:500]:
        bucket = quotes.setdefault(theme, [])
        if len(bucket) < limit:
            label = "Working" if kind == PointKind.WORKING else "Not working"
            bucket.append(f"{label}: {text}")
    return quotes


def theme_list(*, active_only: bool = False) -> QuerySet[LearningTheme]:
    themes = LearningTheme.objects.annotate(uses=Count("points"))
    return themes.filter(active=True) if active_only else themes


def team_choices() -> list[tuple[int, str]]:
    return list(Team.objects.order_by("name").values_list("pk", "name"))


# --- Peer support ------------------------------------------------------------------------


def _profiles(person_ids: list[int]) -> dict[int, peers.Profile]:
    """Profiles for matching, in a fixed number of queries whatever the number of people."""
    people = Person.objects.filter(pk__in=person_ids).values_list(
        "pk", "primary_support_reason", "postcode"
    )
    outcomes: dict[int, set[str]] = {}
    for person_id, contributions in (
        IndicativeBudget.objects.filter(person_id__in=person_ids)
        .order_by("person_id", "issued_at", "pk")
        .values_list("person_id", "contributions")
    ):
        outcomes[person_id] = {c["outcome"] for c in contributions}  # the latest wins
    ways: dict[int, set[str]] = {}
    for person_id, management in Plan.objects.filter(
        person_id__in=person_ids, status__in=[PlanStatus.APPROVED, PlanStatus.DRAFT]
    ).values_list("person_id", "management"):
        ways.setdefault(person_id, set()).add(management)
    for person_id, kind in (
        PlanItem.objects.filter(
            plan__person_id__in=person_ids,
            plan__status__in=[PlanStatus.APPROVED, PlanStatus.DRAFT],
        )
        .values_list("plan__person_id", "provider_kind")
        .distinct()
    ):
        ways.setdefault(person_id, set()).add(kind)
    return {
        pk: peers.Profile(
            person_id=pk,
            primary_support_reason=psr,
            postcode=postcode,
            outcomes=frozenset(outcomes.get(pk, ())),
            ways=frozenset(ways.get(pk, ())),
        )
        for pk, psr, postcode in people
    }


def peer_suggestions(*, person: Person, limit: int = 5) -> list[peers.Match]:
    """Possible peers for PERSON from the register, best first (described, never named)."""
    register = list(
        PeerSupporter.objects.filter(withdrawn_on__isnull=True)
        .exclude(person=person)
        .values_list("person_id", flat=True)
    )
    profiles = _profiles([person.pk, *register])
    seeker = profiles.get(person.pk)
    if seeker is None:
        return []
    already = PeerLink.objects.filter(person=person).values_list("peer_id", flat=True)
    return peers.suggest(
        seeker,
        (profiles[pk] for pk in register if pk in profiles),
        exclude=list(already),
        limit=limit,
    )


def peer_links_for(*, person: Person) -> QuerySet[PeerLink]:
    """Links where PERSON is the one seeking support or the peer."""
    return (
        PeerLink.objects.filter(Q(person=person) | Q(peer=person))
        .select_related("person", "peer", "peer__peer_supporter", "followed_up_in")
        .order_by("-proposed_at")
    )


def peer_supporter(*, person: Person) -> PeerSupporter | None:
    return PeerSupporter.objects.filter(person=person).first()


def linked_unfollowed(*, person: Person) -> QuerySet[PeerLink]:
    return PeerLink.objects.filter(
        Q(person=person) | Q(peer=person), status=LinkStatus.LINKED, followed_up_in__isnull=True
    )
