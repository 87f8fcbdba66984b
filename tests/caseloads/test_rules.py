"""The pure caseload rules: weighting and the order of next actions."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from selfdirect.caseloads import actions, weighting


def test_a_settled_person_weighs_one() -> None:
    assert weighting.person_weight([]) == 1


def test_weights_add_up_and_count_each_factor_once() -> None:
    applies = [weighting.URGENT_REQUEST, weighting.RECENT_CRISIS, weighting.URGENT_REQUEST]
    assert weighting.person_weight(applies) == 1 + 2 + 2


@given(st.sets(st.sampled_from([f.code for f in weighting.FACTORS])))
def test_adding_a_factor_never_lowers_the_weight(codes: set[str]) -> None:
    for factor in weighting.FACTORS:
        assert weighting.person_weight(codes | {factor.code}) >= weighting.person_weight(codes)


def test_bands() -> None:
    assert weighting.band(0, 0) == "No people"
    assert weighting.band(10, 10) == "Mostly settled"
    assert weighting.band(15, 10) == "Complex"
    assert weighting.band(20, 10) == "Very complex"


def test_actions_come_most_urgent_first() -> None:
    facts = {"review_due": True, "urgent_request": True, "handover_unread": True}
    assert [a.code for a in actions.next_actions(facts)] == [
        "handover_unread",
        "urgent_request",
        "review_due",
    ]
    assert actions.next_actions({}) == []


def test_every_action_has_its_own_rank() -> None:
    ranks = [a.rank for a in actions.ACTIONS]
    assert sorted(ranks) == ranks and len(set(ranks)) == len(ranks)
