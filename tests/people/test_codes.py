"""Our stored codes' labels must be the CLD Release 2 values, spelt exactly."""

from __future__ import annotations

import pytest

from selfdirect.people import codes


@pytest.fixture(scope="module")
def spec_fields(cld_spec: dict) -> dict[str, dict]:
    return {f["name"]: f for f in cld_spec["fields"]}


@pytest.mark.parametrize(
    ("field", "choices"),
    [
        ("Ethnicity", codes.ETHNICITY),
        ("Primary_Support_Reason", codes.PRIMARY_SUPPORT_REASON),
        ("Accommodation_Status", codes.ACCOMMODATION_STATUS),
        ("Employment_Status", codes.EMPLOYMENT_STATUS),
        ("Has_Unpaid_Carer", codes.HAS_UNPAID_CARER),
    ],
)
def test_labels_are_the_spec_values(spec_fields: dict, field: str, choices: codes.Choices) -> None:
    assert [label for _, label in choices] == spec_fields[field]["allowed"]


def test_client_types_are_spec_values(spec_fields: dict) -> None:
    allowed = spec_fields["Client_Type"]["allowed"]
    assert all(label in allowed for _, label in codes.CLIENT_TYPE)


def test_codes_are_unique_and_fit() -> None:
    for choices in (codes.ETHNICITY, codes.PRIMARY_SUPPORT_REASON, codes.ACCOMMODATION_STATUS):
        stored = [code for code, _ in choices]
        assert len(stored) == len(set(stored))
        assert max(map(len, stored)) <= codes.CODE_MAX_LENGTH
