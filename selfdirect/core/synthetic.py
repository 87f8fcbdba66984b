"""A deterministic synthetic council, for the demo, the tests and the benchmarks.

Everything here is invented: names are drawn from short lists, NHS numbers come from
the 999 range the NHS keeps for testing, and postcodes use the "SD" area, which does
not exist. The same --people, --seed and --as-of always give the same council.
Rows are written with bulk_create so that 100,000 people take well under 3 minutes.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from selfdirect.accounts.models import Role, User
from selfdirect.audit.models import AuditEvent, EventType
from selfdirect.people import codes
from selfdirect.people.models import NamedWorkerAllocation, Person, Relationship, RelationshipType
from selfdirect.people.nhs_number import check_digit
from selfdirect.workforce.models import Discipline, Team

DEMO_PASSWORD = "selfdirect-demo"  # noqa: S105 - printed for the demo, documented in README
BATCH = 5000

# fmt: off
FIRST_NAMES = (
    "Aaliyah", "Abdul", "Ada", "Adebayo", "Aisha", "Alan", "Alice", "Amara", "Amir", "Ana",
    "Andrew", "Angela", "Anil", "Ann", "Arjun", "Barbara", "Beatrice", "Bilal", "Brian",
    "Bronwen", "Carlos", "Catherine", "Chen", "Chloe", "Ciaran", "Colin", "Daniel", "Deepa",
    "Derek", "Dorothy", "Dylan", "Edith", "Efua", "Elena", "Eleanor", "Emeka", "Emily", "Farah",
    "Fatima", "Finn", "Frank", "Gareth", "Grace", "Hamza", "Hannah", "Harold", "Ibrahim",
    "Imran", "Irene", "Isla", "Jack", "James", "Janet", "Jasmine", "Jean", "Joan", "John",
    "Joseph", "Joyce", "Kamala", "Karen", "Kevin", "Kwame", "Laila", "Leon", "Lily", "Liam",
    "Lucy", "Madhu", "Maria", "Margaret", "Marek", "Mary", "Mohammed", "Mei", "Nadia", "Nia",
    "Nkechi", "Noah", "Olga", "Oliver", "Olu", "Patrick", "Pauline", "Priya", "Rajesh", "Rhys",
    "Rita", "Robert", "Rose", "Ruth", "Sadia", "Samuel", "Sandra", "Sean", "Sinead", "Siobhan",
    "Sophie", "Stanley", "Sunita", "Tariq", "Teresa", "Thomas", "Tomasz", "Usha", "Victor",
    "Vera", "Wei", "William", "Yasmin", "Yusuf", "Zara",
)
# fmt: on
# fmt: off
LAST_NAMES = (
    "Abbott", "Adeyemi", "Ahmed", "Ali", "Allen", "Anderson", "Bailey", "Baker", "Banerjee",
    "Bell", "Bennett", "Brown", "Byrne", "Campbell", "Carter", "Chen", "Clarke", "Collins",
    "Cooper", "Das", "Davies", "Edwards", "Evans", "Fernandes", "Fisher", "Fletcher", "Foster",
    "Garcia", "Green", "Hall", "Harris", "Hassan", "Hughes", "Hussain", "Iqbal", "Jackson",
    "James", "Jones", "Kaur", "Kelly", "Khan", "King", "Kowalski", "Lee", "Lewis", "Martin",
    "Mensah", "Mitchell", "Moore", "Morgan", "Murphy", "Nguyen", "Nowak", "Obi", "Okafor",
    "Osei", "Owen", "Parker", "Patel", "Phillips", "Price", "Rahman", "Reid", "Roberts",
    "Robinson", "Rossi", "Scott", "Shah", "Singh", "Smith", "Taylor", "Thomas", "Thompson",
    "Turner", "Walker", "Ward", "Watson", "White", "Williams", "Wilson", "Wood", "Wright",
    "Yilmaz", "Young", "Zhang",
)
# fmt: on
LOCALITIES = ("North", "South", "East", "West", "Central")
HANDOVER_NOTES = (
    "Prefers a phone call before visits. Daughter helps with letters.",
    "Has asked to keep the same personal assistants; review the direct payment paperwork.",
    "Worried about the stairs at home; OT referral made, awaiting visit.",
    "Goes to the day centre on Tuesdays and Thursdays and wants to keep that going.",
    "Anxious about change of worker: introduce yourself by letter first.",
    "Carer is finding things harder; offer a carer's assessment.",
)
TEAM_PSR = {
    Discipline.LEARNING_DISABILITY_AUTISM: ("learning_disability_support",),
    Discipline.MENTAL_HEALTH: ("mental_health_support", "social_support_substance_misuse_support"),
}
PSR_WEIGHTS = {
    "physical_support_personal_care_support": 40,
    "physical_support_access_and_mobility_only": 8,
    "support_with_memory_and_cognition": 12,
    "learning_disability_support": 12,
    "mental_health_support": 12,
    "sensory_support_support_for_visual_impairment": 2,
    "sensory_support_support_for_hearing_impairment": 1,
    "sensory_support_support_for_dual_impairment": 1,
    "social_support_substance_misuse_support": 2,
    "social_support_support_for_social_isolation_or_other_reason": 3,
    "social_support_support_to_unpaid_carer": 7,
}
ETHNICITY_WEIGHTS = {
    "white_english_welsh_scottish_northern_irish_or_british": 70,
    "white_irish": 2,
    "white_any_other_white_background": 6,
    "white_roma": 1,
    "asian_or_asian_british_indian": 4,
    "asian_or_asian_british_pakistani": 3,
    "asian_or_asian_british_bangladeshi": 2,
    "asian_or_asian_british_chinese": 1,
    "black_black_british_caribbean_or_african_african": 3,
    "black_black_british_caribbean_or_african_caribbean": 2,
    "mixed_or_multiple_ethnic_groups_white_and_black_caribbean": 1,
    "mixed_or_multiple_ethnic_groups_white_and_asian": 1,
    "other_ethnic_group_arab": 1,
    "no_data_undeclared_or_not_known": 3,
}


@dataclass
class SeedResult:
    teams: int = 0
    staff: int = 0
    people: int = 0
    relationships: int = 0
    allocations: int = 0
    logins: list[tuple[str, str, str]] = field(default_factory=list)


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _nhs_numbers(start: int):  # type: ignore[no-untyped-def]
    """Valid NHS numbers in the 999 test range, in order."""
    k = start
    while True:
        first_nine = f"999{k:06d}"
        k += 1
        digit = check_digit(first_nine)
        if digit is not None:
            yield first_nine + str(digit)


def _postcode(rng: random.Random) -> str:
    letters = "ABDEFGHJLNPQRSTUWXYZ"
    return f"SD{rng.randint(1, 29)} {rng.randint(1, 9)}{rng.choice(letters)}{rng.choice(letters)}"


def _discipline_for(psr: str, age: int, client_type: str) -> Discipline:
    if client_type == "unpaid_carer":
        return Discipline.CARERS
    if psr == "learning_disability_support":
        return Discipline.LEARNING_DISABILITY_AUTISM
    if psr in TEAM_PSR[Discipline.MENTAL_HEALTH] and age < 65:
        return Discipline.MENTAL_HEALTH
    if age >= 65:
        return Discipline.OLDER_PEOPLE
    return Discipline.PHYSICAL_SENSORY


def council_has_people() -> bool:
    return Person.objects.exists()


@transaction.atomic
def seed_council(*, people: int, seed: int, as_of: datetime.date) -> SeedResult:
    """Create teams, staff, people, circles of support and named-worker histories."""
    rng = random.Random(seed)
    result = SeedResult()
    now = timezone.make_aware(datetime.datetime.combine(as_of, datetime.time(12, 0)))
    demo_hash = make_password(DEMO_PASSWORD)
    # One hash for every synthetic account that cannot sign in: hashing thousands is slow.
    unusable = make_password(None)

    # --- Teams ---------------------------------------------------------------
    localities = max(1, min(20, round(people / 5000)))
    names = [LOCALITIES[i] if i < len(LOCALITIES) else f"Area {i + 1}" for i in range(localities)]
    teams = [
        Team(name=f"{discipline.label} – {locality}", discipline=discipline)
        for locality in names
        for discipline in Discipline
    ]
    Team.objects.bulk_create(teams)
    result.teams = len(teams)
    teams_by_discipline: dict[Discipline, list[Team]] = {}
    for team in teams:
        teams_by_discipline.setdefault(Discipline(team.discipline), []).append(team)

    # --- Staff ---------------------------------------------------------------
    workers_per_team = max(3, round(people / 50 / len(teams)))
    staff: list[User] = []

    def person_name() -> tuple[str, str]:
        return rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)

    def add_staff(username: str, role: Role, team: Team | None, limit: int, password: str) -> User:
        first, last = person_name()
        user = User(
            username=username,
            first_name=first,
            last_name=last,
            email=f"{username}@example.org",
            role=role,
            team=team,
            sign_off_limit=Decimal(limit),
            password=password,
        )
        staff.append(user)
        return user

    demo_team = teams_by_discipline[Discipline.OLDER_PEOPLE][0]
    demo_worker = add_staff("worker", Role.SOCIAL_WORKER, demo_team, 15000, demo_hash)
    add_staff("manager", Role.TEAM_MANAGER, demo_team, 60000, demo_hash)
    add_staff("panel", Role.PANEL_MEMBER, None, 250000, demo_hash)
    add_staff("commissioner", Role.COMMISSIONER, None, 0, demo_hash)
    add_staff("admin", Role.ADMINISTRATOR, None, 0, demo_hash)
    serial = 0
    for team in teams:
        if team is not demo_team:
            serial += 1
            add_staff(f"manager.{serial:04d}", Role.TEAM_MANAGER, team, 60000, unusable)
        for _ in range(workers_per_team - (1 if team is demo_team else 0)):
            serial += 1
            add_staff(
                f"worker.{serial:04d}",
                Role.SOCIAL_WORKER,
                team,
                rng.choice((10000, 15000, 20000)),
                unusable,
            )
    for index in range(2):
        add_staff(f"panel.{index + 1:02d}", Role.PANEL_MEMBER, None, 250000, unusable)
        add_staff(f"commissioner.{index + 1:02d}", Role.COMMISSIONER, None, 0, unusable)
    User.objects.bulk_create(staff, batch_size=BATCH)
    result.staff = len(staff)
    case_workers_by_team: dict[int, list[User]] = {}
    for user in staff:
        if user.role in (Role.SOCIAL_WORKER, Role.TEAM_MANAGER) and user.team is not None:
            case_workers_by_team.setdefault(user.team.pk, []).append(user)

    # --- People --------------------------------------------------------------
    nhs = _nhs_numbers(start=rng.randint(0, 1000))
    persons: list[Person] = []
    for index in range(people):
        client_type = "unpaid_carer" if rng.random() < 0.07 else "service_user"
        psr = (
            "social_support_support_to_unpaid_carer"
            if client_type == "unpaid_carer"
            else _weighted(rng, PSR_WEIGHTS)
        )
        age = rng.choice((rng.randint(18, 64), rng.randint(65, 99), rng.randint(65, 99)))
        if psr == "learning_disability_support":
            age = rng.randint(18, 70)
        born = as_of - datetime.timedelta(days=age * 365 + rng.randint(0, 364))
        discipline = _discipline_for(psr, age, client_type)
        # Index 0 is the demo worker's first person, who has the demo portal account.
        team = demo_team if index < 40 else rng.choice(teams_by_discipline[discipline])
        worker = demo_worker if index < 30 else rng.choice(case_workers_by_team[team.pk])
        first, last = person_name()
        employment = (
            rng.choice(codes.EMPLOYMENT_STATUS)[0]
            if age < 65
            else "not_in_paid_employment_not_actively_seeking_work_or_retired"
        )
        persons.append(
            Person(
                first_name=first,
                last_name=last,
                date_of_birth=born,
                nhs_number=next(nhs) if rng.random() < 0.97 else "",
                gender=rng.choices(("female", "male", "another", "not_known"), (52, 46, 1, 1))[0],
                ethnicity=_weighted(rng, ETHNICITY_WEIGHTS),
                client_type=client_type,
                primary_support_reason=psr,
                postcode=_postcode(rng),
                accommodation_status=rng.choices(
                    (
                        "owner_occupier_or_shared_ownership_scheme",
                        "tenant_local_authority_or_other_social_housing_provider",
                        "tenant_private_landlord",
                        "settled_mainstream_housing_with_family_or_friends",
                        "supported_accommodation_supported_lodgings_or_supported_group_home",
                        "sheltered_housing_extra_care_housing_or_other_sheltered_housing",
                    ),
                    (40, 25, 10, 12, 8, 5),
                )[0],
                employment_status=employment,
                has_unpaid_carer=rng.choices(("yes", "no", "unknown"), (45, 45, 10))[0],
                date_of_death=None,
                team=team,
                named_worker=worker,
            )
        )
    Person.objects.bulk_create(persons, batch_size=BATCH)
    result.people = len(persons)

    # --- Named-worker histories, circles of support, audit ----------------------
    allocations: list[NamedWorkerAllocation] = []
    relationships: list[Relationship] = []
    events: list[AuditEvent] = []
    relationship_types = [choice.value for choice in RelationshipType]
    for person in persons:
        spells = rng.choices((1, 2, 3), (60, 30, 10))[0]
        start = now - datetime.timedelta(days=rng.randint(30, 6 * 365))
        workers = case_workers_by_team[person.team_id]
        history = [rng.choice(workers) for _ in range(spells - 1)] + [person.named_worker]
        previous_end = start
        for number, worker in enumerate(history):
            is_last = number == len(history) - 1
            ended = None if is_last else previous_end + (now - previous_end) * rng.uniform(0.2, 0.6)
            allocations.append(
                NamedWorkerAllocation(
                    person=person,
                    worker=worker,
                    started_at=previous_end,
                    ended_at=ended,
                    handover_note="" if number == 0 else rng.choice(HANDOVER_NOTES),
                    allocated_by=None,
                )
            )
            if ended is not None:
                previous_end = ended
        for _ in range(rng.choices((0, 1, 2, 3), (15, 40, 30, 15))[0]):
            kind = rng.choice(relationship_types)
            first, last = person_name()
            relationships.append(
                Relationship(
                    person=person,
                    name=f"{first} {last}",
                    relationship_type=kind,
                    phone=f"07700 900{rng.randint(0, 999):03d}",
                    email="",
                    is_representative=kind in {"attorney_hw", "deputy", "advocate"},
                )
            )
        events.append(
            AuditEvent(
                at=start,
                actor=None,
                actor_label="System",
                person=person,
                person_label=f"SD{person.pk:07d}",
                event_type=EventType.PERSON_CREATED,
                reason="Synthetic demo council (selfdirect seed)",
            )
        )
    NamedWorkerAllocation.objects.bulk_create(allocations, batch_size=BATCH)
    Relationship.objects.bulk_create(relationships, batch_size=BATCH)
    AuditEvent.objects.bulk_create(events, batch_size=BATCH)
    result.allocations = len(allocations)
    result.relationships = len(relationships)

    # --- Portal demo accounts ---------------------------------------------------
    if persons:
        own = persons[0]
        person_user = User.objects.create(
            username="person",
            first_name=own.first_name,
            last_name=own.last_name,
            email="person@example.org",
            role=Role.PERSON,
            password=demo_hash,
        )
        own.portal_user = person_user
        own.save(update_fields=["portal_user"])
    if len(persons) > 1:
        represented = persons[1]
        rep_user = User.objects.create(
            username="rep",
            first_name="Rowan",
            last_name="Rep",
            email="rep@example.org",
            role=Role.REPRESENTATIVE,
            password=demo_hash,
        )
        Relationship.objects.create(
            person=represented,
            name="Rowan Rep",
            relationship_type=RelationshipType.ATTORNEY_HEALTH_WELFARE,
            email="rep@example.org",
            is_representative=True,
            user=rep_user,
        )
    User.objects.create(
        username="helper",
        first_name="Hana",
        last_name="Helper",
        email="helper@example.org",
        role=Role.PLAN_HELPER,
        password=demo_hash,
    )
    _seed_demo_assessments(rng, demo_worker, persons[:12], as_of)
    _seed_demo_reviews(demo_worker, persons[:12])
    result.logins = [
        ("worker", "Social worker", f"{demo_team.name}; named worker for 30 people"),
        ("manager", "Team manager", f"{demo_team.name}; can change named workers, see audit"),
        ("panel", "Panel member", "decides plans over budget"),
        ("commissioner", "Commissioner", "anonymised figures, learning from reviews"),
        ("admin", "Administrator", "teams, staff and sign-off limits"),
        ("person", "Person (portal)", "sees their own record"),
        ("rep", "Representative (portal)", "acts for one person, whose review is open"),
        ("helper", "Plan helper (portal)", "invited to help with plans"),
    ]
    return result


def _seed_demo_assessments(
    rng: random.Random, worker: User, persons: list[Person], as_of: datetime.date
) -> None:
    """Requests and assessments for some of the demo worker's people, through the real services.

    The demo person (the first) has an eligible assessment and a budget; one person is
    found not eligible; the last three are waiting in the queue, one of them urgent.
    """
    from selfdirect.assessments import services
    from selfdirect.assessments.eligibility import Judgement
    from selfdirect.assessments.outcomes import outcomes_for

    for index, person in enumerate(persons):
        urgent = index == len(persons) - 1
        contact = services.contact_create(
            actor=worker,
            person=person,
            received_on=as_of - datetime.timedelta(days=0 if urgent else 40 - index),
            route_of_access="hospital_discharge" if urgent else "community",
            requested_by="Ward 7 discharge team" if urgent else "Themself",
            what_for="Support to go home from hospital" if urgent else "Help at home",
            urgent=urgent,
        )
        if index >= len(persons) - 3:
            continue  # waiting in the queue
        kind = "carer" if person.client_type == "unpaid_carer" else "adult"
        assessment = services.assessment_start(
            actor=worker, person=person, kind=kind, contact=contact
        )
        services.story_add(
            actor=worker,
            person=person,
            entries={"important_to_me": "Staying in my own home and seeing my friends."},
        )
        outcomes = [code for code, _ in outcomes_for(kind)]
        unable = set(rng.sample(outcomes, 1 if index == 5 else rng.randint(2, 4)))
        judgements = [
            Judgement(
                outcome=code,
                achievable=code not in unable,
                unable_reason=None if code not in unable else "without_assistance",
                met_by_others=rng.choice(("none", "some", "most")) if code in unable else "none",
                risk=rng.choice(("moderate", "substantial", "critical"))
                if code in unable
                else "low",
                reason="Needs help every day" if code in unable else "",
            )
            for code in outcomes
        ]
        services.judgements_save(
            actor=worker,
            assessment=assessment,
            judgements=judgements,
            expected_version=assessment.version,
        )
        services.assessment_complete(
            actor=worker,
            assessment=assessment,
            needs_arise_from_condition=True,
            significant_impact=index != 5 or kind == "adult",
            significant_impact_reason="Their wellbeing is affected day to day.",
            carer_health_deteriorating=kind == "carer",
            expected_version=assessment.version,
        )


def _seed_demo_reviews(worker: User, persons: list[Person]) -> None:
    """Signed-off plans and reviews for the demo worker's people with budgets, through the real
    services: most reviews held (tagged, so commissioners see learning), and one open for the
    demo representative to give a view in the portal."""
    from decimal import Decimal

    from selfdirect.budgets.models import IndicativeBudget
    from selfdirect.plans import services as plans
    from selfdirect.reviews import services as reviews
    from selfdirect.reviews.models import LearningTheme, ReviewPoint

    # The demo person (the first) is left to write their own first plan in the portal.
    with_budget = [p for p in persons[1:] if IndicativeBudget.objects.filter(person=p).exists()]
    themes = {t.name: t.pk for t in LearningTheme.objects.all()}
    for index, person in enumerate(with_budget):
        plan = plans.plan_start(actor=worker, person=person)
        weekly = plan.budget.weekly
        hours = max(Decimal(1), (weekly * Decimal("0.8") / Decimal("18.50")).quantize(Decimal(1)))
        plans.plan_save(
            actor=worker,
            plan=plan,
            expected_version=plan.version,
            what_i_want="To stay at home and get out to see friends twice a week.",
            who_helps="My daughter helps at weekends.",
            if_things_go_wrong="Ring my daughter, then the council.",
            management="direct_payment",
            interim=False,
            items=[
                plans.ItemInput(
                    what="Personal assistant",
                    provider_kind="personal_assistant",
                    provider_name="",
                    unit_cost=Decimal("18.50"),
                    units=hours,
                    per="week",
                )
            ],
        )
        plan = plans.plan_submit(actor=worker, plan=plan, expected_version=plan.version)
        approver = User.objects.filter(pk__in=plan.route_approver_ids).first()
        plans.plan_decide(
            actor=approver or worker,
            plan=plan,
            approved=True,
            explanation="The plan meets the eligible needs within the budget.",
        )
        review = reviews.review_open(actor=worker, person=person)
        if index == 0:
            continue  # open, for the demo representative to give a view
        reviews.review_give_view(
            actor=worker,
            review=review,
            view=reviews.View(
                working="Having a personal assistant I chose",
                not_working="Finding cover when my PA is off" if index % 2 else "The bus",
                share_quotes=True,
            ),
        )
        tags = {
            point.pk: themes.get(
                "Transport" if point.text == "The bus" else "Finding personal assistants"
            )
            for point in ReviewPoint.objects.filter(contribution__review=review)
        }
        reviews.review_complete(
            actor=worker,
            review=review,
            outcome=reviews.Outcome(
                method="face_to_face",
                achieved={
                    c: "fully_met" if index % 3 else "partially_met"
                    for c, _ in reviews.plan_outcomes(plan)
                },
                decision="carry_on",
                themes=tags,
                will_share_experience=index % 2 == 1,
                how_to_contact="Through my worker" if index % 2 == 1 else "",
            ),
        )
