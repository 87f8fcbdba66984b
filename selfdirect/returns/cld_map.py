"""From our records to Client Level Data Release 2 rows: every mapping in one pure module.

Pure Python, no Django. selfdirect/returns/export.py reads the facts with a few streamed
queries and hands each event here as plain values; this module decides every CLD value,
so each mapping has a unit test (tests/returns/test_cld_map.py) and the spec's value lists
are the only spelling used.

What the return leaves out, and where that happens:
- Requests still waiting (no assessment started, not closed) and requests closed as
  "cancelled" (recorded in error or withdrawn before any conversation) are not events yet,
  or never; open assessments and open reviews likewise (only services may be open).
- Capacity assessments (assessments.CapacityRecord) are decisions about one matter, not CLD
  assessments: the export never reads them. Safeguarding enquiries are not recorded in
  selfdirect at all, so none can reach the return; an unplanned review *because of* a
  safeguarding concern is a review, and is returned with that reason, as the R1 guidance
  did.

Where the R2 value list is unpublished (our reference says `allowed: null`), the value we
send is written here in the R2 style, and marked UNVERIFIED: check it against the official
workbook before the first submission.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from selfdirect.people import codes, nhs_number
from selfdirect.reviews import schedule

REQUEST = "Request"
ASSESSMENT = "Assessment"
SERVICE = "Service"
REVIEW = "Review"

# --- Person ---------------------------------------------------------------------------------

# UNVERIFIED: only Male, Female and Unknown are seen in DHSC's R2 code. "In another way" goes
# as "Other" until the published list says otherwise.
GENDER = {"female": "Female", "male": "Male", "another": "Other", "not_known": "Unknown"}
# UNVERIFIED: the ASD list is unpublished; Yes/No/Unknown as the other yes-no fields spell it.
AUTISM = {"yes": "Yes", "no": "No", "not_known": "Unknown"}


@dataclass(frozen=True)
class Period:
    """The rolling 12 months a return covers, both ends inclusive."""

    start: datetime.date
    end: datetime.date

    @classmethod
    def ending(cls, end: datetime.date) -> Period:
        """The 12 months ending on END: 30 September 2026 gives 1 October 2025 onwards."""
        start = schedule.add_months(end, -12) + datetime.timedelta(days=1)
        return cls(start=start, end=end)

    def contains(self, day: datetime.date | None) -> bool:
        return day is not None and self.start <= day <= self.end


def last_quarter_end(today: datetime.date) -> datetime.date:
    """The most recent quarter end (31 March, 30 June, 30 September, 31 December) before TODAY."""
    for year in (today.year, today.year - 1):
        for month, day in ((12, 31), (9, 30), (6, 30), (3, 31)):
            end = datetime.date(year, month, day)
            if end < today:
                return end
    raise AssertionError("unreachable: a quarter ended within the last year")


def iso(day: datetime.date | None) -> str:
    return day.isoformat() if day else ""


def money(value: Decimal | None) -> str:
    return "" if value is None else f"{value:.2f}"


# The facts below are slotted dataclasses, not frozen ones: the export makes one for every row
# of the return, and a frozen dataclass takes about three times as long to make. Nothing here
# changes them.


@dataclass(slots=True)
class PersonFacts:
    id: int
    nhs_number: str
    gender: str
    ethnicity: str
    date_of_birth: datetime.date
    date_of_death: datetime.date | None
    client_type: str
    primary_support_reason: str
    postcode: str
    accommodation_status: str
    employment_status: str
    has_unpaid_carer: str
    autism: str
    funding_status: str


class _Labels(dict[str, str]):
    """A value list's CLD labels by stored code; an unknown code goes as it is, for the check
    to name. Made once, at import: a return looks several up for every person."""

    def __missing__(self, code: str) -> str:
        return code


def _label(choices: codes.Choices, code: str) -> str:
    """The CLD label of a stored code; an unknown code goes as it is, for the check to name."""
    return _Labels(choices)[code]


ETHNICITY = _Labels(codes.ETHNICITY)
CLIENT_TYPE = _Labels(codes.CLIENT_TYPE)
PRIMARY_SUPPORT_REASON = _Labels(codes.PRIMARY_SUPPORT_REASON)
ACCOMMODATION_STATUS = _Labels(codes.ACCOMMODATION_STATUS)
EMPLOYMENT_STATUS = _Labels(codes.EMPLOYMENT_STATUS)
HAS_UNPAID_CARER = _Labels(codes.HAS_UNPAID_CARER)
CLIENT_FUNDING_STATUS = _Labels(codes.CLIENT_FUNDING_STATUS)


def died_by(person: PersonFacts, period: Period) -> datetime.date | None:
    """The date of death, if they had died by the end of the period."""
    if person.date_of_death is not None and person.date_of_death <= period.end:
        return person.date_of_death
    return None


def person_columns(person: PersonFacts, *, la_code: str, period: Period) -> dict[str, str]:
    """The columns every row of this person repeats, as they stood at the period's end."""
    service_user = person.client_type == "service_user"
    died = died_by(person, period)
    return {
        "LA_Code": la_code,
        "Reporting_Period_Start_Date": iso(period.start),
        "Reporting_Period_End_Date": iso(period.end),
        "NHS_Number": nhs_number.normalise(person.nhs_number),
        "LA_Person_Unique_Identifier": codes.reference(person.id),
        "GP_Practice_Code": "",
        "Gender": GENDER.get(person.gender, person.gender),
        "Ethnicity": ETHNICITY[person.ethnicity],
        "Date_of_Birth": iso(person.date_of_birth),
        "Date_of_Death": iso(died),
        "Client_Type": CLIENT_TYPE[person.client_type],
        "Primary_Support_Reason": PRIMARY_SUPPORT_REASON[person.primary_support_reason],
        "Postcode": person.postcode.upper(),
        "Accommodation_Status": ACCOMMODATION_STATUS[person.accommodation_status],
        "Employment_Status": EMPLOYMENT_STATUS[person.employment_status],
        "Has_Unpaid_Carer": HAS_UNPAID_CARER[person.has_unpaid_carer],
        # Asked of service users only (applicable_when: service_user).
        "Autism_Spectrum_Disorder_ASD": AUTISM.get(person.autism, "") if service_user else "",
        # Not held: the return does not require them, and we collect only what is used.
        "Visual_Impairment": "",
        "Hearing_Impairment": "",
        "Dementia": "",
        "Client_Funding_Status": (
            CLIENT_FUNDING_STATUS[person.funding_status] if service_user else ""
        ),
    }


# --- Requests -------------------------------------------------------------------------------

# UNVERIFIED: R1's routes of access in R2 spelling (the R2 list is unpublished). A transfer
# from another council is a community route in R1's terms.
ROUTE_OF_ACCESS = {
    "community": "Community or other route",
    "hospital_discharge": "Discharge from hospital",
    "diversion_from_hospital": "Diversion from hospital services",
    "transition": "Planned entry (transition)",
    "transfer": "Community or other route",
    "self_funder": "Self-funder with depleted funds",
}

# How a request for support ends without an assessment (assessments.Contact.closed_outcome),
# and the CLD Event_Outcome each is returned as. CANCELLED is never returned.
CANCELLED = "cancelled"
REQUEST_CLOSED_OUTCOMES = {
    "information_and_advice": "NFA: Information and advice or signposting",
    "referred_within_council": "NFA: Referral to other service within the local authority",
    "referred_to_nhs": "NFA: Referral to NHS services or NHS funded social care",
    "reablement": "Progress to reablement/ST-Max",
    "self_funded": "NFA: Self-funded client or under 12wk disregard",
    "moved_away": "NFA: Responsibility moved to another local authority",
    "declined": "NFA: Support declined",
    "died": "NFA: Deceased",
    "other": "NFA: Other",
}
TO_ASSESSMENT = "Progress to assessment, review or reassessment"


@dataclass(slots=True)
class RequestFacts:
    id: int
    received_on: datetime.date
    route_of_access: str
    urgent: bool
    # The day the first assessment for it began, if one has.
    assessment_started_on: datetime.date | None
    closed_on: datetime.date | None
    closed_outcome: str


def request_end(request: RequestFacts) -> tuple[datetime.date | None, str]:
    """When the request ended and its CLD outcome; (None, "") while it is still waiting.

    An assessment started ends it ("progress to assessment"); otherwise closing it does.
    """
    if request.assessment_started_on is not None:
        return max(request.assessment_started_on, request.received_on), TO_ASSESSMENT
    if request.closed_on is not None and request.closed_outcome in REQUEST_CLOSED_OUTCOMES:
        return request.closed_on, REQUEST_CLOSED_OUTCOMES[request.closed_outcome]
    return None, ""


def request_included(request: RequestFacts, period: Period) -> bool:
    if request.closed_outcome == CANCELLED and request.assessment_started_on is None:
        return False
    return period.contains(request_end(request)[0])


def request_columns(request: RequestFacts) -> dict[str, str]:
    ended, outcome = request_end(request)
    return {
        "Event_Type": REQUEST,
        "Event_Reference": f"REQ-{request.id}",
        "Event_Start_Date": iso(request.received_on),
        "Event_End_Date": iso(ended),
        "Event_Description": "Urgent request" if request.urgent else "",
        "Event_Outcome": outcome,
        "Request_Route_of_Access": ROUTE_OF_ACCESS.get(
            request.route_of_access, request.route_of_access
        ),
    }


# --- Assessments ----------------------------------------------------------------------------

# UNVERIFIED: "Long term assessment" is seen in DHSC's R2 code; a carer's assessment in R2
# style is our spelling.
ASSESSMENT_TYPE = {"adult": "Long term assessment", "carer": "Unpaid carer assessment"}
# UNVERIFIED: the R2 method list is unpublished.
METHOD_OF_ASSESSMENT = {
    "face_to_face": "Face to face assessment",
    "remote": "Telephone or video assessment",
    "supported_self": "Supported self-assessment",
}
ELIGIBLE = "Progress to support planning or services"
NOT_ELIGIBLE = "NFA: Information and advice or signposting"


@dataclass(slots=True)
class AssessmentFacts:
    id: int
    kind: str
    started_on: datetime.date
    completed_on: datetime.date
    eligible: bool
    method: str


def assessment_columns(assessment: AssessmentFacts) -> dict[str, str]:
    return {
        "Event_Type": ASSESSMENT,
        "Event_Reference": f"ASM-{assessment.id}",
        "Event_Start_Date": iso(assessment.started_on),
        "Event_End_Date": iso(assessment.completed_on),
        # Not eligible: the Care Act's written information and advice is what they get.
        "Event_Outcome": ELIGIBLE if assessment.eligible else NOT_ELIGIBLE,
        "Assessment_Type": ASSESSMENT_TYPE[assessment.kind],
        "Eligible_Needs_Identified": "Yes" if assessment.eligible else "No",
        "Method_of_Assessment": METHOD_OF_ASSESSMENT.get(assessment.method, ""),
    }


# --- Services -------------------------------------------------------------------------------

CONTINUING = "Continuation of support or services"
DECEASED = "NFA: Deceased"


@dataclass(slots=True)
class ServiceFacts:
    """A service as support.Service holds it: its CLD codes are stored when it is released."""

    id: int
    start_date: datetime.date
    end_date: datetime.date | None
    service_type: str
    service_component: str
    delivery_mechanism: str
    unit_cost: Decimal
    cost_frequency: str
    planned_units_per_week: Decimal
    # The decision of a review that ended the support on the day this service ended, if any.
    ending_review_decision: str = ""


def service_included(service: ServiceFacts, period: Period) -> bool:
    """Services overlap the period: begun by its end, and open or ended within or after it."""
    return service.start_date <= period.end and (
        service.end_date is None or service.end_date >= period.start
    )


def service_outcome(
    service: ServiceFacts, ended: datetime.date | None, died: datetime.date | None
) -> str:
    """Why the service stopped, or that it carries on.

    A review that ended the support says how it ended; a death ends it; a short-term (starter)
    service gives way to the plan; a service replaced by a new plan's services continues
    the support in another form.
    """
    if ended is None:
        return CONTINUING
    if died is not None and died <= ended:
        return DECEASED
    if service.ending_review_decision in (schedule.END_AS_PLANNED, schedule.END_OTHER):
        return schedule.EVENT_OUTCOME[service.ending_review_decision]
    if service.service_type.startswith("Short term support"):
        return ELIGIBLE
    return CONTINUING


def service_columns(
    service: ServiceFacts, period: Period, died: datetime.date | None
) -> dict[str, str]:
    # As at the period's end: a service that ended after it was still open then.
    ended = service.end_date if service.end_date and service.end_date <= period.end else None
    return {
        "Event_Type": SERVICE,
        "Event_Reference": f"SRV-{service.id}",
        "Event_Start_Date": iso(service.start_date),
        "Event_End_Date": iso(ended),
        "Event_Outcome": service_outcome(service, ended, died),
        "Service_Type": service.service_type,
        "Service_Component": service.service_component,
        "Delivery_Mechanism": service.delivery_mechanism,
        "Provider_CQC_Location_ID": "",
        "Unit_Cost": money(service.unit_cost),
        "Cost_Frequency_Unit_Type": service.cost_frequency,
        "Planned_units_per_week": money(service.planned_units_per_week),
    }


# --- Reviews --------------------------------------------------------------------------------

# UNVERIFIED: the R2 method list is unpublished.
METHOD_OF_REVIEW = {
    "face_to_face": "Face to face review",
    "remote": "Telephone or video review",
    "supported_self_review": "Supported self-review",
}
REVIEW_REASON = _Labels(schedule.REVIEW_REASONS)
OUTCOMES_ACHIEVED = dict(schedule.OUTCOMES_ACHIEVED)


@dataclass(slots=True)
class ReviewFacts:
    id: int
    opened_on: datetime.date
    completed_on: datetime.date
    reason: str
    outcomes_achieved: str
    method: str
    decision: str


def review_columns(review: ReviewFacts) -> dict[str, str]:
    return {
        "Event_Type": REVIEW,
        "Event_Reference": f"REV-{review.id}",
        "Event_Start_Date": iso(review.opened_on),
        "Event_End_Date": iso(max(review.completed_on, review.opened_on)),
        "Event_Outcome": schedule.EVENT_OUTCOME.get(review.decision, ""),
        "Review_Reason": REVIEW_REASON[review.reason],
        "Review_Outcomes_Achieved": OUTCOMES_ACHIEVED.get(review.outcomes_achieved, ""),
        "Method_of_Review": METHOD_OF_REVIEW.get(review.method, ""),
    }


class Layout:
    """The return's columns in order, and where each one goes in a row.

    Made once for a file: each value of a row is put in its place by position, so a row costs
    the columns its parts give, not every column of the return.
    """

    def __init__(self, columns: tuple[str, ...]) -> None:
        self.columns = columns
        self._position = {name: index for index, name in enumerate(columns)}

    def row(self, *parts: Mapping[str, str], base: Sequence[str] = ()) -> list[str]:
        """One CSV row in column order: each part's columns, later parts winning, on a copy of
        BASE (a row made earlier, such as a person's part); any other column is left blank."""
        line = list(base) if base else [""] * len(self.columns)
        position = self._position
        try:
            for part in parts:
                for name, value in part.items():
                    line[position[name]] = value
        except KeyError:
            unknown = {name for part in parts for name in part} - set(self.columns)
            raise KeyError(f"Not columns of the return: {sorted(unknown)}") from None
        return line


def row(columns: tuple[str, ...], *parts: Mapping[str, str]) -> list[str]:
    """One CSV row in the spec's column order; a column no part gives is left blank."""
    return Layout(columns).row(*parts)
