from __future__ import annotations

from django.conf import settings
from django.db import models

from selfdirect.legacy import validate

KIND_CHOICES = [(kind, validate.KIND_LABELS[kind]) for kind in validate.KINDS]


class BatchStatus(models.TextChoices):
    CHECKED = "checked", "Checked, not imported"
    IMPORTED = "imported", "Imported"


class ImportBatch(models.Model):
    """Files an administrator uploaded, and what checking them found.

    The files are kept so that "Import" runs on exactly what was checked, without uploading
    them again. Once imported their contents are emptied: everything in them is then in the
    records themselves, and a second copy of a caseload should not sit in the database.
    """

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    status = models.CharField(
        max_length=20, choices=BatchStatus.choices, default=BatchStatus.CHECKED
    )
    # The latest check (validate.Checked.as_report): files, problems, counts, already imported.
    report = models.JSONField(default=dict, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    imported_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Import {self.pk} ({self.get_status_display()})"

    @property
    def problems(self) -> list[dict[str, object]]:
        return list(self.report.get("problems", []))

    @property
    def counts(self) -> dict[str, int]:
        return dict(self.report.get("counts", {}))


class ImportFile(models.Model):
    """One uploaded file of a batch (one per kind)."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(max_length=20, choices=KIND_CHOICES)
    name = models.CharField(max_length=255)
    size = models.PositiveIntegerField()
    content = models.BinaryField(blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "kind"], name="one_file_of_each_kind"),
        ]

    def __str__(self) -> str:
        return self.name


class LegacyRecord(models.Model):
    """Which of our records a previous system's ID became.

    Re-running an import skips rows whose ID is here, and a later file can name a person or
    worker imported earlier. `object_id` is the primary key of the record of that kind: a
    User (worker), Person, NamedWorkerAllocation, Relationship (circle) or Service.
    """

    kind = models.CharField(max_length=20, choices=KIND_CHOICES)
    legacy_id = models.CharField(max_length=100)
    object_id = models.PositiveBigIntegerField()
    batch = models.ForeignKey(
        ImportBatch, on_delete=models.SET_NULL, null=True, blank=True, related_name="records"
    )
    imported_at = models.DateTimeField()

    class Meta:
        ordering = ["kind", "legacy_id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "legacy_id"], name="one_record_per_legacy_id"),
        ]
        indexes = [models.Index(fields=["kind", "object_id"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.legacy_id} → {self.object_id}"
