"""UK postcodes: shape check and the standard way of writing them. Pure, no Django."""

from __future__ import annotations

import re

# Outward code (area, district) then inward code (sector, unit); the space is optional on input.
_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})$")


def normalise(value: str) -> str | None:
    """Upper case with one space before the inward code, or None if it is not a postcode."""
    match = _POSTCODE.match(re.sub(r"\s+", " ", (value or "").strip().upper()))
    if not match:
        return None
    return f"{match.group(1)} {match.group(2)}"
