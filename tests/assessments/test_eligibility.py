"""Eligibility follows the Care and Support (Eligibility Criteria) Regulations 2015.

Hand-written cases for each branch of reg. 2 (adults) and reg. 3 (carers), then properties
checking the decision against an independent restatement of the regulations. The
strategies here (``judgement_sets``, ``facts``) are reused by the budget tests.
"""

from __future__ import annotations

import dataclasses
import functools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from selfdirect.assessments.eligibility import (
    AssessmentFacts,
    EligibilityDecision,
    Judgement,
    decide_eligibility,
    validate_facts,
    validate_judgements,
)
from selfdirect.assessments.outcomes import (
    ADULT_OUTCOMES,
    CARER_OUTCOMES,
    KINDS,
    MET_BY_OTHERS,
    RISK_LEVELS,
    UNABLE_REASONS,
    outcomes_for,
    unable_reasons_for,
)

MET_CODES = [code for code, _ in MET_BY_OTHERS]
RISK_CODES = [code for code, _ in RISK_LEVELS]


def codes(kind: str) -> list[str]:
    return [code for code, _ in outcomes_for(kind)]


def label(kind: str, code: str) -> str:
    return dict(outcomes_for(kind))[code]


# -- strategies -----------------------------------------------------------------------------
# Built once and reused: constructing strategies inside every draw makes generation slow.

MET = st.sampled_from(MET_CODES)
RISK = st.sampled_from(RISK_CODES)
WORKER_REASON = st.sampled_from(["", "Needs prompting every day.", "Falls when alone."])
UNABLE_REASON = {kind: st.sampled_from([c for c, _ in unable_reasons_for(kind)]) for kind in KINDS}


def draw_judgement(draw: st.DrawFn, kind: str, outcome: str) -> Judgement:
    """Draw a valid judgement of one outcome for this kind of assessment."""
    achievable = draw(st.booleans())
    return Judgement(
        outcome=outcome,
        achievable=achievable,
        unable_reason=None if achievable else draw(UNABLE_REASON[kind]),
        met_by_others=draw(MET),
        risk=draw(RISK),
        reason=draw(WORKER_REASON),
    )


@functools.cache
def outcome_lists(kind: str, min_size: int) -> st.SearchStrategy[list[str]]:
    """Distinct outcomes for this kind, in any order."""
    return st.lists(st.sampled_from(codes(kind)), unique=True, min_size=min_size)


@st.composite
def judgement_sets(draw: st.DrawFn, kind: str, min_size: int = 0) -> tuple[Judgement, ...]:
    """Valid judgements on distinct outcomes for this kind, in any order, some left unjudged."""
    outcomes = draw(outcome_lists(kind, min_size))
    return tuple(draw_judgement(draw, kind, outcome) for outcome in outcomes)


@st.composite
def facts(draw: st.DrawFn) -> AssessmentFacts:
    """Valid assessment facts of either kind, with every combination of flags."""
    kind = draw(st.sampled_from(KINDS))
    return AssessmentFacts(
        kind=kind,
        judgements=draw(judgement_sets(kind)),
        needs_arise_from_condition=draw(st.booleans()),
        significant_impact=draw(st.booleans()),
        carer_health_deteriorating=kind == "carer" and draw(st.booleans()),
    )


# -- helpers for hand-written cases ---------------------------------------------------------


def unable(outcome: str, met: str = "none", reason: str = "without_assistance") -> Judgement:
    return Judgement(outcome, False, reason, met, "substantial", "Needs help every day.")


def able(outcome: str) -> Judgement:
    return Judgement(outcome, True, None, "none", "low")


def adult(*judgements: Judgement, condition: bool = True, impact: bool = True) -> AssessmentFacts:
    return AssessmentFacts("adult", judgements, condition, impact)


def carer(
    *judgements: Judgement, condition: bool = True, impact: bool = True, health: bool = False
) -> AssessmentFacts:
    return AssessmentFacts("carer", judgements, condition, impact, health)


def text(decision: EligibilityDecision) -> str:
    return " ".join(decision.reasons)


# -- outcome lists --------------------------------------------------------------------------


def test_adult_outcomes_are_the_ten_in_reg_2_in_order() -> None:
    assert codes("adult") == [
        "nutrition",
        "personal_hygiene",
        "toilet_needs",
        "clothing",
        "home_safety",
        "habitable_home",
        "relationships",
        "work_education_volunteering",
        "community_facilities",
        "caring_for_child",
    ]
    assert outcomes_for("adult") is ADULT_OUTCOMES


def test_carer_outcomes_are_the_eight_in_reg_3_in_order() -> None:
    assert codes("carer") == [
        "caring_for_child",
        "caring_for_others",
        "habitable_home",
        "nutrition",
        "relationships",
        "work_education_volunteering",
        "community_facilities",
        "recreation",
    ]
    assert outcomes_for("carer") is CARER_OUTCOMES


def test_shared_codes_have_one_meaning() -> None:
    adult_labels, carer_labels = dict(ADULT_OUTCOMES), dict(CARER_OUTCOMES)
    for code in ("caring_for_child", "habitable_home", "nutrition", "relationships"):
        assert adult_labels[code] == carer_labels[code]


def test_orders_the_budget_relies_on() -> None:
    assert MET_CODES == ["none", "some", "most", "all"]
    assert RISK_CODES == ["low", "moderate", "substantial", "critical"]
    assert [label for _, label in RISK_LEVELS] == ["Low", "Moderate", "Substantial", "Critical"]


def test_carers_have_no_takes_longer_reason() -> None:
    # Reg. 3(3) lists three ways a carer is unable to achieve an outcome; reg. 2(3) lists four.
    assert unable_reasons_for("adult") == UNABLE_REASONS
    assert [c for c, _ in unable_reasons_for("carer")] == [
        "without_assistance",
        "pain_distress_anxiety",
        "endangers_health_safety",
    ]


@pytest.mark.parametrize("lookup", [outcomes_for, unable_reasons_for])
def test_unknown_kind_is_refused(lookup: object) -> None:
    with pytest.raises(ValueError, match="Unknown assessment kind"):
        lookup("child")  # type: ignore[operator]


# -- reg. 2: adults -------------------------------------------------------------------------


def test_adult_unable_to_achieve_one_outcome_is_not_eligible() -> None:
    decision = decide_eligibility(adult(unable("nutrition"), able("clothing")))
    assert not decision.eligible
    assert decision.unable_outcomes == ("nutrition",)
    assert "managing and maintaining nutrition" in text(decision)
    assert "at least two" in text(decision)


def test_adult_unable_to_achieve_two_outcomes_is_eligible() -> None:
    decision = decide_eligibility(adult(unable("nutrition"), unable("clothing")))
    assert decision.eligible
    assert decision.unable_outcomes == ("nutrition", "clothing")
    assert "managing and maintaining nutrition and being appropriately clothed" in text(decision)
    assert decision.reasons[-1] == "This means your needs meet the national eligibility criteria."


def test_adult_without_significant_impact_is_not_eligible() -> None:
    decision = decide_eligibility(adult(unable("nutrition"), unable("clothing"), impact=False))
    assert not decision.eligible
    assert "do not think there is, or is likely to be, a significant impact" in text(decision)


def test_adult_whose_needs_do_not_arise_from_a_condition_is_not_eligible() -> None:
    decision = decide_eligibility(adult(unable("nutrition"), unable("clothing"), condition=False))
    assert not decision.eligible
    assert "do not arise from, or relate to, a physical or mental impairment" in text(decision)


def test_unjudged_outcomes_count_as_achievable() -> None:
    decision = decide_eligibility(adult())
    assert not decision.eligible
    assert decision.unable_outcomes == ()
    assert "able to achieve all of the outcomes" in text(decision)


def test_each_way_of_being_unable_counts_for_an_adult() -> None:
    for reason, _ in UNABLE_REASONS:
        facts_ = adult(unable("nutrition", reason=reason), unable("clothing", reason=reason))
        assert decide_eligibility(facts_).eligible


def test_unable_outcomes_follow_the_regulation_order() -> None:
    decision = decide_eligibility(
        adult(unable("caring_for_child"), unable("nutrition"), unable("home_safety"))
    )
    assert decision.unable_outcomes == ("nutrition", "home_safety", "caring_for_child")
    assert "three of the outcomes" in text(decision)


# -- reg. 3: carers -------------------------------------------------------------------------


def test_carer_with_deteriorating_health_and_no_unable_outcomes_is_eligible() -> None:
    decision = decide_eligibility(carer(able("recreation"), health=True))
    assert decision.eligible
    assert decision.unable_outcomes == ()
    assert "is, or is at risk of, deteriorating" in text(decision)


def test_carer_unable_to_achieve_one_outcome_is_eligible() -> None:
    decision = decide_eligibility(carer(unable("recreation")))
    assert decision.eligible
    assert decision.unable_outcomes == ("recreation",)
    assert "engaging in recreational activities" in text(decision)


def test_carer_with_neither_health_risk_nor_unable_outcome_is_not_eligible() -> None:
    decision = decide_eligibility(carer(able("recreation")))
    assert not decision.eligible
    assert "either a risk to your health or being unable to achieve one outcome" in text(decision)


def test_carer_without_significant_impact_or_necessary_care_is_not_eligible() -> None:
    assert not decide_eligibility(carer(unable("recreation"), impact=False)).eligible
    decision = decide_eligibility(carer(unable("recreation"), health=True, condition=False))
    assert not decision.eligible
    assert "do not arise from providing necessary care to an adult" in text(decision)


# -- help from others never affects eligibility (statutory guidance, chapter 6) -------------


def test_needs_all_met_by_others_are_still_eligible() -> None:
    every_adult = tuple(unable(code, met="all") for code in codes("adult"))
    decision = decide_eligibility(adult(*every_adult))
    assert decision.eligible
    assert decision.unable_outcomes == tuple(codes("adult"))
    assert "has not been counted against you" in text(decision)

    every_carer = tuple(unable(code, met="all") for code in codes("carer"))
    assert decide_eligibility(carer(*every_carer)).eligible


# -- properties -----------------------------------------------------------------------------


def restated(f: AssessmentFacts) -> bool:
    """The regulations, restated independently of the code under test."""
    unable_count = len([j for j in f.judgements if j.achievable is False])
    if f.kind == "adult":  # reg. 2(1)(a)-(c)
        return f.needs_arise_from_condition and unable_count >= 2 and f.significant_impact
    # reg. 3(1)(a)-(c) with 3(2)(a)-(b)
    return (
        f.needs_arise_from_condition
        and (f.carer_health_deteriorating or unable_count >= 1)
        and f.significant_impact
    )


@given(facts())
def test_decision_matches_the_regulations(f: AssessmentFacts) -> None:
    assert validate_facts(f) == []
    decision = decide_eligibility(f)
    assert decision.eligible is restated(f)
    expected_unable = {j.outcome for j in f.judgements if not j.achievable}
    assert decision.unable_outcomes == tuple(c for c in codes(f.kind) if c in expected_unable)


@given(facts())
def test_reasons_name_every_outcome_the_person_cannot_achieve(f: AssessmentFacts) -> None:
    decision = decide_eligibility(f)
    assert decision.reasons
    assert all(reason.strip() for reason in decision.reasons)
    for code in decision.unable_outcomes:
        assert label(f.kind, code).lower() in text(decision).lower()
        # Mid-sentence, the label is lower-case.
        assert label(f.kind, code)[0].lower() + label(f.kind, code)[1:] in text(decision)


@given(facts(), st.sampled_from(MET_CODES))
def test_help_from_others_never_changes_the_decision(f: AssessmentFacts, met: str) -> None:
    changed = dataclasses.replace(
        f, judgements=tuple(dataclasses.replace(j, met_by_others=met) for j in f.judgements)
    )
    before, after = decide_eligibility(f), decide_eligibility(changed)
    assert before.eligible == after.eligible
    assert before.unable_outcomes == after.unable_outcomes


@given(facts(), st.randoms())
def test_order_of_judgements_does_not_matter(f: AssessmentFacts, random: object) -> None:
    shuffled = list(f.judgements)
    random.shuffle(shuffled)  # type: ignore[attr-defined]
    assert decide_eligibility(f) == decide_eligibility(
        dataclasses.replace(f, judgements=tuple(shuffled))
    )


# -- validation -----------------------------------------------------------------------------


def test_valid_facts_have_no_problems() -> None:
    assert validate_facts(adult(unable("nutrition"), able("clothing"))) == []
    assert validate_facts(carer(unable("recreation"), health=True)) == []


@pytest.mark.parametrize(
    ("facts_", "expected"),
    [
        (AssessmentFacts("child", (), True, True), "Unknown assessment kind 'child'"),
        (carer(unable("personal_hygiene")), "not one of the outcomes for a carer assessment"),
        (adult(unable("recreation")), "not one of the outcomes for an adult assessment"),
        (adult(unable("nutrition"), able("nutrition")), "judged more than once"),
        (
            adult(Judgement("nutrition", True, "without_assistance", "none", "low")),
            "marked as achievable but also has a reason",
        ),
        (
            adult(Judgement("nutrition", False, None, "none", "low")),
            "not achievable but has no reason why",
        ),
        (adult(unable("nutrition", reason="lazy")), "unknown reason"),
        (
            carer(unable("recreation", reason="takes_significantly_longer")),
            "does not apply to a carer assessment",
        ),
        (adult(unable("nutrition", met="lots")), "unknown answer for how much is met by others"),
        (
            adult(Judgement("nutrition", True, None, "none", "severe")),
            "unknown risk level: 'severe'",
        ),
        (
            AssessmentFacts("adult", (), True, True, carer_health_deteriorating=True),
            "applies to carers only",
        ),
    ],
)
def test_validation_catches_each_problem(facts_: AssessmentFacts, expected: str) -> None:
    problems = validate_facts(facts_)
    assert len(problems) == 1
    assert expected in problems[0]
    with pytest.raises(ValueError, match="Cannot decide eligibility") as raised:
        decide_eligibility(facts_)
    assert expected in str(raised.value)


def test_problems_name_outcomes_by_label() -> None:
    [problem] = validate_judgements("adult", [Judgement("nutrition", False, None, "none", "low")])
    assert "'Managing and maintaining nutrition'" in problem


def test_every_problem_is_reported_at_once() -> None:
    bad = AssessmentFacts(
        "adult",
        (Judgement("nutrition", True, "without_assistance", "lots", "severe"),),
        True,
        True,
        carer_health_deteriorating=True,
    )
    assert len(validate_facts(bad)) == 4


def test_takes_longer_counts_for_adults() -> None:
    decision = decide_eligibility(
        adult(
            unable("nutrition", reason="takes_significantly_longer"),
            unable("clothing", reason="takes_significantly_longer"),
        )
    )
    assert decision.eligible


def test_decisions_are_frozen() -> None:
    decision = decide_eligibility(adult(unable("nutrition"), unable("clothing")))
    with pytest.raises(dataclasses.FrozenInstanceError):
        decision.eligible = False  # type: ignore[misc]
