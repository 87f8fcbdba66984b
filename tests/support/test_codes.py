"""The Service value lists must be the CLD Release 2 values, spelt exactly, and what
support/release.py writes must be on them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from selfdirect.support import codes, release


@pytest.fixture(scope="module")
def spec_fields(cld_spec: dict) -> dict[str, dict]:
    return {f["name"]: f for f in cld_spec["fields"]}


@pytest.mark.parametrize(
    ("field", "values"),
    [
        ("Delivery_Mechanism", codes.DELIVERY_MECHANISM),
        ("Service_Type", codes.SERVICE_TYPE),
        ("Service_Component", codes.SERVICE_COMPONENT),
        ("Cost_Frequency_Unit_Type", codes.COST_FREQUENCY),
    ],
)
def test_values_are_the_spec_values(spec_fields: dict, field: str, values: tuple[str, ...]) -> None:
    assert list(values) == spec_fields[field]["allowed"]


def test_release_writes_only_listed_values() -> None:
    assert set(release.DELIVERY_MECHANISM.values()) <= set(codes.DELIVERY_MECHANISM)
    assert set(release.COST_FREQUENCY.values()) <= set(codes.COST_FREQUENCY)
    for direct in (True, False):
        for client_type in ("service_user", "unpaid_carer"):
            line = release.starter_service(
                weekly=Decimal(10), direct_payment=direct, client_type=client_type
            )
            assert line.service_type in codes.SERVICE_TYPE
            assert line.service_component in codes.SERVICE_COMPONENT
    for management in release.DELIVERY_MECHANISM:
        for kind in ("equipment", "community_group", "agency"):
            line = release.service_for_item(
                management=management,
                provider_kind=kind,
                unit_cost=Decimal(10),
                unit="hour",
                units=Decimal(2),
                per="week",
                client_type="service_user",
            )
            assert line.service_type in codes.SERVICE_TYPE
            assert line.service_component in codes.SERVICE_COMPONENT
