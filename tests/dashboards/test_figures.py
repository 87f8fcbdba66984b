"""The arithmetic behind the figures (dashboards/figures.py and tables.py), on hand-built
numbers with known answers."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from selfdirect.dashboards import figures, tables
from selfdirect.dashboards.figures import Spell

UTC = datetime.UTC


def dt(day: str, hour: int = 0) -> datetime.datetime:
    return datetime.datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)


YEAR_START, YEAR_END = dt("2025-11-24"), dt("2026-11-24")


# --- Changes of named worker -----------------------------------------------------------------


def test_two_changes_of_worker_in_a_year_are_two_changes() -> None:
    spells = [
        Spell(1, dt("2024-01-01"), dt("2026-01-10")),
        Spell(2, dt("2026-01-10"), dt("2026-06-01")),
        Spell(3, dt("2026-06-01")),
    ]
    assert figures.count_changes(spells, YEAR_START, YEAR_END) == 2
    # One person with 2 changes over a whole year: 2 per person per 12 months.
    assert figures.changes_per_person_per_year(2, 1, 365) == pytest.approx(2.0)


def test_what_is_not_a_change() -> None:
    first_ever = [Spell(1, dt("2026-03-01"))]
    assert figures.count_changes(first_ever, YEAR_START, YEAR_END) == 0
    # Waiting in the queue, then the same worker back: no change.
    same_back = [
        Spell(1, dt("2025-01-01"), dt("2026-02-01")),
        Spell(None, dt("2026-02-01"), dt("2026-03-01")),
        Spell(1, dt("2026-03-01")),
    ]
    assert figures.count_changes(same_back, YEAR_START, YEAR_END) == 0
    # Someone new after a wait is one change; a change before the period is not counted.
    new_after_wait = [
        Spell(1, dt("2024-01-01"), dt("2025-06-01")),
        Spell(2, dt("2025-06-01"), dt("2026-02-01")),
        Spell(None, dt("2026-02-01"), dt("2026-03-01")),
        Spell(3, dt("2026-03-01")),
    ]
    assert figures.count_changes(new_after_wait, YEAR_START, YEAR_END) == 1


def test_changes_are_scaled_to_12_months() -> None:
    # 3 changes among 4 people in 91 days: 3 / 4 x 365 / 91.
    assert figures.changes_per_person_per_year(3, 4, 91) == pytest.approx(3 / 4 * 365 / 91)
    assert figures.changes_per_person_per_year(3, 0, 91) is None


# --- Days without a named worker --------------------------------------------------------------


def test_days_without_a_worker_are_clipped_to_the_period() -> None:
    start, end, now = dt("2026-01-01"), dt("2026-02-01"), dt("2026-03-01")
    # Began 10 days before the period and ended 5 days into it: 5 days count.
    assert figures.days_without_worker(
        [(dt("2025-12-22"), dt("2026-01-06"))], start, end, now
    ) == pytest.approx(5)
    # Entirely before the period: nothing.
    assert figures.days_without_worker([(dt("2025-01-01"), dt("2025-02-01"))], start, end, now) == 0
    # Still waiting: counted to the end of the period, or to now if that is sooner.
    assert figures.days_without_worker([(dt("2026-01-29"), None)], start, end, now) == 3
    assert figures.days_without_worker(
        [(dt("2026-01-29"), None)], start, end, dt("2026-01-30", 12)
    ) == pytest.approx(1.5)
    # Two spells add up.
    two = [(dt("2026-01-01"), dt("2026-01-03")), (dt("2026-01-10"), dt("2026-01-11"))]
    assert figures.days_without_worker(two, start, end, now) == 3


# --- Waits ------------------------------------------------------------------------------------


def test_median_and_90th_percentile_of_known_waits() -> None:
    waits = [2, 4, 6, 8, 10]
    assert figures.median(waits) == 6
    # numpy 'linear': position 0.9 x (5 - 1) = 3.6 along the sorted waits: 8 + 0.6 x 2.
    assert figures.percentile_90(waits) == pytest.approx(9.2)
    ten = list(range(1, 11))
    assert figures.median(ten) == 5.5
    assert figures.percentile_90(ten) == pytest.approx(9.1)
    assert figures.median([]) is None and figures.percentile_90([]) is None
    assert figures.wait_days(datetime.date(2026, 1, 1), datetime.date(2026, 1, 31)) == 30


def test_a_small_group_has_no_median() -> None:
    small = figures.spread([3, 5, 7, 9])
    assert small.suppressed and small.median is None and small.p90 is None
    assert figures.spread([3, 5, 7, 9, 11]) == figures.Spread(5, 7.0, pytest.approx(10.2))
    assert figures.spread([]) == figures.Spread(0, None, None)


# --- Suppression, shares and rates ------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "shown"), [(0, "0"), (1, "fewer than 5"), (4, "fewer than 5"), (5, "5")]
)
def test_counts_of_1_to_4_are_suppressed(count: int, shown: str) -> None:
    assert tables.format_value(tables.count(count), "count") == shown
    assert tables.format_value(tables.count(count), "count", plain=True) == shown


def test_a_figure_from_a_suppressed_count_is_not_shown() -> None:
    assert tables.derived(0.5, 10, 3) == figures.NOT_SHOWN
    assert tables.derived(0.5, 10, 0) == 0.5
    assert figures.share(3, 10) is None  # 3 would be given away
    assert figures.share(5, 20) == 25
    assert figures.share(0, 0) is None
    assert figures.per_100(6, 200) == 3
    assert figures.per_100(2, 200) is None
    assert figures.per_100(0, 200) == 0
    assert figures.disclosive(0, 5, 12) is False and figures.disclosive(7, 1) is True


# --- Age bands, groups, budgets ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("age", "band"),
    [
        (17, "Under 18"),
        (18, "18 to 24"),
        (24, "18 to 24"),
        (25, "25 to 64"),
        (64, "25 to 64"),
        (65, "65 to 74"),
        (74, "65 to 74"),
        (75, "75 to 84"),
        (84, "75 to 84"),
        (85, "85 and over"),
        (103, "85 and over"),
    ],
)
def test_age_bands(age: int, band: str) -> None:
    assert figures.age_band(age) == band


def test_age_on_a_day() -> None:
    born = datetime.date(1960, 6, 15)
    assert figures.age_on(born, datetime.date(2025, 6, 14)) == 64
    assert figures.age_on(born, datetime.date(2025, 6, 15)) == 65


def test_group_statistics_are_suppressed_under_5() -> None:
    assert figures.group_stats([Decimal("100")] * 4) == figures.GroupStats(4, None, None)
    values = [Decimal(v) for v in ("100", "200", "300", "400", "1000")]
    assert figures.group_stats(values) == figures.GroupStats(5, 300.0, 400.0)


def test_budget_position_to_the_nearest_pound() -> None:
    assert figures.budget_position(Decimal("5200"), Decimal("5000")) == "under"
    assert figures.budget_position(Decimal("5200"), Decimal("5200.40")) == "at"
    assert figures.budget_position(Decimal("5200"), Decimal("5201")) == "over"


# --- Periods ----------------------------------------------------------------------------------


def test_periods() -> None:
    today = datetime.date(2026, 11, 23)
    by_key = {p.key: p for p in figures.periods(today)}
    assert list(by_key) == ["12m", "3m", "fy2026", "fy2025", "fy2024"]
    assert by_key["12m"].start == datetime.date(2025, 11, 24) and by_key["12m"].days == 365
    assert by_key["3m"].start == datetime.date(2026, 8, 24)
    assert by_key["fy2026"].label == "2026/27 (so far)"
    assert (by_key["fy2026"].start, by_key["fy2026"].end) == (datetime.date(2026, 4, 1), today)
    assert by_key["fy2025"].label == "2025/26"
    assert by_key["fy2025"].end == datetime.date(2026, 3, 31)
    # In January, the current financial year began the April before.
    assert figures.periods(datetime.date(2027, 1, 5))[2].label == "2026/27 (so far)"


def test_months_before_keeps_to_the_month() -> None:
    assert figures.months_before(datetime.date(2026, 5, 31), 3) == datetime.date(2026, 2, 28)
    assert figures.months_before(datetime.date(2024, 5, 31), 3) == datetime.date(2024, 2, 29)
    assert figures.months_before(datetime.date(2026, 1, 15), 12) == datetime.date(2025, 1, 15)


# --- Tables -----------------------------------------------------------------------------------


def test_a_table_for_the_page_and_for_the_csv() -> None:
    table = tables.Table(
        caption="Test",
        columns=tables.columns(
            "Team", ("People", "count"), ("Rate", "rate"), ("Share", "percent"), ("£", "money")
        ),
        rows=tables.rows(
            [
                ["A", 1234, 0.126, 50.0, Decimal("1234.5")],
                ["B", tables.count(2), tables.derived(0.3, 2), None, None],
            ]
        ),
    )
    assert [c["text"] for c in table.html_rows()[0]] == ["A", "1,234", "0.13", "50%", "£1,234.50"]
    assert [c["text"] for c in table.html_rows()[1]] == [
        "B",
        "fewer than 5",
        "not shown",
        "no data",
        "no data",
    ]
    assert table.csv_rows() == [
        ["Team", "People", "Rate", "Share", "£"],
        ["A", "1234", "0.13", "50", "1234.50"],
        ["B", "fewer than 5", "not shown", "", ""],
    ]
