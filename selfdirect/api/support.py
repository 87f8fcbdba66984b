"""The person's services: support in place, as the CLD return records it."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from selfdirect.api.errors import ERRORS
from selfdirect.api.people import person_for
from selfdirect.api.schemas import ServiceOut
from selfdirect.support.models import Service
from selfdirect.support.selectors import services_for_person

router = Router(tags=["services"])


def service_out(service: Service) -> ServiceOut:
    return ServiceOut(
        id=service.pk,
        plan_id=service.plan_id,
        request_id=service.contact_id,
        description=service.description,
        provider_name=service.provider_name,
        delivery_mechanism=service.delivery_mechanism,
        service_type=service.service_type,
        service_component=service.service_component,
        unit_cost=service.unit_cost,
        cost_frequency=service.cost_frequency,
        planned_units_per_week=service.planned_units_per_week,
        weekly_cost=service.weekly_cost,
        start_date=service.start_date,
        end_date=service.end_date,
    )


@router.get(
    "/people/{person_id}/services",
    response={200: list[ServiceOut], **ERRORS},
    summary="A person's services, past and present",
)
def list_services(request: HttpRequest, person_id: int) -> list[ServiceOut]:
    """Every service made from a signed-off plan or a starter budget, oldest first, with the
    CLD fields the return reports. A service with no `end_date` is in place now."""
    person = person_for(request, person_id, what="services")
    return [service_out(s) for s in services_for_person(person=person)]
