"""When a review is due. Pure, no Django.

The rules (../shared/reference/care-act.md):

- a light-touch review 6 to 8 weeks after support starts (expected practice);
- then at least every 12 months from the last planned review;
- a direct payment is reviewed within its first 6 months, then at intervals of no more than
  12 months (Direct Payments Regulations 2014, reg. 7);
- an unplanned review whenever the person asks or something changes. An unplanned review is
  extra: it never moves the next planned review later (nor earlier), so the annual review is
  never more than 12 months after the last planned one.

"Support starts" means the current arrangements: when a revised plan is signed off, its support
starts again and gets its own light-touch review.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable
from dataclasses import dataclass

FIRST_EARLIEST = datetime.timedelta(weeks=6)
FIRST_LATEST = datetime.timedelta(weeks=8)
ANNUAL_MONTHS = 12
DIRECT_PAYMENT_MONTHS = 6
# A planned review can be held up to this long before it is due by.
EARLY_WINDOW = datetime.timedelta(weeks=4)

FIRST = "first"
ANNUAL = "annual"
DIRECT_PAYMENT = "direct_payment"
UNPLANNED = "unplanned"

KINDS = (
    (FIRST, "Light-touch review after support started"),
    (ANNUAL, "Annual review"),
    (DIRECT_PAYMENT, "Direct payment review (within 6 months)"),
    (UNPLANNED, "Unplanned review"),
)

# CLD Review_Reason. The Release 2 list is not published in our reference (cld-r2-spec.json:
# "allowed": null); DHSC groups R2 values that begin "Planned" or "Unplanned", which is what
# the data-quality rule for Review_Outcomes_Achieved keys on. These are the reasons the
# issue names, spelt in that style.
PLANNED_REASON = "planned"
UNPLANNED_REASONS = (
    ("hospital", "Unplanned: Hospital"),
    ("carer_related", "Unplanned: Carer related"),
    ("safeguarding", "Unplanned: Safeguarding concern"),
    ("provider_failure", "Unplanned: Provider failure"),
    ("commissioning_change", "Unplanned: Change in commissioning arrangements"),
    ("other", "Unplanned: Other"),
)
REVIEW_REASONS = (
    (PLANNED_REASON, "Planned: Cyclical"),
    *UNPLANNED_REASONS,
)
# Plain English for the person and the worker, beside the CLD wording above.
UNPLANNED_REASON_WORDS = (
    ("hospital", "A stay in hospital"),
    ("carer_related", "Something changed for a carer"),
    ("safeguarding", "A safeguarding concern"),
    ("provider_failure", "A provider or personal assistant stopped or let them down"),
    ("commissioning_change", "The council changed how the support is arranged"),
    ("other", "Something else changed, or the person asked"),
)


@dataclass(frozen=True)
class PastReview:
    on: datetime.date
    planned: bool


@dataclass(frozen=True)
class Window:
    kind: str
    due_from: datetime.date
    due_by: datetime.date


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day MONTHS later; the last day of the month when it has no such day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_planned_review(
    *,
    support_started: datetime.date,
    reviews: Iterable[PastReview] = (),
    direct_payment_started: datetime.date | None = None,
) -> Window:
    """The window for the next planned review of the current arrangements.

    REVIEWS are the completed reviews of this person (planned or not); only planned reviews
    held since support started move the clock.
    """
    planned = [r.on for r in reviews if r.planned and r.on >= support_started]
    if not planned:
        window = Window(FIRST, support_started + FIRST_EARLIEST, support_started + FIRST_LATEST)
    else:
        last = max(planned)
        due_by = add_months(last, ANNUAL_MONTHS)
        window = Window(ANNUAL, due_by - EARLY_WINDOW, due_by)
    if direct_payment_started is not None and not any(
        day >= direct_payment_started for day in planned
    ):
        dp_by = add_months(direct_payment_started, DIRECT_PAYMENT_MONTHS)
        if dp_by < window.due_by:
            window = Window(DIRECT_PAYMENT, min(window.due_from, dp_by - EARLY_WINDOW), dp_by)
    return window


DUE_SOON = "upcoming"
DUE = "due"
OVERDUE = "overdue"


def status(window: Window, today: datetime.date) -> str:
    """Not yet due, due now (inside its window), or overdue (past its due-by date)."""
    if today > window.due_by:
        return OVERDUE
    if today >= window.due_from:
        return DUE
    return DUE_SOON


# CLD Review_Outcomes_Achieved: one value per review row. The Release 2 list is not in our
# reference; these are the words. The per-outcome answers roll up to one value.
FULLY_MET = "fully_met"
PARTIALLY_MET = "partially_met"
NOT_MET = "not_met"
OUTCOMES_ACHIEVED = (
    (FULLY_MET, "Fully met"),
    (PARTIALLY_MET, "Partially met"),
    (NOT_MET, "Not met"),
)
# The person's own answer, in their words.
PERSON_RATINGS = (
    (FULLY_MET, "Fully: this is happening"),
    (PARTIALLY_MET, "Partly: some of it is happening"),
    (NOT_MET, "Not at all: this is not happening"),
)


def overall_outcomes_achieved(achieved: Iterable[str]) -> str:
    """All outcomes fully met: fully met; none met at all: not met; otherwise partially met."""
    values = list(achieved)
    if not values:
        raise ValueError("A review records at least one outcome")
    if all(v == FULLY_MET for v in values):
        return FULLY_MET
    if all(v == NOT_MET for v in values):
        return NOT_MET
    return PARTIALLY_MET


# What the review decides, and the CLD Event_Outcome each one is returned as. A review never
# changes the budget: changed needs go back to assessment.
CARRY_ON = "carry_on"
CHANGE_PLAN = "change_plan"
REASSESS = "reassess"
END_AS_PLANNED = "end_as_planned"
END_OTHER = "end_other"
DECISIONS = (
    (CARRY_ON, "Carry on: the plan is working"),
    (CHANGE_PLAN, "Change the plan within the budget"),
    (REASSESS, "Reassess: their needs have changed"),
    (END_AS_PLANNED, "End support: it has done what it was for"),
    (END_OTHER, "End support for another reason"),
)
EVENT_OUTCOME = {
    CARRY_ON: "Continuation of support or services",
    CHANGE_PLAN: "Progress to support planning or services",
    REASSESS: "Progress to assessment, review or reassessment",
    END_AS_PLANNED: "NFA: Support ended as planned",
    END_OTHER: "NFA: Support ended for other reason",
}

# CLD Method_of_Review. The Release 2 list is not in our reference either.
METHODS = (
    ("face_to_face", "Face to face"),
    ("remote", "Telephone or video call"),
    ("supported_self_review", "Supported self-review"),
)
