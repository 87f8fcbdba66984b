"""Deleting a record under the retention rules: what goes, what stays, and what must not break.

world.person with a full history (tests/subject_access/conftest.py) has their support ended,
and is deleted as of 1 January 2040, long after 8 years have passed.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import models

from selfdirect.accounts.models import User
from selfdirect.assessments.models import StoryEntry
from selfdirect.audit.models import AuditEvent, EventType
from selfdirect.core import field_usage
from selfdirect.people.models import HistoricalPerson, Person, Relationship
from selfdirect.retention import selectors, services
from selfdirect.retention.models import RetentionAction
from selfdirect.retention.policy import Periods
from selfdirect.returns import checker, export
from selfdirect.returns.cld_map import Period
from selfdirect.subject_access.collect import collect
from selfdirect.support.models import Service
from tests.conftest import World
from tests.subject_access.conftest import (
    CAPACITY_REASONS,
    CRISIS_NOTE,
    DECISION,
    FAMILY_NAME,
    HANDOVER,
    PHB_NOTE,
    POINT,
    REVIEW_NOTE,
    STORY,
    History,
)

LATER = datetime.date(2040, 1, 1)
PERIODS = Periods(case_years=8, contact_only_years=2, review_days=90)
# A period covering the whole of world.person's history.
HISTORY_PERIOD = Period(start=datetime.date(2000, 1, 1), end=datetime.date(2039, 12, 31))
# What the person, their circle and their workers wrote; none of it may survive.
WORDS = (
    STORY,
    CRISIS_NOTE,
    HANDOVER,
    CAPACITY_REASONS,
    POINT,
    DECISION,
    PHB_NOTE,
    REVIEW_NOTE,
    FAMILY_NAME,
    "To go to the seaside every week",
    "Rita Rep",
    "Cora Contact",
    "Going home today",
    "Hana Helper",
)


def _rows(person: Person) -> list[dict[str, str]]:
    out = io.StringIO()
    export.write(out, HISTORY_PERIOD)
    out.seek(0)
    reader = csv.reader(out)
    header = next(reader)
    rows = [dict(zip(header, line, strict=True)) for line in reader]
    return [row for row in rows if row["LA_Person_Unique_Identifier"] == person.reference]


def _chain(person: Person) -> list[tuple[int, str, Any, Any]]:
    return list(
        AuditEvent.objects.filter(person=person)
        .order_by("sequence")
        .values_list("sequence", "hash", "old_values", "new_values")
    )


@dataclass
class Deleted:
    person: Person
    nhs_number: str
    portal_user: User
    rows_before: list[dict[str, str]]
    chain_before: list[tuple[int, str, Any, Any]]
    action: RetentionAction


def _end_support(person: Person) -> None:
    for service in Service.objects.filter(person=person):
        Service.objects.filter(pk=service.pk).update(end_date=service.start_date)


@pytest.fixture
def deleted(world: World, history: History) -> Deleted:
    person = history.person
    _end_support(person)
    nhs_number = person.nhs_number
    portal_user = person.portal_user
    assert portal_user is not None
    rows_before = _rows(person)
    chain_before = _chain(person)
    action = services.person_anonymise(
        actor=world.administrator,
        person=person,
        reason="Retention review, January 2040: no legal hold",
        today=LATER,
        periods=PERIODS,
    )
    person.refresh_from_db()
    return Deleted(person, nhs_number, portal_user, rows_before, chain_before, action)


def test_the_subject_access_file_no_longer_identifies_them(world: World, deleted: Deleted) -> None:
    person = Person.objects.select_related("team", "named_worker", "portal_user").get(
        pk=deleted.person.pk
    )
    data = collect(person=person, produced_by=None, reason="Check")
    everything = json.dumps(data, ensure_ascii=False)
    for gone in ("Ada", "Lovelace", deleted.nhs_number, STORY, "1950-05-17", "SD1 4AB"):
        assert gone not in everything
    # Audit events are kept word for word (see test_the_audit_trail_is_untouched); everything
    # else in the file must hold none of the words anyone wrote about the person.
    rest = json.dumps({k: v for k, v in data["sections"].items() if k != "audit"})
    for gone in WORDS:
        assert gone not in rest, gone
    assert data["sections"]["story"] == []
    assert data["sections"]["circle_of_support"] == []
    assert data["sections"]["person"][0]["portal_account"] is None
    assert data["sections"]["person"][0]["first_name"] == "Anonymised"
    assert data["sections"]["person"][0]["last_name"] == person.reference


def test_what_the_return_needs_is_kept(deleted: Deleted) -> None:
    person = deleted.person
    assert person.date_of_birth == datetime.date(1950, 5, 1)  # year and month
    assert person.postcode == "SD1"  # the district
    assert person.gender == "female" and person.team_id is not None
    after = _rows(person)
    assert deleted.rows_before, "the fixture should have events in the return"
    assert len(after) == len(deleted.rows_before)
    changed = {"NHS_Number", "Date_of_Birth", "Postcode"}
    for before, now in zip(deleted.rows_before, after, strict=True):
        assert {k: v for k, v in before.items() if k not in changed} == {
            k: v for k, v in now.items() if k not in changed
        }
        assert (now["NHS_Number"], now["Date_of_Birth"], now["Postcode"]) == (
            "",
            "1950-05-01",
            "SD1",
        )


def test_the_check_fails_only_the_identifiers_that_were_wiped(deleted: Deleted) -> None:
    """The return's NHS number and full postcode are identifiers: deletion removes them, so
    the data-quality check names exactly those two fields, and nothing else, for these rows."""
    before = checker.check_rows(deleted.rows_before)
    assert before.passed, before.failures[:5]
    report = checker.check_rows(_rows(deleted.person))
    found = {(f.field, f.status) for f in report.failures}
    assert found == {("NHS_Number", checker.BLANK_MANDATORY), ("Postcode", checker.INVALID)}


def test_the_audit_trail_is_untouched_and_still_verifies(deleted: Deleted) -> None:
    after = _chain(deleted.person)
    assert after[: len(deleted.chain_before)] == deleted.chain_before
    (event,) = AuditEvent.objects.filter(event_type=EventType.RETENTION_ANONYMISED)
    assert event.person_id == deleted.person.pk
    assert event.reason == "Retention review, January 2040: no legal hold"
    assert "Ada" not in json.dumps(event.new_values)
    out = io.StringIO()
    call_command("audit_verify", stdout=out)  # exits with status 1 when the chain is broken
    assert out.getvalue().startswith("OK")


def test_row_history_and_accounts_are_wiped(world: World, deleted: Deleted) -> None:
    person = deleted.person
    assert not HistoricalPerson.objects.filter(id=person.pk).exists()
    assert not Relationship.history.filter(person_id=person.pk).exists()
    assert not StoryEntry.objects.filter(person=person).exists()
    assert not Relationship.objects.filter(person=person).exists()
    for user in (deleted.portal_user, world.representative, world.non_representative_contact):
        user.refresh_from_db()
        assert not user.is_active and not user.has_usable_password()
        assert (user.first_name, user.last_name, user.email) == ("", "", "")
        assert User.history.filter(id=user.pk).count() == 0
    # Accounts tied to someone else, and staff, are left alone.
    for user in (world.representative_of_other, world.allocated_worker):
        user.refresh_from_db()
        assert user.is_active and user.email
    assert Person.objects.get(pk=world.other_person.pk).first_name == "Bob"


def test_an_anonymised_person_drops_out_of_the_due_list(world: World, deleted: Deleted) -> None:
    _end_support(world.other_person)
    due = {r.person_id for r in selectors.due_records(periods=PERIODS, today=LATER)}
    assert deleted.person.pk not in due
    assert world.other_person.pk in due
    with pytest.raises(ValidationError):
        services.person_anonymise(
            actor=world.administrator, person=deleted.person, reason="Again", today=LATER
        )


def test_refused_before_the_record_is_due(world: World) -> None:
    before = Person.objects.filter(pk=world.person.pk).values().get()
    with pytest.raises(ValidationError, match="not due"):
        services.person_anonymise(
            actor=world.administrator, person=world.person, reason="Too soon", periods=PERIODS
        )
    assert Person.objects.filter(pk=world.person.pk).values().get() == before
    assert not RetentionAction.objects.exists()


def test_refused_while_support_is_open(world: World, history: History) -> None:
    assert Service.objects.filter(person=world.person, end_date__isnull=True).exists()
    with pytest.raises(ValidationError, match="not due"):
        services.person_anonymise(
            actor=world.administrator, person=world.person, reason="Open", today=LATER
        )


def test_a_reason_is_required(world: World) -> None:
    with pytest.raises(ValidationError) as error:
        services.person_anonymise(actor=world.administrator, person=world.person, reason="  ")
    assert "reason" in error.value.error_dict


# The guard: every text a model about a person holds is wiped, deleted, or kept for a reason.
_TEXT = (models.CharField, models.TextField, models.JSONField)


def _text_fields() -> set[str]:
    found = set()
    for model in field_usage.person_data_models():
        label = f"{model._meta.app_label}.{model.__name__}"
        for field in model._meta.concrete_fields:
            if isinstance(field, _TEXT) and not field.choices:
                found.add(f"{label}.{field.name}")
    return found


def test_every_text_field_about_a_person_is_decided() -> None:
    wiped = {
        f"{key.split('/')[0]}.{name}"
        for key, (_, values) in services.ANONYMISED.items()
        for name in values
    }
    deleted = set(services.DELETED)
    decided = [
        name
        for name in _text_fields()
        if name in wiped or name in services.KEPT_TEXT or name.rsplit(".", 1)[0] in deleted
    ]
    undecided = sorted(_text_fields() - set(decided))
    assert undecided == [], (
        "Say in selfdirect/retention/services.py whether deleting a record wipes these "
        f"(ANONYMISED, DELETED) or keeps them (KEPT_TEXT, with the reason): {undecided}"
    )
