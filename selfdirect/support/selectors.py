from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from selfdirect.support.models import Service

if TYPE_CHECKING:
    from selfdirect.people.models import Person


def services_for_person(*, person: Person) -> QuerySet[Service]:
    """The person's services, past and present, oldest first (the person is access-checked)."""
    return Service.objects.filter(person=person).order_by("start_date", "id")
