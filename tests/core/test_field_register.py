"""Collect only what is used: every person-data field declares its purpose (core/field_register.py).

A new field on any model that reaches a Person fails test_every_person_field_declares_a_purpose
until it has a register entry; a claim that an output uses a field fails when none of that
output's files reads it.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import selfdirect
from selfdirect.assessments.models import Assessment
from selfdirect.core import field_register, field_usage
from selfdirect.core.field_register import OUTPUTS, PURPOSES, REGISTER, Entry, Output
from selfdirect.people.models import Person
from selfdirect.workforce.selectors import ModelFields, field_register_report
from tests.conftest import World

PACKAGE = Path(selfdirect.__file__).parent


def _sources() -> dict[str, str]:
    return {
        path: (PACKAGE / path).read_text(encoding="utf-8")
        for output in OUTPUTS
        for path in output.sources
    }


# The register against the models Django reports -----------------------------------------------


def test_person_data_models_are_found() -> None:
    labels = {f"{m._meta.app_label}.{m.__name__}" for m in field_usage.person_data_models()}
    # Person itself, a direct link, a link through another model, and the audit trail.
    assert {
        "people.Person",
        "people.Relationship",
        "assessments.OutcomeJudgement",  # through Assessment
        "budgets.BudgetStream",  # through IndicativeBudget
        "plans.PlanItem",  # through Plan
        "audit.AuditEvent",
    } <= labels
    # Not about a person: accounts, teams, the RAS, and simple-history's copies of models.
    assert not labels & {"accounts.User", "workforce.Team", "budgets.RasVersion"}
    assert not any(label.split(".")[1].startswith("Historical") for label in labels)


def test_every_person_field_declares_a_purpose() -> None:
    missing = field_register.missing_purposes(field_usage.person_data_fields(), REGISTER)
    assert missing == [], (
        "Add these fields to REGISTER in selfdirect/core/field_register.py, with their "
        f"purpose, why, and the outputs that use them: {missing}"
    )


def test_automatic_primary_keys_are_not_listed() -> None:
    assert "people.Person.id" not in field_usage.person_data_fields()
    assert "people.Person.named_worker" in field_usage.person_data_fields()


def test_no_stale_entries() -> None:
    assert field_register.stale_entries(field_usage.person_data_fields(), REGISTER) == []


def test_every_purpose_and_output_is_defined() -> None:
    assert field_register.unknown_codes(REGISTER) == []
    for key, entry in REGISTER.items():
        assert entry.purposes, key
        assert entry.why.strip(), key
        assert len(set(entry.used_by)) == len(entry.used_by), key


def test_codes_are_unique_and_sources_exist() -> None:
    purpose_codes = [code for code, _ in PURPOSES]
    output_codes = [output.code for output in OUTPUTS]
    assert len(set(purpose_codes)) == len(purpose_codes)
    assert len(set(output_codes)) == len(output_codes)
    assert {"budget", "plan", "statutory_return", "review", "contact", "safety", "audit"} == set(
        purpose_codes
    )
    missing = [path for o in OUTPUTS for path in o.sources if not (PACKAGE / path).is_file()]
    assert missing == []


def test_every_claimed_use_is_in_that_outputs_source() -> None:
    assert field_register.unbacked_claims(REGISTER, _sources()) == []


# The checks themselves catch what they are for -------------------------------------------------


def test_a_new_field_without_a_purpose_is_caught() -> None:
    """What test_every_person_field_declares_a_purpose does when someone adds a field."""
    fields = [*field_usage.person_data_fields(), "people.Person.favourite_colour"]
    assert field_register.missing_purposes(fields, REGISTER) == ["people.Person.favourite_colour"]
    empty = {**REGISTER, "people.Person.favourite_colour": Entry((), "No reason")}
    assert field_register.missing_purposes(fields, empty) == ["people.Person.favourite_colour"]


def test_a_removed_field_leaves_a_stale_entry() -> None:
    fields = [f for f in field_usage.person_data_fields() if f != "people.Person.postcode"]
    assert field_register.stale_entries(fields, REGISTER) == ["people.Person.postcode"]


def test_an_unknown_purpose_or_output_is_caught() -> None:
    register = {"people.Person.postcode": Entry(("marketing",), "Why", ("the_moon",))}
    assert field_register.unknown_codes(register) == [
        "people.Person.postcode: no purpose 'marketing'",
        "people.Person.postcode: no output 'the_moon'",
    ]


def test_a_false_claim_of_use_is_caught() -> None:
    claimed = replace(REGISTER["people.Person.ethnicity"], used_by=("person_pages", "sign_off"))
    register = {"people.Person.ethnicity": claimed}
    assert field_register.unbacked_claims(register, _sources()) == [
        "people.Person.ethnicity is said to be used by sign_off, which never reads it"
    ]


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("{{ person.postcode }}", True),
        ("{{ person.get_gender_display }}", True),
        ("Person.objects.filter(named_worker=user)", True),
        ("select_related('person__named_worker')", True),
        ("people.filter(nhs_number__startswith=digits)", True),
        ('initial = {"postcode": person.pk}', True),
        ("if contact.team_id == user.team_id:", True),
        ('Person.objects.order_by("-date_of_birth")', False),
        ('Person.objects.order_by("-postcode")', True),
        ("<p>Your postcode is shown here.</p>", False),  # a word in a sentence
        ("{% govuk_field form.postcode %}", False),  # an input, not a use
        ("{{ person.postcode_area }}", False),  # another name
        ("if postcode == other:", False),  # a comparison, not a field
    ],
)
def test_what_counts_as_reading_a_field(text: str, read: bool) -> None:
    fields = ("postcode", "gender", "named_worker", "nhs_number", "team")
    names = tuple(
        name
        for field in fields
        for name in field_register.names_for(
            f"people.Person.{field}", REGISTER[f"people.Person.{field}"]
        )
    )
    assert field_register.mentions(text, names) is read


def test_read_as_names_a_property() -> None:
    register = {"people.Person.last_name": Entry(("contact",), "Why", ("only",), ("full_name",))}
    outputs = (Output("only", "A page", ("page.html",)),)
    sources = {"page.html": "{{ person.full_name }}"}
    assert field_register.unbacked_claims(register, sources, outputs) == []
    register["people.Person.last_name"] = replace(register["people.Person.last_name"], read_as=())
    assert len(field_register.unbacked_claims(register, sources, outputs)) == 1


def test_unused_fields_are_those_with_no_output() -> None:
    unused = field_register.unused_fields(REGISTER)
    assert "people.Relationship.address" in unused
    assert "people.Person.postcode" not in unused


# The administrators' report --------------------------------------------------------------------


def _group(label: str) -> ModelFields:
    return next(group for group in field_register_report() if group.label == label)


def test_report_counts_values_with_one_query_per_model(world: World) -> None:
    with CaptureQueriesContext(connection) as queries:
        field_register_report()
    assert len(queries) == len(field_usage.person_data_models())
    person = _group("Person")
    rows = {row.name: row for row in person.rows}
    assert person.records == Person.objects.count() > 1
    assert rows["first_name"].holding == person.records
    # Null is not a value, and neither is blank text.
    Person.objects.update(date_of_death=None, preferred_name="")
    Person.objects.filter(pk=world.person.pk).update(preferred_name="Ada")
    rows = {row.name: row for row in _group("Person").rows}
    assert rows["date_of_death"].holding == 0
    assert rows["preferred_name"].holding == 1


def test_report_counts_an_empty_list_as_no_value(world: World) -> None:
    # Completed assessments have written reasons; open ones have none yet.
    rows = {row.name: row for row in _group("Assessment").rows}
    assert (
        rows["eligibility_reasons"].holding
        == Assessment.objects.exclude(status="in_progress").count()
    )
    assert Assessment.objects.filter(status="in_progress").exists()


def test_administrator_sees_the_report(world: World) -> None:
    response = world.client_for(world.administrator).get(reverse("workforce:field-register"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "What we collect about people, and why" in content
    unused_section = content.split('id="unused"')[1].split("Every field, by record")[0]
    # Relationship.address is collected but no page, letter or rule uses it.
    assert "address" in unused_section
    assert REGISTER["people.Relationship.address"].why.replace("'", "&#x27;") in unused_section
    # A used field is not in that section, but is in the full list with its outputs.
    assert "preferred_name" not in unused_section
    assert field_register.output_label("budget_letter") in content
    assert 'href="/council/fields/"' in content  # the administrator's navigation


def test_other_roles_may_not_see_the_report(world: World) -> None:
    url = reverse("workforce:field-register")
    others = (
        world.allocated_worker,
        world.team_manager,
        world.panel_member,
        world.commissioner,
        world.the_person,
        world.representative,
        world.plan_helper,
    )
    for user in others:
        assert world.client_for(user).get(url).status_code == 403, user.role


def test_signed_out_users_are_sent_to_sign_in(world: World) -> None:
    url = reverse("workforce:field-register")
    response = world.client_for(None).get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in"))


def test_counts_are_kept_for_a_few_minutes_and_can_be_worked_out_now(
    world: World, settings
) -> None:  # type: ignore[no-untyped-def]
    from django.core.cache import cache

    settings.FIGURES_CACHE_SECONDS = 600
    cache.clear()
    client = world.client_for(world.administrator)
    url = reverse("workforce:field-register")
    Person.objects.update(preferred_name="")
    first = client.get(url).text
    assert "worked out again every 10 minutes" in first
    assert 'href="?fresh=1"' in first
    Person.objects.filter(pk=world.person.pk).update(preferred_name="Ada")
    with CaptureQueriesContext(connection) as queries:
        cached = client.get(url).text
    # The same counts, from the cache: no count query ran.
    assert _preferred_name_count(cached) == _preferred_name_count(first) == "0"
    assert not any('COUNT("people_person"' in q["sql"] for q in queries.captured_queries)
    assert _preferred_name_count(client.get(url + "?fresh=1").text) == "1"
    cache.clear()


def _preferred_name_count(page: str) -> str:
    person_table = page.split('id="person"')[1].split("</table>")[0]
    row = person_table.split("preferred_name")[1].split("</tr>")[0]
    return row.split('govuk-table__cell--numeric">')[1].split("<")[0]
