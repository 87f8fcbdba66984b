from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from selfdirect.plans.costs import PERIODS, UNITS
from selfdirect.plans.published import LEGAL_RESTRICTIONS, REFUSAL_REASONS


class Management(models.TextChoices):
    """How the money is managed (Care Act s.26; direct payments under s.31–33)."""

    DIRECT_PAYMENT = (
        "direct_payment",
        "Direct payment: the money is paid to me (or my representative)",
    )
    INDIVIDUAL_SERVICE_FUND = "isf", "Individual service fund: a provider holds it for me"
    COUNCIL_MANAGED = "council_managed", "Council-managed account: the council holds it, I decide"
    COUNCIL_ARRANGED = "council_arranged", "The council arranges services for me"
    MIXED = "mixed", "A mix: I will say for each thing"


class PlanAuthor(models.TextChoices):
    """Who mainly wrote the plan: the point of self-directed support is that it is not the
    council. Recorded when the plan is sent for sign-off."""

    PERSON = "person", "The person themself"
    FAMILY = "family", "Family or friends"
    USER_LED = "user_led", "A user-led organisation or peer supporter"
    PROVIDER = "provider", "A care provider"
    WORKER = "worker", "The council worker"


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "Being written"
    SUBMITTED = "submitted", "Sent for sign-off"
    APPROVED = "approved", "Signed off"
    REFUSED = "refused", "Not signed off"


class Plan(models.Model):
    """The person's own support plan: what they want to achieve and how the money is used.

    `version` is the optimistic lock: a save must name the version it started from.
    """

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="plans")
    budget = models.ForeignKey(
        "budgets.IndicativeBudget", on_delete=models.PROTECT, related_name="plans"
    )
    status = models.CharField(max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    interim = models.BooleanField(default=False)
    what_i_want = models.TextField(blank=True)
    who_helps = models.TextField(blank=True)
    if_things_go_wrong = models.TextField(blank=True)
    management = models.CharField(
        max_length=20, choices=Management.choices, default=Management.DIRECT_PAYMENT
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    written_by = models.CharField(max_length=20, choices=PlanAuthor.choices, blank=True)
    # Where sign-off went, by the published rules (plans/signoff.py), fixed at submission.
    route_kind = models.CharField(max_length=20, blank=True)
    route_approver_ids = models.JSONField(default=list, blank=True)
    route_reason = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The sign-off queues (the panel's, plans waiting for a named worker): a few plans
            # out of every plan the council has made, oldest first.
            models.Index(
                fields=["route_kind", "status", "submitted_at"], name="plans_plan_signoff_queue"
            ),
        ]

    def __str__(self) -> str:
        return f"Plan started {self.created_at:%d %b %Y}"


class ProviderKind(models.TextChoices):
    PERSONAL_ASSISTANT = "personal_assistant", "A personal assistant I employ"
    PROVIDER = "provider", "A care provider or agency"
    COMMUNITY_GROUP = "community_group", "A community group or activity"
    EQUIPMENT = "equipment", "Equipment or technology"
    OTHER = "other", "Something else"


class PlanItem(models.Model):
    """One thing the money pays for, with its cost as the person would say it."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="items")
    what = models.CharField(max_length=200)
    provider_kind = models.CharField(max_length=30, choices=ProviderKind.choices)
    provider_name = models.CharField(max_length=200, blank=True)
    unit_cost = models.DecimalField(max_digits=10, decimal_places=2)
    unit = models.CharField(max_length=10, choices=UNITS, default="hour")
    units = models.DecimalField(max_digits=7, decimal_places=2)
    per = models.CharField(max_length=10, choices=PERIODS)
    weekly_cost = models.DecimalField(max_digits=10, decimal_places=2)
    annual_cost = models.DecimalField(max_digits=12, decimal_places=2)
    management = models.CharField(max_length=20, choices=Management.choices, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.what}: £{self.weekly_cost} a week"


class PlanDecision(models.Model):
    """A sign-off decision, only ever for a published reason, told to the person directly."""

    plan = models.OneToOneField(Plan, on_delete=models.CASCADE, related_name="decision")
    approved = models.BooleanField()
    reason_code = models.CharField(max_length=30, blank=True, choices=REFUSAL_REASONS)
    legal_restriction = models.CharField(max_length=30, blank=True, choices=LEGAL_RESTRICTIONS)
    risk_description = models.TextField(blank=True)
    explanation = models.TextField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    by_panel = models.BooleanField(default=False)
    decided_at = models.DateTimeField()

    def __str__(self) -> str:
        return "Signed off" if self.approved else f"Not signed off ({self.reason_code})"


class HelperKind(models.TextChoices):
    FAMILY = "family", "Family"
    FRIEND = "friend", "A friend"
    SUPPORT_PLANNER = "support_planner", "A support planner from a user-led organisation"
    PEER = "peer", "A peer: someone with experience of this"
    PROVIDER = "provider", "A care provider"


class PlanInvitation(models.Model):
    """Someone the person invited to help with their plan. Once accepted, that helper sees and
    edits this plan only: never the assessment, the record, or anyone else's plan."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="invitations")
    name = models.CharField(max_length=200)
    email = models.EmailField()
    kind = models.CharField(max_length=20, choices=HelperKind.choices)
    # Only a hash of the link's secret is kept, so a copy of the database cannot be used to join.
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plan_invitations",
    )
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"
