"""Resource Allocation System: from eligible unmet need and risk to an indicative budget.

Pure Python, no Django. The worker has already judged, with the person, each outcome they
are unable to achieve, how much of it others already meet, and how serious the risk to
their wellbeing is if the rest stays unmet (``selfdirect.assessments.eligibility``). Each
such need gets points for its risk, scaled down by the share others already meet, and
points are priced per week. This follows the Doncaster approach of professional judgment
of eligible unmet need and risk rather than tick-box questionnaires, so the worker can
explain every figure.

The law this serves:

- Care Act 2014, s.26: the personal budget states the cost of meeting the needs. The
  statutory guidance asks that the indicative (upfront) figure be transparent, timely and
  sufficient, that councils publish how allocations are worked out (``describe``), that
  people are told the figure can move during planning, and that there are no arbitrary
  upper limits.
- R (KM) v Cambridgeshire CC [2012] UKSC 23 and R (Savva) v Kensington & Chelsea [2010]
  EWCA Civ 1209: a RAS is a lawful *starting point* only; the final figure must be
  rational, sufficient and explained. Hence a range, not a cap.
- Statutory guidance, chapter 6: care others provide does not affect eligibility but does
  reduce the unmet need the council meets, which is what ``unmet_share`` models.

All money is Decimal and rounded to pence with ROUND_HALF_UP. The weekly total is the sum
of the already-rounded contributions, so the lines in a letter always add up to the total.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal
from itertools import pairwise
from types import MappingProxyType

from selfdirect.assessments.eligibility import Judgement, validate_judgements
from selfdirect.assessments.outcomes import KINDS, MET_BY_OTHERS, RISK_LEVELS, outcomes_for

PENNY = Decimal("0.01")

_RISK_CODES: tuple[str, ...] = tuple(code for code, _ in RISK_LEVELS)
_MET_CODES: tuple[str, ...] = tuple(code for code, _ in MET_BY_OTHERS)
_RISK_LABELS: dict[str, str] = dict(RISK_LEVELS)
_MET_LABELS: dict[str, str] = dict(MET_BY_OTHERS)

# A fixed context, so a caller that changes the thread's decimal context cannot change a
# budget. 28 digits is Python's default and far more than pounds and pence need.
_CONTEXT = Context(prec=28, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class RasTable:
    """The points and price for one kind of assessment (adults or carers)."""

    points: Mapping[str, int]  # risk code -> points; must not fall as risk rises
    # met_by_others code -> share of the need still unmet (0 to 1); must not rise as more
    # of the need is met by others, so "none" has the largest share.
    unmet_share: Mapping[str, Decimal]
    price_per_point: Decimal  # pounds per point per week


@dataclass(frozen=True)
class RasConfig:
    """One published version of the RAS. Budgets record the version they were worked out by."""

    version: str
    adult: RasTable
    carer: RasTable
    # The range the final budget is expected to fall within, as multipliers of the
    # indicative amount. A guide for planning, not a cap: the final budget must be
    # sufficient (Care Act s.26; KM v Cambridgeshire).
    range_low: Decimal
    range_high: Decimal
    weeks_per_year: Decimal = Decimal("52")


@dataclass(frozen=True)
class Contribution:
    """What one need the person is unable to meet adds to the budget."""

    outcome: str
    risk: str
    met_by_others: str
    points: Decimal  # points[risk] * unmet_share[met_by_others]
    weekly: Decimal  # pounds, 2 dp


@dataclass(frozen=True)
class IndicativeBudget:
    """The upfront budget, in pounds to 2 dp. range_low and range_high are weekly amounts."""

    weekly: Decimal
    annual: Decimal
    range_low: Decimal
    range_high: Decimal
    ras_version: str
    # One per outcome the person is unable to achieve, in outcomes_for(kind) order,
    # including those worth 0.00 (e.g. all met by others), so every need is shown.
    contributions: tuple[Contribution, ...]


def _number(value: object) -> Decimal | None:
    """The value as a finite Decimal, or None if it is not an int or a finite Decimal.

    Floats are refused on purpose: 0.6 as a float is not 0.6, and pence would drift.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, Decimal) and value.is_finite():
        return value
    return None


def _check_keys(
    where: str, what: str, mapping: Mapping[str, object], expected: Sequence[str]
) -> list[str]:
    problems: list[str] = []
    missing = [code for code in expected if code not in mapping]
    extra = sorted(str(key) for key in mapping if key not in expected)
    if missing:
        problems.append(f"The {where} table has no {what} for: {', '.join(missing)}.")
    if extra:
        problems.append(f"The {where} table has {what} for unknown codes: {', '.join(extra)}.")
    return problems


def _validate_table(where: str, table: RasTable) -> list[str]:
    problems = _check_keys(where, "points", table.points, _RISK_CODES)
    problems += _check_keys(where, "unmet shares", table.unmet_share, _MET_CODES)

    points: list[tuple[str, Decimal]] = []
    for code in _RISK_CODES:
        if code not in table.points:
            continue
        value = _number(table.points[code])
        # Points are whole numbers: what a worker can explain, and what a version stores.
        if value is None or value != value.to_integral_value():
            problems.append(
                f"The {where} points for {code} must be a whole number, not {table.points[code]!r}."
            )
        elif value < 0:
            problems.append(f"The {where} points for {code} must not be negative ({value}).")
        else:
            points.append((code, value))
    # Monotone, so raising a risk can never lower a budget.
    for (lower, low_value), (higher, high_value) in pairwise(points):
        if high_value < low_value:
            problems.append(
                f"The {where} points for {higher} ({high_value}) are fewer than for {lower} "
                f"({low_value}); points must not go down as the risk rises."
            )

    shares: list[tuple[str, Decimal]] = []
    for code in _MET_CODES:
        if code not in table.unmet_share:
            continue
        value = _number(table.unmet_share[code])
        if value is None:
            problems.append(
                f"The {where} unmet share for {code} must be a Decimal or whole number, not "
                f"{table.unmet_share[code]!r}."
            )
        elif value < 0:
            problems.append(f"The {where} unmet share for {code} must not be negative ({value}).")
        elif value > 1:
            problems.append(
                f"The {where} unmet share for {code} must not be more than 1 ({value})."
            )
        else:
            shares.append((code, value))
    # Monotone the other way: the more others already meet, the less is left unmet, so
    # "none" (nothing met by others) must carry the largest share.
    for (less_met, less_value), (more_met, more_value) in pairwise(shares):
        if more_value > less_value:
            problems.append(
                f"The {where} unmet share for {more_met} ({more_value}) is larger than for "
                f"{less_met} ({less_value}); the share must not go up as more of the need is "
                "met by others."
            )

    price = _number(table.price_per_point)
    if price is None:
        problems.append(
            f"The {where} price per point must be a Decimal, not {table.price_per_point!r}."
        )
    elif price < 0:
        problems.append(f"The {where} price per point must not be negative ({price}).")
    return problems


def validate_config(config: RasConfig) -> list[str]:
    """Return plain-English problems with a RAS configuration, [] if it is fit to use.

    Beyond basic sanity, this enforces the monotone rules that make budgets explainable:
    more risk never means fewer points, more help from others never means more unmet need.
    """
    problems: list[str] = []
    if not isinstance(config.version, str) or not config.version.strip():
        problems.append("The RAS version is empty; every budget must record the version used.")
    problems += _validate_table("adult", config.adult)
    problems += _validate_table("carer", config.carer)

    low = _number(config.range_low)
    high = _number(config.range_high)
    if low is None:
        problems.append(f"The bottom of the range must be a Decimal, not {config.range_low!r}.")
    elif low < 0:
        problems.append(f"The bottom of the range must not be negative ({low}).")
    elif low > 1:
        # Otherwise the range would not contain the indicative budget itself.
        problems.append(f"The bottom of the range must not be more than 1 ({low}).")
    if high is None:
        problems.append(f"The top of the range must be a Decimal, not {config.range_high!r}.")
    elif high < 1:
        problems.append(f"The top of the range must not be less than 1 ({high}).")

    weeks = _number(config.weeks_per_year)
    if weeks is None:
        problems.append(f"Weeks per year must be a Decimal, not {config.weeks_per_year!r}.")
    elif weeks <= 0:
        problems.append(f"Weeks per year must be more than 0 ({weeks}).")
    return problems


def _require_valid(config: RasConfig) -> None:
    problems = validate_config(config)
    if problems:
        raise ValueError("The RAS configuration cannot be used: " + " ".join(problems))


def _table_for(config: RasConfig, kind: str) -> RasTable:
    if kind not in KINDS:
        raise ValueError(f"Unknown assessment kind {kind!r}: expected one of {', '.join(KINDS)}.")
    return config.carer if kind == "carer" else config.adult


def _pence(amount: Decimal) -> Decimal:
    return amount.quantize(PENNY, rounding=ROUND_HALF_UP, context=_CONTEXT)


def _contribution(table: RasTable, judgement: Judgement) -> Contribution:
    points = _CONTEXT.multiply(
        Decimal(table.points[judgement.risk]), Decimal(table.unmet_share[judgement.met_by_others])
    )
    weekly = _pence(_CONTEXT.multiply(points, Decimal(table.price_per_point)))
    return Contribution(
        outcome=judgement.outcome,
        risk=judgement.risk,
        met_by_others=judgement.met_by_others,
        points=points,
        weekly=weekly,
    )


def indicative_budget(
    config: RasConfig, kind: str, judgements: Sequence[Judgement]
) -> IndicativeBudget:
    """Work out the indicative (upfront) personal budget from the worker's judgements.

    Only outcomes the person is unable to achieve (``achievable`` False) contribute: the
    eligible unmet need. Whether the person is eligible at all is decided first, by
    ``decide_eligibility``; this does not repeat that. The carer table is used for kind
    "carer".

    The result is a starting point for planning, not a cap (KM v Cambridgeshire [2012]
    UKSC 23); ``range_low`` and ``range_high`` show how far it is expected to move.

    Raises ValueError for an invalid config, an unknown kind, or invalid judgements.
    """
    _require_valid(config)
    table = _table_for(config, kind)
    problems = validate_judgements(kind, judgements)
    if problems:
        raise ValueError("The judgements cannot be used for a budget: " + " ".join(problems))

    unable = {j.outcome: j for j in judgements if not j.achievable}
    # In the regulation's order, whatever order the judgements came in, so the same
    # assessment always gives the same breakdown.
    contributions = tuple(
        _contribution(table, unable[code]) for code, _ in outcomes_for(kind) if code in unable
    )
    # The total is the sum of the rounded parts, so the parts always add up exactly.
    weekly = _pence(sum((c.weekly for c in contributions), Decimal("0.00")))
    return IndicativeBudget(
        weekly=weekly,
        annual=_pence(_CONTEXT.multiply(weekly, Decimal(config.weeks_per_year))),
        range_low=_pence(_CONTEXT.multiply(weekly, Decimal(config.range_low))),
        range_high=_pence(_CONTEXT.multiply(weekly, Decimal(config.range_high))),
        ras_version=config.version,
        contributions=contributions,
    )


def _plain(value: Decimal | int) -> str:
    """A number as people write it: 12, 0.5, never 1.2E+1 or 12.00."""
    return f"{Decimal(value).normalize(_CONTEXT):f}"


def _percent(share: Decimal | int) -> str:
    return f"{_plain(_CONTEXT.multiply(Decimal(share), Decimal(100)))}%"


def _money(amount: Decimal) -> str:
    return f"£{_pence(amount):,.2f}"


def _points_phrase(table: RasTable) -> str:
    parts = [f"{_RISK_LABELS[code].lower()} {_plain(table.points[code])}" for code in _RISK_CODES]
    return f"{', '.join(parts[:-1])} and {parts[-1]}"


def _shares_phrase(table: RasTable) -> str:
    parts = [
        f"{_MET_LABELS[code].lower()}, {_percent(table.unmet_share[code])}" for code in _MET_CODES
    ]
    return "; ".join(parts)


def describe(config: RasConfig) -> list[str]:
    """Explain in plain English how budgets are worked out from this config.

    For the public transparency page: the statutory guidance on personal budgets asks
    councils to publish how allocations are worked out. Raises ValueError for an invalid
    config, so a page can never publish rules that the calculator would refuse.
    """
    _require_valid(config)
    adult, carer = config.adult, config.carer
    example_points = _CONTEXT.multiply(
        Decimal(adult.points["substantial"]), Decimal(adult.unmet_share["none"])
    )
    example = _money(_CONTEXT.multiply(example_points, Decimal(adult.price_per_point)))

    sentences = [
        f"This is version {config.version} of how we work out indicative budgets.",
        "We start from the needs you are eligible for: each outcome you are unable to achieve.",
        "Each need you cannot meet is given points by how serious the risk to your wellbeing "
        f"is: {_points_phrase(adult)}.",
        "If family, friends, your community or your own strengths already meet part of a need, "
        "only the part still unmet counts. Depending on how much of the need is already met, "
        f"you get this share of the points: {_shares_phrase(adult)}.",
        f"Each point is worth {_money(adult.price_per_point)} a week.",
        f"For example, one need with a substantial risk, none of it met by others, is "
        f"{_plain(example_points)} points, or {example} a week.",
    ]
    carer_shares = (
        "the same shares for help already given"
        if all(
            Decimal(carer.unmet_share[code]) == Decimal(adult.unmet_share[code])
            for code in _MET_CODES
        )
        else f"these shares for help already given: {_shares_phrase(carer)}"
    )
    sentences.append(
        f"For carers, the points are {_points_phrase(carer)}, with {carer_shares}, and each "
        f"point is worth {_money(carer.price_per_point)} a week."
    )
    sentences += [
        "The amount for each need is rounded to the nearest penny, and your weekly indicative "
        "budget is the total of those amounts, so you can see what each need adds.",
        f"The yearly figure is the weekly budget multiplied by {_plain(config.weeks_per_year)}.",
        "The indicative budget is a starting point for planning your support, not a limit. "
        "Your final budget may be different once we have planned your support with you: we "
        f"expect it usually to be between {_percent(config.range_low)} and "
        f"{_percent(config.range_high)} of the indicative amount, and we will explain any "
        "change.",
        "Your final budget must be enough to meet your eligible needs. If you think it is "
        "not, you can ask us to look at it again.",
    ]
    return sentences


# MappingProxyType makes the shared default read-only: a frozen dataclass does not stop
# someone changing a dict inside it, which would silently change every later budget.
DEFAULT_RAS: RasConfig = RasConfig(
    version="2026.1",
    adult=RasTable(
        points=MappingProxyType({"low": 2, "moderate": 6, "substantial": 12, "critical": 20}),
        unmet_share=MappingProxyType(
            {
                "none": Decimal("1"),
                "some": Decimal("0.6"),
                "most": Decimal("0.3"),
                "all": Decimal("0"),
            }
        ),
        price_per_point=Decimal("6.00"),
    ),
    carer=RasTable(
        points=MappingProxyType({"low": 1, "moderate": 3, "substantial": 6, "critical": 10}),
        unmet_share=MappingProxyType(
            {
                "none": Decimal("1"),
                "some": Decimal("0.6"),
                "most": Decimal("0.3"),
                "all": Decimal("0"),
            }
        ),
        price_per_point=Decimal("5.00"),
    ),
    range_low=Decimal("0.85"),
    range_high=Decimal("1.25"),
    weeks_per_year=Decimal("52"),
)
