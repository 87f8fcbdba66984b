"""The Resource Allocation System: eligible unmet need × risk → indicative budget.

Properties over arbitrary valid (monotone) configurations and judgements show the
budget behaves as a person would expect and a court could follow: never negative, parts
adding up to the total, more need or more risk never meaning less money.
"""

from __future__ import annotations

import dataclasses
from decimal import ROUND_HALF_UP, Decimal
from types import MappingProxyType

import pytest
from hypothesis import given
from hypothesis import strategies as st

from selfdirect.assessments.eligibility import Judgement
from selfdirect.assessments.outcomes import KINDS, unable_reasons_for
from selfdirect.budgets.ras import (
    DEFAULT_RAS,
    Contribution,
    IndicativeBudget,
    RasConfig,
    RasTable,
    describe,
    indicative_budget,
    validate_config,
)
from tests.assessments.test_eligibility import MET_CODES, RISK_CODES, codes, judgement_sets

PENNY = Decimal("0.01")

# -- strategies -----------------------------------------------------------------------------


def fixed_point(low: int, high: int, places: int) -> st.SearchStrategy[Decimal]:
    """Decimals with this many places, from integers: quicker to generate than st.decimals."""
    return st.integers(low * 10**places, high * 10**places).map(
        lambda n: Decimal(n).scaleb(-places)
    )


# Built once at import: constructing strategies inside every draw makes generation slow.
POINTS = st.tuples(*[st.integers(0, 100)] * 4).map(sorted)
SHARES = st.tuples(*[fixed_point(0, 1, 3)] * 4).map(lambda shares: sorted(shares, reverse=True))
PRICES = fixed_point(0, 250, 3)
VERSIONS = st.integers(1, 99).map(lambda n: f"2026.{n}")
RANGE_LOW = fixed_point(0, 1, 2)
RANGE_HIGH = fixed_point(1, 3, 2)
WEEKS = fixed_point(1, 53, 2)


@st.composite
def tables(draw: st.DrawFn) -> RasTable:
    """A valid table: points non-decreasing low→critical, shares non-increasing none→all."""
    return RasTable(
        points=dict(zip(RISK_CODES, draw(POINTS), strict=True)),
        unmet_share=dict(zip(MET_CODES, draw(SHARES), strict=True)),
        price_per_point=draw(PRICES),
    )


TABLES = tables()


@st.composite
def configs(draw: st.DrawFn) -> RasConfig:
    """A valid RAS configuration."""
    return RasConfig(
        version=draw(VERSIONS),
        adult=draw(TABLES),
        carer=draw(TABLES),
        range_low=draw(RANGE_LOW),
        range_high=draw(RANGE_HIGH),
        weeks_per_year=draw(WEEKS),
    )


CONFIGS = configs()
JUDGEMENT_SETS = {(kind, size): judgement_sets(kind, size) for kind in KINDS for size in (0, 1)}


@st.composite
def cases(draw: st.DrawFn, min_size: int = 0) -> tuple[RasConfig, str, tuple[Judgement, ...]]:
    """A valid config, a kind, and valid judgements for that kind."""
    kind = draw(st.sampled_from(KINDS))
    return draw(CONFIGS), kind, draw(JUDGEMENT_SETS[kind, min_size])


def total(config: RasConfig, kind: str, judgements: tuple[Judgement, ...]) -> Decimal:
    return indicative_budget(config, kind, judgements).weekly


def replace_at(
    judgements: tuple[Judgement, ...], index: int, **changes: object
) -> tuple[Judgement, ...]:
    changed = list(judgements)
    changed[index] = dataclasses.replace(changed[index], **changes)  # type: ignore[arg-type]
    return tuple(changed)


# -- worked examples ------------------------------------------------------------------------


def unable(outcome: str, risk: str, met: str = "none") -> Judgement:
    return Judgement(outcome, False, "without_assistance", met, risk)


def test_default_adult_budget_by_hand() -> None:
    budget = indicative_budget(
        DEFAULT_RAS,
        "adult",
        [
            # Given out of order: the breakdown still follows the regulation's order.
            unable("clothing", "critical"),  # 20 points × £6 = £120.00
            unable("nutrition", "substantial", met="some"),  # 12 × 0.6 = 7.2 × £6 = £43.20
            Judgement("toilet_needs", True, None, "none", "critical"),  # achievable: nothing
            unable("home_safety", "moderate", met="all"),  # all met by others: £0.00, still shown
        ],
    )
    assert budget == IndicativeBudget(
        weekly=Decimal("163.20"),
        annual=Decimal("8486.40"),
        range_low=Decimal("138.72"),
        range_high=Decimal("204.00"),
        ras_version="2026.1",
        contributions=(
            Contribution("nutrition", "substantial", "some", Decimal("7.2"), Decimal("43.20")),
            Contribution("clothing", "critical", "none", Decimal("20"), Decimal("120.00")),
            Contribution("home_safety", "moderate", "all", Decimal("0"), Decimal("0.00")),
        ),
    )


def test_carers_use_the_carer_table() -> None:
    budget = indicative_budget(DEFAULT_RAS, "carer", [unable("recreation", "critical")])
    assert budget.weekly == Decimal("50.00")  # 10 points × £5.00
    assert budget.contributions[0].points == Decimal("10")


def test_no_unmet_need_gives_zero() -> None:
    budget = indicative_budget(DEFAULT_RAS, "adult", [])
    assert budget.weekly == budget.annual == budget.range_low == budget.range_high == Decimal("0")
    assert str(budget.weekly) == "0.00"
    assert budget.contributions == ()


def test_each_part_is_rounded_half_up_and_the_total_is_their_sum() -> None:
    config = dataclasses.replace(
        DEFAULT_RAS,
        adult=dataclasses.replace(DEFAULT_RAS.adult, price_per_point=Decimal("0.0625")),
    )
    # 2 points × £0.0625 = £0.125 each: half up to £0.13 (half-even would give £0.12), and
    # the total is £0.26, the sum of the parts, not £0.25 rounded from the raw sum.
    budget = indicative_budget(
        config, "adult", [unable("nutrition", "low"), unable("clothing", "low")]
    )
    assert [c.weekly for c in budget.contributions] == [Decimal("0.13"), Decimal("0.13")]
    assert budget.weekly == Decimal("0.26")


def test_describe_explains_the_default() -> None:
    sentences = describe(DEFAULT_RAS)
    page = " ".join(sentences)
    assert (
        "Each need you cannot meet is given points by how serious the risk to your wellbeing "
        "is: low 2, moderate 6, substantial 12 and critical 20." in sentences
    )
    assert "none of it, 100%; some of it, 60%; most of it, 30%; all of it, 0%" in page
    assert "£6.00 a week" in page
    assert "For carers, the points are low 1, moderate 3, substantial 6 and critical 10" in page
    assert "£5.00 a week" in page
    assert "12 points, or £72.00 a week" in page
    assert "between 85% and 125%" in page
    assert "multiplied by 52" in page
    assert "2026.1" in page
    assert "not a limit" in page


def test_describe_shows_carer_shares_when_they_differ() -> None:
    carer = dataclasses.replace(
        DEFAULT_RAS.carer,
        unmet_share={
            "none": Decimal(1),
            "some": Decimal("0.5"),
            "most": Decimal("0.25"),
            "all": Decimal(0),
        },
    )
    page = " ".join(describe(dataclasses.replace(DEFAULT_RAS, carer=carer)))
    assert "some of it, 50%; most of it, 25%" in page


# -- properties -----------------------------------------------------------------------------


@given(cases())
def test_budget_is_never_negative_and_parts_add_up(
    case: tuple[RasConfig, str, tuple[Judgement, ...]],
) -> None:
    config, kind, judgements = case
    budget = indicative_budget(config, kind, judgements)
    assert budget.weekly >= 0
    assert all(c.weekly >= 0 and c.points >= 0 for c in budget.contributions)
    assert sum((c.weekly for c in budget.contributions), Decimal(0)) == budget.weekly
    for amount in (budget.weekly, budget.annual, budget.range_low, budget.range_high):
        assert amount.as_tuple().exponent == -2  # always pounds and pence
    assert budget.annual == (budget.weekly * config.weeks_per_year).quantize(
        PENNY, rounding=ROUND_HALF_UP
    )
    assert budget.range_low <= budget.weekly <= budget.range_high
    assert budget.ras_version == config.version


@given(cases())
def test_one_contribution_per_unmet_need_in_regulation_order(
    case: tuple[RasConfig, str, tuple[Judgement, ...]],
) -> None:
    config, kind, judgements = case
    budget = indicative_budget(config, kind, judgements)
    unable_outcomes = {j.outcome for j in judgements if not j.achievable}
    assert [c.outcome for c in budget.contributions] == [
        code for code in codes(kind) if code in unable_outcomes
    ]
    table = config.carer if kind == "carer" else config.adult
    for contribution in budget.contributions:
        assert contribution.points == table.points[contribution.risk] * Decimal(
            table.unmet_share[contribution.met_by_others]
        )
        assert contribution.weekly == (contribution.points * table.price_per_point).quantize(
            PENNY, rounding=ROUND_HALF_UP
        )


@given(cases(min_size=1), st.data())
def test_raising_a_risk_never_lowers_the_budget(
    case: tuple[RasConfig, str, tuple[Judgement, ...]], data: st.DataObject
) -> None:
    config, kind, judgements = case
    index = data.draw(st.integers(0, len(judgements) - 1))
    current = RISK_CODES.index(judgements[index].risk)
    higher = data.draw(st.sampled_from(RISK_CODES[current:]))
    raised = replace_at(judgements, index, risk=higher)
    assert total(config, kind, raised) >= total(config, kind, judgements)


@given(cases(min_size=1), st.data())
def test_less_help_from_others_never_lowers_the_budget(
    case: tuple[RasConfig, str, tuple[Judgement, ...]], data: st.DataObject
) -> None:
    config, kind, judgements = case
    index = data.draw(st.integers(0, len(judgements) - 1))
    current = MET_CODES.index(judgements[index].met_by_others)
    # Earlier in MET_CODES means less met by others: all → most → some → none.
    less_met = data.draw(st.sampled_from(MET_CODES[: current + 1]))
    changed = replace_at(judgements, index, met_by_others=less_met)
    assert total(config, kind, changed) >= total(config, kind, judgements)


@given(cases(), st.data())
def test_a_new_unmet_need_never_lowers_the_budget(
    case: tuple[RasConfig, str, tuple[Judgement, ...]], data: st.DataObject
) -> None:
    config, kind, judgements = case
    reason = data.draw(st.sampled_from([c for c, _ in unable_reasons_for(kind)]))
    achievable = [i for i, j in enumerate(judgements) if j.achievable]
    judged = {j.outcome for j in judgements}
    unjudged = [code for code in codes(kind) if code not in judged]
    if achievable and (not unjudged or data.draw(st.booleans())):
        # An outcome judged achievable turns out not to be.
        index = data.draw(st.sampled_from(achievable))
        changed = replace_at(judgements, index, achievable=False, unable_reason=reason)
    elif unjudged:
        # An outcome nobody had judged (so counted as achievable) is judged unable.
        outcome = data.draw(st.sampled_from(unjudged))
        met, risk = data.draw(st.sampled_from(MET_CODES)), data.draw(st.sampled_from(RISK_CODES))
        changed = (*judgements, Judgement(outcome, False, reason, met, risk))
    else:
        return  # every outcome already unable: nothing to turn
    assert total(config, kind, changed) >= total(config, kind, judgements)


@given(cases(), st.randoms())
def test_order_of_judgements_does_not_matter(
    case: tuple[RasConfig, str, tuple[Judgement, ...]], random: object
) -> None:
    config, kind, judgements = case
    shuffled = list(judgements)
    random.shuffle(shuffled)  # type: ignore[attr-defined]
    assert indicative_budget(config, kind, shuffled) == indicative_budget(config, kind, judgements)


@given(cases(), CONFIGS)
def test_a_new_config_does_not_change_earlier_results(
    case: tuple[RasConfig, str, tuple[Judgement, ...]], other: RasConfig
) -> None:
    config, kind, judgements = case
    before = indicative_budget(config, kind, judgements)
    snapshot = dataclasses.astuple(before)
    newer = dataclasses.replace(other, version=config.version + ".next")
    after = indicative_budget(newer, kind, judgements)
    assert after.ras_version == config.version + ".next"
    assert dataclasses.astuple(before) == snapshot
    assert indicative_budget(config, kind, judgements) == before


def test_results_and_default_config_are_frozen() -> None:
    budget = indicative_budget(DEFAULT_RAS, "adult", [unable("nutrition", "low")])
    with pytest.raises(dataclasses.FrozenInstanceError):
        budget.weekly = Decimal("1000")  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        budget.contributions[0].weekly = Decimal("1000")  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        DEFAULT_RAS.version = "hacked"  # type: ignore[misc]
    with pytest.raises(TypeError):
        DEFAULT_RAS.adult.points["low"] = 1000  # type: ignore[index]
    assert isinstance(DEFAULT_RAS.adult.unmet_share, MappingProxyType)


# -- validation -----------------------------------------------------------------------------


def test_default_config_is_valid() -> None:
    assert validate_config(DEFAULT_RAS) == []


@given(configs())
def test_generated_configs_are_valid(config: RasConfig) -> None:
    assert validate_config(config) == []


def with_table(config: RasConfig, which: str, table: RasTable) -> RasConfig:
    if which == "carer":
        return dataclasses.replace(config, carer=table)
    return dataclasses.replace(config, adult=table)


@given(configs(), st.sampled_from(["adult", "carer"]), st.data())
def test_non_monotone_points_are_rejected(
    config: RasConfig, which: str, data: st.DataObject
) -> None:
    table: RasTable = getattr(config, which)
    i = data.draw(st.integers(0, len(RISK_CODES) - 2))
    low, high = RISK_CODES[i], RISK_CODES[i + 1]
    # Make the higher risk worth strictly fewer points than the lower one.
    points = dict(table.points)
    points[low] = points[high] + data.draw(st.integers(1, 10))
    broken = with_table(config, which, dataclasses.replace(table, points=points))
    problems = validate_config(broken)
    assert any("must not go down as the risk rises" in p for p in problems)


@given(configs(), st.sampled_from(["adult", "carer"]), st.data())
def test_non_monotone_shares_are_rejected(
    config: RasConfig, which: str, data: st.DataObject
) -> None:
    table: RasTable = getattr(config, which)
    i = data.draw(st.integers(0, len(MET_CODES) - 2))
    less_met, more_met = MET_CODES[i], MET_CODES[i + 1]
    shares = dict(table.unmet_share)
    # More met by others, yet more left unmet: impossible. Shares in thousandths.
    smaller = data.draw(st.integers(0, 999))
    larger = data.draw(st.integers(smaller + 1, 1000))
    shares[less_met] = Decimal(smaller).scaleb(-3)
    shares[more_met] = Decimal(larger).scaleb(-3)
    broken = with_table(config, which, dataclasses.replace(table, unmet_share=shares))
    assert any("must not go up as more of the need" in p for p in validate_config(broken))


def adult_table(**changes: object) -> RasConfig:
    return dataclasses.replace(
        DEFAULT_RAS,
        adult=dataclasses.replace(DEFAULT_RAS.adult, **changes),  # type: ignore[arg-type]
    )


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        (
            adult_table(points={"low": 2, "moderate": 6, "substantial": 12}),
            "no points for: critical",
        ),
        (
            adult_table(points={**DEFAULT_RAS.adult.points, "extreme": 30}),
            "points for unknown codes: extreme",
        ),
        (
            adult_table(unmet_share={"none": 1, "some": Decimal("0.5"), "most": 0}),
            "no unmet shares for: all",
        ),
        (
            adult_table(unmet_share={**DEFAULT_RAS.adult.unmet_share, "lots": 0}),
            "unmet shares for unknown codes: lots",
        ),
        (
            adult_table(points={"low": -1, "moderate": 6, "substantial": 12, "critical": 20}),
            "points for low must not be negative",
        ),
        (
            adult_table(points={"low": 2.5, "moderate": 6, "substantial": 12, "critical": 20}),
            "points for low must be a whole number",
        ),
        (
            adult_table(
                points={"low": Decimal("2.5"), "moderate": 6, "substantial": 12, "critical": 20}
            ),
            "points for low must be a whole number",
        ),
        (adult_table(price_per_point=Decimal("-6")), "price per point must not be negative"),
        (adult_table(price_per_point=6.0), "price per point must be a Decimal"),
        (
            adult_table(
                unmet_share={"none": 1, "some": Decimal("0.6"), "most": 0, "all": Decimal("-0.1")}
            ),
            "unmet share for all must not be negative",
        ),
        (
            adult_table(unmet_share={"none": Decimal("1.5"), "some": 1, "most": 0, "all": 0}),
            "unmet share for none must not be more than 1",
        ),
        (
            adult_table(unmet_share={"none": 1, "some": 0.6, "most": 0, "all": 0}),
            "unmet share for some must be a Decimal",
        ),
        (
            adult_table(points={"low": 2, "moderate": 12, "substantial": 6, "critical": 20}),
            "points for substantial (6) are fewer than for moderate (12)",
        ),
        (
            adult_table(unmet_share={"none": Decimal("0.5"), "some": 1, "most": 0, "all": 0}),
            "unmet share for some (1) is larger than for none (0.5)",
        ),
        (
            dataclasses.replace(DEFAULT_RAS, range_low=Decimal("1.1")),
            "bottom of the range must not be more than 1",
        ),
        (
            dataclasses.replace(DEFAULT_RAS, range_low=Decimal("-0.1")),
            "bottom of the range must not be negative",
        ),
        (
            dataclasses.replace(DEFAULT_RAS, range_high=Decimal("0.9")),
            "top of the range must not be less than 1",
        ),
        (
            dataclasses.replace(DEFAULT_RAS, weeks_per_year=Decimal("0")),
            "Weeks per year must be more than 0",
        ),
        (dataclasses.replace(DEFAULT_RAS, version="  "), "The RAS version is empty"),
    ],
)
def test_validation_catches_each_problem(config: RasConfig, expected: str) -> None:
    problems = validate_config(config)
    assert len(problems) == 1, problems
    assert expected in problems[0]
    with pytest.raises(ValueError, match="cannot be used") as raised:
        indicative_budget(config, "adult", [])
    assert expected in str(raised.value)
    with pytest.raises(ValueError, match="cannot be used"):
        describe(config)


def test_nan_is_rejected_not_compared() -> None:
    problems = validate_config(adult_table(price_per_point=Decimal("NaN")))
    assert problems == ["The adult price per point must be a Decimal, not Decimal('NaN')."]


def test_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="Unknown assessment kind 'child'"):
        indicative_budget(DEFAULT_RAS, "child", [])


@pytest.mark.parametrize(
    "judgements",
    [
        [unable("recreation", "low")],  # a carer outcome on an adult assessment
        [unable("nutrition", "low"), unable("nutrition", "critical")],  # counted twice
        [unable("nutrition", "extreme")],  # unknown risk
        [Judgement("nutrition", False, None, "none", "low")],  # unable without a reason
    ],
)
def test_invalid_judgements_are_refused(judgements: list[Judgement]) -> None:
    with pytest.raises(ValueError, match="cannot be used for a budget"):
        indicative_budget(DEFAULT_RAS, "adult", judgements)
