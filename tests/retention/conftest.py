"""Records that are due under the retention rules, and a session that signed in recently."""

from __future__ import annotations

import datetime
import time

from django.test import Client
from django.utils import timezone

from selfdirect.accounts.models import User
from selfdirect.accounts.reauth import AUTHENTICATED_AT
from selfdirect.assessments.models import Contact
from selfdirect.people.models import Person
from tests.factories import PersonFactory
from tests.subject_access.conftest import history  # noqa: F401 (world.person's full history)


def old_contact_only_person(worker: User, *, on: datetime.date) -> Person:
    """A person whose only record is a request for support received ON (and made that day)."""
    person = PersonFactory(first_name="Olga", last_name="Oldcontact", named_worker=worker)
    made = timezone.make_aware(datetime.datetime.combine(on, datetime.time(9)))
    Person.objects.filter(pk=person.pk).update(created_at=made)
    Contact.objects.create(
        person=person,
        team=person.team,
        received_on=on,
        route_of_access="community",
        requested_by="Her neighbour, Nina",
        what_for="Help with shopping",
        recorded_by=worker,
    )
    return person


def recently_signed_in(user: User) -> Client:
    """A client that has just signed in (sensitive actions ask again after REAUTH_SECONDS)."""
    client = Client()
    client.force_login(user)
    session = client.session
    session[AUTHENTICATED_AT] = time.time()
    session.save()
    return client
