"""The administrators' retention pages and the scheduled job's command."""

from __future__ import annotations

import datetime
import io

from django.core.management import call_command
from django.urls import reverse

from selfdirect.audit.models import AuditEvent, EventType
from selfdirect.retention.models import RetentionAction, RetentionItem, RetentionRun
from tests.conftest import World
from tests.retention.conftest import old_contact_only_person, recently_signed_in

LONG_AGO = datetime.date(2020, 3, 2)  # contact only: due in March 2022


def test_command_lists_the_due_records_and_keeps_the_run(world: World) -> None:
    person = old_contact_only_person(world.allocated_worker, on=LONG_AGO)
    out = io.StringIO()
    call_command("retention_review", stdout=out)
    run = RetentionRun.objects.get()
    assert run.run_by is None and run.due_for_deletion == 1 and run.due_for_review == 0
    assert "due for deletion: 1" in out.getvalue()
    item = RetentionItem.objects.get()
    assert (item.person_id, item.status, item.due_on) == (
        person.pk,
        "deletion",
        datetime.date(2022, 3, 2),
    )
    csv_out = io.StringIO()
    call_command("retention_review", "--format", "csv", stdout=csv_out)
    lines = csv_out.getvalue().splitlines()
    assert lines == [
        "record,kind_of_record,last_activity,due_on,status",
        f"{person.reference},contact_only,2020-03-02,2022-03-02,deletion",
    ]
    # Only the latest run's list is kept.
    assert RetentionItem.objects.get().run == RetentionRun.objects.first()


def test_the_list_page_shows_references_not_names(world: World) -> None:
    person = old_contact_only_person(world.allocated_worker, on=LONG_AGO)
    client = recently_signed_in(world.administrator)
    page = client.get(reverse("retention:due")).content.decode()
    assert "has not been worked out yet" in page
    response = client.post(reverse("retention:due"))
    assert response.status_code == 302
    page = client.get(reverse("retention:due")).content.decode()
    assert person.reference in page and "Oldcontact" not in page
    assert "2 March 2022" in page  # due
    assert reverse("retention:anonymise", args=[person.pk]) in page
    review = client.get(reverse("retention:due") + "?show=review").content.decode()
    assert person.reference not in review


def test_other_roles_are_refused(world: World) -> None:
    person = old_contact_only_person(world.allocated_worker, on=LONG_AGO)
    for user in (world.team_manager, world.commissioner, world.the_person):
        client = recently_signed_in(user)
        assert client.get(reverse("retention:due")).status_code == 403
        url = reverse("retention:anonymise", args=[person.pk])
        assert client.post(url, {"reason": "x", "confirm": "on"}).status_code == 403
    assert not RetentionAction.objects.exists()


def test_deleting_needs_a_reason_and_confirmation(world: World) -> None:
    person = old_contact_only_person(world.allocated_worker, on=LONG_AGO)
    client = recently_signed_in(world.administrator)
    url = reverse("retention:anonymise", args=[person.pk])
    page = client.get(url).content.decode()
    assert "govuk-warning-text" in page and "cannot be undone" in page
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200
    content = response.content.decode()
    assert "govuk-error-summary" in content
    assert "Enter why you are deleting this record" in content
    assert "Confirm that you understand this cannot be undone" in content
    assert not RetentionAction.objects.exists()
    response = client.post(url, {"reason": "Retention review: no legal hold", "confirm": "on"})
    assert response.status_code == 302
    action = RetentionAction.objects.get(person=person)
    assert action.anonymised_by == world.administrator
    person.refresh_from_db()
    assert person.first_name == "Anonymised" and person.nhs_number == ""
    event = AuditEvent.objects.get(event_type=EventType.RETENTION_ANONYMISED)
    assert event.actor == world.administrator
    # Afterwards the page says so, and offers nothing to press.
    page = client.get(url).content.decode()
    assert "already been deleted" in page and "Delete this record" not in page


def test_a_record_not_due_cannot_be_deleted_from_the_page(world: World) -> None:
    client = recently_signed_in(world.administrator)
    url = reverse("retention:anonymise", args=[world.person.pk])
    page = client.get(url).content.decode()
    assert "not due for deletion" in page and "Delete this record" not in page
    response = client.post(url, {"reason": "Trying anyway", "confirm": "on"})
    assert response.status_code == 200
    assert "This record is not due for deletion" in response.content.decode()
    assert not RetentionAction.objects.exists()


def test_deleting_asks_to_confirm_who_you_are_after_a_while(world: World) -> None:
    person = old_contact_only_person(world.allocated_worker, on=LONG_AGO)
    client = world.client_for(world.administrator)
    session = client.session
    session.pop("selfdirect_authenticated_at", None)
    session.save()
    url = reverse("retention:anonymise", args=[person.pk])
    response = client.post(url, {"reason": "Retention review", "confirm": "on"})
    assert response.status_code == 302 and reverse("accounts:confirm") in response["Location"]
    assert not RetentionAction.objects.exists()
