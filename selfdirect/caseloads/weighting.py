"""How heavy a caseload is: the published weighting a team manager allocates by. Pure, no Django.

A count of people says little: someone in crisis with an urgent request and nobody able
to decide for them is more work than someone whose support has been settled for years.
Each person counts 1, plus the points of every factor that applies to them now. The
factors are facts the system already holds, so the weighting is never a separate form
to fill in, and the same definitions are printed on the manager's page.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

BASE_POINTS = 1


@dataclass(frozen=True)
class Factor:
    code: str
    label: str
    points: int
    definition: str


URGENT_REQUEST = "urgent_request"
RECENT_CRISIS = "recent_crisis"
NEEDS_ADVOCACY = "needs_advocacy"
ASSESSING = "assessing"
PLAN_WAITING = "plan_waiting"
REVIEW_OVERDUE = "review_overdue"

FACTORS: tuple[Factor, ...] = (
    Factor(
        URGENT_REQUEST,
        "Urgent request not yet assessed",
        2,
        "An urgent request for support with no completed assessment since.",
    ),
    Factor(
        RECENT_CRISIS,
        "Crisis in the last 12 months",
        2,
        "An unplanned hospital admission, an admission to an inpatient or assessment and "
        "treatment unit, or an emergency placement in the last 12 months.",
    ),
    Factor(
        NEEDS_ADVOCACY,
        "Lacks capacity to plan, or needs an advocate",
        1,
        "Their latest capacity decision found they lack capacity to plan and manage their "
        "support, or said an independent advocate is required.",
    ),
    Factor(
        ASSESSING, "Assessment in progress", 1, "An assessment has been started, not completed."
    ),
    Factor(
        PLAN_WAITING,
        "Plan waiting for sign-off",
        1,
        "A plan has been sent for sign-off and not yet decided.",
    ),
    Factor(
        REVIEW_OVERDUE,
        "Review overdue",
        1,
        "A review window has passed its due-by date with no review held.",
    ),
)
POINTS = {factor.code: factor.points for factor in FACTORS}


def person_weight(applies: Iterable[str]) -> int:
    """The weight of one person: 1, plus the points of each factor (by code) that applies."""
    return BASE_POINTS + sum(POINTS[code] for code in set(applies))


def band(weighted: int, people: int) -> str:
    """A plain-English reading of how complex a caseload is on average."""
    if people == 0:
        return "No people"
    average = weighted / people
    if average >= 2:
        return "Very complex"
    if average >= 1.5:
        return "Complex"
    return "Mostly settled"
