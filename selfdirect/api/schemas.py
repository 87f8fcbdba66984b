"""Request and response shapes. Coded values are the codes we store, listed in the schema."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

from ninja import Field, Schema
from pydantic import field_validator

from selfdirect.assessments.outcomes import (
    ADULT_OUTCOMES,
    CARER_OUTCOMES,
    MET_BY_OTHERS,
    RISK_LEVELS,
    UNABLE_REASONS,
)
from selfdirect.budgets.models import FundingStream
from selfdirect.people import codes
from selfdirect.plans.costs import MAX_UNIT_COST, MAX_UNITS, PERIODS, UNITS
from selfdirect.plans.models import Management, PlanAuthor, PlanStatus, ProviderKind
from selfdirect.plans.published import LEGAL_RESTRICTIONS, REFUSAL_REASONS
from selfdirect.plans.signoff import RouteKind
from selfdirect.returns.models import ExportStatus
from selfdirect.reviews.models import ReviewStatus
from selfdirect.reviews.schedule import DECISIONS, METHODS, OUTCOMES_ACHIEVED, REVIEW_REASONS


def _codes(*choices: Iterable[tuple[str, str]]) -> Any:
    """A Literal of the codes in CHOICES (Any to the type checker: built at import time)."""
    values = tuple(dict.fromkeys(code for group in choices for code, _ in group))
    return Literal.__getitem__(values)


if TYPE_CHECKING:
    # To the type checker a code is text, as the model fields that hold it are; pydantic and
    # the OpenAPI document see the Literal of the allowed codes, built below from the choices.
    Gender = str
    Ethnicity = str
    ClientType = str
    SupportReason = str
    Accommodation = str
    Employment = str
    YesNoUnknown = str
    Autism = str
    FundingStatus = str
    OutcomeCode = str
    UnableReason = str
    MetByOthers = str
    Risk = str
    FundingStreamCode = str
    PlanStatusCode = str
    PlanManagement = str
    ItemManagement = str
    ProviderKindCode = str
    Unit = str
    PerPeriod = str
    Author = str
    RefusalReason = str
    LegalRestriction = str
    RouteKindCode = str
    ReviewReason = str
    ReviewMethod = str
    ReviewDecision = str
    Achieved = str
    ReviewStatusCode = str
    ExportStatusCode = str
else:
    Gender = _codes(codes.GENDER)
    Ethnicity = _codes(codes.ETHNICITY)
    ClientType = _codes(codes.CLIENT_TYPE)
    SupportReason = _codes(codes.PRIMARY_SUPPORT_REASON)
    Accommodation = _codes(codes.ACCOMMODATION_STATUS)
    Employment = _codes(codes.EMPLOYMENT_STATUS)
    YesNoUnknown = _codes(codes.HAS_UNPAID_CARER)
    Autism = _codes(codes.AUTISM)
    FundingStatus = _codes(codes.CLIENT_FUNDING_STATUS)
    OutcomeCode = _codes(ADULT_OUTCOMES, CARER_OUTCOMES)
    UnableReason = _codes(UNABLE_REASONS)
    MetByOthers = _codes(MET_BY_OTHERS)
    Risk = _codes(RISK_LEVELS)
    FundingStreamCode = _codes(FundingStream.choices)
    PlanStatusCode = _codes(PlanStatus.choices)
    PlanManagement = _codes(Management.choices)
    # An item's own management: blank (the plan's), or any but "a mix".
    ItemManagement = _codes((("", ""),), [c for c in Management.choices if c[0] != "mixed"])
    ProviderKindCode = _codes(ProviderKind.choices)
    Unit = _codes(UNITS)
    PerPeriod = _codes(PERIODS)
    Author = _codes(PlanAuthor.choices)
    RefusalReason = _codes(REFUSAL_REASONS)
    LegalRestriction = _codes(LEGAL_RESTRICTIONS)
    RouteKindCode = _codes((kind.value, "") for kind in RouteKind)
    ReviewReason = _codes(REVIEW_REASONS)
    ReviewMethod = _codes(METHODS)
    ReviewDecision = _codes(DECISIONS)
    Achieved = _codes(OUTCOMES_ACHIEVED)
    ReviewStatusCode = _codes(ReviewStatus.choices)
    ExportStatusCode = _codes(ExportStatus.choices)

Name = Field(min_length=1, max_length=100)


class In(Schema):
    """A request body. Text holding a NUL character is refused (422), as Django's own form
    fields refuse it: PostgreSQL cannot store one."""

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        if isinstance(value, str) and "\x00" in value:
            raise ValueError("Text cannot contain a NUL character")
        return value


class PersonIn(In):
    first_name: str = Field(min_length=1, max_length=100)
    last_name: str = Field(min_length=1, max_length=100)
    date_of_birth: datetime.date
    preferred_name: str = Field("", max_length=100)
    nhs_number: str = Field("", max_length=20, description="10 digits; spaces allowed")
    gender: Gender = "not_known"
    ethnicity: Ethnicity = "no_data_undeclared_or_not_known"
    client_type: ClientType = "service_user"
    primary_support_reason: SupportReason = "unknown"
    postcode: str = Field("", max_length=10)
    accommodation_status: Accommodation = "unknown"
    employment_status: Employment = "unknown"
    has_unpaid_carer: YesNoUnknown = "unknown"
    autism: Autism = "not_known"
    funding_status: FundingStatus = "unknown"
    team_id: int | None = Field(
        None,
        description="Administrators only: the team whose queue the person waits in. A "
        "social worker or team manager becomes the person's named worker instead.",
    )


class PersonOut(Schema):
    id: int
    reference: str
    first_name: str
    last_name: str
    preferred_name: str
    date_of_birth: datetime.date
    date_of_death: datetime.date | None
    nhs_number: str
    gender: str
    ethnicity: str
    client_type: str
    primary_support_reason: str
    postcode: str
    accommodation_status: str
    employment_status: str
    has_unpaid_carer: str
    autism: str
    funding_status: str
    team_id: int
    named_worker_id: int | None


class PeopleOut(Schema):
    count: int
    people: list[PersonOut]


class RequestIn(In):
    received_on: datetime.date
    route_of_access: _codes(  # type: ignore[valid-type]
        (
            ("community", ""),
            ("hospital_discharge", ""),
            ("diversion_from_hospital", ""),
            ("transition", ""),
            ("transfer", ""),
            ("self_funder", ""),
        )
    )
    requested_by: str = Field(min_length=1, max_length=200)
    what_for: str = Field(min_length=1, max_length=5000)
    urgent: bool = False


class RequestOut(Schema):
    id: int
    person_id: int
    received_on: datetime.date
    route_of_access: str
    requested_by: str
    what_for: str
    urgent: bool
    closed_on: datetime.date | None
    closed_outcome: str


class OutcomeJudgementIn(In):
    outcome: OutcomeCode
    achievable: bool
    unable_reason: UnableReason | None = None
    met_by_others: MetByOthers = "none"
    risk: Risk = "low"
    reason: str = Field("", max_length=300)


class AssessmentIn(In):
    kind: Literal["adult", "carer"]
    outcomes: list[OutcomeJudgementIn] = Field(max_length=10)
    significant_impact: bool
    significant_impact_reason: str = Field(min_length=1, max_length=5000)
    carer_health_deteriorating: bool = False
    needs_arise_from_condition: bool = Field(
        True,
        description="Adults: the needs arise from a physical or mental impairment or illness. "
        "Carers: from providing necessary care to an adult.",
    )


class OutcomeJudgementOut(Schema):
    outcome: str
    achievable: bool
    unable_reason: str | None
    met_by_others: str
    risk: str
    reason: str


class Contribution(Schema):
    outcome: str
    weekly: Decimal


class IndicativeBudgetOut(Schema):
    weekly: Decimal
    annual: Decimal
    range_low: Decimal
    range_high: Decimal
    ras_version: str
    contributions: list[Contribution]


class AssessmentOut(Schema):
    id: int
    person_id: int
    kind: str
    status: Literal["in_progress", "completed"]
    version: int
    outcomes: list[OutcomeJudgementOut]
    significant_impact: bool | None
    significant_impact_reason: str
    carer_health_deteriorating: bool
    needs_arise_from_condition: bool | None
    eligible: bool
    eligibility_reasons: list[str]
    method: str
    started_at: datetime.datetime
    completed_at: datetime.datetime | None
    indicative_budget: IndicativeBudgetOut | None = Field(
        None, description="Present once completed, when the person is eligible"
    )


class CompleteIn(In):
    method: Literal["face_to_face", "remote", "supported_self"] | None = None


# --- Shared by the budget, plan, support, review and return operations ---------------------

# Ids and versions in bodies are bounded, so a number the database cannot hold is a 422 and
# never reaches a query.
MAX_ID = 2_147_483_647


# --- Budgets -------------------------------------------------------------------------------


class BudgetLine(Schema):
    outcome: str
    label: str
    risk: str
    met_by_others: str
    points: Decimal
    weekly: Decimal
    reason: str


class FundingStreamOut(Schema):
    stream: FundingStreamCode
    weekly: Decimal
    note: str


class BudgetOut(Schema):
    id: int
    person_id: int
    assessment_id: int
    weekly: Decimal
    annual: Decimal
    range_low: Decimal
    range_high: Decimal
    ras_version: str
    issued_at: datetime.datetime
    contributions: list[BudgetLine] = Field(
        description="What each outcome the person cannot achieve adds, as issued: its risk, how "
        "much others already meet, its points and the weekly amount"
    )
    funding_streams: list[FundingStreamOut]


# --- Plans ---------------------------------------------------------------------------------


class PlanItemIn(In):
    what: str = Field(min_length=1, max_length=200, description="What the money pays for")
    provider_kind: ProviderKindCode
    provider_name: str = Field("", max_length=200)
    unit_cost: Decimal = Field(
        ge=0, le=MAX_UNIT_COST, decimal_places=2, description="Pounds, for one unit"
    )
    unit: Unit = "hour"
    units: Decimal = Field(
        gt=0,
        le=max(MAX_UNITS.values()),
        decimal_places=2,
        description="How many units each period; at most "
        + ", ".join(f"{v} a {k}" if k != "once" else f"{v} once" for k, v in MAX_UNITS.items()),
    )
    per: PerPeriod
    management: ItemManagement = Field(
        "", description="How this item is paid for, when the plan's management is a mix"
    )


class PlanIn(In):
    version: int = Field(
        ge=1,
        le=MAX_ID,
        description="The version you read: if someone saved since, nothing is saved (409)",
    )
    what_i_want: str = Field("", max_length=10_000)
    who_helps: str = Field("", max_length=10_000)
    if_things_go_wrong: str = Field("", max_length=10_000)
    management: PlanManagement = "direct_payment"
    interim: bool = False
    items: list[PlanItemIn] = Field([], max_length=50, description="Replaces the plan's items")


class PlanItemOut(Schema):
    id: int
    what: str
    provider_kind: str
    provider_name: str
    unit_cost: Decimal
    unit: str
    units: Decimal
    per: str
    management: str
    weekly_cost: Decimal
    annual_cost: Decimal


class Money(Schema):
    weekly: Decimal
    annual: Decimal


class PlanBudget(Schema):
    id: int
    weekly: Decimal
    annual: Decimal
    annual_all_streams: Decimal = Field(
        description="Every funding stream, a year: what the sign-off rules compare the cost with"
    )


class RouteOut(Schema):
    kind: RouteKindCode
    approver_ids: list[int] = Field(description="Who may sign it off; empty for the panel")
    reason: str


class DecisionOut(Schema):
    approved: bool
    reason_code: str
    legal_restriction: str
    risk_description: str
    explanation: str
    decided_by_id: int
    by_panel: bool
    decided_at: datetime.datetime


class PlanOut(Schema):
    id: int
    person_id: int
    status: PlanStatusCode
    version: int
    interim: bool
    what_i_want: str
    who_helps: str
    if_things_go_wrong: str
    management: str
    items: list[PlanItemOut]
    totals: Money
    budget: PlanBudget
    over_budget: bool = Field(
        description="The annual cost is more than the annual budget of every funding stream: "
        "such a plan goes to the panel"
    )
    created_at: datetime.datetime
    updated_at: datetime.datetime
    submitted_at: datetime.datetime | None
    written_by: str
    route: RouteOut | None = Field(description="Where sign-off went; set when it is submitted")
    decision: DecisionOut | None


class SubmitIn(In):
    version: int = Field(
        ge=1,
        le=MAX_ID,
        description="The version you read: if someone saved since, it is not sent (409)",
    )
    written_by: Author | None = Field(
        None, description="Who mainly wrote the plan; left out, we go by who sends it"
    )


class DecisionIn(In):
    approved: bool
    explanation: str = Field(
        min_length=1, max_length=5000, description="Sent to the person word for word"
    )
    reason_code: RefusalReason | None = Field(
        None, description="Refusals only: one of the council's published reasons"
    )
    legal_restriction: LegalRestriction | None = Field(
        None, description="When the reason is legal_restriction: which one"
    )
    risk_description: str = Field(
        "", max_length=5000, description="When the reason is unsafe: the risk"
    )


# --- Services ------------------------------------------------------------------------------


class ServiceOut(Schema):
    id: int
    plan_id: int | None
    request_id: int | None = Field(description="Set for a starter budget, released before a plan")
    description: str
    provider_name: str
    delivery_mechanism: str = Field(description="CLD Delivery_Mechanism")
    service_type: str = Field(description="CLD Service_Type")
    service_component: str = Field(description="CLD Service_Component")
    unit_cost: Decimal = Field(description="CLD Unit_Cost")
    cost_frequency: str = Field(description="CLD Cost_Frequency_Unit_Type")
    planned_units_per_week: Decimal = Field(description="CLD Planned_Units_Per_Week")
    weekly_cost: Decimal
    start_date: datetime.date
    end_date: datetime.date | None


# --- Reviews -------------------------------------------------------------------------------


class ReviewOpenIn(In):
    reason: ReviewReason = Field(
        "planned", description="planned, or why an unplanned review is happening"
    )
    reason_detail: str = Field("", max_length=2000, description="Unplanned: what has changed")


class OutcomeAchievedIn(In):
    outcome: OutcomeCode
    achieved: Achieved


class PointThemeIn(In):
    point_id: int = Field(ge=1, le=MAX_ID)
    theme_id: int | None = Field(None, ge=1, le=MAX_ID)


class ReviewCompleteIn(In):
    method: ReviewMethod
    outcomes: list[OutcomeAchievedIn] = Field(
        max_length=20, description="How far each outcome of the plan is met: every one, once"
    )
    decision: ReviewDecision
    decision_note: str = Field(
        "",
        max_length=4000,
        description="Why, in words the person will understand (needed unless carrying on or "
        "ending as planned)",
    )
    themes: list[PointThemeIn] = Field([], max_length=200)
    will_share_experience: bool | None = Field(
        None, description="Will they share their experience with others? Left out: not asked"
    )
    how_to_contact: str = Field("", max_length=300)
    peer_follow_up: str = Field("", max_length=2000)


class OutcomeAchievedOut(Schema):
    outcome: str
    achieved: str


class PlanOutcome(Schema):
    outcome: str
    label: str


class ReviewWindow(Schema):
    kind: str
    due_from: datetime.date
    due_by: datetime.date


class ReviewOut(Schema):
    id: int
    person_id: int
    plan_id: int
    planned: bool
    reason: str
    reason_detail: str
    asked_for_by_person: bool
    status: ReviewStatusCode
    opened_at: datetime.datetime
    opened_by_id: int
    window: ReviewWindow | None = Field(description="The planned window this review fulfils")
    plan_outcomes: list[PlanOutcome] = Field(description="The outcomes to say are met or not")
    views_given: int
    method: str
    decision: str
    decision_note: str
    outcomes_achieved: str = Field(description="CLD Review_Outcomes_Achieved, overall")
    outcomes: list[OutcomeAchievedOut]
    event_outcome: str = Field(description="CLD Event_Outcome")
    completed_at: datetime.datetime | None
    completed_by_id: int | None


# --- The CLD return ------------------------------------------------------------------------


class CldExportIn(In):
    period_end: datetime.date = Field(description="The return covers the 12 months ending then")


class CldExportOut(Schema):
    id: int
    status: ExportStatusCode
    period_start: datetime.date
    period_end: datetime.date
    requested_at: datetime.datetime
    started_at: datetime.datetime | None
    finished_at: datetime.datetime | None
    rows_written: int
    rows_expected: int | None
    percent: int
    failure_count: int | None = Field(description="Data-quality failures found in the file")
    period_warnings: int
    error: str = Field(description="Why it failed, when it did")
