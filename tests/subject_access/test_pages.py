"""The administrators' pages: find a person, see what is held, download JSON or PDF, with a
reason, audited; and nobody else may."""

from __future__ import annotations

import io
import json

import pytest
from django.urls import reverse
from pypdf import PdfReader

from selfdirect.audit.models import AuditEvent, EventType
from selfdirect.subject_access.rules import BASIS_SUBJECT_ACCESS
from tests.conftest import World
from tests.subject_access.conftest import CRISIS_NOTE, HANDOVER, STORY, History

SEARCH = reverse("subject_access:search")


def _person_url(world: World) -> str:
    return reverse("subject_access:person", args=[world.person.pk])


def _produced(world: World) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(person=world.person, event_type=EventType.SUBJECT_ACCESS_PRODUCED)
    )


def pdf_text(content: bytes) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return " ".join(text.split())


# --- Finding a person ---------------------------------------------------------------------


def test_administrator_finds_anyone_by_name(world: World) -> None:
    client = world.client_for(world.administrator)
    content = client.get(SEARCH, {"q": "ada love"}).content.decode()
    assert "Lovelace, Ada" in content and world.person.reference in content
    assert "Other, Bob" not in content
    # Anyone in the council, not only one team's people.
    content = client.get(SEARCH, {"q": "Bob"}).content.decode()
    assert "Other, Bob" in content


@pytest.mark.parametrize("how", ["nhs", "nhs_spaced", "reference", "reference_lower", "number"])
def test_administrator_finds_by_nhs_or_record_number(world: World, how: str) -> None:
    person = world.person
    query = {
        "nhs": person.nhs_number,
        "nhs_spaced": f"{person.nhs_number[:3]} {person.nhs_number[3:6]} {person.nhs_number[6:]}",
        "reference": person.reference,
        "reference_lower": person.reference.lower(),
        "number": str(person.pk),
    }[how]
    content = world.client_for(world.administrator).get(SEARCH, {"q": query}).content.decode()
    assert reverse("subject_access:person", args=[person.pk]) in content
    assert "Other, Bob" not in content


def test_search_page_before_and_after_an_empty_search(world: World) -> None:
    client = world.client_for(world.administrator)
    first = client.get(SEARCH).content.decode()
    assert "Find a person" in first and "There is a problem" not in first
    empty = client.get(SEARCH, {"q": ""}).content.decode()
    assert "There is a problem" in empty
    assert 'href="#id_q"' in empty and "Enter a name, NHS number or record number" in empty
    assert "<title>Error:" in empty
    nobody = client.get(SEARCH, {"q": "Zebedee"}).content.decode()
    assert "Nobody matches" in nobody


def test_administrators_home_links_to_the_search(world: World) -> None:
    content = world.client_for(world.administrator).get(reverse("core:home")).content.decode()
    assert f'href="{SEARCH}"' in content


# --- What will be included ------------------------------------------------------------------


def test_person_page_counts_each_section_and_is_audited(world: World, history: History) -> None:
    response = world.client_for(world.administrator).get(_person_url(world))
    assert response.status_code == 200
    content = response.content.decode()
    assert "What will be included" in content
    assert "Who has looked at or changed your record" in content
    assert "Request reference or reason" in content
    assert "Download as JSON" in content and "Download as PDF" in content
    counts = {section.key: count for section, count in response.context["counts"]}
    assert counts["reviews"] == 1 and counts["plans"] == 2 and counts["story"] == 1
    viewed = AuditEvent.objects.filter(person=world.person, actor=world.administrator).get()
    assert viewed.event_type == EventType.PERSON_VIEWED
    assert viewed.reason == BASIS_SUBJECT_ACCESS


def test_unknown_person_is_not_found(world: World) -> None:
    client = world.client_for(world.administrator)
    url = reverse("subject_access:person", args=[999999])
    assert client.get(url).status_code == 404
    assert client.post(url, {"reason": "SAR-1", "format": "json"}).status_code == 404
    assert not AuditEvent.objects.filter(event_type=EventType.SUBJECT_ACCESS_PRODUCED).exists()


# --- Producing the files --------------------------------------------------------------------


def test_reason_is_required(world: World) -> None:
    client = world.client_for(world.administrator)
    for data in ({"format": "json"}, {"format": "pdf", "reason": "   "}):
        response = client.post(_person_url(world), data)
        assert response.status_code == 200
        assert "Content-Disposition" not in response
        content = response.content.decode()
        assert "There is a problem" in content
        assert 'href="#id_reason"' in content
        assert "Enter the request reference or reason" in content
        assert "govuk-form-group--error" in content
    assert _produced(world) == []


def test_download_as_json(world: World, history: History) -> None:
    client = world.client_for(world.administrator)
    response = client.post(_person_url(world), {"reason": "SAR-2026-014", "format": "json"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"{world.person.reference}-everything-we-hold-" in disposition
    assert disposition.endswith('.json"')
    assert response["Cache-Control"] == "no-store"
    data = json.loads(response.content)
    assert data["header"]["person_id"] == world.person.pk
    assert data["header"]["request_reference_or_reason"] == "SAR-2026-014"
    assert data["header"]["produced_by"].endswith("(Administrator)")
    assert data["sections"]["story"][0]["text"] == STORY
    (event,) = _produced(world)
    assert event.actor == world.administrator
    assert event.reason == "SAR-2026-014"
    assert event.new_values["formats"] == ["json"]
    assert event.new_values["records"]["reviews"] == 1
    # The production is its own record of the read: no separate "viewed" event for it.
    assert not AuditEvent.objects.filter(
        person=world.person, actor=world.administrator, event_type=EventType.PERSON_VIEWED
    ).exists()


def test_download_as_pdf(world: World, history: History) -> None:
    client = world.client_for(world.administrator)
    response = client.post(_person_url(world), {"reason": "SAR-2026-015", "format": "pdf"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].endswith('.pdf"')
    assert response.content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(response.content))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root  # tagged
    assert str(root["/Lang"]).startswith("en")
    text = pdf_text(response.content)
    assert "Northbridge Borough Council" in text
    assert "Everything we hold about you" in text
    assert "Ada Lovelace" in text and world.person.reference in text
    assert "SAR-2026-015" in text
    for heading in (
        "Your record",
        "Requests for support",
        "Assessments",
        "Indicative budgets",
        "Support plans",
        "Reviews",
        "Your circle of support",
        "Who has looked at or changed your record",
    ):
        assert heading in text
    assert STORY in text and CRISIS_NOTE in text and HANDOVER in text
    assert "Discharge from hospital" in text  # a label, not the code
    assert "hospital_discharge" not in text.replace("Hospital_discharge", "")
    assert "Page 1 of" in text
    assert "Bob" not in text
    (event,) = _produced(world)
    assert event.new_values["formats"] == ["pdf"]


def test_a_person_with_nothing_yet_still_gets_a_file(world: World) -> None:
    from tests.factories import PersonFactory

    person = PersonFactory(named_worker=world.allocated_worker)
    url = reverse("subject_access:person", args=[person.pk])
    response = world.client_for(world.administrator).post(url, {"reason": "SAR", "format": "pdf"})
    assert response.status_code == 200
    assert "We hold nothing of this kind about you." in pdf_text(response.content)


# --- Nobody else ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who",
    [
        "allocated_worker",
        "team_manager",
        "panel_member",
        "commissioner",
        "the_person",
        "representative",
        "plan_helper",
        "stranger",
    ],
)
def test_other_roles_are_refused(world: World, who: str) -> None:
    client = world.client_for(getattr(world, who))
    assert client.get(SEARCH, {"q": "Ada"}).status_code == 403
    assert client.get(_person_url(world)).status_code == 403
    response = client.post(_person_url(world), {"reason": "SAR-1", "format": "json"})
    assert response.status_code == 403
    assert _produced(world) == []


def test_signed_out_users_are_sent_to_sign_in(world: World) -> None:
    client = world.client_for(None)
    for response in (
        client.get(SEARCH),
        client.post(_person_url(world), {"reason": "SAR-1", "format": "json"}),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:sign-in"))
    assert _produced(world) == []
