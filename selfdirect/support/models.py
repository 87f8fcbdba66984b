from __future__ import annotations

from django.db import models

from selfdirect.reviews import schedule


class Service(models.Model):
    """Support in place: a CLD Service event, made from a signed-off plan item."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="services")
    plan = models.ForeignKey(
        "plans.Plan", on_delete=models.PROTECT, related_name="services", null=True, blank=True
    )
    # Set for a starter budget: support released for an urgent request before any plan.
    contact = models.ForeignKey(
        "assessments.Contact",
        on_delete=models.PROTECT,
        related_name="starter_services",
        null=True,
        blank=True,
    )
    description = models.CharField(max_length=200)
    provider_name = models.CharField(max_length=200, blank=True)
    delivery_mechanism = models.CharField(max_length=60)
    service_type = models.CharField(max_length=80)
    service_component = models.CharField(max_length=60)
    unit_cost = models.DecimalField(max_digits=10, decimal_places=2)
    cost_frequency = models.CharField(max_length=30)
    planned_units_per_week = models.DecimalField(max_digits=8, decimal_places=2)
    weekly_cost = models.DecimalField(max_digits=10, decimal_places=2)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["start_date", "id"]

    def __str__(self) -> str:
        return f"{self.description} from {self.start_date:%d %b %Y}"


class DirectPayment(models.Model):
    """A direct payment: the amount paid every 4 weeks and when the first payment is made."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="direct_payments"
    )
    plan = models.OneToOneField(
        "plans.Plan", on_delete=models.PROTECT, related_name="direct_payment"
    )
    four_weekly_amount = models.DecimalField(max_digits=10, decimal_places=2)
    first_payment_on = models.DateField()

    def __str__(self) -> str:
        return f"£{self.four_weekly_amount} every 4 weeks from {self.first_payment_on:%d %b %Y}"


class ScheduledReview(models.Model):
    """A review that is due. The reviews app records what happens at it."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="scheduled_reviews"
    )
    plan = models.ForeignKey("plans.Plan", on_delete=models.PROTECT, related_name="reviews_due")
    kind = models.CharField(max_length=20, choices=schedule.KINDS, default=schedule.FIRST)
    due_from = models.DateField()
    due_by = models.DateField()
    # Set when the review is held, or when the window no longer applies (a new plan replaced
    # the arrangements, or support ended).
    closed_on = models.DateField(null=True, blank=True)
    closed_because = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["due_by", "id"]
        indexes = [
            models.Index(fields=["closed_on", "due_by"]),
            # A person's open windows (caseloads ask this once per person, in one query).
            models.Index(fields=["person", "closed_on", "due_by"]),
        ]

    def __str__(self) -> str:
        return f"Review due {self.due_from:%d %b} to {self.due_by:%d %b %Y}"
