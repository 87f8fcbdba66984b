"""The synthetic council: deterministic, and consistent with the rules it will be used to test."""

from __future__ import annotations

import datetime
import itertools
import random
import re
from collections import Counter, defaultdict
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, models
from django.db.models import Count, Max, Q
from django.utils import timezone

from selfdirect.accounts.models import CASE_ROLES, Role, User
from selfdirect.assessments.eligibility import AssessmentFacts, Judgement, decide_eligibility
from selfdirect.assessments.models import Assessment, Contact, OutcomeJudgement
from selfdirect.assessments.services import contact_create
from selfdirect.budgets import ras
from selfdirect.budgets.models import BudgetStream, IndicativeBudget
from selfdirect.budgets.ras_json import config_from_json
from selfdirect.core.synthetic import seed_council
from selfdirect.people import codes, nhs_number, postcodes
from selfdirect.people.models import (
    CrisisEvent,
    CrisisKind,
    NamedWorkerAllocation,
    Person,
    Relationship,
)
from selfdirect.people.services import crisis_record
from selfdirect.plans import costs, published
from selfdirect.plans.models import Plan, PlanDecision, PlanItem, PlanStatus
from selfdirect.reviews import schedule
from selfdirect.reviews.models import (
    PeerSupporter,
    Review,
    ReviewContribution,
    ReviewOutcome,
    ReviewPoint,
    ReviewStatus,
)
from selfdirect.support import release
from selfdirect.support.models import DirectPayment, ScheduledReview, Service
from selfdirect.workforce.models import Team

AS_OF = datetime.date(2026, 11, 1)
NOW = timezone.make_aware(datetime.datetime.combine(AS_OF, datetime.time(12, 0)))

# Everything the seed writes, for counting; the demo flows' story entries and audit come too.
SEEDED = (
    Team,
    User,
    Person,
    Relationship,
    NamedWorkerAllocation,
    CrisisEvent,
    Contact,
    Assessment,
    OutcomeJudgement,
    IndicativeBudget,
    BudgetStream,
    Plan,
    PlanItem,
    PlanDecision,
    Service,
    DirectPayment,
    ScheduledReview,
    Review,
    ReviewOutcome,
    ReviewContribution,
    ReviewPoint,
)


def _fingerprint() -> list[tuple]:
    return list(
        Person.objects.order_by("pk").values_list(
            "first_name",
            "last_name",
            "date_of_birth",
            "nhs_number",
            "primary_support_reason",
            "postcode",
            "autism",
            "team__name",
            "named_worker__username",
        )
    )


def _history_fingerprint() -> dict[str, list[tuple]]:
    """The population's history by natural values (ids differ between runs), in id order.

    The demo worker's first twelve people are left out: their journeys go through the real
    services, which stamp the time they run.
    """
    demo = list(Person.objects.order_by("pk").values_list("pk", flat=True)[:12])
    who = ("person__first_name", "person__last_name", "person__date_of_birth")
    rows: dict[str, tuple[type[models.Model], tuple[str, ...]]] = {
        "spells": (
            NamedWorkerAllocation,
            (*who, "worker__username", "started_at", "ended_at", "unallocated_because"),
        ),
        "contacts": (
            Contact,
            (*who, "received_on", "route_of_access", "urgent", "recorded_by__username"),
        ),
        "assessments": (
            Assessment,
            (*who, "kind", "status", "eligible", "completed_at", "assessor__username"),
        ),
        "budgets": (IndicativeBudget, (*who, "weekly", "issued_at")),
        "plans": (Plan, (*who, "status", "route_kind", "written_by", "management")),
        "items": (PlanItem, ("plan__person_id", "what", "units", "annual_cost")),
        "services": (Service, (*who, "description", "weekly_cost", "start_date", "end_date")),
        "windows": (ScheduledReview, (*who, "kind", "due_by", "closed_on", "closed_because")),
        "reviews": (Review, (*who, "planned", "decision", "completed_at", "by_named_worker")),
        "crises": (CrisisEvent, (*who, "kind", "occurred_on", "recorded_by__username")),
    }
    return {
        name: list(
            model._default_manager.exclude(
                **{"plan__person__in" if model is PlanItem else "person__in": demo}
            )
            .order_by("pk")
            .values_list(*fields)
        )
        for name, (model, fields) in rows.items()
    }


def _counts() -> dict[str, int]:
    return {model.__name__: model._default_manager.count() for model in SEEDED}


@pytest.mark.django_db
def test_seed_is_deterministic(django_db_reset_sequences: None) -> None:
    seed_council(people=300, seed=7, as_of=AS_OF)
    first = _fingerprint()
    circle = list(Relationship.objects.order_by("pk").values_list("name", "relationship_type"))
    counts = _counts()
    history = _history_fingerprint()
    assert counts["Review"] > 0 and counts["CrisisEvent"] > 0

    protected: tuple[type[models.Model], ...] = (
        Review,
        PeerSupporter,
        ScheduledReview,
        DirectPayment,
        Service,
        Plan,
    )
    for model in protected:
        model._default_manager.all().delete()
    Relationship.objects.all().delete()
    NamedWorkerAllocation.objects.all().delete()
    Person.objects.all().delete()
    User.objects.all().delete()
    Team.objects.all().delete()  # everything seeded is gone: seed again from nothing
    assert Contact.objects.count() == Assessment.objects.count() == 0
    seed_council(people=300, seed=7, as_of=AS_OF)
    assert _fingerprint() == first
    assert (
        list(Relationship.objects.order_by("pk").values_list("name", "relationship_type")) == circle
    )
    assert _counts() == counts
    assert _history_fingerprint() == history


@pytest.mark.django_db
def test_seeded_council_is_valid() -> None:
    seed_council(people=500, seed=3, as_of=AS_OF)
    people = Person.objects.all()
    assert people.count() == 500
    # Exactly one current spell per person, matching Person.named_worker (None: in the queue).
    current = NamedWorkerAllocation.objects.filter(ended_at__isnull=True)
    assert current.count() == 500
    assert current.values("person").distinct().count() == 500
    spells = dict(current.values_list("person_id", "worker_id"))
    # Named workers hold cases and are in the person's team.
    for person in people.select_related("named_worker"):
        assert spells[person.pk] == person.named_worker_id
        if person.named_worker is not None:
            assert person.named_worker.role in CASE_ROLES
            assert person.named_worker.team_id == person.team_id
        assert not person.nhs_number or nhs_number.is_valid(person.nhs_number)
        assert postcodes.normalise(person.postcode) == person.postcode
        assert person.ethnicity in dict(codes.ETHNICITY)
        assert person.primary_support_reason in dict(codes.PRIMARY_SUPPORT_REASON)
        assert person.autism in dict(codes.AUTISM)
        assert person.date_of_birth <= AS_OF - datetime.timedelta(days=18 * 365)
    # Every spell after the first has a handover note.
    spell_counts = NamedWorkerAllocation.objects.values("person").annotate(n=Count("id"))
    assert any(row["n"] > 1 for row in spell_counts)
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


# --- The population's history ------------------------------------------------------------


@pytest.fixture
def council(db: None) -> list[Person]:
    """600 people; the demo worker's first twelve (the demo flows) are left out of some checks."""
    seed_council(people=600, seed=5, as_of=AS_OF)
    return list(Person.objects.order_by("pk"))


def _demo(council: list[Person]) -> set[int]:
    return {person.pk for person in council[:12]}


def _local(moment: datetime.datetime) -> datetime.date:
    return timezone.localdate(moment)


@pytest.mark.django_db
def test_the_whole_population_has_a_history(council: list[Person]) -> None:
    population = len(council) - 12
    people_with = {
        "contacts": Contact.objects.values("person").distinct().count(),
        "assessments": Assessment.objects.values("person").distinct().count(),
        "plans": Plan.objects.values("person").distinct().count(),
        "reviews": Review.objects.values("person").distinct().count(),
        "crises": CrisisEvent.objects.values("person").distinct().count(),
    }
    assert people_with["contacts"] > 0.8 * population
    assert people_with["assessments"] > 0.75 * population
    assert people_with["plans"] > 0.5 * population
    assert people_with["reviews"] > 0.4 * population
    assert 0.03 * population < people_with["crises"] < 0.15 * population
    completed = Assessment.objects.filter(status="completed")
    assert 0.65 < completed.filter(eligible=True).count() / completed.count() < 0.85
    assert Assessment.objects.filter(status="in_progress").exists()
    statuses = Counter(Plan.objects.values_list("status", flat=True))
    assert statuses[PlanStatus.APPROVED] > statuses[PlanStatus.REFUSED] > 0
    assert statuses[PlanStatus.DRAFT] > 0 and statuses[PlanStatus.SUBMITTED] > 0
    assert set(Plan.objects.values_list("route_kind", flat=True)) >= {"named_worker", "panel"}
    assert ReviewPoint.objects.filter(theme__isnull=False).exists()
    # Waits vary: a median of days to weeks, and a long tail.
    completions = Assessment.objects.filter(status="completed", contact__isnull=False)
    waits = sorted(
        (_local(done) - received).days
        for received, done in completions.values_list("contact__received_on", "completed_at")
        if done is not None
    )
    assert waits[0] >= 0
    assert 7 <= waits[len(waits) // 2] <= 35 < waits[int(len(waits) * 0.9)]


@pytest.mark.django_db
def test_named_workers_queue_and_gaps(council: list[Person]) -> None:
    worker = User.objects.get(username="worker")
    demo_team = worker.team
    unallocated = Person.objects.filter(named_worker__isnull=True)
    # The demo manager sees exactly three people waiting, each with a request in the queue.
    waiting = list(unallocated.filter(team=demo_team))
    assert len(waiting) == 3
    assert not {p.pk for p in council[:40]} & {p.pk for p in unallocated}
    contacts = Contact.objects.filter(person__in=waiting)
    assert contacts.count() == 3 and contacts.filter(urgent=True).exists()
    assert not Assessment.objects.filter(person__in=waiting).exists()
    assert 0.005 * len(council) <= unallocated.count() <= 0.05 * len(council)
    # Their open spell has no worker and says why; at most one open spell each.
    for person in unallocated:
        spell = NamedWorkerAllocation.objects.get(person=person, ended_at__isnull=True)
        assert spell.worker_id is None and spell.unallocated_because
    assert not (
        NamedWorkerAllocation.objects.filter(ended_at__isnull=True)
        .values("person")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .exists()
    )
    # Some people had a gap between two workers; spells follow on from each other.
    gaps = NamedWorkerAllocation.objects.filter(worker__isnull=True, ended_at__isnull=False)
    assert gaps.values("person").distinct().count() > 0.03 * len(council)
    by_person: dict[int, list[NamedWorkerAllocation]] = defaultdict(list)
    for spell in NamedWorkerAllocation.objects.order_by("person_id", "started_at"):
        by_person[spell.person_id].append(spell)
    for spells in by_person.values():
        for before, after in itertools.pairwise(spells):
            assert before.ended_at == after.started_at
        assert spells[-1].ended_at is None
    # Staff have work phones in Ofcom's drama range.
    staff = User.objects.exclude(role__in=[Role.PERSON, Role.REPRESENTATIVE, Role.PLAN_HELPER])
    assert all(
        re.fullmatch(r"01632 960\d{3}", phone) for phone in staff.values_list("phone", flat=True)
    )
    # Some of the demo worker's people have no request yet, for the demo to start one.
    assert Person.objects.filter(named_worker=worker, contacts__isnull=True).exists()


def _judgements(assessment: Assessment) -> tuple[Judgement, ...]:
    return tuple(
        Judgement(
            outcome=j.outcome,
            achievable=j.achievable,
            unable_reason=j.unable_reason or None,
            met_by_others=j.met_by_others,
            risk=j.risk,
            reason=j.reason,
        )
        for j in assessment.judgements.all()
    )


@pytest.mark.django_db
def test_eligibility_and_budgets_follow_the_rules(council: list[Person]) -> None:
    demo = _demo(council)
    assessments = Assessment.objects.filter(status="completed").prefetch_related("judgements")
    for assessment in assessments.select_related("contact"):
        judgements = _judgements(assessment)
        assert 3 <= len(judgements) <= 10
        decision = decide_eligibility(
            AssessmentFacts(
                kind=assessment.kind,
                judgements=judgements,
                needs_arise_from_condition=bool(assessment.needs_arise_from_condition),
                significant_impact=bool(assessment.significant_impact),
                carer_health_deteriorating=assessment.carer_health_deteriorating,
            )
        )
        assert assessment.eligible == decision.eligible
        assert assessment.eligibility_reasons == list(decision.reasons)
        assert assessment.significant_impact_reason
        assert assessment.completed_at is not None
        assert assessment.started_at <= assessment.completed_at
        if assessment.contact is not None:
            assert assessment.contact.received_on <= _local(assessment.started_at)
        has_budget = IndicativeBudget.objects.filter(assessment=assessment).exists()
        assert has_budget == decision.eligible
    # Every budget is what the published RAS gives, issued the moment the assessment completed.
    budgets = IndicativeBudget.objects.select_related("assessment", "ras_version")
    for budget in budgets.prefetch_related("assessment__judgements", "streams"):
        config = config_from_json(budget.ras_version.config)
        priced = ras.indicative_budget(
            config, budget.assessment.kind, _judgements(budget.assessment)
        )
        assert (budget.weekly, budget.annual) == (priced.weekly, priced.annual)
        assert (budget.range_low, budget.range_high) == (priced.range_low, priced.range_high)
        assert [c["outcome"] for c in budget.contributions] == [
            c.outcome for c in priced.contributions
        ]
        assert sum(Decimal(c["weekly"]) for c in budget.contributions) == budget.weekly
        if budget.person_id not in demo:  # the real service stamps each a moment apart
            assert budget.issued_at == budget.assessment.completed_at
        assert [line.weekly for line in budget.streams.all()] == [budget.weekly]
    assert not Assessment.objects.filter(Q(status="in_progress") & ~Q(eligible=None)).exists()


@pytest.mark.django_db
def test_plans_follow_the_published_rules(council: list[Person]) -> None:
    demo = _demo(council)
    plans = Plan.objects.select_related("budget", "budget__assessment").prefetch_related(
        "items", "budget__streams"
    )
    for plan in plans:
        # No plan without a budget: the person's own, from an eligible, completed assessment.
        assert plan.budget.person_id == plan.person_id
        assert plan.budget.assessment.eligible is True
        items = list(plan.items.all())
        assert items
        for item in items:
            cost = costs.item_cost(item.unit_cost, item.units, item.per)
            assert (item.weekly_cost, item.annual_cost) == (cost.weekly, cost.annual)
        if plan.person_id in demo:
            continue
        assert plan.created_at >= plan.budget.issued_at
        assert plan.created_at <= NOW
        if plan.status == PlanStatus.DRAFT:
            assert plan.submitted_at is None and not plan.route_kind and not plan.written_by
            continue
        assert plan.submitted_at is not None and plan.submitted_at >= plan.created_at
        assert plan.written_by and plan.route_reason
        annual_cost = sum((item.annual_cost for item in items), Decimal("0.00"))
        weekly_budget = sum((line.weekly for line in plan.budget.streams.all()), Decimal(0))
        annual_budget = (weekly_budget * costs.WEEKS_PER_YEAR).quantize(costs.PENNY)
        assert (plan.route_kind == "panel") == (annual_cost > annual_budget)
    # Nothing waits for the panel; every decision was made by someone the rules name.
    assert not Plan.objects.filter(status=PlanStatus.SUBMITTED, route_kind="panel").exists()
    refusal_reasons = dict(published.REFUSAL_REASONS)
    for decision in PlanDecision.objects.select_related("plan", "decided_by"):
        plan = decision.plan
        assert decision.by_panel == (plan.route_kind == "panel")
        assert plan.status == (PlanStatus.APPROVED if decision.approved else PlanStatus.REFUSED)
        assert decision.explanation
        if decision.by_panel:
            assert decision.decided_by.role == Role.PANEL_MEMBER
        else:
            assert decision.decided_by_id in plan.route_approver_ids
        if plan.person_id not in demo:
            assert plan.submitted_at is not None and decision.decided_at >= plan.submitted_at
        if not decision.approved:
            assert decision.reason_code in refusal_reasons
            assert decision.reason_code != "over_budget" or decision.by_panel
            assert decision.reason_code != "unsafe" or decision.risk_description
            assert decision.reason_code != "legal_restriction" or decision.legal_restriction
    assert PlanDecision.objects.filter(approved=False).values("reason_code").distinct().count() > 1


@pytest.mark.django_db
def test_support_follows_the_release_rules(council: list[Person]) -> None:
    approved = Plan.objects.filter(status=PlanStatus.APPROVED).select_related("person", "decision")
    for plan in approved.prefetch_related("items", "services"):
        # Every signed-off plan became support: a service per item, as support_release maps it.
        services = sorted(plan.services.all(), key=lambda service: service.pk)
        items = sorted(plan.items.all(), key=lambda item: item.pk)
        assert len(services) == len(items)
        direct = Decimal("0.00")
        for item, service in zip(items, services, strict=True):
            assert service.description == item.what
            way = item.management or plan.management
            line = release.service_for_item(
                management="direct_payment" if way == "mixed" else way,
                provider_kind=item.provider_kind,
                unit_cost=item.unit_cost,
                unit=item.unit,
                units=item.units,
                per=item.per,
                client_type=plan.person.client_type,
            )
            assert (
                service.delivery_mechanism,
                service.service_type,
                service.service_component,
                service.cost_frequency,
                service.planned_units_per_week,
            ) == (
                line.delivery_mechanism,
                line.service_type,
                line.service_component,
                line.cost_frequency,
                line.planned_units_per_week,
            )
            assert service.weekly_cost == item.weekly_cost
            assert service.start_date >= _local(plan.decision.decided_at)
            assert service.end_date is None or service.end_date >= service.start_date
            if line.delivery_mechanism == "Direct payment":
                direct += item.weekly_cost
        payment = DirectPayment.objects.filter(plan=plan).first()
        if direct:
            assert payment is not None
            assert payment.four_weekly_amount == release.four_weekly_amount(direct)
        else:
            assert payment is None
        # The first review window is 6 to 8 weeks after support starts.
        start = min(service.start_date for service in services)
        first = ScheduledReview.objects.filter(plan=plan).order_by("due_by").first()
        assert first is not None
        expected = schedule.next_planned_review(
            support_started=start,
            direct_payment_started=payment.first_payment_on if payment else None,
        )
        assert (first.kind, first.due_from, first.due_by) == (
            expected.kind,
            expected.due_from,
            expected.due_by,
        )
    # At most one open review window per person, and only for support that is running.
    open_windows = ScheduledReview.objects.filter(closed_on__isnull=True)
    assert not open_windows.values("person").annotate(n=Count("id")).filter(n__gt=1).exists()
    for window in open_windows.select_related("plan"):
        assert window.plan.services.filter(end_date__isnull=True).exists()


@pytest.mark.django_db
def test_reviews_are_recorded_as_the_service_records_them(council: list[Person]) -> None:
    demo = _demo(council)
    reviews = Review.objects.exclude(person_id__in=demo).select_related("scheduled", "person")
    assert not reviews.filter(status=ReviewStatus.OPEN).exists()
    named = 0
    for review in reviews.prefetch_related("outcomes"):
        assert review.completed_at is not None and review.opened_at <= review.completed_at
        assert review.completed_at <= NOW
        assert review.event_outcome == schedule.EVENT_OUTCOME[review.decision]
        achieved = [outcome.achieved for outcome in review.outcomes.all()]
        assert achieved and review.outcomes_achieved == schedule.overall_outcomes_achieved(achieved)
        assert review.team_id == review.person.team_id
        assert review.primary_support_reason == review.person.primary_support_reason
        assert review.by_named_worker is not None
        named += review.by_named_worker
        if review.decision in (schedule.CHANGE_PLAN, schedule.REASSESS, schedule.END_OTHER):
            assert review.decision_note
        if review.planned:
            assert review.reason == schedule.PLANNED_REASON
            assert review.scheduled is not None
            assert review.scheduled.closed_on == _local(review.completed_at)
            assert review.scheduled.closed_because == "Review held"
            assert review.scheduled.due_from <= review.scheduled.closed_on
        else:
            assert review.scheduled is None and review.reason_detail
            assert review.reason in dict(schedule.UNPLANNED_REASONS)
    assert 0.65 < named / reviews.count() < 0.85
    # A held window is followed by the next one the schedule gives (or support ended).
    assert ScheduledReview.objects.filter(kind="annual").exists()


@pytest.mark.django_db
def test_crises_and_autism_by_cohort(council: list[Person]) -> None:
    kinds = set(CrisisKind.values)
    for crisis in CrisisEvent.objects.select_related("person", "recorded_by"):
        assert crisis.kind in kinds
        assert crisis.person.date_of_birth < crisis.occurred_on <= AS_OF
        assert crisis.occurred_on <= _local(crisis.recorded_at)
        assert crisis.recorded_at <= NOW
        assert crisis.recorded_by.role in CASE_ROLES
    ld = Person.objects.filter(primary_support_reason="learning_disability_support")
    others = Person.objects.exclude(primary_support_reason="learning_disability_support")

    def share(people: models.QuerySet[Person], **match: object) -> float:
        return people.filter(**match).distinct().count() / people.count()

    assert share(ld, autism="yes") > 3 * share(others, autism="yes")
    assert share(ld, crisis_events__isnull=False) > share(others, crisis_events__isnull=False)


@pytest.mark.django_db
def test_history_rows_pass_model_validation(council: list[Person]) -> None:
    """Choices, lengths and required fields, on a sample of every kind of row."""
    sample = random.Random(1)
    for model in SEEDED:
        if model in (User, Team):
            continue
        ids = list(model._default_manager.values_list("pk", flat=True))
        for pk in sample.sample(ids, min(15, len(ids))):
            row = model._default_manager.get(pk=pk)
            # Fields that may be empty in the database but not on a form (for example
            # "will share experience" when nobody asked) are the services' to fill.
            unanswered = [f.name for f in model._meta.fields if f.null and not f.blank]
            row.full_clean(exclude=unanswered, validate_unique=False, validate_constraints=False)


@pytest.mark.django_db
def test_the_demo_flows_are_untouched(council: list[Person]) -> None:
    demo_person, represented = council[0], council[1]
    assert not Plan.objects.filter(person=demo_person).exists()
    assert IndicativeBudget.objects.filter(person=demo_person).exists()
    assert Review.objects.filter(person=represented, status=ReviewStatus.OPEN).count() == 1
    # The demo worker's first twelve people had their requests through the real services.
    first_twelve = Contact.objects.filter(person__in=council[:12])
    assert first_twelve.count() == 12
    assert first_twelve.filter(urgent=True).count() == 1


def _next_id(model: type[models.Model]) -> int:
    """The id the database would give the next row of MODEL."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [table])
            return int(cursor.fetchone()[0])
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        row = cursor.fetchone()
        return (int(row[0]) if row else 0) + 1


@pytest.mark.django_db
def test_the_council_can_be_worked_on_after_seeding(council: list[Person]) -> None:
    """The seed gives ids itself; the database's own sequences must be past them."""
    for model in SEEDED:
        last = model._default_manager.aggregate(last=Max("pk"))["last"]
        assert _next_id(model) > (last or 0), model.__name__
    worker = User.objects.get(username="worker")
    person = Person.objects.filter(named_worker=worker, contacts__isnull=True).first()
    assert person is not None
    contact = contact_create(
        actor=worker,
        person=person,
        received_on=timezone.localdate(),
        route_of_access="community",
        requested_by="Themself",
        what_for="Help at home",
        urgent=False,
    )
    crisis = crisis_record(
        actor=worker,
        person=person,
        kind=CrisisKind.UNPLANNED_HOSPITAL,
        occurred_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    assert contact.pk and crisis.pk
