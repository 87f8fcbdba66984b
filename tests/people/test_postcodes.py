from __future__ import annotations

import pytest

from selfdirect.people.postcodes import normalise


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("sd1 4ab", "SD1 4AB"),
        ("SD14AB", "SD1 4AB"),
        (" sw1a 1aa ", "SW1A 1AA"),
        ("M1 1AE", "M1 1AE"),
    ],
)
def test_postcodes_are_normalised(typed: str, stored: str) -> None:
    assert normalise(typed) == stored


@pytest.mark.parametrize("typed", ["", "SD1", "1AB SD1", "SD1 4A", "not a postcode"])
def test_non_postcodes_are_refused(typed: str) -> None:
    assert normalise(typed) is None
