"""The arithmetic behind the figures managers and commissioners see. Pure, no Django.

Every definition shown on the figures pages is worked out here, so it can be read and tested
on hand-built numbers. Small numbers are suppressed as the learning page does
(reviews/learning.py): a count of 1 to 4 is shown as "fewer than 5", and a figure worked out
from such a count (a rate, a share, a median) is not shown at all, because it would give the
count away.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Final

import numpy as np

from selfdirect.reviews.learning import SUPPRESSED, THRESHOLD, shown

__all__ = ["SUPPRESSED", "THRESHOLD", "shown"]

# Shown in place of a figure worked out from a suppressed count.
NOT_SHOWN = "not shown"
# The 90th percentile by numpy's default "linear" method (Hyndman and Fan type 7, as in R and
# Excel's PERCENTILE.INC): the value 90% of the way along the sorted waits, interpolating
# between the two nearest when it falls between them.
PERCENTILE_METHOD: Final = "linear"
DAYS_IN_YEAR = 365
SECONDS_IN_DAY = 86400


# --- Periods -------------------------------------------------------------------------------

_ONE_DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Period:
    """A span of whole days, both ends included."""

    key: str
    label: str
    start: datetime.date
    end: datetime.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day of the month MONTHS earlier (the last day, if that month is shorter)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - every month has at least 28 days


def financial_year_of(day: datetime.date) -> int:
    """The year a financial year starts in (1 April): 2025 for any day of 2025/26."""
    return day.year if day.month >= 4 else day.year - 1


def financial_year_label(start_year: int) -> str:
    return f"{start_year}/{str(start_year + 1)[2:]}"


def periods(today: datetime.date, financial_years: int = 3) -> list[Period]:
    """The periods a figure can cover: the last 12 months (the default), the last 3 months,
    and the current and previous financial years (the current one up to TODAY)."""
    out = [
        Period("12m", "The last 12 months", months_before(today, 12) + _ONE_DAY, today),
        Period("3m", "The last 3 months", months_before(today, 3) + _ONE_DAY, today),
    ]
    current = financial_year_of(today)
    for year in range(current, current - financial_years, -1):
        end = min(datetime.date(year + 1, 3, 31), today)
        label = financial_year_label(year) + (" (so far)" if end == today else "")
        out.append(Period(f"fy{year}", label, datetime.date(year, 4, 1), end))
    return out


# --- Waits ---------------------------------------------------------------------------------


def median(values: Sequence[float]) -> float | None:
    return float(np.median(np.asarray(values, dtype=float))) if len(values) else None


def percentile_90(values: Sequence[float]) -> float | None:
    if not len(values):
        return None
    return float(np.percentile(np.asarray(values, dtype=float), 90, method=PERCENTILE_METHOD))


@dataclass(frozen=True)
class Spread:
    """How long a group waited: how many, the median and the 90th percentile in days."""

    count: int
    median: float | None
    p90: float | None

    @property
    def suppressed(self) -> bool:
        return shown(self.count) is None


def spread(waits: Sequence[float]) -> Spread:
    """The median and 90th percentile of WAITS; both None when the group is suppressed."""
    count = len(waits)
    if shown(count) is None:
        return Spread(count, None, None)
    return Spread(count, median(waits), percentile_90(waits))


def wait_days(start: datetime.date, end: datetime.date) -> int:
    """Whole days from START to END: received on Monday, done on Tuesday is 1 day."""
    return (end - start).days


# --- Continuity ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Spell:
    """One spell of a person's named-worker history; worker None is time in the team's
    unallocated queue; end None is the current spell."""

    worker: int | None
    start: datetime.datetime
    end: datetime.datetime | None = None


def count_changes(spells: Iterable[Spell], start: datetime.datetime, end: datetime.datetime) -> int:
    """Changes of named worker in [START, END) for one person.

    A change is a spell with a named worker that starts in the period when the person's most
    recent earlier named worker was someone else. The first named worker a person ever has is
    not a change; nor is time in the unallocated queue, nor getting the same worker back after
    it. (dashboards/selectors.py counts the same thing in one query.)
    """
    changes = 0
    previous: int | None = None
    for spell in sorted(spells, key=lambda s: s.start):
        if spell.worker is None:
            continue
        if previous is not None and spell.worker != previous and start <= spell.start < end:
            changes += 1
        previous = spell.worker
    return changes


def changes_per_person_per_year(changes: int, people: int, period_days: int) -> float | None:
    """Changes of named worker per person per 12 months: CHANGES in the period divided by the
    PEOPLE with a record open at any time in it, scaled to a year (x 365 / days in the
    period), so a 3-month figure compares with a 12-month one. None when there is nobody."""
    if people <= 0 or period_days <= 0:
        return None
    return changes / people * DAYS_IN_YEAR / period_days


def days_without_worker(
    spells: Iterable[tuple[datetime.datetime, datetime.datetime | None]],
    start: datetime.datetime,
    end: datetime.datetime,
    now: datetime.datetime,
) -> float:
    """Days in [START, END) covered by SPELLS without a named worker, each (began, ended or
    None while still waiting). A spell still open counts up to NOW; time outside the period
    does not count."""
    stop = min(end, now)
    seconds = 0.0
    for began, ended in spells:
        lo = max(began, start)
        hi = min(ended or stop, stop)
        if hi > lo:
            seconds += (hi - lo).total_seconds()
    return seconds / SECONDS_IN_DAY


# --- Shares and rates ----------------------------------------------------------------------


def disclosive(*counts: int) -> bool:
    """Whether any of COUNTS is 1 to 4: a figure worked out from it would give it away."""
    return any(shown(count) is None for count in counts)


def share(part: int, whole: int) -> float | None:
    """PART as a percentage of WHOLE (for example, reviews done by the named worker out of
    completed reviews where we know who did them); None when WHOLE is 0 or either is
    suppressed."""
    if whole <= 0 or disclosive(part, whole):
        return None
    return part / whole * 100


def per_100(events: int, people: int) -> float | None:
    """EVENTS per 100 PEOPLE; None when there is nobody, or either count is suppressed."""
    if people <= 0 or disclosive(events, people):
        return None
    return events / people * 100


# --- Equality: age bands and group statistics ----------------------------------------------

# Bands as adult social care statistics use them (NHS England's ASCFR and SALT publications
# use 18-64 and 65+; the 65+ split shows the oldest, who draw on most support). Anyone
# younger than 18 (a transition from children's services) is shown in their own band.
AGE_BANDS: tuple[tuple[int, int | None, str], ...] = (
    (0, 17, "Under 18"),
    (18, 24, "18 to 24"),
    (25, 64, "25 to 64"),
    (65, 74, "65 to 74"),
    (75, 84, "75 to 84"),
    (85, None, "85 and over"),
)


def age_on(born: datetime.date, day: datetime.date) -> int:
    """Age in whole years on DAY."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def age_band(age: int) -> str:
    for low, high, label in AGE_BANDS:
        if age >= low and (high is None or age <= high):
            return label
    return AGE_BANDS[0][2]


@dataclass(frozen=True)
class GroupStats:
    """A group's people, median and mean weekly amount; both None when suppressed or empty."""

    people: int
    median: float | None
    mean: float | None

    @property
    def suppressed(self) -> bool:
        return shown(self.people) is None


def group_stats(values: Sequence[float | Decimal]) -> GroupStats:
    people = len(values)
    if people == 0 or shown(people) is None:
        return GroupStats(people, None, None)
    array = np.asarray([float(v) for v in values], dtype=float)
    return GroupStats(people, float(np.median(array)), float(np.mean(array)))


def budget_position(budget: Decimal, planned: Decimal) -> str:
    """ "under", "at" or "over": a plan's planned annual cost against its budget, where equal
    to the nearest pound counts as at budget."""
    pounds = Decimal(1)
    difference = planned.quantize(pounds, ROUND_HALF_UP) - budget.quantize(pounds, ROUND_HALF_UP)
    if difference < 0:
        return "under"
    return "at" if difference == 0 else "over"
