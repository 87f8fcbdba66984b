"""The synthetic council: deterministic, and consistent with the rules it will be used to test."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, F

from selfdirect.accounts.models import CASE_ROLES, User
from selfdirect.core.synthetic import seed_council
from selfdirect.people import codes, nhs_number, postcodes
from selfdirect.people.models import NamedWorkerAllocation, Person, Relationship

AS_OF = datetime.date(2026, 11, 1)


def _fingerprint() -> list[tuple]:
    return list(
        Person.objects.order_by("pk").values_list(
            "first_name",
            "last_name",
            "date_of_birth",
            "nhs_number",
            "primary_support_reason",
            "postcode",
            "team__name",
            "named_worker__username",
        )
    )


@pytest.mark.django_db
def test_seed_is_deterministic(django_db_reset_sequences: None) -> None:
    seed_council(people=300, seed=7, as_of=AS_OF)
    first = _fingerprint()
    circle = list(Relationship.objects.order_by("pk").values_list("name", "relationship_type"))
    from selfdirect.plans.models import Plan
    from selfdirect.reviews.models import PeerSupporter, Review
    from selfdirect.support.models import DirectPayment, ScheduledReview, Service

    for model in (Review, PeerSupporter, ScheduledReview, DirectPayment, Service, Plan):
        model.objects.all().delete()  # type: ignore[attr-defined]
    Relationship.objects.all().delete()
    NamedWorkerAllocation.objects.all().delete()
    Person.objects.all().delete()
    User.objects.all().delete()
    from selfdirect.workforce.models import Team

    Team.objects.all().delete()  # everything seeded is gone: seed again from nothing
    seed_council(people=300, seed=7, as_of=AS_OF)
    assert _fingerprint() == first
    assert (
        list(Relationship.objects.order_by("pk").values_list("name", "relationship_type")) == circle
    )


@pytest.mark.django_db
def test_seeded_council_is_valid() -> None:
    seed_council(people=500, seed=3, as_of=AS_OF)
    people = Person.objects.all()
    assert people.count() == 500
    # Exactly one current named worker per person, matching Person.named_worker.
    current = NamedWorkerAllocation.objects.filter(ended_at__isnull=True)
    assert current.count() == 500
    assert not current.exclude(worker_id=F("person__named_worker_id")).exists()
    # Named workers hold cases and are in the person's team.
    for person in people.select_related("named_worker"):
        assert person.named_worker.role in CASE_ROLES
        assert person.named_worker.team_id == person.team_id
        assert not person.nhs_number or nhs_number.is_valid(person.nhs_number)
        assert postcodes.normalise(person.postcode) == person.postcode
        assert person.ethnicity in dict(codes.ETHNICITY)
        assert person.primary_support_reason in dict(codes.PRIMARY_SUPPORT_REASON)
        assert person.date_of_birth <= AS_OF - datetime.timedelta(days=18 * 365)
    # Every spell after the first has a handover note.
    spells = NamedWorkerAllocation.objects.values("person").annotate(n=Count("id"))
    assert any(row["n"] > 1 for row in spells)
    for allocation in NamedWorkerAllocation.objects.exclude(handover_note=""):
        assert allocation.handover_note
    assert User.objects.filter(username__in=["worker", "manager", "person", "rep"]).count() == 4


@pytest.mark.django_db
def test_seed_command_refuses_a_populated_database() -> None:
    out = StringIO()
    call_command("seed", "--people", "50", "--as-of", "2026-11-01", stdout=out)
    assert "Seeded 50 people" in out.getvalue()
    assert "selfdirect-demo" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("seed", "--people", "50", stdout=StringIO())
    out = StringIO()
    call_command("seed", "--people", "50", "--if-empty", stdout=out)
    assert "not seeding" in out.getvalue()
    assert Person.objects.count() == 50
