from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.models import AbstractUser
from django.db import models
from simple_history.models import HistoricalRecords


class Role(models.TextChoices):
    SOCIAL_WORKER = "social_worker", "Social worker"
    TEAM_MANAGER = "team_manager", "Team manager"
    PANEL_MEMBER = "panel_member", "Panel member"
    COMMISSIONER = "commissioner", "Commissioner"
    ADMINISTRATOR = "administrator", "Administrator"
    PERSON = "person", "Person drawing on support"
    REPRESENTATIVE = "representative", "Representative"
    PLAN_HELPER = "plan_helper", "Plan helper"


STAFF_ROLES = frozenset(
    {
        Role.SOCIAL_WORKER,
        Role.TEAM_MANAGER,
        Role.PANEL_MEMBER,
        Role.COMMISSIONER,
        Role.ADMINISTRATOR,
    }
)
PORTAL_ROLES = frozenset({Role.PERSON, Role.REPRESENTATIVE, Role.PLAN_HELPER})
# Roles that hold cases: they can be a named worker and see their team's people.
CASE_ROLES = frozenset({Role.SOCIAL_WORKER, Role.TEAM_MANAGER})


class User(AbstractUser):
    """Anyone who signs in: council staff and portal users alike.

    `role` decides what kind of pages a user may open at all; whose records they
    may open is decided by relationships (see people/rules.py).
    """

    role = models.CharField(max_length=32, choices=Role.choices)
    team = models.ForeignKey(
        "workforce.Team",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
    )
    # Delegated authority: the largest annual plan cost, in pounds, this user may sign off.
    sign_off_limit = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal("0.00"))
    # A worker's work phone, shown to the people they are named worker for.
    phone = models.CharField(max_length=30, blank=True)

    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_staff_role(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def is_portal_role(self) -> bool:
        return self.role in PORTAL_ROLES

    @property
    def holds_cases(self) -> bool:
        return self.role in CASE_ROLES


class TwoFactorDevice(models.Model):
    """A staff member's authenticator app, made when they prove it shows the right code.

    `last_used_step` stops a code being used twice (someone watching over a shoulder).
    """

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="two_factor")
    secret = models.CharField(max_length=64)
    confirmed_at = models.DateTimeField()
    last_used_step = models.BigIntegerField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Authenticator app for {self.user}"


class RecoveryCode(models.Model):
    """A one-use code for when the phone is lost; only its hash is kept."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    code_hash = models.CharField(max_length=64)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "code_hash"])]

    def __str__(self) -> str:
        return f"Recovery code for {self.user}{' (used)' if self.used_at else ''}"


class AttemptStage(models.TextChoices):
    PASSWORD = "password", "Password"
    CODE = "code", "Two-factor code"
    CONFIRM = "confirm", "Confirming who they are before a sensitive action"
    SET_UP = "set_up", "Set up two-factor authentication"
    REFUSED = "refused", "Refused: too many failed attempts"


class SignInAttempt(models.Model):
    """Every sign-in attempt, good or bad: the throttle counts the bad ones, and the
    council's security team can see who tried what, from where."""

    at = models.DateTimeField(db_index=True)
    username = models.CharField(max_length=150)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    stage = models.CharField(max_length=10, choices=AttemptStage.choices)
    succeeded = models.BooleanField()

    class Meta:
        indexes = [
            models.Index(fields=["username", "at"]),
            models.Index(fields=["ip_address", "at"]),
        ]

    def __str__(self) -> str:
        outcome = "succeeded" if self.succeeded else "failed"
        return (
            f"{self.get_stage_display()} for {self.username} {outcome} at {self.at:%Y-%m-%d %H:%M}"
        )
