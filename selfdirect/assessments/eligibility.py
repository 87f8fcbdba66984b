"""Whether needs are eligible: the Care and Support (Eligibility Criteria) Regulations 2015.

Pure Python, no Django: the worker records a judgement per outcome and three facts, and
these rules turn them into a decision with reasons the person can read.

- Adults, reg. 2: eligible only if the needs arise from or relate to a physical or mental
  impairment or illness; because of them the adult is unable to achieve two or more of
  the outcomes in reg. 2(2); and as a consequence there is, or is likely to be, a
  significant impact on their wellbeing.
- Carers, reg. 3: eligible only if the needs arise from providing necessary care to an
  adult (reg. 3(1)(a)); as a result the carer's physical or mental health is, or is at risk
  of, deteriorating (reg. 3(2)(a)), or they are unable to achieve any one of the outcomes
  in reg. 3(2)(b); and as a consequence there is, or is likely to be, a significant impact
  on their wellbeing (reg. 3(1)(c)).

"Unable to achieve" has the meanings in reg. 2(3) (four, for adults) and reg. 3(3) (three,
for carers: taking significantly longer is not one of them); see
``outcomes.unable_reasons_for``. Fluctuating needs (reg. 2(4), reg. 3(4)) are for the
worker to weigh when making each judgement.

Care that family or friends already give (``met_by_others``) is recorded but never counts
against eligibility: the Care and Support Statutory Guidance, chapter 6, says it must not
influence the eligibility determination. It is taken into account afterwards, when
working out the unmet need (see ``selfdirect.budgets.ras``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from selfdirect.assessments.outcomes import (
    KINDS,
    MET_BY_OTHERS,
    RISK_LEVELS,
    UNABLE_REASONS,
    outcomes_for,
    unable_reasons_for,
)

# Reg. 2(1)(b): an adult must be unable to achieve "two or more" outcomes.
ADULT_MINIMUM_UNABLE = 2
# Reg. 3(2)(b): a carer need only be unable to achieve "any" one outcome.
CARER_MINIMUM_UNABLE = 1

_UNABLE_REASON_CODES = frozenset(code for code, _ in UNABLE_REASONS)
_MET_BY_OTHERS_CODES = frozenset(code for code, _ in MET_BY_OTHERS)
_RISK_CODES = frozenset(code for code, _ in RISK_LEVELS)


@dataclass(frozen=True)
class Judgement:
    """The worker's judgement about one outcome, made with the person.

    ``met_by_others`` and ``risk`` describe the need, not eligibility: they feed the
    budget (how much of the need is still unmet, and how serious leaving it would be).
    """

    outcome: str  # a code from outcomes_for(kind)
    achievable: bool
    unable_reason: str | None  # an unable_reasons_for(kind) code when not achievable, else None
    met_by_others: str  # a MET_BY_OTHERS code
    risk: str  # a RISK_LEVELS code: the risk to wellbeing if the rest stays unmet
    reason: str = ""  # the worker's one-line reason


@dataclass(frozen=True)
class AssessmentFacts:
    """Everything the eligibility rules need from one assessment."""

    kind: str  # "adult" | "carer"
    judgements: tuple[Judgement, ...]
    # Adult: the needs arise from or relate to a physical or mental impairment or illness
    # (reg. 2(1)(a)). Carer: they arise from providing necessary care to an adult (reg. 3(1)(a)).
    needs_arise_from_condition: bool
    # The worker's judgment that there is, or is likely to be, a significant impact on
    # wellbeing (reg. 2(1)(c), reg. 3(1)(c)).
    significant_impact: bool
    # Carers only: physical or mental health is, or is at risk of, deteriorating
    # (reg. 3(2)(a)). Meaningless for an adult, so validate_facts rejects it there.
    carer_health_deteriorating: bool = False


@dataclass(frozen=True)
class EligibilityDecision:
    """The outcome of applying the regulations, with reasons fit for a decision letter."""

    eligible: bool
    # Plain-English sentences addressed to the person ("you"), one per condition, met or
    # not; a person found not eligible is owed a written record of the reasons.
    reasons: tuple[str, ...]
    # Codes of the outcomes the person is unable to achieve, in outcomes_for(kind) order.
    unable_outcomes: tuple[str, ...]


# Small numbers read better as words in a letter; there are at most ten outcomes.
_NUMBERS = dict(
    enumerate(
        ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
    )
)


def _label(choices: Sequence[tuple[str, str]], code: str) -> str:
    for known, label in choices:
        if known == code:
            return label
    return code


def _in_sentence(label: str) -> str:
    """A label as it reads mid-sentence: every outcome label starts with an ordinary word."""
    return label[:1].lower() + label[1:]


def _a(kind: str) -> str:
    """The kind with its article: "an adult", "a carer"."""
    return f"an {kind}" if kind[:1] in "aeiou" else f"a {kind}"


def _join(items: Sequence[str]) -> str:
    """Join as English prose: "a", "a and b", "a, b and c"."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def validate_judgements(kind: str, judgements: Sequence[Judgement]) -> list[str]:
    """Return plain-English problems with a set of judgements for this kind, [] if none.

    Shared by validate_facts and the budget rules, so both refuse the same bad data.
    """
    problems: list[str] = []
    valid_outcomes = dict(outcomes_for(kind)) if kind in KINDS else None
    allowed_reasons = (
        frozenset(code for code, _ in unable_reasons_for(kind)) if kind in KINDS else None
    )
    seen: set[str] = set()
    for judgement in judgements:
        name = judgement.outcome
        if valid_outcomes is not None:
            if name not in valid_outcomes:
                problems.append(
                    f"The outcome {name!r} is not one of the outcomes for {_a(kind)} assessment."
                )
            else:
                name = valid_outcomes[name]
        # Two judgements on one outcome would count it twice towards eligibility.
        if judgement.outcome in seen:
            problems.append(f"The outcome {name!r} has been judged more than once.")
        seen.add(judgement.outcome)
        if judgement.achievable and judgement.unable_reason is not None:
            problems.append(
                f"The outcome {name!r} is marked as achievable but also has a reason "
                "the person is unable to achieve it."
            )
        if not judgement.achievable:
            if judgement.unable_reason is None:
                problems.append(
                    f"The outcome {name!r} is marked as not achievable but has no reason why."
                )
            elif judgement.unable_reason not in _UNABLE_REASON_CODES:
                problems.append(
                    f"The outcome {name!r} has an unknown reason for being unable to achieve "
                    f"it: {judgement.unable_reason!r}."
                )
            elif allowed_reasons is not None and judgement.unable_reason not in allowed_reasons:
                # Reg. 3(3) has no "takes significantly longer" limb for carers.
                problems.append(
                    f"The outcome {name!r} gives a reason for being unable to achieve it that "
                    f"does not apply to {_a(kind)} assessment: {judgement.unable_reason!r}."
                )
        if judgement.met_by_others not in _MET_BY_OTHERS_CODES:
            problems.append(
                f"The outcome {name!r} has an unknown answer for how much is met by others: "
                f"{judgement.met_by_others!r}."
            )
        if judgement.risk not in _RISK_CODES:
            problems.append(f"The outcome {name!r} has an unknown risk level: {judgement.risk!r}.")
    return problems


def validate_facts(facts: AssessmentFacts) -> list[str]:
    """Return plain-English problems that stop a decision being made, [] if there are none."""
    problems: list[str] = []
    if facts.kind not in KINDS:
        problems.append(
            f"Unknown assessment kind {facts.kind!r}: expected one of {', '.join(KINDS)}."
        )
    problems.extend(validate_judgements(facts.kind, facts.judgements))
    # Reg. 3(2)(a) is a carers-only route to eligibility; on an adult it would be ignored,
    # so recording it there is a mistake worth surfacing rather than silently dropping.
    if facts.kind == "adult" and facts.carer_health_deteriorating:
        problems.append(
            "Carer health deteriorating is recorded on an adult assessment; it applies to "
            "carers only."
        )
    return problems


def _unable_outcomes(kind: str, judgements: Sequence[Judgement]) -> tuple[str, ...]:
    # Only "achievable" decides this. met_by_others is deliberately ignored: statutory
    # guidance chapter 6 says care a carer provides must not influence eligibility.
    # Outcomes with no judgement count as achievable.
    unable = {j.outcome for j in judgements if not j.achievable}
    return tuple(code for code, _ in outcomes_for(kind) if code in unable)


def _outcomes_sentence(kind: str, unable: Sequence[str], minimum: int) -> str:
    labels = [_in_sentence(_label(outcomes_for(kind), code)) for code in unable]
    if not labels:
        return "You are able to achieve all of the outcomes we looked at."
    count = _NUMBERS.get(len(labels), str(len(labels)))
    sentence = f"You are unable to achieve {count} of the outcomes: {_join(labels)}."
    if len(labels) < minimum:
        needed = _NUMBERS.get(minimum, str(minimum))
        sentence += f" The rules need you to be unable to achieve at least {needed}."
    return sentence


def _impact_sentence(significant_impact: bool) -> str:
    if significant_impact:
        return "As a result, there is, or is likely to be, a significant impact on your wellbeing."
    return "We do not think there is, or is likely to be, a significant impact on your wellbeing."


def _met_by_others_sentence(judgements: Sequence[Judgement]) -> str | None:
    # Tell the person why help they already get did not count against them (guidance ch. 6).
    if not any(j.met_by_others != "none" for j in judgements if not j.achievable):
        return None
    return (
        "Help you already get from family, friends or your community has not been counted "
        "against you in this decision; it is taken into account when we plan your support."
    )


def decide_eligibility(facts: AssessmentFacts) -> EligibilityDecision:
    """Apply reg. 2 (adults) or reg. 3 (carers) of the Eligibility Criteria Regulations 2015.

    Raises ValueError listing every problem validate_facts finds, so a decision is never
    made from inconsistent data.
    """
    problems = validate_facts(facts)
    if problems:
        raise ValueError("Cannot decide eligibility: " + " ".join(problems))

    unable = _unable_outcomes(facts.kind, facts.judgements)
    reasons: list[str] = []

    if facts.kind == "adult":
        # Reg. 2(1)(a)
        if facts.needs_arise_from_condition:
            reasons.append(
                "Your needs arise from, or are related to, a physical or mental impairment "
                "or illness."
            )
        else:
            reasons.append(
                "Your needs do not arise from, or relate to, a physical or mental impairment "
                "or illness."
            )
        # Reg. 2(1)(b): two or more outcomes.
        reasons.append(_outcomes_sentence("adult", unable, ADULT_MINIMUM_UNABLE))
        second_condition = len(unable) >= ADULT_MINIMUM_UNABLE
    else:
        # Reg. 3(1)(a)
        if facts.needs_arise_from_condition:
            reasons.append("Your needs arise from providing necessary care to an adult.")
        else:
            reasons.append("Your needs do not arise from providing necessary care to an adult.")
        # Reg. 3(1)(b) with 3(2): health deteriorating (a) or any one outcome (b); either will do.
        if facts.carer_health_deteriorating:
            reasons.append(
                "Your physical or mental health is, or is at risk of, deteriorating because "
                "of the care you provide."
            )
        else:
            reasons.append(
                "Your physical or mental health is not, and is not at risk of, deteriorating "
                "because of the care you provide."
            )
        reasons.append(_outcomes_sentence("carer", unable, CARER_MINIMUM_UNABLE))
        second_condition = facts.carer_health_deteriorating or len(unable) >= CARER_MINIMUM_UNABLE
        if not second_condition:
            reasons.append(
                "For a carer, either a risk to your health or being unable to achieve one "
                "outcome would be enough."
            )

    # Reg. 2(1)(c) / reg. 3(1)(c)
    reasons.append(_impact_sentence(facts.significant_impact))

    eligible = facts.needs_arise_from_condition and second_condition and facts.significant_impact

    note = _met_by_others_sentence(facts.judgements)
    if note is not None:
        reasons.append(note)

    if eligible:
        reasons.append("This means your needs meet the national eligibility criteria.")
    else:
        reasons.append("This means your needs do not meet the national eligibility criteria.")

    return EligibilityDecision(eligible=eligible, reasons=tuple(reasons), unable_outcomes=unable)
