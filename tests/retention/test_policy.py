"""The retention rules, with answers worked out by hand."""

from __future__ import annotations

import datetime

import pytest

from selfdirect.retention import policy
from selfdirect.retention.policy import Category, Periods, RecordFacts, Status

D = datetime.date
PERIODS = Periods(case_years=8, contact_only_years=2, review_days=90)


@pytest.mark.parametrize(
    ("day", "years", "expected"),
    [
        (D(2017, 3, 10), 8, D(2025, 3, 10)),
        (D(2016, 2, 29), 8, D(2024, 2, 29)),  # leap year to leap year
        (D(2020, 2, 29), 2, D(2022, 3, 1)),  # no 29 February: the full period ends on 1 March
        (D(2019, 2, 28), 1, D(2020, 2, 28)),
        (D(2018, 12, 31), 2, D(2020, 12, 31)),
    ],
)
def test_add_years(day: datetime.date, years: int, expected: datetime.date) -> None:
    assert policy.add_years(day, years) == expected


@pytest.mark.parametrize(
    ("facts", "due"),
    [
        (RecordFacts(Category.CASE, D(2017, 3, 10)), D(2025, 3, 10)),
        (RecordFacts(Category.CONTACT_ONLY, D(2017, 3, 10)), D(2019, 3, 10)),
        (RecordFacts(Category.CONTACT_ONLY, D(2024, 2, 29)), D(2026, 3, 1)),
        (RecordFacts(Category.CASE, D(2010, 1, 1), support_open=True), None),
    ],
)
def test_due_date(facts: RecordFacts, due: datetime.date | None) -> None:
    assert policy.due_date(facts, PERIODS) == due


@pytest.mark.parametrize(
    ("last", "today", "expected"),
    [
        (D(2017, 3, 10), D(2025, 3, 9), Status.REVIEW),  # due tomorrow
        (D(2017, 3, 10), D(2025, 3, 10), Status.DELETION),  # due today
        (D(2017, 3, 10), D(2030, 1, 1), Status.DELETION),
        (D(2017, 3, 10), D(2024, 12, 10), Status.REVIEW),  # exactly 90 days ahead
        (D(2017, 3, 10), D(2024, 12, 9), Status.KEPT),  # 91 days ahead
        (D(2024, 1, 1), D(2025, 3, 10), Status.KEPT),
    ],
)
def test_status_of_a_case_record(
    last: datetime.date, today: datetime.date, expected: Status
) -> None:
    assert policy.status(RecordFacts(Category.CASE, last), PERIODS, today) is expected


def test_open_support_is_never_due() -> None:
    facts = RecordFacts(Category.CASE, D(1990, 1, 1), support_open=True)
    assert policy.status(facts, PERIODS, D(2100, 1, 1)) is Status.OPEN


def test_periods_come_from_the_settings_shape() -> None:
    longer = Periods(case_years=10, contact_only_years=3, review_days=0)
    facts = RecordFacts(Category.CASE, D(2017, 3, 10))
    assert policy.due_date(facts, longer) == D(2027, 3, 10)
    assert policy.status(facts, longer, D(2027, 3, 9)) is Status.KEPT  # no review window
    with pytest.raises(ValueError):
        Periods(case_years=0)


def test_latest_last_activity_agrees_with_add_years_day_by_day() -> None:
    """The SQL filter's cutoff is right on every day of eight years, leap days included."""
    for years in (1, 2, 8):
        day = D(2019, 1, 1)
        while day < D(2027, 1, 1):
            cutoff = policy.latest_last_activity(day, years)
            assert policy.add_years(cutoff, years) <= day
            assert policy.add_years(cutoff + datetime.timedelta(days=1), years) > day
            day += datetime.timedelta(days=1)


def test_cutoffs_known_answers() -> None:
    cut = policy.cutoffs(PERIODS, D(2025, 3, 10))
    assert cut.deletion == {Category.CASE: D(2017, 3, 10), Category.CONTACT_ONLY: D(2023, 3, 10)}
    # 90 days after 10 March 2025 is 8 June 2025.
    assert cut.review == {Category.CASE: D(2017, 6, 8), Category.CONTACT_ONLY: D(2023, 6, 8)}
    # A contact-only record last active on 29 February 2024 is not due on 28 February 2026;
    # on 1 March 2026 it is, with those last active on 1 March 2024.
    assert policy.cutoffs(PERIODS, D(2026, 2, 28)).deletion[Category.CONTACT_ONLY] == D(2024, 2, 28)
    assert policy.cutoffs(PERIODS, D(2026, 3, 1)).deletion[Category.CONTACT_ONLY] == D(2024, 3, 1)
