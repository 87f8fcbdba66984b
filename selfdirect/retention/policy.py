"""How long a person's record is kept, and when it is due for review or deletion. Pure, no Django.

The council keeps social care records for a period after the support ends or the person was
last in touch (the Records Management Code of Practice; see
../shared/reference/care-act.md, "Data protection": about 8 years for case records, about 2
for contact-only records, figures the council sets in RETENTION_CASE_YEARS and
RETENTION_CONTACT_ONLY_YEARS). After that the record is deleted, keeping only the
anonymised facts the statutory return still needs (retention/services.py).

- A *case record* is one where the council did more than take a request: there was an
  assessment, a plan, a service or a review. Every other record is *contact-only*: requests
  for support that went no further (or nothing at all yet).
- The period runs from the *last activity*: the latest date on the record, whichever came
  last of the end of support, the last request for support and every later event
  (assessment, review, plan, story, crisis). For a case record that is "the end of support or
  the last contact, whichever is later".
- While any support is open (a service with no end date) the record is never due: the
  clock starts only when support ends.
- Due on the anniversary: a record whose last activity was 10 March 2017 is due on
  10 March 2025 (8 years). From 29 February the anniversary in a year with no such day is
  1 March, the first day on which the full period has passed.
- *Due for review*: due within RETENTION_REVIEW_DAYS from today, so someone can check it
  (for example for a legal hold) before it falls due. *Due for deletion*: the due date has
  come.
"""

from __future__ import annotations

import calendar
import datetime
import enum
from dataclasses import dataclass


class Category(enum.StrEnum):
    CASE = "case"
    CONTACT_ONLY = "contact_only"

    @property
    def label(self) -> str:
        return {"case": "Case record", "contact_only": "Contact only"}[self.value]


class Status(enum.StrEnum):
    OPEN = "open"  # support is open: never due
    KEPT = "kept"  # not due yet, nor within the review window
    REVIEW = "review"  # due within the review window
    DELETION = "deletion"  # the due date has come

    @property
    def label(self) -> str:
        return {
            "open": "Support is open",
            "kept": "Not due",
            "review": "Due for review",
            "deletion": "Due for deletion",
        }[self.value]


@dataclass(frozen=True)
class Periods:
    """The council's retention periods (settings.RETENTION_*)."""

    case_years: int = 8
    contact_only_years: int = 2
    review_days: int = 90

    def __post_init__(self) -> None:
        if self.case_years < 1 or self.contact_only_years < 1 or self.review_days < 0:
            raise ValueError("Retention periods must be at least a year; review days not < 0")

    def years_for(self, category: Category) -> int:
        return self.case_years if category is Category.CASE else self.contact_only_years


@dataclass(frozen=True)
class RecordFacts:
    """What decides when one person's record falls due, as plain values."""

    category: Category
    last_activity: datetime.date
    support_open: bool = False


def add_years(day: datetime.date, years: int) -> datetime.date:
    """The same day YEARS later; 29 February becomes 1 March in a year without it."""
    year = day.year + years
    if day.month == 2 and day.day == 29 and not calendar.isleap(year):
        return datetime.date(year, 3, 1)
    return day.replace(year=year)


def latest_last_activity(due_by: datetime.date, years: int) -> datetime.date:
    """The latest last activity whose record is due on or before DUE_BY after YEARS.

    add_years never falls as its day rises, so a record is due by DUE_BY exactly when its
    last activity is on or before this date: the selectors filter on it in SQL instead of
    working out each record's due date.
    """
    year = due_by.year - years
    day = min(due_by.day, calendar.monthrange(year, due_by.month)[1])
    candidate = datetime.date(year, due_by.month, day)
    one_day = datetime.timedelta(days=1)
    # At most a step or two either way around 29 February.
    while add_years(candidate + one_day, years) <= due_by:
        candidate += one_day
    while add_years(candidate, years) > due_by:
        candidate -= one_day
    return candidate


def due_date(facts: RecordFacts, periods: Periods) -> datetime.date | None:
    """The day the record may be deleted, or None while support is open."""
    if facts.support_open:
        return None
    return add_years(facts.last_activity, periods.years_for(facts.category))


def status(facts: RecordFacts, periods: Periods, today: datetime.date) -> Status:
    due = due_date(facts, periods)
    if due is None:
        return Status.OPEN
    if due <= today:
        return Status.DELETION
    if due <= today + datetime.timedelta(days=periods.review_days):
        return Status.REVIEW
    return Status.KEPT


@dataclass(frozen=True)
class Cutoffs:
    """For each category, the latest last activity that is due for deletion today, and the
    latest that is due within the review window (see latest_last_activity)."""

    deletion: dict[Category, datetime.date]
    review: dict[Category, datetime.date]


def cutoffs(periods: Periods, today: datetime.date) -> Cutoffs:
    horizon = today + datetime.timedelta(days=periods.review_days)
    return Cutoffs(
        deletion={c: latest_last_activity(today, periods.years_for(c)) for c in Category},
        review={c: latest_last_activity(horizon, periods.years_for(c)) for c in Category},
    )
