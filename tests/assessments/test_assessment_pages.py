"""Steps 1–2 through the pages: contact, story, outcomes, decision, and the budget at once."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from pypdf import PdfReader

from selfdirect.assessments import services
from selfdirect.assessments.models import Assessment, Contact, StoryEntry
from selfdirect.assessments.outcomes import ADULT_OUTCOMES
from selfdirect.budgets.models import IndicativeBudget
from tests.conftest import World
from tests.factories import PersonFactory, completed_assessment

CONTACT = {
    "received_on_0": "3",
    "received_on_1": "11",
    "received_on_2": "2026",
    "route_of_access": "community",
    "requested_by": "Her daughter",
    "what_for": "Help with meals and washing",
    "kind": "adult",
}


def _outcomes_post(version: int, unable: dict[str, tuple[str, str]]) -> dict[str, str]:
    data = {"version": str(version)}
    for code, _ in ADULT_OUTCOMES:
        if code in unable:
            risk, met = unable[code]
            data.update(
                {
                    f"{code}-achievable": "no",
                    f"{code}-unable_reason": "without_assistance",
                    f"{code}-met_by_others": met,
                    f"{code}-risk": risk,
                    f"{code}-reason": "Cannot do this safely alone",
                }
            )
        else:
            data[f"{code}-achievable"] = "yes"
    return data


def pdf_text(content: bytes) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return " ".join(text.split())


def test_worker_goes_from_contact_to_budget_in_five_screens(world: World) -> None:
    client = world.client_for(world.allocated_worker)
    person = PersonFactory(named_worker=world.allocated_worker)
    screens = 0

    screens += 1  # 1: record the contact
    response = client.post(reverse("assessments:contact-create", args=[person.pk]), CONTACT)
    assert response.status_code == 302
    assessment = Assessment.objects.get(person=person)
    assert response["Location"] == reverse("assessments:story", args=[assessment.pk])

    screens += 1  # 2: the story
    response = client.post(response["Location"], {"about_me": "I love gardening."})
    assert response["Location"] == reverse("assessments:outcomes", args=[assessment.pk])

    screens += 1  # 3: outcomes
    unable = {"nutrition": ("substantial", "none"), "personal_hygiene": ("critical", "some")}
    response = client.post(response["Location"], _outcomes_post(assessment.version, unable))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == reverse("assessments:decision", args=[assessment.pk])

    screens += 1  # 4: the decision
    assessment.refresh_from_db()
    response = client.post(
        response["Location"],
        {
            "version": assessment.version,
            "needs_arise_from_condition": "yes",
            "significant_impact": "yes",
            "significant_impact_reason": "She is losing weight and cannot wash safely.",
            "method": "face_to_face",
        },
    )
    assert response["Location"] == reverse("assessments:result", args=[assessment.pk])

    screens += 1  # 5: the budget, already there
    budget = IndicativeBudget.objects.get(assessment=assessment)
    page = client.get(response["Location"]).content.decode()
    assert screens <= 6
    assert f"£{budget.weekly}" in page
    # Default RAS: substantial 12 pts x 1.0 + critical 20 pts x 0.6 = 24 pts x £6.00.
    assert budget.weekly == Decimal("144.00")
    assert budget.annual == Decimal("7488.00")
    assert sum(Decimal(c["weekly"]) for c in budget.contributions) == budget.weekly
    assert "starting point, not a limit" in page


def test_outcomes_form_errors(world: World) -> None:
    client = world.client_for(world.allocated_worker)
    url = reverse("assessments:outcomes", args=[world.open_assessment.pk])
    data = _outcomes_post(world.open_assessment.version, {})
    data.pop("nutrition-achievable")
    data["toilet_needs-achievable"] = "no"
    content = client.post(url, data).content.decode()
    assert "There is a problem" in content
    assert "Select whether they can achieve managing and maintaining nutrition" in content
    assert "Select why they cannot achieve managing toilet needs" in content
    assert not world.open_assessment.judgements.exists()


def test_two_people_saving_one_assessment_conflict(world: World) -> None:
    first = world.client_for(world.allocated_worker)
    second = world.client_for(world.team_a_worker)
    url = reverse("assessments:outcomes", args=[world.open_assessment.pk])
    version = world.open_assessment.version
    unable = {"nutrition": ("moderate", "none"), "clothing": ("low", "most")}
    assert first.post(url, _outcomes_post(version, unable)).status_code == 302
    response = second.post(url, _outcomes_post(version, {}), follow=True)
    content = response.content.decode()
    assert "Someone else saved this assessment" in content
    saved = {j.outcome for j in world.open_assessment.judgements.filter(achievable=False)}
    assert saved == {"nutrition", "clothing"}  # the first save was not lost


def test_not_eligible_gets_a_letter_with_reasons(world: World) -> None:
    person = PersonFactory(named_worker=world.allocated_worker)
    assessment = completed_assessment(person, world.allocated_worker, eligible=False)
    assert assessment.eligible is False
    assert not IndicativeBudget.objects.filter(assessment=assessment).exists()
    client = world.client_for(world.allocated_worker)
    page = client.get(reverse("assessments:result", args=[assessment.pk])).content.decode()
    assert "Not eligible" in page
    response = client.get(reverse("assessments:letter", args=[assessment.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Our decision about your care and support" in text
    assert "not eligible" in text
    assert "Information and advice" in text
    assert "If you disagree" in text


def test_budget_letter_is_tagged_pdf(world: World) -> None:
    client = world.client_for(world.allocated_worker)
    response = client.get(reverse("assessments:letter", args=[world.done_assessment.pk]))
    reader = PdfReader(io.BytesIO(response.content))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root  # tagged
    assert root["/MarkInfo"]["/Marked"]
    assert str(root["/Lang"]).startswith("en")
    text = pdf_text(response.content)
    assert "Your indicative personal budget" in text
    assert "starting point, not a limit" in text
    assert "Managing and maintaining nutrition" in text


def test_urgent_hospital_discharge_is_first_in_queue(world: World) -> None:
    older = PersonFactory(named_worker=world.team_a_worker, last_name="Early")
    urgent = PersonFactory(named_worker=world.team_a_worker, last_name="Urgent")
    import datetime

    services.contact_create(
        actor=world.team_a_worker,
        person=older,
        received_on=datetime.date(2026, 10, 1),
        route_of_access="community",
        requested_by="Self",
        what_for="Help",
        urgent=False,
    )
    services.contact_create(
        actor=world.team_a_worker,
        person=urgent,
        received_on=datetime.date(2026, 11, 20),
        route_of_access="hospital_discharge",
        requested_by="Ward 7",
        what_for="Home today",
        urgent=True,
    )
    page = world.client_for(world.team_manager).get(reverse("assessments:queue")).content.decode()
    assert page.index("Urgent") < page.index("Early")
    queue = list(Contact.objects.filter(team=world.team_a).order_by("-urgent", "received_on"))
    assert queue[-1].person == older and all(c.urgent for c in queue[:-1])
    # Another team's queue does not show them.
    other = world.client_for(world.worker_other_team).get(reverse("assessments:queue"))
    assert urgent.full_name not in other.content.decode()


def test_queue_is_shown_a_page_at_a_time(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    import datetime

    from selfdirect.assessments import views
    from selfdirect.assessments.selectors import contact_queue_for_team

    monkeypatch.setattr(views, "QUEUE_PAGE_SIZE", 3)
    for day in range(1, 8):
        services.contact_create(
            actor=world.team_a_worker,
            person=PersonFactory(named_worker=world.team_a_worker, last_name=f"Waiting{day}"),
            received_on=datetime.date(2026, 10, day),
            route_of_access="community",
            requested_by="Self",
            what_for="Help",
            urgent=False,
        )
    viewer = world.team_manager
    assert viewer.team_id is not None
    queue = list(contact_queue_for_team(team_id=viewer.team_id, viewer=viewer))
    client = world.client_for(viewer)
    url = reverse("assessments:queue")
    first = client.get(url).content.decode()
    second = client.get(url + "?page=2").content.decode()
    # Page 2 goes on where page 1 stopped, in the same order (urgent, then oldest).
    for contact in queue[:3]:
        assert f"/contacts/{contact.pk}/close/" in first
        assert f"/contacts/{contact.pk}/close/" not in second
    for contact in queue[3:6]:
        assert f"/contacts/{contact.pk}/close/" in second
        assert f"/contacts/{contact.pk}/close/" not in first
    assert f"{len(queue)} requests waiting" in first
    assert 'class="govuk-pagination"' in first
    assert 'href="?page=2" rel="next"' in first
    assert 'href="?page=1" rel="prev"' in second and 'href="?page=3" rel="next"' in second


def test_completed_assessment_cannot_be_changed(world: World) -> None:
    client = world.client_for(world.allocated_worker)
    url = reverse("assessments:outcomes", args=[world.done_assessment.pk])
    response = client.post(url, _outcomes_post(world.done_assessment.version, {}))
    assert response.status_code == 302
    assert response["Location"] == reverse("assessments:result", args=[world.done_assessment.pk])


def test_person_writes_story_in_portal_and_reads_budget(world: World) -> None:
    client = world.client_for(world.the_person)
    url = reverse("portal:story", args=[world.person.pk])
    content = client.post(url, {}).content.decode()
    assert "Write something in at least one box" in content
    client.post(url, {"important_to_me": "Seeing my grandchildren on Sundays"})
    entry = StoryEntry.objects.get(person=world.person, section="important_to_me")
    assert entry.author_label.endswith("(the person)")
    # The worker sees it, with who wrote it.
    worker_page = (
        world.client_for(world.allocated_worker)
        .get(reverse("assessments:story", args=[world.open_assessment.pk]))
        .content.decode()
    )
    assert "Seeing my grandchildren on Sundays" in worker_page
    assert "(the person)" in worker_page
    budget_page = client.get(reverse("portal:budget", args=[world.person.pk])).content.decode()
    assert "Your budget" in budget_page and "£144.00" in budget_page
    letter = client.get(reverse("portal:letter", args=[world.person.pk]))
    assert letter["Content-Type"] == "application/pdf"


def test_representative_writes_with_their_own_name(world: World) -> None:
    client = world.client_for(world.representative)
    client.post(
        reverse("portal:story", args=[world.person.pk]), {"about_me": "Ada is a mathematician."}
    )
    entry = StoryEntry.objects.get(person=world.person, section="about_me")
    assert "(representative)" in entry.author_label


@pytest.mark.parametrize(
    ("levels", "appropriate", "lacks", "advocate"),
    [
        (("able", "able", "able", "able"), False, False, False),
        (("able", "substantial_difficulty", "able", "able"), False, False, True),
        (("able", "substantial_difficulty", "able", "able"), True, False, False),
        (("unable", "able", "able", "able"), True, True, False),
    ],
)
def test_capacity_and_advocacy(world: World, levels, appropriate, lacks, advocate) -> None:  # type: ignore[no-untyped-def]
    import datetime

    record = services.capacity_record(
        actor=world.allocated_worker,
        person=world.person,
        assessed_on=datetime.date(2026, 11, 1),
        impairment_of_mind=True,
        understand=levels[0],
        retain=levels[1],
        use_or_weigh=levels[2],
        communicate=levels[3],
        practicable_help_tried="Easy read",
        reasons="Because",
        appropriate_person_available=appropriate,
    )
    assert (record.outcome == "lacks_capacity") is lacks
    assert record.advocate_required is advocate


def test_capacity_change_is_told_to_person_and_representative(
    world: World, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    client = world.client_for(world.allocated_worker)
    url = reverse("assessments:capacity-create", args=[world.person.pk])
    base = {
        "assessed_on_0": "1",
        "assessed_on_1": "10",
        "assessed_on_2": "2026",
        "impairment_of_mind": "yes",
        "understand": "able",
        "retain": "able",
        "use_or_weigh": "able",
        "communicate": "able",
        "practicable_help_tried": "Easy read",
        "reasons": "She understood and weighed the options.",
        "appropriate_person_available": "yes",
    }
    world.relationship.email = "rita@example.org"
    world.relationship.save()
    with django_capture_on_commit_callbacks(execute=True):
        with_capacity = client.post(url, base)
    assert with_capacity.status_code == 302
    assert len(mail.outbox) == 0  # the first decision is not a change
    changed = {
        **base,
        "assessed_on_0": "2",
        "assessed_on_1": "11",
        "use_or_weigh": "unable",
        "reasons": "After her stroke she could not weigh the options, even with help.",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, changed)
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert set(message.to) == {world.the_person.email, "rita@example.org"}
    assert "even with help" in message.body
    portal = world.client_for(world.the_person).get(
        reverse("portal:person", args=[world.person.pk])
    )
    assert "could not weigh the options" in portal.content.decode()
