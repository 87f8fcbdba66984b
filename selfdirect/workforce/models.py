from __future__ import annotations

from django.db import models
from simple_history.models import HistoricalRecords


class Discipline(models.TextChoices):
    OLDER_PEOPLE = "older_people", "Older people"
    LEARNING_DISABILITY_AUTISM = "ld_autism", "Learning disability and autism"
    MENTAL_HEALTH = "mental_health", "Mental health"
    PHYSICAL_SENSORY = "physical_sensory", "Physical and sensory"
    CARERS = "carers", "Carers"


class Team(models.Model):
    """A team of workers. A person belongs to one team, which their named worker is in."""

    name = models.CharField(max_length=120, unique=True)
    discipline = models.CharField(max_length=32, choices=Discipline.choices)
    # How people reach the team when they have no named worker, or theirs is away.
    phone = models.CharField(max_length=30, blank=True)
    email = models.EmailField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
