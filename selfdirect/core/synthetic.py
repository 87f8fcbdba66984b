"""A deterministic synthetic council, for the demo, the tests and the benchmarks.

Everything here is invented: names are drawn from short lists, NHS numbers come from
the 999 range the NHS keeps for testing, phone numbers from Ofcom's drama ranges, and
postcodes use the "SD" area, which does not exist. The same --people, --seed and --as-of
always give the same council.

Besides teams, staff, people and their named workers, the whole population gets about
three years of history up to --as-of: requests, assessments, budgets, plans, support,
reviews and crises, each worked out by the same pure rules the services use (eligibility,
the RAS, plan costs, sign-off routing, CLD service lines, review dates), so that figures
drawn from it are honest. The demo worker's first twelve people keep their own journeys,
made through the real services (see _seed_demo_assessments and _seed_demo_reviews).

Rows are written in batches straight to the database (see _Rows), so that 100,000
people, about two million rows, take well under 3 minutes (targets P7).
"""

from __future__ import annotations

import base64
import bisect
import contextlib
import datetime
import itertools
import math
import random
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max
from django.utils import timezone

from selfdirect.accounts.models import Role, TwoFactorDevice, User
from selfdirect.assessments.eligibility import AssessmentFacts, Judgement, decide_eligibility
from selfdirect.assessments.models import (
    Assessment,
    AssessmentMethod,
    AssessmentStatus,
    Contact,
    OutcomeJudgement,
    RouteOfAccess,
)
from selfdirect.assessments.outcomes import outcomes_for, unable_reasons_for
from selfdirect.audit import chain as audit_chain
from selfdirect.audit.models import AuditEvent, EventType
from selfdirect.audit.services import audit_chain_head_lock, audit_chain_head_move
from selfdirect.budgets import ras
from selfdirect.budgets.models import BudgetStream, FundingStream, IndicativeBudget
from selfdirect.budgets.selectors import ras_current
from selfdirect.people import codes
from selfdirect.people.models import (
    CrisisEvent,
    CrisisKind,
    NamedWorkerAllocation,
    Person,
    Relationship,
    RelationshipType,
)
from selfdirect.people.nhs_number import check_digit
from selfdirect.people.services import UNALLOCATED_NEW
from selfdirect.plans import costs, signoff
from selfdirect.plans.models import (
    Management,
    Plan,
    PlanAuthor,
    PlanDecision,
    PlanItem,
    PlanStatus,
    ProviderKind,
)
from selfdirect.reviews import schedule
from selfdirect.reviews.models import (
    ContributorKind,
    LearningTheme,
    PointKind,
    Review,
    ReviewContribution,
    ReviewOutcome,
    ReviewPoint,
    ReviewStatus,
)
from selfdirect.support import release
from selfdirect.support.models import DirectPayment, ScheduledReview, Service
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


# --- Population history ---------------------------------------------------------------------
# The shares below are rough orders of magnitude for an English council, chosen so that the
# dashboards have something to show (waits with a long tail, some people without a named
# worker, crises concentrated in the cohorts the Transforming Care programme watches).

HISTORY_DAYS = 3 * 365
NO_CONTACT_SHARE = 0.12  # known to the council, but no request for support in three years
UNALLOCATED_SHARE = 0.02  # waiting in their team's queue for a named worker now
PAST_GAP_SHARE = 0.25  # of people with more than one named worker: a gap between two
ELIGIBLE_SHARE = 0.75
OVER_BUDGET_SHARE = 0.15  # first plans costing more than the budget (they go to a panel)
STALLED_DRAFT_SHARE = 0.03  # plans that are still being written long after they were started
MISSED_REVIEW_SHARE = 0.08  # review windows not (yet) held: they stay open, then overdue
LATE_REVIEW_DAYS = 35  # how late a review held after its window may be
BY_NAMED_WORKER_SHARE = 0.76  # of reviews, when there is a named worker
VIEW_SHARE = 0.2  # reviews where what the person said was written down and tagged
MIN_PLANNED_WEEKLY = Decimal("5.00")  # smaller budgets are met without a written plan
MAX_CYCLES = 2  # reassessments or revised plans, per person, after the first
DEMO_UNALLOCATED = 3  # people in the demo team waiting for a named worker
# The demo worker's last few people are new: no request yet, for the demo to start one.
DEMO_FRESH = range(26, 30)

ROUTE_WEIGHTS: dict[str, int] = {
    RouteOfAccess.COMMUNITY: 55,
    RouteOfAccess.HOSPITAL_DISCHARGE: 22,
    RouteOfAccess.DIVERSION_FROM_HOSPITAL: 6,
    RouteOfAccess.TRANSITION: 4,
    RouteOfAccess.TRANSFER: 3,
    RouteOfAccess.SELF_FUNDER: 10,
}
HOSPITAL_ROUTES = frozenset(
    {RouteOfAccess.HOSPITAL_DISCHARGE, RouteOfAccess.DIVERSION_FROM_HOSPITAL}
)
REQUESTED_BY: dict[str, tuple[str, ...]] = {
    RouteOfAccess.COMMUNITY: (
        "Themself",
        "Their daughter",
        "Their son",
        "Their partner",
        "Their GP",
        "A neighbour",
        "Their sister",
    ),
    RouteOfAccess.HOSPITAL_DISCHARGE: (
        "Ward 7 discharge team",
        "Ward 12 nurse in charge",
        "Hospital discharge team",
        "Integrated discharge hub",
    ),
    RouteOfAccess.DIVERSION_FROM_HOSPITAL: (
        "Community rapid response team",
        "Urgent community response nurse",
        "Ambulance service",
    ),
    RouteOfAccess.TRANSITION: ("Children's services transition worker",),
    RouteOfAccess.TRANSFER: ("Adult social care team at their previous council",),
    RouteOfAccess.SELF_FUNDER: ("Themself", "Their family", "Their care home manager"),
}
WHAT_FOR = {
    "adult": (
        "Help at home",
        "Help with washing and dressing",
        "Support to go home from hospital",
        "Help with meals and shopping",
        "Support to get out and about",
        "Support to live more independently",
        "Help to stay safe at home after a fall",
        "Support to find work or volunteering",
    ),
    "carer": (
        "A carer's assessment",
        "A break from caring",
        "Support to keep caring and stay well",
    ),
}
JUDGEMENT_REASONS = {
    "nutrition": "Cannot prepare meals safely without help",
    "personal_hygiene": "Needs help to wash and bathe",
    "toilet_needs": "Needs help to use the toilet, day and night",
    "clothing": "Needs help to dress",
    "home_safety": "Has fallen at home and cannot use the stairs safely",
    "habitable_home": "Cannot keep the home clean and warm",
    "relationships": "Has lost touch with friends and family",
    "work_education_volunteering": "Wants to volunteer but cannot get there alone",
    "community_facilities": "Cannot use the bus or go to the shops alone",
    "caring_for_child": "Needs help to get their child to school",
    "caring_for_others": "Also cares for their mother and cannot manage both",
    "recreation": "Has had no time for themself for a year",
}
MET_WEIGHTS = {"none": 45, "some": 35, "most": 15, "all": 5}
RISK_WEIGHTS = {"low": 8, "moderate": 32, "substantial": 45, "critical": 15}
IMPACT_REASONS = (
    "Their wellbeing is affected day to day.",
    "Without help they are likely to go into hospital.",
    "They are isolated and their mood is low.",
    "Their health is suffering and they are exhausted.",
)
NO_IMPACT_REASONS = (
    "They manage well with the help they already have.",
    "Their wellbeing is good and they want advice only.",
)

MANAGEMENT_WEIGHTS: dict[str, dict[str, int]] = {
    "adult": {
        Management.DIRECT_PAYMENT: 35,
        Management.COUNCIL_ARRANGED: 40,
        Management.INDIVIDUAL_SERVICE_FUND: 8,
        Management.COUNCIL_MANAGED: 7,
        Management.MIXED: 10,
    },
    "carer": {Management.DIRECT_PAYMENT: 75, Management.COUNCIL_ARRANGED: 25},
}
AUTHOR_WEIGHTS: dict[str, int] = {
    PlanAuthor.PERSON: 30,
    PlanAuthor.FAMILY: 25,
    PlanAuthor.USER_LED: 12,
    PlanAuthor.PROVIDER: 8,
    PlanAuthor.WORKER: 25,
}
HOME_CARE_PROVIDERS = (
    "Bluebell Home Care",
    "Northbridge Care Services",
    "Harbour Homecare",
    "Kindred Care Co-operative",
)
SUPPORT_PROVIDERS = ("Riverside Support", "Oak Tree Supported Living", "Open Door Support")


@dataclass(frozen=True)
class _ItemKind:
    """Something a plan can pay for, with the range of prices people pay for it."""

    what: str
    provider_kind: str
    unit: str
    pence: tuple[int, int]  # unit cost, lowest and highest
    per: str
    units: tuple[int, int] = (1, 1)  # how many, for things that are not the main item
    providers: tuple[str, ...] = ("",)


PA = _ItemKind("Personal assistant", ProviderKind.PERSONAL_ASSISTANT, "hour", (1450, 1850), "week")
AGENCY = _ItemKind(
    "Home care visits",
    ProviderKind.PROVIDER,
    "hour",
    (2200, 2600),
    "week",
    providers=HOME_CARE_PROVIDERS,
)
SUPPORT_WORKER = _ItemKind(
    "Support worker",
    ProviderKind.PROVIDER,
    "hour",
    (2000, 2400),
    "week",
    providers=SUPPORT_PROVIDERS,
)
SITTING = _ItemKind(
    "Sitting service while I have a break",
    ProviderKind.PROVIDER,
    "hour",
    (1800, 2200),
    "week",
    providers=HOME_CARE_PROVIDERS,
)
EXTRAS = {
    "adult": (
        _ItemKind(
            "Day opportunities",
            ProviderKind.COMMUNITY_GROUP,
            "day",
            (3500, 6000),
            "week",
            units=(1, 2),
            providers=("The Hub day centre", "Greenfields Day Opportunities"),
        ),
        _ItemKind(
            "Lunch club",
            ProviderKind.COMMUNITY_GROUP,
            "session",
            (500, 1200),
            "week",
            units=(1, 2),
            providers=("Northbridge Community Café",),
        ),
        _ItemKind(
            "Short breaks",
            ProviderKind.PROVIDER,
            "day",
            (11000, 15000),
            "year",
            units=(7, 14),
            providers=("Willow House",),
        ),
        _ItemKind(
            "A shower seat and grab rails", ProviderKind.EQUIPMENT, "item", (6000, 40000), "once"
        ),
        _ItemKind(
            "Taxi to the day centre",
            ProviderKind.OTHER,
            "session",
            (800, 1500),
            "week",
            units=(2, 4),
        ),
    ),
    "carer": (
        _ItemKind("Gym membership", ProviderKind.OTHER, "month", (2000, 3500), "month"),
        _ItemKind("A weekend away", ProviderKind.OTHER, "item", (15000, 40000), "once"),
    ),
}
WHAT_I_WANT = (
    "To stay in my own home and see my friends.",
    "To get out to the shops and the café each week.",
    "To be clean, fed and safe at home, and to have company.",
    "To go back to volunteering at the charity shop.",
    "To have a break from caring and keep my own health.",
    "To live in my own flat with the right support.",
)
WHO_HELPS = (
    "My daughter helps at weekends.",
    "My neighbour pops in most days.",
    "My husband does the shopping.",
    "Friends from church visit.",
    "Nobody nearby: my family live away.",
)
IF_THINGS_GO_WRONG = (
    "Ring my daughter, then the council.",
    "My neighbour has a key: ring her first.",
    "Call the agency's out-of-hours line.",
    "Ring my named worker.",
)
APPROVED = (
    "The plan meets the eligible needs within the budget.",
    "A good plan that keeps them safe and connected.",
    "The plan is theirs and it meets their needs.",
)
PANEL_APPROVED = "The panel agreed the extra cost: the needs cannot be met safely for less."
OVER_BUDGET_REFUSED = (
    "The panel could not agree the extra hours: the needs can be met within the budget "
    "with a different mix of support."
)
UNSAFE_RISK = (
    "No cover is planned for when the personal assistant is away, and they cannot manage "
    "alone overnight."
)
UNSAFE_REFUSED = "The plan leaves them without help at night. Let us plan cover together."
LEGAL_REFUSED = "The money cannot be used this way. Your worker will explain what can be done."
LEGAL_WEIGHTS = {
    "close_relative": 50,
    "unlawful": 20,
    "residential_care": 15,
    "council_services": 15,
}

DECISION_WEIGHTS = {
    schedule.CARRY_ON: 80,
    schedule.CHANGE_PLAN: 6,
    schedule.REASSESS: 5,
    schedule.END_AS_PLANNED: 5,
    schedule.END_OTHER: 4,
}
FINAL_DECISION_WEIGHTS = {schedule.CARRY_ON: 88, schedule.END_AS_PLANNED: 7, schedule.END_OTHER: 5}
DECISION_NOTES = {
    schedule.CHANGE_PLAN: (
        "They want to swap some agency hours for a personal assistant.",
        "The day centre has closed, so the plan needs a new activity.",
    ),
    schedule.REASSESS: (
        "Their mobility has got worse since the fall.",
        "Their carer can no longer help in the mornings.",
    ),
    schedule.END_AS_PLANNED: ("They have recovered and no longer need support.",),
    schedule.END_OTHER: (
        "They have moved to live with family in another area.",
        "They have chosen to arrange and pay for their own care.",
    ),
}
ACHIEVED_WEIGHTS = {
    schedule.CARRY_ON: {"fully_met": 60, "partially_met": 35, "not_met": 5},
    schedule.CHANGE_PLAN: {"fully_met": 20, "partially_met": 50, "not_met": 30},
    schedule.REASSESS: {"fully_met": 15, "partially_met": 50, "not_met": 35},
    schedule.END_AS_PLANNED: {"fully_met": 85, "partially_met": 15, "not_met": 0},
    schedule.END_OTHER: {"fully_met": 40, "partially_met": 40, "not_met": 20},
}
METHOD_WEIGHTS = {"face_to_face": 55, "remote": 30, "supported_self_review": 15}
UNPLANNED_WEIGHTS = {
    "hospital": 30,
    "carer_related": 20,
    "safeguarding": 10,
    "provider_failure": 15,
    "commissioning_change": 5,
    "other": 20,
}
UNPLANNED_DETAIL = {
    "hospital": "Back home after a stay in hospital.",
    "carer_related": "Their carer is unwell and cannot help as much.",
    "safeguarding": "A concern was raised about their safety.",
    "provider_failure": "The care agency handed back the package.",
    "commissioning_change": "The council changed the home care contract in their area.",
    "other": "They asked to talk about changing their support.",
}
# What people said at reviews, by learning theme (the themes the reviews migration makes).
THEME_POINTS = {
    "Finding personal assistants": (
        "Having a personal assistant I chose",
        "Finding cover when my PA is off",
    ),
    "Transport": ("The community transport is reliable", "The bus does not go where I need"),
    "Provider reliability": ("The carers come on time", "Visits are often late or cut short"),
    "Direct payment paperwork": (
        "The payroll service sorts out the paperwork",
        "The direct payment forms are hard to follow",
    ),
    "Community activities": (
        "Going to the lunch club every week",
        "There is nothing to do locally at weekends",
    ),
}
GENERIC_POINTS = ("Things are going well", "Something is not working yet")

UNALLOCATED_REASONS = (
    "Worker left the team",
    "Worker on long-term leave",
    "Caseload too high: returned to the team queue",
)
# How assessments are done: mostly face to face (the weights in the seed).
ASSESSMENT_METHODS = (
    AssessmentMethod.FACE_TO_FACE,
    AssessmentMethod.REMOTE,
    AssessmentMethod.SUPPORTED_SELF,
)
CRISIS_RISK = {"learning_disability": 0.15, "autism": 0.16, "mental_health": 0.14, "other": 0.055}
CRISIS_KINDS: dict[str, dict[str, int]] = {
    "learning_disability": {
        CrisisKind.UNPLANNED_HOSPITAL: 40,
        CrisisKind.INPATIENT_OR_ATU: 40,
        CrisisKind.EMERGENCY_PLACEMENT: 20,
    },
    "mental_health": {
        CrisisKind.UNPLANNED_HOSPITAL: 50,
        CrisisKind.INPATIENT_OR_ATU: 35,
        CrisisKind.EMERGENCY_PLACEMENT: 15,
    },
    "other": {
        CrisisKind.UNPLANNED_HOSPITAL: 85,
        CrisisKind.INPATIENT_OR_ATU: 2,
        CrisisKind.EMERGENCY_PLACEMENT: 13,
    },
}
CRISIS_NOTES: dict[str, tuple[str, ...]] = {
    CrisisKind.UNPLANNED_HOSPITAL: (
        "Admitted after a fall at home.",
        "Admitted with a chest infection.",
        "Admitted through A&E after a seizure.",
    ),
    CrisisKind.INPATIENT_OR_ATU: (
        "Admitted to an assessment and treatment unit.",
        "Admitted to a mental health ward.",
    ),
    CrisisKind.EMERGENCY_PLACEMENT: (
        "Emergency respite when their carer was taken ill.",
        "Emergency placement after the home became unsafe.",
    ),
}


@dataclass
class SeedResult:
    teams: int = 0
    staff: int = 0
    people: int = 0
    relationships: int = 0
    allocations: int = 0
    unallocated: int = 0
    # Rows of population history written, by table (see _PopulationHistory).
    history: dict[str, int] = field(default_factory=dict)
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


class _Choice:
    """A weighted choice, set up once: the history makes millions of them."""

    def __init__(self, weights: dict[str, int]) -> None:
        self.values = tuple(weights)
        self.cumulative = tuple(itertools.accumulate(weights.values()))

    def pick(self, rng: random.Random) -> str:
        # What rng.choices(values, cum_weights=...)[0] does, draw for draw, without its lists.
        return self.values[bisect.bisect(self.cumulative, rng.random() * self.cumulative[-1])]


def _naive_utc(value: datetime.datetime | None) -> str | None:
    """An aware datetime as Django's SQLite backend stores it: naive UTC, as text."""
    if value is None:
        return None
    if value.tzinfo is not datetime.UTC:
        value = value.astimezone(datetime.UTC)
    return str(value)[:-6]  # without "+00:00"


# Column types whose Python values the database drivers take as they are (for SQLite, Django
# registers adapters for Decimal and date; datetimes and JSON need converting).
_AS_IS = frozenset(
    {
        "AutoField",
        "BigAutoField",
        "BigIntegerField",
        "BooleanField",
        "CharField",
        "DateField",
        "DecimalField",
        "ForeignKey",
        "IntegerField",
        "OneToOneField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "SmallIntegerField",
        "TextField",
    }
)


def _converter(model_field: models.Field[Any, Any]) -> Callable[[Any], Any] | None:
    kind = model_field.get_internal_type()
    if kind in _AS_IS or (kind == "DateTimeField" and connection.vendor != "sqlite"):
        return None
    if kind == "DateTimeField" and settings.USE_TZ:
        return _naive_utc
    prepare = partial(model_field.get_db_prep_save, connection=connection)
    if kind == "JSONField":
        # Most JSON values written are empty (audit old and new values): adapt those once.
        empty = {"{}": prepare({}), "[]": prepare([])}

        def prepare_json(value: Any) -> Any:
            if not value and isinstance(value, dict | list):
                return empty["{}" if isinstance(value, dict) else "[]"]
            return prepare(value)

        return prepare_json
    return prepare


class _Rows:
    """Rows for one table, written in batches with executemany: bulk_create, several times faster.

    At size L the seed writes about two million rows, and bulk_create spends most of its time
    compiling each value through the field API. Here each row is a dict of attribute names;
    ids are handed out as rows are added (the seed fills an empty council inside one
    transaction, so the next id is known), so later rows can point at earlier ones at once;
    each column is adapted by one cheap function; and a batch goes to the database as one
    executemany. Django makes foreign keys deferrable on SQLite and PostgreSQL, so they are
    checked at commit and tables can be written in any order. Rows stay in memory, and can
    still be changed, until flush() (the caller flushes between people, never during one).
    No model save() or signal runs, exactly as with bulk_create.
    """

    def __init__(self, model: type[models.Model]) -> None:
        self.model = model
        fields = list(model._meta.concrete_fields)
        self.pk = model._meta.pk.attname
        self.names = [f.attname for f in fields]
        self.known = frozenset(self.names)
        # auto_now and auto_now_add: stamped at writing, as bulk_create does, unless given.
        self.stamped = [
            f.attname
            for f in fields
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        ]
        # Columns the driver takes as they are come first, then those that need converting.
        self.plain: list[tuple[str, Any]] = []
        self.converted: list[tuple[str, Any, Callable[[Any], Any]]] = []
        plain_fields, converted_fields = [], []
        for f in fields:
            default = None if f.primary_key else f.get_default()
            convert = _converter(f)
            if convert is None:
                self.plain.append((f.attname, default))
                plain_fields.append(f)
            else:
                self.converted.append((f.attname, default, convert))
                converted_fields.append(f)
        quote = connection.ops.quote_name
        table = quote(model._meta.db_table)
        columns = ", ".join(quote(f.column) for f in plain_fields + converted_fields)
        slots = ", ".join(["%s"] * len(fields))
        # Only the model's own table and column names go into the SQL; values are parameters.
        self.sql = f"INSERT INTO {table} ({columns}) VALUES ({slots})"  # noqa: S608
        last = model._default_manager.aggregate(last=Max("pk"))["last"]
        self.next_id = (last or 0) + 1
        self.pending: list[dict[str, Any]] = []
        self.written = 0

    def add(self, **values: Any) -> int:
        return self.add_row(values)

    def add_row(self, values: dict[str, Any]) -> int:
        """Queue VALUES (kept, so the caller may still change it) and return its new id."""
        pk = self.next_id
        self.next_id += 1
        values[self.pk] = pk
        self.pending.append(values)
        return pk

    def add_object(self, obj: models.Model) -> int:
        """Queue a model instance, which then behaves as one loaded from the database."""
        for name in self.stamped:
            if getattr(obj, name) is None:
                setattr(obj, name, timezone.now())
        pk = self.add_row({name: getattr(obj, name) for name in self.names if name != self.pk})
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = connection.alias
        return pk

    def flush(self) -> None:
        if not self.pending:
            return
        rows, self.pending = self.pending, []
        unknown = set().union(*rows) - self.known
        if unknown:
            raise TypeError(f"{self.model.__name__} has no fields {sorted(unknown)}")
        if self.stamped:
            stamp = timezone.now()
            for row in rows:
                for name in self.stamped:
                    if row.get(name) is None:
                        row[name] = stamp
        plain, converted = self.plain, self.converted
        params = [
            [row.get(name, default) for name, default in plain]
            + [convert(row.get(name, default)) for name, default, convert in converted]
            for row in rows
        ]
        with connection.cursor() as cursor:
            cursor.executemany(self.sql, params)
        self.written += len(rows)

    def close(self) -> int:
        """Write what is left and move PostgreSQL's id sequence past the ids handed out."""
        self.flush()
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [self.model]):
                cursor.execute(sql)
        return self.written


class _AuditRows(_Rows):
    """Audit events, written in batches like any rows, that join the audit hash chain.

    The chain head is locked when the writer starts (until the seed's transaction ends, as
    audit_record() does) and each flush links its rows on from it, in the order they were
    added, and moves the head: so events written by the real services later in the seed
    carry on the same chain.
    """

    def __init__(self) -> None:
        super().__init__(AuditEvent)
        self.head = audit_chain_head_lock()
        self.defaults = {name: default for name, default, _ in self.converted}
        self.defaults.update(self.plain)

    def flush(self) -> None:
        if not self.pending:
            return
        head, defaults = self.head, self.defaults
        for row in self.pending:
            row["sequence"] = head.sequence + 1
            row["prev_hash"] = head.hash
            values = {name: row.get(name, defaults[name]) for name in audit_chain.CONTENT_FIELDS}
            head = audit_chain.extend(head, audit_chain.Content(**values))
            row["hash"] = head.hash
        super().flush()
        self.head = head
        audit_chain_head_move(head)


@dataclass
class _Spell:
    """One spell of a named-worker history; worker_id None is time in the team's queue."""

    worker_id: int | None
    start: datetime.datetime
    end: datetime.datetime | None
    handover_note: str = ""
    because: str = ""


def _shape_spells(
    rng: random.Random,
    spells: list[_Spell],
    *,
    now: datetime.datetime,
    workers: list[int],
    unallocated: str,
    may_gap: bool,
) -> list[_Spell]:
    """Give a history its time without a named worker: a current wait in the queue when
    UNALLOCATED gives the reason, otherwise sometimes a past gap between two workers."""
    if unallocated:
        cut = now - datetime.timedelta(days=rng.randint(3, 150))
        if len(spells) == 1:
            # Someone had them before they went back to the queue.
            only = spells[0]
            cut = max(cut, only.start + datetime.timedelta(days=1))
            spells = [_Spell(rng.choice(workers), only.start, cut), _Spell(None, cut, None)]
        else:
            cut = max(cut, spells[-1].start)
            spells[-2].end = cut
            spells[-1] = _Spell(None, cut, None)
        spells[-1].because = unallocated
    elif may_gap and len(spells) > 1 and rng.random() < PAST_GAP_SHARE:
        index = rng.randint(1, len(spells) - 1)
        after = spells[index]
        length = (after.end or now) - after.start
        gap = min(datetime.timedelta(days=rng.randint(3, 60)), length / 2)
        spells.insert(
            index,
            _Spell(None, after.start, after.start + gap, because=rng.choice(UNALLOCATED_REASONS)),
        )
        after.start += gap
    return spells


def seed_council(*, people: int, seed: int, as_of: datetime.date) -> SeedResult:
    """Create teams, staff, people, circles of support, named-worker histories and about three
    years of the population's journeys up to AS_OF, in one transaction."""
    with transaction.atomic(), _large_page_cache():
        result = _seed_council(people=people, seed=seed, as_of=as_of)
    refresh_planner_statistics()
    return result


def refresh_planner_statistics() -> None:
    """ANALYZE after writing a whole council at once, so the query planner knows the tables'
    sizes. Without it SQLite guesses, and at 100,000 people picked an index that made a
    worker's home page four times slower (docs/PERFORMANCE.md, P2); PostgreSQL's autovacuum
    would get there eventually, but not before the first pages are served."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


@contextlib.contextmanager
def _large_page_cache() -> Iterator[None]:
    """On SQLite, a 256 MB page cache while seeding, then back to what it was.

    The default (2 MB) is far smaller than a large council's indexes, and one transaction
    writing millions of rows then spends much of its time moving pages in and out of it.
    """
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (before,) = cursor.fetchone()
        cursor.execute("PRAGMA cache_size = -262144")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


def _seed_council(*, people: int, seed: int, as_of: datetime.date) -> SeedResult:
    rng = random.Random(seed)
    # Everything added since the first version of the seed draws from its own generator, so
    # the original draws (names, teams, workers, circles, the demo flows) are unchanged.
    extra = random.Random(f"selfdirect-history-{seed}")
    # Its own stream, so adding a field never changes what the other draws give.
    funding = random.Random(f"selfdirect-funding-{seed}")
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
            phone=f"01632 960{extra.randint(0, 999):03d}",  # Ofcom's drama range
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
    # Every staff account has an authenticator app already (a council would enrol them at
    # first sign-in). The keys come from their own stream, so the other draws are unchanged;
    # `selfdirect two-factor code USER` prints a demo account's current code.
    keys = random.Random(f"selfdirect-two-factor-{seed}")
    TwoFactorDevice.objects.bulk_create(
        [
            TwoFactorDevice(
                user=user,
                secret=base64.b32encode(keys.randbytes(20)).decode().rstrip("="),
                confirmed_at=now,
            )
            for user in staff
        ],
        batch_size=BATCH,
    )
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
        worker: User | None = (
            demo_worker if index < 30 else rng.choice(case_workers_by_team[team.pk])
        )
        # A few people wait in their team's queue for a named worker; not in the demo team,
        # whose queue is set below.
        if index >= 40 and team is not demo_team and extra.random() < UNALLOCATED_SHARE:
            worker = None
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
                # Everyone known to the council has their NHS number traced, so the CLD
                # return passes its own check. (The draw stays, so later draws are unchanged.)
                nhs_number=next(nhs) if rng.random() < 2 else "",
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
                autism=_autism(extra, psr),
                funding_status=funding.choices(
                    (
                        "fully_social_care_funded",
                        "joint_client_and_social_care_funded",
                        "fully_client_funded",
                        "unknown",
                    ),
                    (55, 35, 5, 5),
                )[0],
                date_of_death=None,
                team=team,
                named_worker=worker,
            )
        )
    # The demo manager's team has a short queue of people waiting for a named worker: the
    # first few of its people after the demo worker's, or people moved in if it has too few.
    first_team = [person.team_id for person in persons]
    waiting = [person for person in persons[40:] if person.team_id == demo_team.pk]
    waiting = waiting[:DEMO_UNALLOCATED]
    for person in persons[40:]:
        if len(waiting) == DEMO_UNALLOCATED:
            break
        if person.team_id != demo_team.pk:
            person.team = demo_team
            waiting.append(person)
    for person in waiting:
        person.named_worker = None
    people_rows = _Rows(Person)
    for person in persons:
        people_rows.add_object(person)
    result.people = people_rows.close()
    result.unallocated = sum(1 for person in persons if person.named_worker_id is None)

    # --- Named-worker histories, circles of support, audit ----------------------
    allocations = _Rows(NamedWorkerAllocation)
    relationships = _Rows(Relationship)
    events = _AuditRows()
    relationship_types = [choice.value for choice in RelationshipType]
    spells_by_person: dict[int, list[_Spell]] = {}
    moved_in = {person.pk for person in waiting}
    for index, person in enumerate(persons):
        spells = rng.choices((1, 2, 3), (60, 30, 10))[0]
        start = now - datetime.timedelta(days=rng.randint(30, 6 * 365))
        # A person moved into the demo team had their earlier workers in their first team.
        workers = case_workers_by_team[first_team[index]]
        history = [rng.choice(workers) for _ in range(spells - 1)] + [person.named_worker]
        previous_end = start
        raw: list[_Spell] = []
        for number, worker in enumerate(history):
            is_last = number == len(history) - 1
            ended = None if is_last else previous_end + (now - previous_end) * rng.uniform(0.2, 0.6)
            note = "" if number == 0 else rng.choice(HANDOVER_NOTES)
            raw.append(_Spell(worker.pk if worker else None, previous_end, ended, note))
            if ended is not None:
                previous_end = ended
        because = ""
        if person.named_worker_id is None:
            because = (
                UNALLOCATED_NEW if person.pk in moved_in else extra.choice(UNALLOCATED_REASONS)
            )
        shaped = _shape_spells(
            extra,
            raw,
            now=now,
            workers=[worker.pk for worker in workers],
            unallocated=because,
            may_gap=index >= 12,  # the demo people's histories stay as they were
        )
        for spell in shaped:  # the same instants, in UTC: quicker to compare and to store
            spell.start = spell.start.astimezone(datetime.UTC)
            spell.end = spell.end and spell.end.astimezone(datetime.UTC)
        spells_by_person[person.pk] = shaped
        for spell in shaped:
            read_at = None
            # Most handover notes have been read, a few days after the handover.
            if (
                index >= 12
                and spell.worker_id is not None
                and spell.handover_note
                and (spell.end is not None or extra.random() < 0.8)
            ):
                read_at = spell.start + datetime.timedelta(days=extra.randint(0, 6))
                read_at = min(read_at, spell.end or now, now)
            allocations.add(
                person_id=person.pk,
                worker_id=spell.worker_id,
                started_at=spell.start,
                ended_at=spell.end,
                handover_note="" if spell.worker_id is None else spell.handover_note,
                allocated_by_id=None,
                unallocated_because=spell.because,
                note_read_at=read_at,
            )
        for _ in range(rng.choices((0, 1, 2, 3), (15, 40, 30, 15))[0]):
            kind = rng.choice(relationship_types)
            first, last = person_name()
            relationships.add(
                person_id=person.pk,
                name=f"{first} {last}",
                relationship_type=kind,
                phone=f"07700 900{rng.randint(0, 999):03d}",
                email="",
                is_representative=kind in {"attorney_hw", "deputy", "advocate"},
            )
        events.add(
            at=start,
            actor_id=None,
            actor_label="System",
            person_id=person.pk,
            person_label=f"SD{person.pk:07d}",
            event_type=EventType.PERSON_CREATED,
            reason="Synthetic demo council (selfdirect seed)",
        )
        if index % BATCH == BATCH - 1:
            for rows in (allocations, relationships, events):
                rows.flush()
    result.allocations = allocations.close()
    result.relationships = relationships.close()
    events.close()

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
    result.history = _seed_population_history(
        extra,
        persons[12:],
        now=now,
        spells=spells_by_person,
        staff=staff,
        demo_team=demo_team,
        waiting={person.pk for person in waiting},
        fresh={persons[i].pk for i in DEMO_FRESH if i < len(persons)},
    )
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


def _autism(rng: random.Random, psr: str) -> str:
    """About 3 in 10 people with a learning disability are autistic, about 3 in 100 others."""
    share = 0.3 if psr == "learning_disability_support" else 0.03
    if rng.random() < share:
        return "yes"
    return "no" if rng.random() < 0.7 else "not_known"


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
            method="face_to_face" if index % 3 else "remote",
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


# --- Population history ---------------------------------------------------------------------


def _seed_population_history(
    rng: random.Random,
    persons: list[Person],
    *,
    now: datetime.datetime,
    spells: dict[int, list[_Spell]],
    staff: list[User],
    demo_team: Team,
    waiting: set[int],
    fresh: set[int],
) -> dict[str, int]:
    """About three years of journeys for PERSONS, up to NOW; returns rows written by table.

    WAITING are the demo team's people in its queue for a named worker: each has only a recent
    request, waiting to be picked up. FRESH have no request yet.
    """
    history = _PopulationHistory(rng, now=now, spells=spells, staff=staff, demo_team=demo_team.pk)
    queued = 0
    for number, person in enumerate(persons):
        if person.id in waiting:
            history.waiting_request(person, urgent=queued % 3 == 0)  # one in three urgent
            queued += 1
        elif person.id not in fresh:
            history.person(person)
        if number % 500 == 499:
            history.flush_full()
    return history.close()


@dataclass
class _Budget:
    id: int
    weekly: Decimal
    annual: Decimal  # what sign-off compares a plan with: every stream, a year (plan_annual_budget)
    outcomes: list[str]  # the outcomes it was worked out from, which reviews ask about
    kind: str


@dataclass
class _Arrangement:
    """Support in place from one signed-off plan, until a new plan replaces it or it ends."""

    start: datetime.date
    services: list[dict[str, Any]]
    window: dict[str, Any] | None = None  # the open review window, if any
    ended: datetime.date | None = None


@dataclass
class _Revision:
    """What a revised plan (after a review decided to change the plan) starts from."""

    management: str


class _PopulationHistory:
    """One person's journey after another: request, assessment, budget, plans, support,
    reviews, and again after a reassessment or a change of plan, up to `now`. (Person.id,
    not the pk property, in here: it is read millions of times at size L.)

    Each step is worked out by the pure rules the services use, with the figures they store;
    the timing of each step is drawn from rough distributions (see the shares at the top).
    """

    def __init__(
        self,
        rng: random.Random,
        *,
        now: datetime.datetime,
        spells: dict[int, list[_Spell]],
        staff: list[User],
        demo_team: int,
    ) -> None:
        self.rng = rng
        self.demo_team = demo_team
        # Times are made in UTC (the same instants as local times, and much quicker to store);
        # the hours of the working day are local, from the offset on each day.
        self.now = now.astimezone(datetime.UTC)
        self.as_of = timezone.localdate(now)
        self.tz = timezone.get_current_timezone()
        self.offsets: dict[datetime.date, datetime.timedelta] = {}
        self.spells = spells
        self.version, self.config = ras_current()
        self.themes = list(LearningTheme.objects.filter(active=True).order_by("name"))
        self.workers: dict[int, list[int]] = {}
        self.line: dict[int, list[signoff.Approver]] = {}
        self.approvers: dict[int, signoff.Approver] = {}
        for user in staff:
            if user.role in (Role.SOCIAL_WORKER, Role.TEAM_MANAGER) and user.team_id is not None:
                self.workers.setdefault(user.team_id, []).append(user.pk)
                approver = signoff.Approver(
                    user_id=user.pk, name=str(user), sign_off_limit=user.sign_off_limit
                )
                self.approvers[user.pk] = approver
                if user.role == Role.TEAM_MANAGER:
                    self.line.setdefault(user.team_id, []).append(approver)
        for line in self.line.values():  # nearest first, as plans.services.plan_route orders it
            line.sort(key=lambda approver: (approver.sign_off_limit, approver.user_id))
        self.panel = [user.pk for user in staff if user.role == Role.PANEL_MEMBER]
        self.routes = _Choice(ROUTE_WEIGHTS)
        self.met = _Choice(MET_WEIGHTS)
        self.risk = _Choice(RISK_WEIGHTS)
        self.management = {kind: _Choice(w) for kind, w in MANAGEMENT_WEIGHTS.items()}
        self.authors = _Choice(AUTHOR_WEIGHTS)
        self.legal = _Choice(LEGAL_WEIGHTS)
        self.decisions = _Choice(DECISION_WEIGHTS)
        self.final_decisions = _Choice(FINAL_DECISION_WEIGHTS)
        self.achieved = {decision: _Choice(w) for decision, w in ACHIEVED_WEIGHTS.items()}
        self.methods = _Choice(METHOD_WEIGHTS)
        self.unplanned = _Choice(UNPLANNED_WEIGHTS)
        self.crisis_kinds = {cohort: _Choice(w) for cohort, w in CRISIS_KINDS.items()}
        self.contacts = _Rows(Contact)
        self.assessments = _Rows(Assessment)
        self.judgements = _Rows(OutcomeJudgement)
        self.budgets = _Rows(IndicativeBudget)
        self.streams = _Rows(BudgetStream)
        self.plans = _Rows(Plan)
        self.items = _Rows(PlanItem)
        self.decided = _Rows(PlanDecision)
        self.services = _Rows(Service)
        self.direct_payments = _Rows(DirectPayment)
        self.windows = _Rows(ScheduledReview)
        self.reviews = _Rows(Review)
        self.review_outcomes = _Rows(ReviewOutcome)
        self.contributions = _Rows(ReviewContribution)
        self.points = _Rows(ReviewPoint)
        self.crises = _Rows(CrisisEvent)
        self.tables = [value for value in vars(self).values() if isinstance(value, _Rows)]
        # About the person whose journey is being made.
        self.crisis_days: list[tuple[datetime.date, str]] = []
        self.assessing = False  # has an assessment in progress
        self.drafting = False  # has a plan being written

    def flush_full(self) -> None:
        for table in self.tables:
            if len(table.pending) >= BATCH:
                table.flush()

    def close(self) -> dict[str, int]:
        return {table.model._meta.label: table.close() for table in self.tables}

    # --- Helpers -------------------------------------------------------------------------

    def _local(self, day: datetime.date, minutes: int) -> datetime.datetime:
        """MINUTES past local midnight on DAY (a daytime hour: clocks change at night), in UTC."""
        offset = self.offsets.get(day)
        if offset is None:
            noon = datetime.datetime.combine(day, datetime.time(12), tzinfo=self.tz)
            offset = self.offsets[day] = noon.utcoffset() or datetime.timedelta(0)
        midnight = datetime.datetime.combine(day, datetime.time(), tzinfo=datetime.UTC)
        return midnight + datetime.timedelta(minutes=minutes) - offset

    def _at(self, day: datetime.date) -> datetime.datetime:
        """Some time in the working day on DAY, never after now."""
        moment = self._local(day, self.rng.randint(9 * 60, 17 * 60 - 1))
        if moment > self.now:
            moment = self.now - datetime.timedelta(minutes=self.rng.randint(1, 120))
        return moment

    def _days(self, low: int, high: int) -> datetime.timedelta:
        return datetime.timedelta(days=self.rng.randint(low, high))

    def _named_worker_at(self, person: Person, moment: datetime.datetime) -> int | None:
        history = self.spells[person.id]
        current = history[0]
        for spell in history:
            if spell.start > moment:
                break
            current = spell
        return current.worker_id

    def _worker(self, person: Person, moment: datetime.datetime) -> int:
        """The named worker then, or (while they had none) someone from the team's duty rota."""
        return self._named_worker_at(person, moment) or self.rng.choice(
            self.workers[person.team_id]
        )

    # --- The journey ---------------------------------------------------------------------

    def waiting_request(self, person: Person, *, urgent: bool) -> None:
        """A recent request from someone waiting for a named worker: not yet picked up."""
        received = self.as_of - self._days(1, 12)
        route = RouteOfAccess.HOSPITAL_DISCHARGE if urgent else RouteOfAccess.COMMUNITY
        self._contact(person, received, route, urgent)

    def person(self, person: Person) -> None:
        self.assessing = self.drafting = False
        self.crisis_days = self._crises(person)
        if self.rng.random() < NO_CONTACT_SHARE:
            return
        known = timezone.localdate(self.spells[person.id][0].start)
        earliest = max(known, self.as_of - datetime.timedelta(days=HISTORY_DAYS))
        received = earliest + self._days(0, (self.as_of - earliest).days)
        route = self.routes.pick(self.rng)
        age = (self.as_of - person.date_of_birth).days // 365
        if (route == RouteOfAccess.TRANSITION and age > 25) or (
            route == RouteOfAccess.SELF_FUNDER and age < 60
        ):
            route = RouteOfAccess.COMMUNITY
        urgent = self.rng.random() < (0.25 if route in HOSPITAL_ROUTES else 0.06)
        contact_id = self._contact(person, received, route, urgent)
        self._assessment(person, contact_id=contact_id, received=received, urgent=urgent)

    def _contact(self, person: Person, received: datetime.date, route: str, urgent: bool) -> int:
        kind = "carer" if person.client_type == "unpaid_carer" else "adult"
        return self.contacts.add(
            person_id=person.id,
            team_id=person.team_id,
            received_on=received,
            route_of_access=route,
            requested_by=self.rng.choice(REQUESTED_BY[route]),
            what_for=self.rng.choice(WHAT_FOR[kind]),
            urgent=urgent,
            recorded_by_id=self.rng.choice(self.workers[person.team_id]),
            created_at=self._at(received),
        )

    def _assessment(
        self,
        person: Person,
        *,
        contact_id: int | None,
        received: datetime.date,
        urgent: bool,
        cycle: int = 0,
        previous: _Arrangement | None = None,
    ) -> None:
        """An assessment of a request (or, with no contact, a reassessment after a review)."""
        rng = self.rng
        if urgent:
            wait = rng.randint(0, 6)
        else:  # a long tail: median about three weeks, one in ten over two months
            wait = min(200, max(1, round(rng.lognormvariate(math.log(20), 0.85))))
        started_on = received + datetime.timedelta(days=round(wait * rng.uniform(0, 0.6)))
        if started_on > self.as_of:
            return  # still in the team's queue
        started_at = self._at(started_on)
        kind = "carer" if person.client_type == "unpaid_carer" else "adult"
        assessor = self._worker(person, started_at)
        completed_on = received + datetime.timedelta(days=wait)
        if completed_on > self.as_of:
            self.assessments.add(
                person_id=person.id,
                contact_id=contact_id,
                kind=kind,
                status=AssessmentStatus.IN_PROGRESS,
                assessor_id=assessor,
                started_at=started_at,
            )
            self.assessing = True
            return
        completed_at = max(self._at(completed_on), started_at)
        facts = self._facts(kind)
        decision = decide_eligibility(facts)
        assessment_id = self.assessments.add(
            person_id=person.id,
            contact_id=contact_id,
            kind=kind,
            status=AssessmentStatus.COMPLETED,
            assessor_id=assessor,
            started_at=started_at,
            completed_at=completed_at,
            needs_arise_from_condition=facts.needs_arise_from_condition,
            significant_impact=facts.significant_impact,
            significant_impact_reason=rng.choice(
                IMPACT_REASONS if facts.significant_impact else NO_IMPACT_REASONS
            ),
            carer_health_deteriorating=facts.carer_health_deteriorating,
            method=rng.choices(ASSESSMENT_METHODS, (70, 25, 5))[0],
            eligible=decision.eligible,
            eligibility_reasons=list(decision.reasons),
            version=3,  # opened, judgements saved, completed
        )
        for judgement in facts.judgements:
            self.judgements.add(
                assessment_id=assessment_id,
                outcome=judgement.outcome,
                achievable=judgement.achievable,
                unable_reason=judgement.unable_reason or "",
                met_by_others=judgement.met_by_others,
                risk=judgement.risk,
                reason=judgement.reason,
            )
        if decision.eligible:
            budget = self._budget(person, assessment_id, kind, facts.judgements, completed_at)
            self._plans(person, budget, after=completed_at, cycle=cycle, previous=previous)

    def _facts(self, kind: str) -> AssessmentFacts:
        """Judgements on 3 to 6 outcomes and the three facts, eligible about 3 times in 4."""
        rng = self.rng
        outcomes = [code for code, _ in outcomes_for(kind)]
        judged = [
            outcomes[i]
            for i in sorted(rng.sample(range(len(outcomes)), rng.randint(3, min(6, len(outcomes)))))
        ]
        needs, impact, deteriorating = True, True, False
        if kind == "adult":
            if rng.random() < ELIGIBLE_SHARE:
                unable_count = rng.randint(2, min(len(judged), 5))
            else:
                style = rng.random()
                if style < 0.7:  # unable to achieve fewer than two outcomes
                    unable_count, impact = rng.randint(0, 1), rng.random() < 0.5
                elif style < 0.9:  # unable to achieve two or more, but little impact
                    unable_count, impact = rng.randint(2, len(judged)), False
                else:
                    unable_count, needs = rng.randint(0, len(judged)), False
        else:
            deteriorating = rng.random() < 0.4
            if rng.random() < ELIGIBLE_SHARE:
                unable_count = rng.randint(0 if deteriorating else 1, min(len(judged), 4))
            elif rng.random() < 0.7:
                unable_count, deteriorating = 0, False
            else:
                unable_count, impact = rng.randint(1, len(judged)), False
        unable = set(rng.sample(judged, unable_count))
        reasons = [code for code, _ in unable_reasons_for(kind)]
        judgements = []
        for code in judged:
            if code in unable:
                judgements.append(
                    Judgement(
                        outcome=code,
                        achievable=False,
                        unable_reason=rng.choice(reasons),
                        met_by_others=self.met.pick(rng),
                        risk=self.risk.pick(rng),
                        reason=JUDGEMENT_REASONS[code],
                    )
                )
            else:
                judgements.append(Judgement(code, True, None, "none", "low"))
        return AssessmentFacts(
            kind=kind,
            judgements=tuple(judgements),
            needs_arise_from_condition=needs,
            significant_impact=impact,
            carer_health_deteriorating=deteriorating,
        )

    def _budget(
        self,
        person: Person,
        assessment_id: int,
        kind: str,
        judgements: Iterable[Judgement],
        issued_at: datetime.datetime,
    ) -> _Budget:
        """Priced by the published RAS, stored as budgets.services.budget_issue stores it."""
        judgements = list(judgements)
        result = ras.indicative_budget(self.config, kind, judgements)
        labels = dict(outcomes_for(kind))
        reasons = {j.outcome: j.reason for j in judgements}
        budget_id = self.budgets.add(
            assessment_id=assessment_id,
            person_id=person.id,
            ras_version_id=self.version.pk,
            weekly=result.weekly,
            annual=result.annual,
            range_low=result.range_low,
            range_high=result.range_high,
            contributions=[
                {
                    "outcome": c.outcome,
                    "label": labels[c.outcome],
                    "risk": c.risk,
                    "met_by_others": c.met_by_others,
                    "points": str(c.points),
                    "weekly": str(c.weekly),
                    "reason": reasons.get(c.outcome, ""),
                }
                for c in result.contributions
            ],
            issued_at=issued_at,
        )
        self.streams.add(
            budget_id=budget_id,
            stream=FundingStream.CARERS_BUDGET if kind == "carer" else FundingStream.SOCIAL_CARE,
            weekly=result.weekly,
            note=f"RAS {self.version.version}",
        )
        return _Budget(
            id=budget_id,
            weekly=result.weekly,
            annual=(result.weekly * costs.WEEKS_PER_YEAR).quantize(costs.PENNY),
            outcomes=[c.outcome for c in result.contributions],
            kind=kind,
        )

    def _plans(
        self,
        person: Person,
        budget: _Budget,
        *,
        after: datetime.datetime,
        cycle: int,
        previous: _Arrangement | None,
        revising: _Revision | None = None,
    ) -> None:
        """Plans against BUDGET: most signed off; some waiting, refused (and written again), or
        still being written. Panels meet often, so no plan is left waiting for one."""
        rng = self.rng
        if budget.weekly < MIN_PLANNED_WEEKLY:
            return
        management = revising.management if revising else self.management[budget.kind].pick(rng)
        # plan_revise opens the new draft as the review is recorded.
        created_at = after if revising else after + self._days(1, 21)
        for attempt in range(2):
            if created_at > self.now:
                return
            over = attempt == 0 and revising is None and rng.random() < OVER_BUDGET_SHARE
            ratio = rng.uniform(1.03, 1.35) if over else rng.uniform(0.78, 1.0)
            items = self._items(person, budget, management, Decimal(ratio), over)
            annual_cost = sum((item["annual_cost"] for item in items), Decimal("0.00"))
            submitted_at = created_at + self._days(2, 35)
            route = signoff.route_plan(
                signoff.PlanForRouting(annual_cost=annual_cost, annual_budget=budget.annual),
                named_worker=self.approvers.get(self._named_worker_at(person, submitted_at) or 0),
                line=self.line.get(person.team_id, []),
            )
            panel = route.kind is signoff.RouteKind.PANEL
            # Panels meet every week or so; sign-off by a worker or manager mostly takes days,
            # sometimes weeks.
            decided_at = submitted_at + (
                self._days(7, 28)
                if panel
                else datetime.timedelta(days=min(60, round(rng.lognormvariate(math.log(5), 0.9))))
            )
            if (
                rng.random() < STALLED_DRAFT_SHARE
                or submitted_at > self.now
                or (panel and decided_at > self.now)
            ):
                status = PlanStatus.DRAFT
            elif decided_at > self.now or not (panel or route.approver_ids):
                status = PlanStatus.SUBMITTED  # waiting for sign-off (or for a limit to be set)
            else:
                refused = rng.random() < (0.3 if panel else 0.03)
                status = PlanStatus.REFUSED if refused else PlanStatus.APPROVED
            sent = status != PlanStatus.DRAFT
            plan_id = self.plans.add(
                person_id=person.id,
                budget_id=budget.id,
                status=status,
                interim=False,
                what_i_want=rng.choice(WHAT_I_WANT),
                who_helps=rng.choice(WHO_HELPS),
                if_things_go_wrong=rng.choice(IF_THINGS_GO_WRONG),
                management=management,
                version={"draft": 2, "submitted": 3}.get(status, 4),
                created_at=created_at,
                updated_at=min(submitted_at, self.now),
                updated_by_id=self._worker(person, created_at),
                submitted_at=submitted_at if sent else None,
                written_by=self.authors.pick(rng) if sent else "",
                route_kind=route.kind.value if sent else "",
                route_approver_ids=list(route.approver_ids) if sent else [],
                route_reason=route.reason if sent else "",
            )
            for item in items:
                self.items.add(plan_id=plan_id, **item)
            self.drafting = self.drafting or status == PlanStatus.DRAFT
            if status in (PlanStatus.DRAFT, PlanStatus.SUBMITTED):
                return
            approved = status == PlanStatus.APPROVED
            self._decide(plan_id, route, approved, decided_at, management)
            if approved:
                self._support(
                    person, plan_id, items, management, decided_at, budget, cycle, previous
                )
                return
            if rng.random() < 0.15:
                return  # they did not come back with another plan
            created_at = decided_at + self._days(3, 28)

    def _items(
        self, person: Person, budget: _Budget, management: str, ratio: Decimal, over: bool
    ) -> list[dict[str, Any]]:
        """What the money pays for, costed by plans.costs, adding up to about RATIO x budget."""
        rng = self.rng
        target = budget.weekly * ratio
        kinds: list[tuple[_ItemKind, str]] = []
        extras = EXTRAS[budget.kind]
        count = rng.choices((0, 1, 2), (45, 40, 15))[0]
        for kind in rng.sample(extras, min(count, len(extras))):
            kinds.append((kind, Management.COUNCIL_ARRANGED))
        items = [
            self._item(kind, rng.randint(*kind.units), item_management)
            for kind, item_management in kinds
        ]
        if sum((item["weekly_cost"] for item in items), Decimal(0)) > target / 2:
            items = []  # the extras would crowd out the main support
        direct = management in (Management.DIRECT_PAYMENT, Management.MIXED)
        if budget.kind == "carer":
            main = PA if direct and rng.random() < 0.5 else SITTING
        elif direct and rng.random() < 0.7:
            main = PA
        elif person.primary_support_reason in (
            "learning_disability_support",
            "mental_health_support",
        ):
            main = SUPPORT_WORKER
        else:
            main = AGENCY
        unit_cost = Decimal(rng.randint(*main.pence)) / 100
        left = target - sum((item["weekly_cost"] for item in items), Decimal(0))
        # Hours in halves: rounded down to stay within the budget, up when going over it.
        halves = (left / unit_cost * 2).to_integral_value(ROUND_CEILING if over else ROUND_FLOOR)
        units = min(max(halves, Decimal(1)), Decimal(336)) / 2
        main_management = Management.DIRECT_PAYMENT if direct else ""
        items.insert(0, self._item(main, units, main_management, unit_cost=unit_cost))
        if management != Management.MIXED:
            for item in items:
                item["management"] = ""  # the plan's own way, as the plan form leaves it
        return items

    def _item(
        self,
        kind: _ItemKind,
        units: Decimal | int,
        management: str,
        unit_cost: Decimal | None = None,
    ) -> dict[str, Any]:
        if unit_cost is None:
            unit_cost = Decimal(self.rng.randint(*kind.pence)) / 100
        units = Decimal(units)
        cost = costs.item_cost(unit_cost, units, kind.per)
        return {
            "what": kind.what,
            "provider_kind": kind.provider_kind,
            "provider_name": self.rng.choice(kind.providers),
            "unit_cost": unit_cost,
            "unit": kind.unit,
            "units": units,
            "per": kind.per,
            "weekly_cost": cost.weekly,
            "annual_cost": cost.annual,
            "management": management,
        }

    def _decide(
        self,
        plan_id: int,
        route: signoff.Route,
        approved: bool,
        decided_at: datetime.datetime,
        management: str,
    ) -> None:
        """A decision by whoever the published rules name, for a published reason."""
        rng = self.rng
        panel = route.kind is signoff.RouteKind.PANEL
        reason_code = legal = risk = ""
        if approved:
            explanation = PANEL_APPROVED if panel else rng.choice(APPROVED)
        elif panel and rng.random() < 0.85:
            reason_code, explanation = "over_budget", OVER_BUDGET_REFUSED
        elif rng.random() < 0.6 or management != Management.DIRECT_PAYMENT:
            reason_code, risk, explanation = "unsafe", UNSAFE_RISK, UNSAFE_REFUSED
        else:
            reason_code, legal, explanation = (
                "legal_restriction",
                self.legal.pick(rng),
                LEGAL_REFUSED,
            )
        self.decided.add(
            plan_id=plan_id,
            approved=approved,
            reason_code=reason_code,
            legal_restriction=legal,
            risk_description=risk,
            explanation=explanation,
            decided_by_id=rng.choice(self.panel) if panel else route.approver_ids[0],
            by_panel=panel,
            decided_at=decided_at,
        )

    def _support(
        self,
        person: Person,
        plan_id: int,
        items: list[dict[str, Any]],
        management: str,
        decided_at: datetime.datetime,
        budget: _Budget,
        cycle: int,
        previous: _Arrangement | None,
    ) -> None:
        """Support from a signed-off plan, as support.services.support_release sets it up, then
        its reviews, window by window, as reviews/schedule.py times them."""
        rng = self.rng
        start = min(timezone.localdate(decided_at) + self._days(1, 14), self.as_of)
        if previous is not None and previous.ended is None:
            # The new plan replaces the earlier arrangements.
            for service in previous.services:
                if service["end_date"] is None:
                    service["end_date"] = start
            if previous.window is not None and previous.window["closed_on"] is None:
                previous.window["closed_on"] = start
                previous.window["closed_because"] = "A new plan replaced the arrangements"
            previous.ended = start
        arrangement = _Arrangement(start=start, services=[])
        direct_weekly = Decimal("0.00")
        for item in items:
            way = item["management"] or management
            if way == Management.MIXED:
                way = Management.DIRECT_PAYMENT
            line = release.service_for_item(
                management=way,
                provider_kind=item["provider_kind"],
                unit_cost=item["unit_cost"],
                unit=item["unit"],
                units=item["units"],
                per=item["per"],
                client_type=person.client_type,
            )
            service = {
                "person_id": person.id,
                "plan_id": plan_id,
                "description": item["what"],
                "provider_name": item["provider_name"],
                "delivery_mechanism": line.delivery_mechanism,
                "service_type": line.service_type,
                "service_component": line.service_component,
                "unit_cost": line.unit_cost,
                "cost_frequency": line.cost_frequency,
                "planned_units_per_week": line.planned_units_per_week,
                "weekly_cost": item["weekly_cost"],
                "start_date": start,
                "end_date": None,
            }
            self.services.add_row(service)
            arrangement.services.append(service)
            if line.delivery_mechanism == "Direct payment":
                direct_weekly += item["weekly_cost"]
        paid_from = start if direct_weekly > 0 else None
        if paid_from is not None:
            self.direct_payments.add(
                person_id=person.id,
                plan_id=plan_id,
                four_weekly_amount=release.four_weekly_amount(direct_weekly),
                first_payment_on=paid_from,
            )

        held: list[schedule.PastReview] = []
        window = self._window(person, plan_id, arrangement, held, paid_from)
        while arrangement.ended is None:
            if window.due_from > self.as_of or rng.random() < MISSED_REVIEW_SHARE:
                break  # not due yet, or not held yet (due, then overdue)
            slack = (window.due_by - window.due_from).days + LATE_REVIEW_DAYS
            held_on = window.due_from + self._days(0, slack)
            if held_on > self.as_of:
                break
            final = cycle >= MAX_CYCLES
            decision = (self.final_decisions if final else self.decisions).pick(rng)
            if (decision == schedule.REASSESS and self.assessing) or (
                decision == schedule.CHANGE_PLAN and self.drafting
            ):
                decision = schedule.CARRY_ON  # one open assessment, one draft plan at a time
            assert arrangement.window is not None
            self._review(
                person, plan_id, budget, held_on, decision, window_id=arrangement.window["id"]
            )
            arrangement.window["closed_on"] = held_on
            arrangement.window["closed_because"] = "Review held"
            arrangement.window = None
            held.append(schedule.PastReview(on=held_on, planned=True))
            if decision in (schedule.END_AS_PLANNED, schedule.END_OTHER):
                for service in arrangement.services:
                    service["end_date"] = held_on
                arrangement.ended = held_on
                break
            # The next window is set as usual (reviews.services._schedule_next); a revised plan
            # or a reassessment that leads to a new plan replaces it once signed off.
            window = self._window(person, plan_id, arrangement, held, paid_from)
            if decision == schedule.CHANGE_PLAN:
                self._plans(
                    person,
                    budget,
                    after=self._review_time(held_on),
                    cycle=cycle + 1,
                    previous=arrangement,
                    revising=_Revision(management),
                )
            elif decision == schedule.REASSESS:
                self._assessment(
                    person,
                    contact_id=None,
                    received=held_on,
                    urgent=False,
                    cycle=cycle + 1,
                    previous=arrangement,
                )
        self._unplanned_reviews(person, plan_id, budget, arrangement)

    def _window(
        self,
        person: Person,
        plan_id: int,
        arrangement: _Arrangement,
        held: list[schedule.PastReview],
        paid_from: datetime.date | None,
    ) -> schedule.Window:
        """The next planned review window, open until a review is held in it."""
        window = schedule.next_planned_review(
            support_started=arrangement.start, reviews=held, direct_payment_started=paid_from
        )
        arrangement.window = {
            "person_id": person.id,
            "plan_id": plan_id,
            "kind": window.kind,
            "due_from": window.due_from,
            "due_by": window.due_by,
            "closed_on": None,
            "closed_because": "",
        }
        self.windows.add_row(arrangement.window)
        return window

    def _review_time(self, day: datetime.date) -> datetime.datetime:
        return min(self._local(day, 17 * 60), self.now)

    def _unplanned_reviews(
        self, person: Person, plan_id: int, budget: _Budget, arrangement: _Arrangement
    ) -> None:
        """Extra reviews while the arrangement lasted: after a crisis, or when something changed.
        They never move the planned windows (reviews/schedule.py)."""
        rng = self.rng
        last = min(arrangement.ended or self.as_of, self.as_of)
        days: list[tuple[datetime.date, str]] = []
        for day, kind in self.crisis_days:
            if arrangement.start <= day and rng.random() < 0.6:
                reason = "carer_related" if kind == CrisisKind.EMERGENCY_PLACEMENT else "hospital"
                days.append((day + self._days(7, 21), reason))
        if rng.random() < 0.07:
            days.append((arrangement.start + self._days(14, 400), self.unplanned.pick(rng)))
        for day, reason in days:
            if day <= last:
                self._review(person, plan_id, budget, day, schedule.CARRY_ON, reason=reason)

    def _review(
        self,
        person: Person,
        plan_id: int,
        budget: _Budget,
        day: datetime.date,
        decision: str,
        *,
        window_id: int | None = None,
        reason: str = schedule.PLANNED_REASON,
    ) -> None:
        """A completed review, as reviews.services.review_complete records it."""
        rng = self.rng
        completed_at = self._review_time(day)
        opened_at = completed_at - self._days(0, 14) - datetime.timedelta(hours=rng.randint(1, 6))
        named = self._named_worker_at(person, completed_at)
        if named is not None and rng.random() < BY_NAMED_WORKER_SHARE:
            reviewer = named
        else:  # a colleague covers (or they had no named worker then)
            team = self.workers[person.team_id]
            reviewer = rng.choice([worker for worker in team if worker != named] or team)
        achieved = {code: self.achieved[decision].pick(rng) for code in budget.outcomes}
        planned = reason == schedule.PLANNED_REASON
        review_id = self.reviews.add(
            person_id=person.id,
            plan_id=plan_id,
            scheduled_id=window_id,
            planned=planned,
            reason=reason,
            reason_detail="" if planned else UNPLANNED_DETAIL[reason],
            asked_for_by_person=reason == "other",
            status=ReviewStatus.COMPLETED,
            opened_at=opened_at,
            opened_by_id=reviewer,
            method=self.methods.pick(rng),
            decision=decision,
            decision_note=rng.choice(DECISION_NOTES[decision])
            if decision in DECISION_NOTES
            else "",
            outcomes_achieved=(
                schedule.overall_outcomes_achieved(achieved.values()) if achieved else ""
            ),
            event_outcome=schedule.EVENT_OUTCOME[decision],
            completed_at=completed_at,
            completed_by_id=reviewer,
            team_id=person.team_id,
            primary_support_reason=person.primary_support_reason,
            by_named_worker=reviewer == named,
        )
        for code, value in achieved.items():
            self.review_outcomes.add(review_id=review_id, outcome=code, achieved=value)
        # The demo team's learning comes from the demo flows alone, so that the demo (and its
        # tests) can show a theme raised by fewer than 5 people being suppressed.
        if self.themes and person.team_id != self.demo_team and rng.random() < VIEW_SHARE:
            self._view(person, review_id, opened_at, completed_at, achieved)

    def _view(
        self,
        person: Person,
        review_id: int,
        opened_at: datetime.datetime,
        completed_at: datetime.datetime,
        achieved: dict[str, str],
    ) -> None:
        """What the person said before the review, tagged with learning themes."""
        rng = self.rng
        contribution_id = self.contributions.add(
            review_id=review_id,
            kind=ContributorKind.PERSON,
            author_id=None,
            author_label=f"{person.first_name} {person.last_name} (the person)",
            outcome_ratings=achieved,
            share_quotes=rng.random() < 0.6,
            will_share_experience=None,
            submitted_at=opened_at + (completed_at - opened_at) * rng.random(),
        )
        for theme in rng.sample(self.themes, min(len(self.themes), rng.randint(1, 2))):
            working = rng.random() < 0.45
            said = THEME_POINTS.get(theme.name, GENERIC_POINTS)
            self.points.add(
                contribution_id=contribution_id,
                kind=PointKind.WORKING if working else PointKind.NOT_WORKING,
                text=said[0] if working else said[1],
                theme_id=theme.pk,
            )

    def _crises(self, person: Person) -> list[tuple[datetime.date, str]]:
        """Crises, most often for people with a learning disability, autism or mental illness."""
        rng = self.rng
        if person.primary_support_reason == "learning_disability_support":
            cohort = "learning_disability"
        elif person.primary_support_reason == "mental_health_support":
            cohort = "mental_health"
        else:
            cohort = "other"
        risk = CRISIS_RISK[cohort]
        if person.autism == "yes":
            risk = max(risk, CRISIS_RISK["autism"])
        if rng.random() >= risk:
            return []
        kinds = self.crisis_kinds["learning_disability" if person.autism == "yes" else cohort]
        adult = person.date_of_birth + datetime.timedelta(days=18 * 365 + 5)
        earliest = min(max(self.as_of - datetime.timedelta(days=HISTORY_DAYS), adult), self.as_of)
        found = []
        for _ in range(2 if rng.random() < 0.12 else 1):
            day = earliest + self._days(0, (self.as_of - earliest).days)
            kind = kinds.pick(rng)
            recorded_at = self._at(min(day + self._days(0, 5), self.as_of))
            self.crises.add(
                person_id=person.id,
                kind=kind,
                occurred_on=day,
                note=rng.choice(CRISIS_NOTES[kind]),
                recorded_by_id=self._worker(person, recorded_at),
                recorded_at=recorded_at,
            )
            found.append((day, kind))
        return found
