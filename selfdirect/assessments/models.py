from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from selfdirect.assessments import capacity
from selfdirect.assessments.outcomes import (
    ADULT_OUTCOMES,
    CARER_OUTCOMES,
    MET_BY_OTHERS,
    RISK_LEVELS,
    UNABLE_REASONS,
)

ALL_OUTCOMES = tuple(dict([*ADULT_OUTCOMES, *CARER_OUTCOMES]).items())


class RouteOfAccess(models.TextChoices):
    COMMUNITY = "community", "From the community"
    HOSPITAL_DISCHARGE = "hospital_discharge", "Discharge from hospital"
    DIVERSION_FROM_HOSPITAL = "diversion_from_hospital", "Diversion from hospital services"
    TRANSITION = "transition", "Transition from children's services"
    TRANSFER = "transfer", "Transfer from another council"
    SELF_FUNDER = "self_funder", "Self-funder whose money is running out"


class RequestClosure(models.TextChoices):
    """How a request for support ends without an assessment (each a CLD Event_Outcome)."""

    INFORMATION_AND_ADVICE = "information_and_advice", "Given information and advice, or signposted"
    REFERRED_WITHIN_COUNCIL = "referred_within_council", "Referred to another council service"
    REFERRED_TO_NHS = "referred_to_nhs", "Referred to the NHS or to NHS-funded care"
    REABLEMENT = "reablement", "Offered reablement: short-term support to regain skills"
    SELF_FUNDED = "self_funded", "Will arrange and pay for their own support"
    MOVED_AWAY = "moved_away", "Moved to another council's area"
    DECLINED = "declined", "Declined support"
    DIED = "died", "Died"
    OTHER = "other", "Another reason"
    CANCELLED = "cancelled", "Recorded in error, or withdrawn before any conversation"


class Contact(models.Model):
    """A request for support (the CLD Request event). Urgent ones go to the top of the queue.

    It ends when an assessment starts for it, or when a worker closes it without one.
    """

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="contacts")
    team = models.ForeignKey("workforce.Team", on_delete=models.PROTECT, related_name="contacts")
    received_on = models.DateField()
    route_of_access = models.CharField(max_length=32, choices=RouteOfAccess.choices)
    requested_by = models.CharField(max_length=200)
    what_for = models.TextField()
    urgent = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_on = models.DateField(null=True, blank=True)
    closed_outcome = models.CharField(max_length=30, choices=RequestClosure.choices, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-urgent", "received_on", "id"]
        indexes = [models.Index(fields=["team", "-urgent", "received_on"])]

    def __str__(self) -> str:
        return f"Request for support received {self.received_on:%d %b %Y}"


class AssessmentKind(models.TextChoices):
    ADULT = "adult", "Needs assessment"
    CARER = "carer", "Carer's assessment"


class AssessmentMethod(models.TextChoices):
    """How the assessment was done (CLD Method_of_Assessment)."""

    FACE_TO_FACE = "face_to_face", "Face to face"
    REMOTE = "remote", "By telephone or video call"
    SUPPORTED_SELF = "supported_self", "Supported self-assessment"


class AssessmentStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"


class Assessment(models.Model):
    """A conversation-led assessment: the worker's judgments and the eligibility decision.

    The person's own words are StoryEntry rows on the person, so they can write before
    an assessment exists. `version` guards against two people saving over each other.
    """

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="assessments"
    )
    contact = models.ForeignKey(
        Contact, on_delete=models.SET_NULL, null=True, blank=True, related_name="assessments"
    )
    kind = models.CharField(max_length=10, choices=AssessmentKind.choices, default="adult")
    status = models.CharField(
        max_length=20, choices=AssessmentStatus.choices, default=AssessmentStatus.IN_PROGRESS
    )
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assessments"
    )
    started_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)
    needs_arise_from_condition = models.BooleanField(null=True)
    significant_impact = models.BooleanField(null=True)
    significant_impact_reason = models.TextField(blank=True)
    carer_health_deteriorating = models.BooleanField(default=False)
    # Recorded when the assessment is completed; empty for an assessment from before.
    method = models.CharField(max_length=20, choices=AssessmentMethod.choices, blank=True)
    eligible = models.BooleanField(null=True)
    eligibility_reasons = models.JSONField(default=list, blank=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "kind"],
                condition=Q(status="in_progress"),
                name="one_open_assessment_per_kind",
            )
        ]
        indexes = [
            # "Has this request been assessed?", asked of every request in a team's queue:
            # answered from the index alone, without reading the assessment rows.
            models.Index(fields=["contact", "status"], name="assessments_contact_status"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} started {self.started_at:%d %b %Y}"

    @property
    def is_completed(self) -> bool:
        return self.status == AssessmentStatus.COMPLETED


class OutcomeJudgement(models.Model):
    """The worker's professional judgment for one eligibility outcome."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="judgements")
    outcome = models.CharField(max_length=40, choices=ALL_OUTCOMES)
    achievable = models.BooleanField()
    unable_reason = models.CharField(max_length=40, choices=UNABLE_REASONS, blank=True)
    met_by_others = models.CharField(max_length=10, choices=MET_BY_OTHERS, default="none")
    risk = models.CharField(max_length=20, choices=RISK_LEVELS, default="low")
    reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "outcome"], name="one_judgement_per_outcome"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()}: {'achievable' if self.achievable else 'unable'}"


class StorySection(models.TextChoices):
    ABOUT_ME = "about_me", "About me"
    DAY_IN_MY_LIFE = "day_in_my_life", "A day in my life"
    TYPICAL_WEEK = "typical_week", "A typical week"
    IMPORTANT_TO_ME = "important_to_me", "What is important to me"
    IMPORTANT_FOR_ME = "important_for_me", "What is important for me"
    WHO_IS_IMPORTANT = "who_is_important", "Who is important to me"
    STRENGTHS = "strengths", "My strengths and what I can do"
    WORKING = "working", "What is working"
    NOT_WORKING = "not_working", "What is not working"


class StoryEntry(models.Model):
    """Something the person, their representative or the worker wrote, in their own words."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="story")
    section = models.CharField(max_length=30, choices=StorySection.choices)
    text = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Who they are to the person, as it was when they wrote it ("The person", "Social worker").
    author_label = models.CharField(max_length=200)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["section", "created_at", "id"]
        indexes = [models.Index(fields=["person", "section", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_section_display()} by {self.author_label}"


class CapacityOutcome(models.TextChoices):
    HAS_CAPACITY = "has_capacity", "Has capacity to make this decision"
    LACKS_CAPACITY = "lacks_capacity", "Lacks capacity to make this decision"


class CapacityRecord(models.Model):
    """A decision-specific capacity assessment: planning and managing my support."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="capacity_records"
    )
    decision = models.CharField(max_length=200, default=capacity.DECISION)
    assessed_on = models.DateField()
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    impairment_of_mind = models.BooleanField(
        help_text="An impairment of, or disturbance in the functioning of, the mind or brain"
    )
    understand = models.CharField(max_length=30, choices=capacity.FUNCTION_LEVELS)
    retain = models.CharField(max_length=30, choices=capacity.FUNCTION_LEVELS)
    use_or_weigh = models.CharField(max_length=30, choices=capacity.FUNCTION_LEVELS)
    communicate = models.CharField(max_length=30, choices=capacity.FUNCTION_LEVELS)
    practicable_help_tried = models.TextField()
    outcome = models.CharField(max_length=20, choices=CapacityOutcome.choices)
    reasons = models.TextField()
    appropriate_person_available = models.BooleanField()
    advocate_required = models.BooleanField()
    created_at = models.DateTimeField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["-assessed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} ({self.assessed_on:%d %b %Y})"
