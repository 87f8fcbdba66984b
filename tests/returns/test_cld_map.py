"""Every value the system can produce maps to a value the CLD Release 2 spec allows."""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal

import pytest

from selfdirect.assessments.models import (
    AssessmentKind,
    AssessmentMethod,
    RequestClosure,
    RouteOfAccess,
)
from selfdirect.people import codes
from selfdirect.plans.costs import PERIODS, UNITS
from selfdirect.plans.models import Management, ProviderKind
from selfdirect.returns import checker, cld_map
from selfdirect.returns.cld_map import Period
from selfdirect.returns.spec import load
from selfdirect.reviews import schedule
from selfdirect.support import release

SPEC = load()


def _passes(field: str, value: str) -> bool:
    return checker.value_problem(SPEC.field(field), value, SPEC) is None


def _allowed(field: str) -> tuple[str, ...]:
    allowed = SPEC.field(field).allowed
    assert allowed is not None
    return allowed


@pytest.mark.parametrize(
    ("field", "choices"),
    [
        ("Ethnicity", codes.ETHNICITY),
        ("Primary_Support_Reason", codes.PRIMARY_SUPPORT_REASON),
        ("Accommodation_Status", codes.ACCOMMODATION_STATUS),
        ("Employment_Status", codes.EMPLOYMENT_STATUS),
        ("Has_Unpaid_Carer", codes.HAS_UNPAID_CARER),
        ("Client_Type", codes.CLIENT_TYPE),
        ("Client_Funding_Status", codes.CLIENT_FUNDING_STATUS),
    ],
)
def test_every_person_code_maps_to_an_allowed_value(field: str, choices: codes.Choices) -> None:
    for code, _ in choices:
        assert cld_map._label(choices, code) in _allowed(field)


def test_gender_and_autism_cover_every_code() -> None:
    assert set(cld_map.GENDER) == {code for code, _ in codes.GENDER}
    assert set(cld_map.AUTISM) == {code for code, _ in codes.AUTISM}
    known = SPEC.field("Gender")
    assert {"Female", "Male", "Unknown"} <= set(cld_map.GENDER.values())
    assert known.allowed is None  # unpublished: checked for presence only


def _person(**changes: object) -> cld_map.PersonFacts:
    fields: dict[str, object] = {
        "id": 12,
        "nhs_number": "943 476 5919",
        "gender": "female",
        "ethnicity": "white_irish",
        "date_of_birth": datetime.date(1950, 5, 1),
        "date_of_death": None,
        "client_type": "service_user",
        "primary_support_reason": "learning_disability_support",
        "postcode": "nb1 2aa",
        "accommodation_status": "tenant_private_landlord",
        "employment_status": "unknown",
        "has_unpaid_carer": "yes",
        "autism": "yes",
        "funding_status": "fully_social_care_funded",
    }
    fields.update(changes)
    return cld_map.PersonFacts(**fields)  # type: ignore[arg-type]


PERIOD = Period.ending(datetime.date(2026, 9, 30))


def test_period_is_the_twelve_months_ending_on_the_day() -> None:
    assert PERIOD.start == datetime.date(2025, 10, 1)
    assert Period.ending(datetime.date(2024, 2, 29)).start == datetime.date(2023, 3, 1)
    assert cld_map.last_quarter_end(datetime.date(2026, 11, 23)) == datetime.date(2026, 9, 30)
    assert cld_map.last_quarter_end(datetime.date(2026, 1, 1)) == datetime.date(2025, 12, 31)
    assert cld_map.last_quarter_end(datetime.date(2026, 4, 1)) == datetime.date(2026, 3, 31)


def test_person_columns() -> None:
    row = cld_map.person_columns(_person(), la_code="999", period=PERIOD)
    assert row["NHS_Number"] == "9434765919"
    assert row["LA_Person_Unique_Identifier"] == "SD0000012"
    assert row["Postcode"] == "NB1 2AA"
    assert row["Reporting_Period_Start_Date"] == "2025-10-01"
    assert row["Autism_Spectrum_Disorder_ASD"] == "Yes"
    assert row["Client_Funding_Status"] == "Fully social care funded"
    assert row["Date_of_Death"] == ""
    carer = cld_map.person_columns(_person(client_type="unpaid_carer"), la_code="1", period=PERIOD)
    # Asked of service users only.
    assert carer["Autism_Spectrum_Disorder_ASD"] == carer["Client_Funding_Status"] == ""
    # A death after the period's end is not yet known at its end.
    later = _person(date_of_death=datetime.date(2026, 10, 5))
    assert cld_map.person_columns(later, la_code="1", period=PERIOD)["Date_of_Death"] == ""
    died = _person(date_of_death=datetime.date(2026, 3, 5))
    assert cld_map.person_columns(died, la_code="1", period=PERIOD)["Date_of_Death"] == "2026-03-05"


def test_routes_of_access_and_request_outcomes() -> None:
    assert set(cld_map.ROUTE_OF_ACCESS) == set(RouteOfAccess.values)
    closures = set(RequestClosure.values) - {cld_map.CANCELLED}
    assert set(cld_map.REQUEST_CLOSED_OUTCOMES) == closures
    for outcome in [*cld_map.REQUEST_CLOSED_OUTCOMES.values(), cld_map.TO_ASSESSMENT]:
        assert outcome in _allowed("Event_Outcome")


def _request(**changes: object) -> cld_map.RequestFacts:
    fields: dict[str, object] = {
        "id": 5,
        "received_on": datetime.date(2026, 1, 10),
        "route_of_access": "hospital_discharge",
        "urgent": True,
        "assessment_started_on": None,
        "closed_on": None,
        "closed_outcome": "",
    }
    fields.update(changes)
    return cld_map.RequestFacts(**fields)  # type: ignore[arg-type]


def test_a_request_ends_at_its_assessment_or_when_closed() -> None:
    waiting = _request()
    assert cld_map.request_end(waiting) == (None, "")
    assert not cld_map.request_included(waiting, PERIOD)
    assessed = _request(assessment_started_on=datetime.date(2026, 1, 12))
    assert cld_map.request_end(assessed) == (datetime.date(2026, 1, 12), cld_map.TO_ASSESSMENT)
    assert cld_map.request_included(assessed, PERIOD)
    columns = cld_map.request_columns(assessed)
    assert columns["Event_End_Date"] == "2026-01-12"
    assert columns["Request_Route_of_Access"] == "Discharge from hospital"
    assert columns["Event_Description"] == "Urgent request"
    advised = _request(
        closed_on=datetime.date(2026, 1, 11), closed_outcome="information_and_advice"
    )
    assert cld_map.request_columns(advised)["Event_Outcome"] == (
        "NFA: Information and advice or signposting"
    )
    cancelled = _request(closed_on=datetime.date(2026, 1, 11), closed_outcome="cancelled")
    assert not cld_map.request_included(cancelled, PERIOD)
    outside = _request(assessment_started_on=datetime.date(2026, 10, 1))
    assert not cld_map.request_included(outside, PERIOD)


def test_assessments() -> None:
    assert set(cld_map.ASSESSMENT_TYPE) == set(AssessmentKind.values)
    assert set(cld_map.METHOD_OF_ASSESSMENT) == set(AssessmentMethod.values)
    for eligible in (True, False):
        columns = cld_map.assessment_columns(
            cld_map.AssessmentFacts(
                id=1,
                kind="adult",
                started_on=datetime.date(2026, 1, 1),
                completed_on=datetime.date(2026, 1, 9),
                eligible=eligible,
                method="remote",
            )
        )
        assert columns["Event_Outcome"] in _allowed("Event_Outcome")
        assert columns["Eligible_Needs_Identified"] == ("Yes" if eligible else "No")
        assert columns["Method_of_Assessment"] == "Telephone or video assessment"


def test_every_service_the_release_rules_make_is_allowed() -> None:
    """Every plan item the system can release, and every starter budget, passes the check."""
    lines = [
        release.service_for_item(
            management=management,
            provider_kind=provider,
            unit_cost=Decimal("12.50"),
            unit=unit,
            units=Decimal("3"),
            per=per,
            client_type=client_type,
        )
        for management, provider, unit, per, client_type in itertools.product(
            # "A mix" is a plan's setting; each item then has one of the others.
            [m for m in Management.values if m != Management.MIXED],
            ProviderKind.values,
            [code for code, _ in UNITS],
            [code for code, _ in PERIODS],
            ["service_user", "unpaid_carer"],
        )
    ]
    lines += [
        release.starter_service(weekly=Decimal("90"), direct_payment=dp, client_type=client)
        for dp in (True, False)
        for client in ("service_user", "unpaid_carer")
    ]
    for line in lines:
        service = cld_map.ServiceFacts(
            id=1,
            start_date=datetime.date(2026, 2, 1),
            end_date=None,
            service_type=line.service_type,
            service_component=line.service_component,
            delivery_mechanism=line.delivery_mechanism,
            unit_cost=line.unit_cost,
            cost_frequency=line.cost_frequency,
            planned_units_per_week=line.planned_units_per_week,
        )
        columns = cld_map.service_columns(service, PERIOD, None)
        for field in (
            "Service_Type",
            "Service_Component",
            "Delivery_Mechanism",
            "Cost_Frequency_Unit_Type",
            "Unit_Cost",
            "Planned_units_per_week",
            "Event_Outcome",
        ):
            assert _passes(field, columns[field]), (field, columns[field])


def _service(**changes: object) -> cld_map.ServiceFacts:
    fields: dict[str, object] = {
        "id": 3,
        "start_date": datetime.date(2025, 6, 1),
        "end_date": datetime.date(2026, 3, 1),
        "service_type": "Long term support: Community",
        "service_component": "Direct payment",
        "delivery_mechanism": "Direct payment",
        "unit_cost": Decimal("15"),
        "cost_frequency": "Hourly",
        "planned_units_per_week": Decimal("10"),
        "ending_review_decision": "",
    }
    fields.update(changes)
    return cld_map.ServiceFacts(**fields)  # type: ignore[arg-type]


def test_why_a_service_ended() -> None:
    ended = datetime.date(2026, 3, 1)
    assert cld_map.service_outcome(_service(), None, None) == cld_map.CONTINUING
    assert cld_map.service_outcome(_service(), ended, ended) == cld_map.DECEASED
    by_review = _service(ending_review_decision=schedule.END_AS_PLANNED)
    assert cld_map.service_outcome(by_review, ended, None) == "NFA: Support ended as planned"
    starter = _service(service_type="Short term support: Other short term")
    assert cld_map.service_outcome(starter, ended, None) == cld_map.ELIGIBLE
    assert cld_map.service_outcome(_service(), ended, None) == cld_map.CONTINUING  # replaced
    # Ended after the period: open at its end.
    late = _service(end_date=datetime.date(2026, 11, 1))
    assert cld_map.service_columns(late, PERIOD, None)["Event_End_Date"] == ""
    assert cld_map.service_included(_service(), PERIOD)
    assert not cld_map.service_included(_service(end_date=datetime.date(2025, 9, 1)), PERIOD)
    assert not cld_map.service_included(_service(start_date=datetime.date(2026, 10, 1)), PERIOD)


def test_reviews() -> None:
    assert set(cld_map.METHOD_OF_REVIEW) == {code for code, _ in schedule.METHODS}
    for decision, _ in schedule.DECISIONS:
        assert schedule.EVENT_OUTCOME[decision] in _allowed("Event_Outcome")
    columns = cld_map.review_columns(
        cld_map.ReviewFacts(
            id=9,
            opened_on=datetime.date(2026, 2, 1),
            completed_on=datetime.date(2026, 2, 20),
            reason="hospital",
            outcomes_achieved="partially_met",
            method="face_to_face",
            decision=schedule.CARRY_ON,
        )
    )
    assert columns["Review_Reason"] == "Unplanned: Hospital"
    assert columns["Review_Outcomes_Achieved"] == "Partially met"
    assert columns["Event_Outcome"] == "Continuation of support or services"


def test_a_row_is_in_column_order_and_refuses_unknown_columns() -> None:
    line = cld_map.row(SPEC.columns, {"LA_Code": "999"}, {"Event_Type": "Review"})
    assert len(line) == len(SPEC.columns)
    assert line[0] == "999"
    assert line[SPEC.columns.index("Event_Type")] == "Review"
    with pytest.raises(KeyError):
        cld_map.row(SPEC.columns, {"Favourite_Colour": "blue"})
