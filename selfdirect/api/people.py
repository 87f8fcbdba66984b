"""People and their requests for support."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field as NinjaField
from ninja import Query, Router, Schema, Status

from selfdirect.accounts.models import Role, User
from selfdirect.api import audit
from selfdirect.api.errors import ERRORS, Refused
from selfdirect.api.schemas import PeopleOut, PersonIn, PersonOut, RequestIn, RequestOut
from selfdirect.assessments import services as assessment_services
from selfdirect.assessments.models import Contact
from selfdirect.people import nhs_number, postcodes
from selfdirect.people import services as people_services
from selfdirect.people.models import Person
from selfdirect.people.selectors import person_list_for_user
from selfdirect.workforce.models import Team

router = Router(tags=["people"])


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def person_out(person: Person) -> PersonOut:
    return PersonOut(
        id=person.pk,
        reference=person.reference,
        first_name=person.first_name,
        last_name=person.last_name,
        preferred_name=person.preferred_name,
        date_of_birth=person.date_of_birth,
        date_of_death=person.date_of_death,
        nhs_number=person.nhs_number,
        gender=person.gender,
        ethnicity=person.ethnicity,
        client_type=person.client_type,
        primary_support_reason=person.primary_support_reason,
        postcode=person.postcode,
        accommodation_status=person.accommodation_status,
        employment_status=person.employment_status,
        has_unpaid_carer=person.has_unpaid_carer,
        autism=person.autism,
        funding_status=person.funding_status,
        team_id=person.team_id,
        named_worker_id=person.named_worker_id,
    )


def person_for(request: HttpRequest, person_id: int, **values: object) -> Person:
    """The person, if the caller has a legitimate relationship with them (audited); else 404."""
    person = Person.objects.select_related("team", "named_worker").filter(pk=person_id).first()
    if person is None:
        raise Http404("No such person")
    audit.person_read(request, person, **values)
    return person


def require_case_worker(request: HttpRequest) -> User:
    user = _user(request)
    if not user.holds_cases:
        raise Refused("Only social workers and team managers may do this")
    return user


@router.post("/people", response={201: PersonOut, **ERRORS}, summary="Create a person")
def create_person(request: HttpRequest, payload: PersonIn) -> Status[PersonOut]:
    """A social worker or team manager who creates a person becomes their named worker. An
    administrator may create a person in a team's unallocated queue (`team_id`)."""
    user = _user(request)
    fields = payload.dict(exclude={"team_id"})
    problems: list[tuple[str, str]] = []
    fields["nhs_number"] = nhs_number.normalise(fields["nhs_number"])
    if fields["nhs_number"] and not nhs_number.is_valid(fields["nhs_number"]):
        problems.append(("nhs_number", "Not a valid NHS number (10 digits, check digit)"))
    elif fields["nhs_number"] and Person.objects.filter(nhs_number=fields["nhs_number"]).exists():
        problems.append(("nhs_number", "Another person already has this NHS number"))
    if fields["postcode"]:
        postcode = postcodes.normalise(fields["postcode"])
        if postcode is None:
            problems.append(("postcode", "Not a UK postcode, like SD1 4AB"))
        fields["postcode"] = postcode or ""
    if payload.date_of_birth > timezone.localdate():
        problems.append(("date_of_birth", "The date of birth must be in the past"))
    elif payload.date_of_birth.year < 1880:
        problems.append(("date_of_birth", "The date of birth must be after 1880"))
    if problems:
        raise ValidationError({field: [message] for field, message in problems})
    if user.holds_cases:
        if user.team_id is None:
            raise Refused("You need to be in a team to hold cases")
        named_worker: User | None = user
        team = None
    elif user.role == Role.ADMINISTRATOR:
        if payload.team_id is None:
            raise ValidationError({"team_id": ["Give the team whose queue they wait in"]})
        team = Team.objects.filter(pk=payload.team_id).first()
        if team is None:
            raise ValidationError({"team_id": ["There is no such team"]})
        named_worker = None
    else:
        raise Refused("Only social workers, team managers and administrators may add people")
    with transaction.atomic():
        person = people_services.person_create(
            actor=user, named_worker=named_worker, team=team, **fields
        )
    return Status(201, person_out(person))


class CaseloadQuery(Schema):
    mine: bool = NinjaField(False, description="Only people I am named worker for")
    limit: int = NinjaField(50, ge=1, le=200)
    offset: int = NinjaField(0, ge=0, le=1_000_000)


@router.get("/people", response={200: PeopleOut, **ERRORS}, summary="List my caseload")
def list_people(request: HttpRequest, query: Query[CaseloadQuery]) -> PeopleOut:
    """The people the caller has a relationship with (a worker: their team's; `mine` for
    those they are named worker for), by name."""
    user = _user(request)
    people = person_list_for_user(user=user)
    if query.mine:
        people = people.filter(named_worker=user)
    count = people.count()
    page = list(people[query.offset : query.offset + query.limit])
    audit.call_used(request, count=len(page))
    return PeopleOut(count=count, people=[person_out(p) for p in page])


@router.get("/people/{person_id}", response={200: PersonOut, **ERRORS}, summary="Read a person")
def read_person(request: HttpRequest, person_id: int) -> PersonOut:
    return person_out(person_for(request, person_id))


def request_out(contact: Contact) -> RequestOut:
    return RequestOut(
        id=contact.pk,
        person_id=contact.person_id,
        received_on=contact.received_on,
        route_of_access=contact.route_of_access,
        requested_by=contact.requested_by,
        what_for=contact.what_for,
        urgent=contact.urgent,
        closed_on=contact.closed_on,
        closed_outcome=contact.closed_outcome,
    )


@router.post(
    "/people/{person_id}/requests",
    response={201: RequestOut, **ERRORS},
    summary="Record a request for support",
)
def create_request(request: HttpRequest, person_id: int, payload: RequestIn) -> Status[RequestOut]:
    user = require_case_worker(request)
    person = person_for(request, person_id)
    with transaction.atomic():
        contact = assessment_services.contact_create(actor=user, person=person, **payload.dict())
    return Status(201, request_out(contact))


@router.get(
    "/people/{person_id}/requests",
    response={200: list[RequestOut], **ERRORS},
    summary="A person's requests for support",
)
def list_requests(request: HttpRequest, person_id: int) -> list[RequestOut]:
    person = person_for(request, person_id, what="requests")
    return [request_out(c) for c in person.contacts.order_by("-received_on", "-id")]
