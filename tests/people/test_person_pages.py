"""Creating and changing people through the pages: GOV.UK errors, never a 500 (R6)."""

from __future__ import annotations

from django.urls import reverse

from selfdirect.people.models import Person
from tests.conftest import World

GOOD = {
    "first_name": "Grace",
    "last_name": "Hopper",
    "preferred_name": "",
    "date_of_birth_0": "9",
    "date_of_birth_1": "12",
    "date_of_birth_2": "1946",
    "nhs_number": "943 476 5919",
    "gender": "female",
    "ethnicity": "white_any_other_white_background",
    "client_type": "service_user",
    "primary_support_reason": "support_with_memory_and_cognition",
    "postcode": "sd2 7xy",
    "accommodation_status": "owner_occupier_or_shared_ownership_scheme",
    "employment_status": "unknown",
    "has_unpaid_carer": "yes",
}


def test_create_person(world: World) -> None:
    client = world.client_for(world.allocated_worker)
    response = client.post(
        reverse("people:create"), {**GOOD, "named_worker": world.allocated_worker.pk}
    )
    assert response.status_code == 302
    person = Person.objects.get(last_name="Hopper")
    assert person.nhs_number == "9434765919"
    assert person.postcode == "SD2 7XY"
    assert person.named_worker == world.allocated_worker
    assert person.team == world.team_a


def test_bad_input_gives_error_summary_and_keeps_answers(world: World) -> None:
    client = world.client_for(world.allocated_worker)
    bad = {
        **GOOD,
        "first_name": "",
        "date_of_birth_0": "31",
        "date_of_birth_1": "2",
        "nhs_number": "943 476 5918",
        "postcode": "nowhere",
        "gender": "made-up",
        "named_worker": "999999",
    }
    before = Person.objects.count()
    response = client.post(reverse("people:create"), bad)
    content = response.content.decode()
    assert response.status_code == 200
    assert Person.objects.count() == before
    assert "There is a problem" in content
    assert "Enter their first name" in content
    assert "Date of birth must be a real date" in content
    assert "Enter a valid NHS number" in content
    assert "Enter a real postcode" in content
    assert 'href="#id_date_of_birth_0"' in content
    assert "<title>Error:" in content
    assert 'value="Hopper"' in content  # nothing typed is lost


def test_date_of_birth_messages(world: World) -> None:
    client = world.client_for(world.allocated_worker)
    cases = {
        ("", "", ""): "Enter date of birth",
        ("1", "", "1950"): "Date of birth must include a month",
        ("a", "1", "1950"): "Date of birth must be a real date",
        ("1", "1", "50"): "Year must include 4 numbers",
        ("1", "1", "2999"): "Date of birth must be today or in the past",
    }
    for (day, month, year), message in cases.items():
        data = {**GOOD, "date_of_birth_0": day, "date_of_birth_1": month, "date_of_birth_2": year}
        content = client.post(reverse("people:create"), data).content.decode()
        assert message in content, (day, month, year)


def test_duplicate_nhs_number_is_an_error_not_a_crash(world: World) -> None:
    client = world.client_for(world.allocated_worker)
    data = {
        **GOOD,
        "nhs_number": world.person.nhs_number,
        "named_worker": world.allocated_worker.pk,
    }
    response = client.post(reverse("people:create"), data)
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()


def test_edit_person(world: World) -> None:
    client = world.client_for(world.team_a_worker)
    data = {
        **GOOD,
        "last_name": "Lovelace-King",
        "date_of_death_0": "",
        "date_of_death_1": "",
        "date_of_death_2": "",
    }
    response = client.post(reverse("people:edit", args=[world.person.pk]), data)
    assert response.status_code == 302
    world.person.refresh_from_db()
    assert world.person.last_name == "Lovelace-King"


def test_death_before_birth_is_refused(world: World) -> None:
    client = world.client_for(world.allocated_worker)
    data = {**GOOD, "date_of_death_0": "1", "date_of_death_1": "1", "date_of_death_2": "1900"}
    content = client.post(reverse("people:edit", args=[world.person.pk]), data).content.decode()
    assert "Date of death must be after the date of birth" in content


def test_circle_add_errors_and_success(world: World) -> None:
    client = world.client_for(world.allocated_worker)
    url = reverse("people:circle-add", args=[world.person.pk])
    content = client.post(url, {"email": "not-an-email", "phone": "call me"}).content.decode()
    assert "Enter their name" in content
    assert "Enter an email address in the correct format" in content
    assert "Enter a phone number" in content
    response = client.post(
        url, {"name": "Nia Neighbour", "relationship_type": "neighbour", "phone": "01632 960003"}
    )
    assert response.status_code == 302
    assert world.person.relationships.filter(name="Nia Neighbour").exists()


def test_circle_remove_needs_post(world: World) -> None:
    client = world.client_for(world.allocated_worker)
    member = world.relationship
    url = reverse("people:circle-remove", args=[world.person.pk, member.pk])
    assert client.get(url).status_code == 200
    assert world.person.relationships.filter(pk=member.pk).exists()
    assert client.post(url).status_code == 302
    assert not world.person.relationships.filter(pk=member.pk).exists()


def test_search(world: World) -> None:
    client = world.client_for(world.allocated_worker)
    content = client.get(reverse("people:list"), {"q": "love"}).content.decode()
    assert "Lovelace" in content
    content = client.get(reverse("people:list"), {"q": "zzz"}).content.decode()
    assert "No people found" in content
    content = client.get(
        reverse("people:list"), {"q": world.person.nhs_number[:6]}
    ).content.decode()
    assert "Lovelace" in content
