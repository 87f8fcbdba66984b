from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from selfdirect.people import codes
from selfdirect.people.nhs_number import formatted


def _choices(values: codes.Choices) -> list[tuple[str, str]]:
    return list(values)


class Person(models.Model):
    """Someone who draws on care and support (or an unpaid carer with their own assessment).

    Each field is here because a step of the journey or the Client Level Data return
    uses it. `named_worker` is the current named worker, kept in step with the
    allocation history by people.services; `team` is the team responsible.
    """

    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    preferred_name = models.CharField(
        max_length=100, blank=True, help_text="What they like to be called"
    )
    date_of_birth = models.DateField()
    nhs_number = models.CharField(max_length=10, blank=True, default="")
    gender = models.CharField(max_length=20, choices=_choices(codes.GENDER))
    ethnicity = models.CharField(
        max_length=codes.CODE_MAX_LENGTH, choices=_choices(codes.ETHNICITY)
    )
    client_type = models.CharField(
        max_length=32, choices=_choices(codes.CLIENT_TYPE), default="service_user"
    )
    primary_support_reason = models.CharField(
        max_length=codes.CODE_MAX_LENGTH, choices=_choices(codes.PRIMARY_SUPPORT_REASON)
    )
    # Blank only for a record made without one (through the API or an import): the return's
    # data-quality check then names it to be filled in.
    postcode = models.CharField(max_length=8, blank=True)
    accommodation_status = models.CharField(
        max_length=codes.CODE_MAX_LENGTH, choices=_choices(codes.ACCOMMODATION_STATUS)
    )
    employment_status = models.CharField(
        max_length=codes.CODE_MAX_LENGTH, choices=_choices(codes.EMPLOYMENT_STATUS)
    )
    has_unpaid_carer = models.CharField(
        max_length=10, choices=_choices(codes.HAS_UNPAID_CARER), default="unknown"
    )
    autism = models.CharField(max_length=10, choices=_choices(codes.AUTISM), default="not_known")
    funding_status = models.CharField(
        max_length=40, choices=_choices(codes.CLIENT_FUNDING_STATUS), default="unknown"
    )
    date_of_death = models.DateField(null=True, blank=True)

    team = models.ForeignKey("workforce.Team", on_delete=models.PROTECT, related_name="people")
    # Empty while the person waits in their team's unallocated queue.
    named_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="named_people",
    )
    # The person's own portal account, when they have one.
    portal_user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="own_person",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["nhs_number"],
                condition=~Q(nhs_number=""),
                name="unique_nhs_number",
                violation_error_message="Another person already has this NHS number",
            ),
        ]
        indexes = [
            models.Index(fields=["team", "last_name", "first_name"]),
            models.Index(fields=["named_worker", "last_name", "first_name"]),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def reference(self) -> str:
        """The council's own identifier for the person (CLD LA_Person_Unique_Identifier)."""
        return codes.reference(self.pk)

    @property
    def nhs_number_display(self) -> str:
        return formatted(self.nhs_number) if self.nhs_number else ""


class RelationshipType(models.TextChoices):
    FAMILY = "family", "Family member"
    FRIEND = "friend", "Friend"
    NEIGHBOUR = "neighbour", "Neighbour"
    UNPAID_CARER = "unpaid_carer", "Unpaid carer"
    ATTORNEY_HEALTH_WELFARE = "attorney_hw", "Attorney for health and welfare"
    ATTORNEY_PROPERTY_FINANCE = "attorney_pf", "Attorney for property and finance"
    DEPUTY = "deputy", "Deputy appointed by the Court of Protection"
    ADVOCATE = "advocate", "Independent advocate"


class Relationship(models.Model):
    """Someone in the person's circle of support."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relationships")
    name = models.CharField(max_length=200)
    relationship_type = models.CharField(max_length=20, choices=RelationshipType.choices)
    phone = models.CharField(max_length=30, blank=True)
    email = models.EmailField(blank=True)
    address = models.TextField(blank=True)
    is_representative = models.BooleanField(
        default=False,
        help_text="Acts with or for the person (and may see their record in the portal)",
    )
    # Their portal account, when they have one; only a representative's sees the record.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="circle_memberships",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["user", "is_representative"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_relationship_type_display()})"


class NamedWorkerAllocation(models.Model):
    """One spell of a person's named-worker history.

    A spell with a worker is that worker being the named worker; a spell without one is
    time in the team's unallocated queue (continuity figures count those days). At most
    one spell per person is open (ended_at is null): the database enforces it.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="allocations")
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="allocations",
    )
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    handover_note = models.TextField(
        blank=True, help_text="What the new named worker needs to know first"
    )
    allocated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Why a spell without a worker began (for example "Worker left the team").
    unallocated_because = models.CharField(max_length=200, blank=True)
    # When the new worker said they had read the handover note; until then it is shown first.
    note_read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(ended_at__isnull=True),
                name="one_current_named_worker",
            ),
        ]
        indexes = [
            # A person's spells in time order, with the worker: "who was the named worker
            # before this spell?" (changes of named worker) from the index alone.
            models.Index(
                fields=["person", "started_at", "worker"], name="people_allocation_history"
            ),
        ]

    def __str__(self) -> str:
        who = self.worker or "Unallocated"
        return f"{who} from {self.started_at:%Y-%m-%d}"


class CrisisKind(models.TextChoices):
    """Crises that good, continuous support aims to prevent (journey: "crises avoided")."""

    UNPLANNED_HOSPITAL = "unplanned_hospital", "Unplanned hospital admission"
    INPATIENT_OR_ATU = (
        "inpatient_or_atu",
        "Admission to an inpatient or assessment and treatment unit",
    )
    EMERGENCY_PLACEMENT = "emergency_placement", "Emergency placement"


class CrisisEvent(models.Model):
    """A crisis in the person's life, recorded so prevention can be measured by cohort."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="crisis_events")
    kind = models.CharField(max_length=30, choices=CrisisKind.choices)
    occurred_on = models.DateField()
    note = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-occurred_on", "-id"]
        indexes = [models.Index(fields=["occurred_on", "kind"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.occurred_on:%d %b %Y}"


BREAK_GLASS_REASON_MAX = 250


class BreakGlassGrant(models.Model):
    """Time-limited access to one person's record for a worker with no relationship to them.

    "Break-glass": the worker says why, the read of every page carries that reason in the
    audit trail, and the managers of the worker's team see it. Access ends at `expires_at`,
    checked on every request (people.rules), so nothing has to run for it to end.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="break_glass_grants"
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="break_glass_grants")
    # The worker's team when they broke the glass: its managers are the ones told.
    team = models.ForeignKey("workforce.Team", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=BREAK_GLASS_REASON_MAX)
    started_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [
            models.Index(fields=["user", "person", "expires_at"]),
            models.Index(fields=["team", "-started_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.user} opened {self.reference} at {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def reference(self) -> str:
        """The record's reference, without loading the record (lists show only this)."""
        return codes.reference(self.person_id)


class RecordRestriction(models.Model):
    """A record only the staff named here may see (for example a member of staff's relative).

    A restriction only takes access away: a named member of staff still needs a relationship
    with the person (or break-glass). The person and their representatives keep their access
    in the portal. Set by administrators (information governance); see people.rules.
    """

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="restriction")
    reason = models.CharField(max_length=300)
    allowed_staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="restricted_records_allowed"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Restriction on {codes.reference(self.person_id)}"
