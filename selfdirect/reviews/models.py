"""Reviews (Step 6): what the person and those around them say, what the worker records and
decides, the themes learned from it, and the peer support register."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from selfdirect.assessments.models import ALL_OUTCOMES
from selfdirect.reviews import schedule


class ReviewStatus(models.TextChoices):
    OPEN = "open", "Gathering views"
    COMPLETED = "completed", "Completed"


class Review(models.Model):
    """One review of the person's current plan: planned (from a scheduled window) or unplanned.

    It never changes the budget: a review that finds needs have changed opens a request for
    reassessment instead (reviews.services.review_complete).
    """

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="reviews")
    plan = models.ForeignKey("plans.Plan", on_delete=models.PROTECT, related_name="reviews")
    # The planned window this review fulfils; empty for an unplanned review.
    scheduled = models.OneToOneField(
        "support.ScheduledReview",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="review",
    )
    planned = models.BooleanField()
    reason = models.CharField(max_length=30, choices=schedule.REVIEW_REASONS)
    reason_detail = models.TextField(blank=True)
    asked_for_by_person = models.BooleanField(default=False)
    status = models.CharField(
        max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.OPEN
    )
    opened_at = models.DateTimeField()
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # What the worker records at the meeting.
    method = models.CharField(max_length=30, choices=schedule.METHODS, blank=True)
    decision = models.CharField(max_length=20, choices=schedule.DECISIONS, blank=True)
    decision_note = models.TextField(blank=True)
    outcomes_achieved = models.CharField(
        max_length=20, choices=schedule.OUTCOMES_ACHIEVED, blank=True
    )
    event_outcome = models.CharField(max_length=80, blank=True)
    peer_follow_up = models.TextField(blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Kept as they were at completion, so the learning figures do not move when people do.
    team = models.ForeignKey(
        "workforce.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    primary_support_reason = models.CharField(max_length=100, blank=True)
    by_named_worker = models.BooleanField(null=True)

    class Meta:
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(status="open"),
                name="one_open_review_per_person",
            )
        ]
        indexes = [models.Index(fields=["status", "completed_at"])]

    def __str__(self) -> str:
        kind = "Planned" if self.planned else "Unplanned"
        return f"{kind} review opened {self.opened_at:%d %b %Y}"

    @property
    def is_open(self) -> bool:
        return self.status == ReviewStatus.OPEN


class ContributorKind(models.TextChoices):
    PERSON = "person", "The person"
    REPRESENTATIVE = "representative", "Their representative"
    FAMILY = "family", "Family or a friend"
    PROVIDER = "provider", "A provider or personal assistant"
    OTHER = "other", "Someone else they invited"
    WORKER = "worker", "Named worker"


class ReviewContribution(models.Model):
    """What one person said before or at the review: in their words, and how far they feel
    each outcome of the plan is met."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="contributions")
    kind = models.CharField(max_length=20, choices=ContributorKind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    author_label = models.CharField(max_length=200)
    # {outcome code: fully_met | partially_met | not_met}
    outcome_ratings = models.JSONField(default=dict, blank=True)
    share_quotes = models.BooleanField(default=False)
    will_share_experience = models.BooleanField(null=True)
    submitted_at = models.DateTimeField()

    class Meta:
        ordering = ["submitted_at", "id"]

    def __str__(self) -> str:
        return f"{self.author_label} on {self.submitted_at:%d %b %Y}"


class LearningTheme(models.Model):
    """A theme the council learns about from reviews. Administrators keep the list."""

    name = models.CharField(max_length=100, unique=True)
    description = models.CharField(max_length=300, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PointKind(models.TextChoices):
    WORKING = "working", "What is working"
    NOT_WORKING = "not_working", "What is not working"
    CHANGE = "change", "What they would like to change"


class ReviewPoint(models.Model):
    """One point someone made, which the worker can tag with a learning theme."""

    contribution = models.ForeignKey(
        ReviewContribution, on_delete=models.CASCADE, related_name="points"
    )
    kind = models.CharField(max_length=20, choices=PointKind.choices)
    text = models.TextField()
    theme = models.ForeignKey(
        LearningTheme, on_delete=models.PROTECT, null=True, blank=True, related_name="points"
    )

    class Meta:
        ordering = ["contribution_id", "kind", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class ReviewOutcome(models.Model):
    """The worker's record, agreed at the meeting, of how far one plan outcome is met."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="outcomes")
    outcome = models.CharField(max_length=40, choices=ALL_OUTCOMES)
    achieved = models.CharField(max_length=20, choices=schedule.OUTCOMES_ACHIEVED)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["review", "outcome"], name="one_result_per_outcome")
        ]

    def __str__(self) -> str:
        return f"{self.outcome}: {self.get_achieved_display()}"


class ReviewInvitation(models.Model):
    """Someone the person asked to give a view for their review (family, a provider). The link
    lets them answer the review questions once, and shows nothing else of the record."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="invitations")
    name = models.CharField(max_length=200)
    email = models.EmailField()
    kind = models.CharField(
        max_length=20,
        choices=[
            (ContributorKind.FAMILY, ContributorKind.FAMILY.label),
            (ContributorKind.PROVIDER, ContributorKind.PROVIDER.label),
            (ContributorKind.OTHER, ContributorKind.OTHER.label),
        ],
    )
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"


class PeerSupporter(models.Model):
    """Someone who has agreed to share their experience with others (the peer register)."""

    person = models.OneToOneField(
        "people.Person", on_delete=models.CASCADE, related_name="peer_supporter"
    )
    joined_on = models.DateField()
    # Shared with a peer only once both have agreed to be linked.
    how_to_contact = models.CharField(max_length=300, blank=True)
    withdrawn_on = models.DateField(null=True, blank=True)
    source_review = models.ForeignKey(
        Review, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["joined_on", "id"]

    def __str__(self) -> str:
        return f"Peer supporter since {self.joined_on:%d %b %Y}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_on is None


class LinkStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed: waiting for both to agree"
    LINKED = "linked", "Linked"
    DECLINED = "declined", "Declined"


class PeerLink(models.Model):
    """A worker's proposal to put PERSON in touch with PEER. It is made only when both agree;
    it is followed up at the person's next review."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="peer_links_sought"
    )
    peer = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="peer_links_given"
    )
    why = models.CharField(max_length=300)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField()
    person_agreed_at = models.DateTimeField(null=True, blank=True)
    person_agreed_how = models.CharField(max_length=200, blank=True)
    peer_agreed_at = models.DateTimeField(null=True, blank=True)
    peer_agreed_how = models.CharField(max_length=200, blank=True)
    status = models.CharField(
        max_length=20, choices=LinkStatus.choices, default=LinkStatus.PROPOSED
    )
    linked_at = models.DateTimeField(null=True, blank=True)
    followed_up_in = models.ForeignKey(
        Review, on_delete=models.SET_NULL, null=True, blank=True, related_name="peer_links"
    )

    class Meta:
        ordering = ["-proposed_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "peer"], name="one_link_per_pair"),
            models.CheckConstraint(condition=~Q(person=models.F("peer")), name="not_own_peer"),
        ]

    def __str__(self) -> str:
        return f"Peer link ({self.get_status_display()})"
