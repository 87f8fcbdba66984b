"""factory-boy factories for the named test users and records."""

from __future__ import annotations

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from selfdirect.accounts.models import STAFF_ROLES, Role, TwoFactorDevice, User
from selfdirect.people.models import NamedWorkerAllocation, Person, Relationship
from selfdirect.people.nhs_number import check_digit
from selfdirect.workforce.models import Discipline, Team

PASSWORD = "a-test-password-1234"
# Staff made by UserFactory have set up an authenticator app with this key (two_factor=False
# makes one who has not); tests/accounts shows how to work out its codes.
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def valid_nhs_number(n: int) -> str:
    k = n
    while True:
        first_nine = f"999{k:06d}"
        digit = check_digit(first_nine)
        if digit is not None:
            return first_nine + str(digit)
        k += 1


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Team {n}")
    discipline = Discipline.OLDER_PEOPLE


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"User{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    role = Role.SOCIAL_WORKER
    team = None
    sign_off_limit = Decimal("10000")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        if create:
            obj.save()

    @factory.post_generation
    def two_factor(obj, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        if create and obj.role in STAFF_ROLES and extracted is not False:
            TwoFactorDevice.objects.create(
                user=obj, secret=TOTP_SECRET, confirmed_at=timezone.now()
            )


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        skip_postgeneration_save = True

    first_name = "Pat"
    last_name = factory.Sequence(lambda n: f"Person{n}")
    date_of_birth = datetime.date(1950, 5, 17)
    nhs_number = factory.Sequence(lambda n: valid_nhs_number(n * 13 + 7))
    gender = "female"
    ethnicity = "white_english_welsh_scottish_northern_irish_or_british"
    client_type = "service_user"
    primary_support_reason = "physical_support_personal_care_support"
    postcode = "SD1 4AB"
    accommodation_status = "owner_occupier_or_shared_ownership_scheme"
    employment_status = "not_in_paid_employment_not_actively_seeking_work_or_retired"
    has_unpaid_carer = "yes"
    named_worker = factory.SubFactory(UserFactory)
    team = factory.LazyAttribute(lambda p: p.named_worker.team)

    @factory.post_generation
    def allocation(obj, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        if create:
            NamedWorkerAllocation.objects.create(
                person=obj, worker=obj.named_worker, started_at=timezone.now()
            )


class RelationshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Relationship

    person = factory.SubFactory(PersonFactory)
    name = "Sam Family"
    relationship_type = "family"
    phone = "01632 960001"
    is_representative = False


def judgements(unable: dict[str, tuple[str, str]] | None = None, kind: str = "adult") -> list:
    """Judgements for every outcome of KIND: those in UNABLE (code -> (risk, met_by_others))
    cannot be achieved; the rest can."""
    from selfdirect.assessments.eligibility import Judgement
    from selfdirect.assessments.outcomes import outcomes_for

    unable = unable or {}
    return [
        Judgement(
            outcome=code,
            achievable=code not in unable,
            unable_reason=None if code not in unable else "without_assistance",
            met_by_others=unable.get(code, ("low", "none"))[1],
            risk=unable.get(code, ("low", "none"))[0],
            reason="Test reason" if code in unable else "",
        )
        for code, _ in outcomes_for(kind)
    ]


def completed_assessment(
    person: Person, worker: User, *, eligible: bool = True, kind: str = "adult"
):  # type: ignore[no-untyped-def]
    """An assessment taken through the real services to completion."""
    from selfdirect.assessments import services

    assessment = services.assessment_start(actor=worker, person=person, kind=kind)
    unable = (
        {"nutrition": ("substantial", "none"), "personal_hygiene": ("critical", "some")}
        if eligible
        else {"nutrition": ("moderate", "none")}
    )
    services.judgements_save(
        actor=worker,
        assessment=assessment,
        judgements=judgements(unable, kind),
        expected_version=assessment.version,
    )
    return services.assessment_complete(
        actor=worker,
        assessment=assessment,
        needs_arise_from_condition=True,
        significant_impact=True,
        significant_impact_reason="Test",
        carer_health_deteriorating=False,
        expected_version=assessment.version,
        method="face_to_face",
    )
