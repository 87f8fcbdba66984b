"""Review dates: pure rules, with hypothesis properties (reviews/schedule.py)."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from selfdirect.reviews import schedule
from selfdirect.reviews.schedule import PastReview, add_months, next_planned_review

D = datetime.date
dates = st.dates(min_value=D(2020, 1, 1), max_value=D(2035, 12, 31))


def test_first_review_is_light_touch_6_to_8_weeks_after_support_starts() -> None:
    window = next_planned_review(support_started=D(2026, 11, 23))
    assert window == schedule.Window("first", D(2027, 1, 4), D(2027, 1, 18))


def test_after_a_planned_review_the_next_is_due_within_12_months() -> None:
    window = next_planned_review(
        support_started=D(2026, 1, 5), reviews=[PastReview(D(2026, 2, 20), planned=True)]
    )
    assert window.kind == "annual"
    assert window.due_by == D(2027, 2, 20)
    assert window.due_from == D(2027, 1, 23)


def test_an_unplanned_review_does_not_move_the_annual_review() -> None:
    reviews = [PastReview(D(2026, 2, 20), planned=True), PastReview(D(2026, 9, 1), planned=False)]
    window = next_planned_review(support_started=D(2026, 1, 5), reviews=reviews)
    assert window.due_by == D(2027, 2, 20)


def test_a_direct_payment_started_later_is_reviewed_within_6_months() -> None:
    # Reviewed in February; a direct payment starts in April: due by October, not February.
    window = next_planned_review(
        support_started=D(2026, 1, 5),
        reviews=[PastReview(D(2026, 2, 20), planned=True)],
        direct_payment_started=D(2026, 4, 1),
    )
    assert window.kind == "direct_payment"
    assert window.due_by == D(2026, 10, 1)


def test_reviews_before_the_current_arrangements_do_not_count() -> None:
    window = next_planned_review(
        support_started=D(2026, 6, 1), reviews=[PastReview(D(2026, 2, 20), planned=True)]
    )
    assert window.kind == "first"


def test_add_months_keeps_to_the_end_of_short_months() -> None:
    assert add_months(D(2026, 8, 31), 6) == D(2027, 2, 28)
    assert add_months(D(2027, 2, 28), 12) == D(2028, 2, 28)
    assert add_months(D(2024, 2, 29), 12) == D(2025, 2, 28)


@pytest.mark.parametrize(
    ("today", "expected"),
    [(D(2027, 1, 3), "upcoming"), (D(2027, 1, 4), "due"), (D(2027, 1, 18), "due"),
     (D(2027, 1, 19), "overdue")],
)  # fmt: skip
def test_status(today: datetime.date, expected: str) -> None:
    window = next_planned_review(support_started=D(2026, 11, 23))
    assert schedule.status(window, today) == expected


reviews_strategy = st.lists(st.builds(PastReview, on=dates, planned=st.booleans()), max_size=8)


@given(
    start=dates,
    reviews=reviews_strategy,
    dp=st.one_of(st.none(), dates),
)
def test_never_later_than_the_rules_allow(
    start: datetime.date, reviews: list[PastReview], dp: datetime.date | None
) -> None:
    window = next_planned_review(support_started=start, reviews=reviews, direct_payment_started=dp)
    assert window.due_from <= window.due_by
    planned = [r.on for r in reviews if r.planned and r.on >= start]
    if planned:
        assert window.due_by <= add_months(max(planned), 12)
    else:
        assert window.due_by <= start + datetime.timedelta(weeks=8)
    if dp is not None and not any(day >= dp for day in planned):
        assert window.due_by <= add_months(dp, 6)


@given(start=dates, reviews=reviews_strategy, extra=st.lists(dates, max_size=5))
def test_unplanned_reviews_never_change_the_next_planned_review(
    start: datetime.date, reviews: list[PastReview], extra: list[datetime.date]
) -> None:
    before = next_planned_review(support_started=start, reviews=reviews)
    unplanned = [PastReview(day, planned=False) for day in extra]
    after = next_planned_review(support_started=start, reviews=[*reviews, *unplanned])
    assert after == before


@given(achieved=st.lists(st.sampled_from(["fully_met", "partially_met", "not_met"]), min_size=1))
def test_overall_outcome_rolls_up(achieved: list[str]) -> None:
    overall = schedule.overall_outcomes_achieved(achieved)
    if set(achieved) == {"fully_met"}:
        assert overall == "fully_met"
    elif set(achieved) == {"not_met"}:
        assert overall == "not_met"
    else:
        assert overall == "partially_met"


def test_every_decision_has_a_cld_event_outcome(cld_spec: dict) -> None:
    allowed = next(f for f in cld_spec["fields"] if f["name"] == "Event_Outcome")["allowed"]
    for code, _ in schedule.DECISIONS:
        assert schedule.EVENT_OUTCOME[code] in allowed


def test_planned_reasons_start_with_planned_for_the_data_quality_rule() -> None:
    labels = dict(schedule.REVIEW_REASONS)
    assert labels[schedule.PLANNED_REASON].startswith("Planned")
    for code, _ in schedule.UNPLANNED_REASONS:
        assert labels[code].startswith("Unplanned")
