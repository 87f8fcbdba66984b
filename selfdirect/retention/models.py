from __future__ import annotations

from django.conf import settings
from django.db import models

from selfdirect.people import codes
from selfdirect.retention.policy import Category, Status

CATEGORY_CHOICES = [(c.value, c.label) for c in Category]
DUE_CHOICES = [(s.value, s.label) for s in (Status.REVIEW, Status.DELETION)]


class RetentionRun(models.Model):
    """One run of the retention review (the scheduled job, or an administrator on the page):
    when, with which periods, and how many records it found due. Its due list is the
    RetentionItem rows of the latest run."""

    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    as_of = models.DateField(help_text="The day the due dates were worked out for")
    # None: the scheduled job (the command run without --user).
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    case_years = models.PositiveSmallIntegerField()
    contact_only_years = models.PositiveSmallIntegerField()
    review_days = models.PositiveSmallIntegerField()
    due_for_review = models.PositiveIntegerField()
    due_for_deletion = models.PositiveIntegerField()

    class Meta:
        ordering = ["-finished_at", "-id"]

    def __str__(self) -> str:
        return f"Retention review of {self.as_of:%Y-%m-%d}"


class RetentionItem(models.Model):
    """A record the latest run found due for review or for deletion (the worklist).

    Only the latest run's items are kept: a new run replaces them."""

    run = models.ForeignKey(RetentionRun, on_delete=models.CASCADE, related_name="items")
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="retention_items"
    )
    category = models.CharField(max_length=20, choices=CATEGORY_CHOICES)
    last_activity = models.DateField()
    due_on = models.DateField()
    status = models.CharField(max_length=10, choices=DUE_CHOICES)

    class Meta:
        ordering = ["due_on", "person_id"]
        indexes = [models.Index(fields=["run", "status", "due_on", "person"])]
        constraints = [
            models.UniqueConstraint(fields=["run", "person"], name="retention_item_once_per_run")
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.get_status_display()} on {self.due_on:%Y-%m-%d}"

    @property
    def reference(self) -> str:
        """The person's record number (SD0000012), without reading the person's row."""
        return codes.reference(self.person_id)


class RetentionAction(models.Model):
    """The record was deleted under the retention rules: only anonymised facts remain.

    The person's row itself is kept (audit events and the statutory return's rows point at
    it), so this row is what marks it as anonymised; an anonymised person is never due again.
    """

    person = models.OneToOneField(
        "people.Person", on_delete=models.PROTECT, related_name="retention_action"
    )
    anonymised_at = models.DateTimeField()
    anonymised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(max_length=300)
    # What made the record due, as it stood when it was deleted.
    category = models.CharField(max_length=20, choices=CATEGORY_CHOICES)
    last_activity = models.DateField()
    due_on = models.DateField()

    class Meta:
        ordering = ["-anonymised_at", "-id"]

    def __str__(self) -> str:
        return f"Person {self.person_id} anonymised on {self.anonymised_at:%Y-%m-%d}"
