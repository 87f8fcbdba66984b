from __future__ import annotations

from django.conf import settings
from django.db import models


class RasVersion(models.Model):
    """One published version of the council's RAS. Never edited once published.

    `config` is the serialised budgets.ras.RasConfig (see budgets/selectors.py). The newest
    published version prices new assessments; budgets already issued keep the version
    and figures they were issued with.
    """

    version = models.CharField(max_length=40, unique=True)
    config = models.JSONField()
    note = models.TextField(blank=True, help_text="What changed and why")
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-published_at", "-id"]

    def __str__(self) -> str:
        return f"RAS {self.version}"


class FundingStream(models.TextChoices):
    SOCIAL_CARE = "social_care", "Social care"
    PERSONAL_HEALTH_BUDGET = "personal_health_budget", "Personal health budget"
    CARERS_BUDGET = "carers_budget", "Carer's budget"


class IndicativeBudget(models.Model):
    """The upfront budget worked out the moment an assessment is completed.

    Every figure is stored as issued, with the explanation, so a later RAS version
    can never change what a person was told.
    """

    assessment = models.OneToOneField(
        "assessments.Assessment", on_delete=models.CASCADE, related_name="indicative_budget"
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="indicative_budgets"
    )
    ras_version = models.ForeignKey(RasVersion, on_delete=models.PROTECT, related_name="budgets")
    weekly = models.DecimalField(max_digits=10, decimal_places=2)
    annual = models.DecimalField(max_digits=12, decimal_places=2)
    range_low = models.DecimalField(max_digits=10, decimal_places=2)
    range_high = models.DecimalField(max_digits=10, decimal_places=2)
    # [{"outcome", "label", "risk", "met_by_others", "points", "weekly"}], as issued.
    contributions = models.JSONField(default=list)
    issued_at = models.DateTimeField()

    class Meta:
        ordering = ["-issued_at", "-id"]

    def __str__(self) -> str:
        return f"£{self.weekly} a week ({self.ras_version.version})"


class BudgetStream(models.Model):
    """One funding stream in an integrated budget, shown separately to the person."""

    budget = models.ForeignKey(IndicativeBudget, on_delete=models.CASCADE, related_name="streams")
    stream = models.CharField(max_length=32, choices=FundingStream.choices)
    weekly = models.DecimalField(max_digits=10, decimal_places=2)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["budget", "stream"], name="one_line_per_stream")
        ]

    def __str__(self) -> str:
        return f"{self.get_stream_display()}: £{self.weekly} a week"


class RasDraft(models.Model):
    """A RAS a commissioner or administrator is trying out. It prices nobody.

    `config` has the same form as RasVersion.config and always passes ras.validate_config
    (services.ras_draft_save refuses anything else). The what-if page re-prices the current
    population with it; it reaches people only when an administrator publishes it, which
    makes a new RasVersion through services.ras_publish.
    """

    name = models.CharField(max_length=100)
    config = models.JSONField()
    note = models.TextField(blank=True, help_text="What changes, and why")
    # The live version it was copied from, so the page can say when the live RAS has moved on.
    based_on = models.ForeignKey(
        RasVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    published_as = models.OneToOneField(
        RasVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="draft"
    )
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Optimistic lock: two people editing one draft never overwrite each other unseen.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-updated_at", "-id"]

    def __str__(self) -> str:
        return f"RAS draft {self.name}"

    @property
    def is_published(self) -> bool:
        return self.published_as_id is not None
