from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from selfdirect.people import nhs_number


def test_known_valid_and_invalid_numbers() -> None:
    # 943 476 5919 is the NHS's published example of a valid number.
    assert nhs_number.is_valid("9434765919")
    assert nhs_number.is_valid("943 476 5919")
    assert nhs_number.is_valid("943-476-5919")
    assert not nhs_number.is_valid("9434765918")  # wrong check digit
    assert not nhs_number.is_valid("943476591")  # nine digits
    assert not nhs_number.is_valid("94347659190")  # eleven digits
    assert not nhs_number.is_valid("94347659l9")  # a letter
    assert not nhs_number.is_valid("")


def test_remainder_ten_can_never_be_valid() -> None:
    # 943476591: weighted sum 299, 299 % 11 = 2, 11 - 2 = 9 -> 9434765919.
    assert nhs_number.check_digit("943476591") == 9
    # Find a prefix whose check digit would be 10 and confirm no tenth digit works.
    prefix = next(f"{n:09d}" for n in range(10**6) if nhs_number.check_digit(f"{n:09d}") is None)
    assert not any(nhs_number.is_valid(prefix + str(d)) for d in range(10))


@given(st.integers(min_value=0, max_value=999_999_999))
def test_exactly_one_check_digit_or_none(n: int) -> None:
    prefix = f"{n:09d}"
    valid = [d for d in range(10) if nhs_number.is_valid(prefix + str(d))]
    expected = nhs_number.check_digit(prefix)
    assert valid == ([] if expected is None else [expected])


@given(st.integers(min_value=0, max_value=999_999_999), st.integers(0, 9), st.integers(1, 9))
def test_any_single_digit_change_is_caught(n: int, position: int, delta: int) -> None:
    prefix = f"{n:09d}"
    digit = nhs_number.check_digit(prefix)
    if digit is None:
        return
    number = list(prefix + str(digit))
    number[position] = str((int(number[position]) + delta) % 10)
    assert not nhs_number.is_valid("".join(number))


def test_formatted() -> None:
    assert nhs_number.formatted("9434765919") == "943 476 5919"
