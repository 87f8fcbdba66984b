"""NHS numbers: ten digits, the last a modulus-11 check digit.

Pure functions, no Django. The algorithm is NHS England's: weight the first nine
digits 10 down to 2, sum, take 11 minus the remainder mod 11; 11 means 0, and 10
means the number can never be valid.
"""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[\s-]+")


def normalise(value: str) -> str:
    """Drop the spaces and dashes people type between the groups of digits."""
    return _SEPARATORS.sub("", value or "")


def check_digit(first_nine: str) -> int | None:
    """The check digit for nine digits, or None when no check digit can make them valid."""
    if len(first_nine) != 9 or not first_nine.isdigit():
        raise ValueError("An NHS number check digit needs exactly nine digits")
    total = sum(
        int(digit) * weight for digit, weight in zip(first_nine, range(10, 1, -1), strict=True)
    )
    result = 11 - (total % 11)
    if result == 11:
        return 0
    if result == 10:
        return None
    return result


def is_valid(value: str) -> bool:
    """True when VALUE (spaces allowed) is ten digits with a correct check digit."""
    digits = normalise(value)
    if len(digits) != 10 or not digits.isascii() or not digits.isdigit():
        return False
    return check_digit(digits[:9]) == int(digits[9])


def formatted(value: str) -> str:
    """Show an NHS number the way the NHS prints it: 3-3-4 digits."""
    digits = normalise(value)
    if len(digits) != 10:
        return value
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}"
