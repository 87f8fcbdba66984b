"""What each person on a worker's caseload needs next, most urgent first. Pure, no Django.

The selector works out which of these facts hold for each person (in one query); this
module decides their order and wording, so the rule lives in one place.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Action:
    code: str
    label: str
    # Lower is more urgent.
    rank: int
    # The GOV.UK tag colour class suffix used to show it.
    colour: str


ACTIONS: tuple[Action, ...] = (
    Action("handover_unread", "Read the handover note", 0, "purple"),
    Action("urgent_request", "Urgent request: assess today", 1, "red"),
    Action("review_overdue", "Review overdue", 2, "red"),
    Action("plan_to_sign_off", "Plan to sign off", 3, "orange"),
    Action("assessment_open", "Assessment to finish", 4, "yellow"),
    Action("request_waiting", "Request to assess", 5, "yellow"),
    Action("review_due", "Review due", 6, "blue"),
    Action("plan_to_start", "Budget issued: help start a plan", 7, "light-blue"),
)
NOTHING_RANK = len(ACTIONS)


def next_actions(facts: Mapping[str, bool]) -> list[Action]:
    """The actions whose fact is true, most urgent first."""
    return sorted((action for action in ACTIONS if facts.get(action.code)), key=lambda a: a.rank)
