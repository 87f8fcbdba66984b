"""What if this draft RAS were live? Everyone's indicative budget worked out again, at once.

The current population (the definition lives here, and only here):

    every person who is alive (no date of death), whose latest completed assessment (the
    newest `completed_at`, then the highest id; either kind) found them eligible, and whose
    support has not been ended at a review completed after that assessment.

Each of them is priced from the judgements of that assessment twice: by the live RAS and by
the draft. "Before" is the live RAS worked out again now, not the figure the person was
issued: an issued budget may come from an older version, and the page is about what the
draft changes. Nobody's budget is changed by any of this (budgets never change after issue;
a published version prices only assessments completed afterwards).

How it stays fast (targets P5) and exact. ras.py is the only arithmetic. The amount one need
adds depends only on the kind of assessment, its risk and how much others meet: 2 × 4 × 4 =
32 cases. So the 32 amounts, in pennies, are taken from ras.indicative_budget itself (which
rounds each need to the penny, half up), and each person's weekly budget is the sum of their
needs' amounts: a count of their needs in each case (one integer matrix, built once from
two queries) times the 32 amounts. Integer pennies throughout, so the sums are exact; the
yearly figure is the weekly one times weeks per year, rounded half up to the penny as
ras.py does, worked out once per distinct weekly amount. `reprice_per_record` is the
obvious loop (one query per person, ras.py per person) the tests and bench/p5_whatif.py
hold this to, person by person.

Outcomes a person can achieve add nothing (ras.py counts only the needs they are unable to
meet), so only those judgements are read.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Final

import numpy as np
import numpy.typing as npt
from django.db import connection
from django.db.models import (
    Case,
    Exists,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)

from selfdirect.assessments.eligibility import Judgement
from selfdirect.assessments.models import Assessment, AssessmentStatus
from selfdirect.assessments.outcomes import MET_BY_OTHERS, RISK_LEVELS, outcomes_for
from selfdirect.budgets import ras
from selfdirect.dashboards.tables import (
    CellValue,
    ChartSpec,
    Figure,
    Series,
    Table,
    chart_value,
    columns,
    count,
    derived,
    format_value,
)
from selfdirect.people.codes import PRIMARY_SUPPORT_REASON
from selfdirect.reviews.models import Review
from selfdirect.reviews.schedule import END_AS_PLANNED, END_OTHER

Int64Array = npt.NDArray[np.int64]

# The order of the 32 cases: kind, then risk, then how much others meet.
KIND_CODES: Final = ("adult", "carer")
RISK_CODES: Final = tuple(code for code, _ in RISK_LEVELS)
MET_CODES: Final = tuple(code for code, _ in MET_BY_OTHERS)
CASES: Final = len(KIND_CODES) * len(RISK_CODES) * len(MET_CODES)


def _case(kind: int, risk: int, met: int) -> int:
    return (kind * len(RISK_CODES) + risk) * len(MET_CODES) + met


# --- The population ----------------------------------------------------------------------


def population_assessments() -> QuerySet[Assessment]:
    """The assessment that prices each person in the current population (see the module)."""
    later = Assessment.objects.filter(
        person_id=OuterRef("person_id"), status=AssessmentStatus.COMPLETED
    ).filter(
        Q(completed_at__gt=OuterRef("completed_at"))
        | Q(completed_at=OuterRef("completed_at"), id__gt=OuterRef("id"))
    )
    ended = Review.objects.filter(
        person_id=OuterRef("person_id"),
        decision__in=(END_AS_PLANNED, END_OTHER),
        completed_at__gt=OuterRef("completed_at"),
    )
    return Assessment.objects.filter(
        status=AssessmentStatus.COMPLETED,
        eligible=True,
        person__date_of_death__isnull=True,
    ).filter(~Exists(later), ~Exists(ended))


@dataclass(frozen=True)
class Population:
    """The current population as arrays, one entry per person, in assessment id order."""

    assessment_ids: Int64Array
    team_ids: Int64Array
    # Index of the person's primary support reason in people.codes.PRIMARY_SUPPORT_REASON,
    # -1 for none recorded (or a code no longer in the list).
    psr: Int64Array
    # needs[i, c]: how many of person i's unmet needs fall in case c (see _case).
    needs: Int64Array

    @property
    def size(self) -> int:
        return len(self.assessment_ids)


PSR_CODES: Final = tuple(code for code, _ in PRIMARY_SUPPORT_REASON)
_NONE: Final = -1000  # a person with no unmet need: their one row has no risk


def _index(field: str, codes: Sequence[str], default: int) -> Case:
    """FIELD's code as its place in CODES, worked out by the database."""
    return Case(
        *[When(**{field: code}, then=Value(i)) for i, code in enumerate(codes)],
        default=Value(default),
        output_field=IntegerField(),
    )


@functools.cache
def _population_sql(vendor: str) -> tuple[str, tuple[Any, ...]]:
    """The population query as SQL, built once for each kind of database: it never changes,
    and building it through the ORM takes longer than pricing a council of 10,000."""
    query = (
        population_assessments()
        .annotate(unable=FilteredRelation("judgements", condition=Q(judgements__achievable=False)))
        .annotate(
            psr=_index("person__primary_support_reason", PSR_CODES, -1),
            kind_index=_index("kind", KIND_CODES, 0),
            risk_index=_index("unable__risk", RISK_CODES, _NONE),
            met_index=_index("unable__met_by_others", MET_CODES, _NONE),
        )
        .order_by()
        .values_list("id", "person__team_id", "psr", "kind_index", "risk_index", "met_index")
    )
    sql, params = query.query.sql_with_params()
    return sql, tuple(params)


def population_load() -> Population:
    """The population and its needs, in one query whatever its size.

    One row per need the person is unable to meet (a person with none still has one row,
    with no risk), so the population's definition is worked out once. Every column is a
    whole number (codes become their place in their list, in SQL), and the rows are read
    straight from the cursor into one numpy array: at 100,000 people, building Django's
    result tuples and looking codes up in Python would take longer than the database does.
    """
    sql, params = _population_sql(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    rows = np.fromiter(
        itertools.chain.from_iterable(found), dtype=np.int64, count=len(found) * 6
    ).reshape(-1, 6)
    ids, first, person_of_row = np.unique(rows[:, 0], return_index=True, return_inverse=True)
    kind, risk, met = rows[:, 3], rows[:, 4], rows[:, 5]
    needed = (risk >= 0) & (met >= 0)
    cases = (kind * len(RISK_CODES) + risk) * len(MET_CODES) + met
    size = len(ids)
    needs = np.bincount(
        person_of_row.reshape(-1)[needed] * CASES + cases[needed], minlength=size * CASES
    ).reshape(size, CASES)
    return Population(
        assessment_ids=ids,
        team_ids=rows[first, 1],
        psr=rows[first, 2],
        needs=needs.astype(np.int64),
    )


# --- Pricing -----------------------------------------------------------------------------


def need_pennies(config: ras.RasConfig) -> Int64Array:
    """What one need adds a week in each of the 32 cases, in pennies, from ras.py itself.

    ras.indicative_budget is asked about made-up assessments that judge each case on a
    different outcome (as many cases at a time as the kind has outcomes), and each
    contribution it gives back is one case's amount, rounded to the penny by ras.py.
    """
    amounts = np.zeros(CASES, dtype=np.int64)
    for kind, kind_code in enumerate(KIND_CODES):
        outcomes = [code for code, _ in outcomes_for(kind_code)]
        levels = [(risk, met) for risk in RISK_CODES for met in MET_CODES]
        for start in range(0, len(levels), len(outcomes)):
            chunk = levels[start : start + len(outcomes)]
            needs = [
                Judgement(outcome, False, "without_assistance", met, risk)
                for outcome, (risk, met) in zip(outcomes, chunk, strict=False)
            ]
            for need in ras.indicative_budget(config, kind_code, needs).contributions:
                case = _case(kind, RISK_CODES.index(need.risk), MET_CODES.index(need.met_by_others))
                amounts[case] = _to_pennies(need.weekly)
    return amounts


def _to_pennies(pounds: Decimal) -> int:
    return int(pounds.scaleb(2).to_integral_value())


def annual_pennies(weekly: Int64Array, weeks_per_year: Decimal) -> Int64Array:
    """Weekly pennies times weeks per year, rounded half up to the penny, as ras.py does."""
    weeks = Decimal(weeks_per_year)
    if weeks == weeks.to_integral_value():  # 52: whole pennies already, nothing to round
        return weekly * int(weeks)
    distinct, where = np.unique(weekly, return_inverse=True)
    yearly = np.fromiter(
        (
            int((Decimal(int(w)) * weeks).to_integral_value(rounding=ROUND_HALF_UP))
            for w in distinct
        ),
        dtype=np.int64,
        count=len(distinct),
    )
    return yearly[where.reshape(-1)]


@dataclass(frozen=True)
class Priced:
    """Everyone's budget under one RAS, in pennies, in Population order."""

    weekly: Int64Array
    annual: Int64Array


def price(population: Population, config: ras.RasConfig) -> Priced:
    weekly = population.needs @ need_pennies(config)
    return Priced(weekly=weekly, annual=annual_pennies(weekly, config.weeks_per_year))


@dataclass(frozen=True)
class Repricing:
    population: Population
    before: Priced  # the live RAS
    after: Priced  # the draft

    def by_assessment(self) -> dict[int, tuple[int, int, int, int]]:
        """assessment id -> (weekly before, weekly after, annual before, annual after), pennies;
        the form `reprice_per_record` gives, so the two can be compared person by person."""
        return {
            int(a): (int(wb), int(wa), int(yb), int(ya))
            for a, wb, wa, yb, ya in zip(
                self.population.assessment_ids,
                self.before.weekly,
                self.after.weekly,
                self.before.annual,
                self.after.annual,
                strict=True,
            )
        }


def reprice(live: ras.RasConfig, draft: ras.RasConfig) -> Repricing:
    """The current population priced by the live RAS and by the draft (vectorised)."""
    population = population_load()
    return Repricing(population, price(population, live), price(population, draft))


def reprice_per_record(
    live: ras.RasConfig, draft: ras.RasConfig
) -> dict[int, tuple[int, int, int, int]]:
    """The same, the slow obvious way: each person's judgements read from the database and
    priced by ras.indicative_budget, one person at a time. The reference for tests and P5."""
    result: dict[int, tuple[int, int, int, int]] = {}
    for assessment in population_assessments().order_by("id"):
        judgements = [
            Judgement(
                outcome=j.outcome,
                achievable=j.achievable,
                unable_reason=j.unable_reason or None,
                met_by_others=j.met_by_others,
                risk=j.risk,
                reason=j.reason,
            )
            for j in assessment.judgements.all()
        ]
        before = ras.indicative_budget(live, assessment.kind, judgements)
        after = ras.indicative_budget(draft, assessment.kind, judgements)
        result[assessment.pk] = (
            _to_pennies(before.weekly),
            _to_pennies(after.weekly),
            _to_pennies(before.annual),
            _to_pennies(after.annual),
        )
    return result


# --- Summaries ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """Who gains, who loses and by how much, for one group (or everyone). Money in pennies."""

    label: str
    people: int
    annual_before: int
    annual_after: int
    gain: int
    lose: int
    same: int
    weekly_gained: int  # the total of the weekly rises of those who gain
    weekly_lost: int  # the total of the weekly falls of those who lose (positive)
    median_gain: int | None  # weekly, among those who gain; half pennies rounded up
    median_loss: int | None  # weekly, among those who lose (positive)
    median_change: int | None  # weekly, among everyone in the group

    @property
    def annual_difference(self) -> int:
        return self.annual_after - self.annual_before


def _median(values: Int64Array) -> int | None:
    if len(values) == 0:
        return None
    # The median of whole pennies is a whole or a half penny: a half is rounded away from
    # zero, as ROUND_HALF_UP does in ras.py.
    ordered = np.sort(values)
    doubled = int(ordered[(len(values) - 1) // 2] + ordered[len(values) // 2])
    return (abs(doubled) + 1) // 2 * (1 if doubled >= 0 else -1)


def change(label: str, before: Priced, after: Priced, mask: npt.NDArray[np.bool_]) -> Change:
    difference = after.weekly[mask] - before.weekly[mask]
    gains = difference[difference > 0]
    losses = -difference[difference < 0]
    return Change(
        label=label,
        people=int(mask.sum()),
        annual_before=int(before.annual[mask].sum()),
        annual_after=int(after.annual[mask].sum()),
        gain=len(gains),
        lose=len(losses),
        same=int((difference == 0).sum()),
        weekly_gained=int(gains.sum()),
        weekly_lost=int(losses.sum()),
        median_gain=_median(gains),
        median_loss=_median(losses),
        median_change=_median(difference),
    )


def changes_by(
    repricing: Repricing, keys: Int64Array, labels: Sequence[tuple[int, str]]
) -> list[Change]:
    """One Change per (key, label) in LABELS that has anyone in it, in that order; KEYS
    holds each person's key, in Population order."""
    result = []
    for key, label in labels:
        mask = keys == key
        if mask.any():
            result.append(change(label, repricing.before, repricing.after, mask))
    return result


@dataclass(frozen=True)
class Band:
    label: str
    before: int
    after: int


# Band widths to choose from, in pounds: round numbers people read at a glance.
_WIDTHS: Final = (10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000)


def bands(before: Int64Array, after: Int64Array, *, most: int = 12) -> list[Band]:
    """How many people fall in each band of weekly budget, before and after.

    £0 (every need met by others, or a carer eligible with no unmet need) is a band of its
    own; then bands of one round width, the narrowest that puts 95 in 100 budgets below
    the last band, which is open ("£600 or more"), so a few very large budgets cannot
    squash the picture. MOST bands in all.
    """
    both = np.concatenate([before, after])
    if len(both) == 0:
        return []
    top = int(np.percentile(both, 95))
    closed = most - 2  # besides the £0 band and the open one
    width = next((w * 100 for w in _WIDTHS if top <= w * 100 * closed), _WIDTHS[-1] * 100)
    count = max(1, -(-top // width))

    def counts(values: Int64Array) -> list[int]:
        index = np.where(values == 0, 0, np.minimum(values // width, count) + 1)
        return [int(n) for n in np.bincount(index, minlength=count + 2)]

    labels = ["£0", f"£0.01 to £{width // 100 - 1:,}.99"]
    labels += [
        f"£{(i - 1) * width // 100:,} to £{i * width // 100 - 1:,}.99" for i in range(2, count + 1)
    ]
    labels.append(f"£{count * width // 100:,} or more")
    return [
        Band(label, b, a) for label, b, a in zip(labels, counts(before), counts(after), strict=True)
    ]


# --- The page: figures as tables (and CSV) with their charts --------------------------------
#
# Aggregates only, nobody named. Suppressed as the figures pages are (dashboards.tables):
# a count from 1 to 4 is shown as "fewer than 5", and money or a median worked out from such
# a count is "not shown", on the page, in the charts and in the downloads.


def _pounds(pennies: int | None) -> Decimal | None:
    return None if pennies is None else Decimal(pennies).scaleb(-2)


def format_cell(value: CellValue, kind: str, *, plain: bool = False) -> str:
    """As dashboards.tables.format_value, with one more kind: "change", money that may go
    down, written +£1.50 / −£1.50 (or, PLAIN, for the CSV, 1.50 / -1.50)."""
    if kind == "change" and isinstance(value, Decimal):
        if plain:
            return f"{value:.2f}"
        sign = "+" if value > 0 else "−" if value < 0 else ""
        return f"{sign}£{abs(value):,.2f}"
    return format_value(value, "money" if kind == "change" else kind, plain=plain)


@dataclass(frozen=True)
class ChangeTable(Table):
    """A dashboards Table whose money columns may be changes (kind "change")."""

    def html_rows(self) -> list[list[dict[str, object]]]:
        return [
            [
                {"text": format_cell(value, column.kind), "numeric": column.numeric}
                for value, column in zip(row, self.columns, strict=True)
            ]
            for row in self.rows
        ]

    def csv_rows(self) -> list[list[str]]:
        body = [
            [
                format_cell(value, column.kind, plain=True)
                for value, column in zip(row, self.columns, strict=True)
            ]
            for row in self.rows
        ]
        return [[column.label for column in self.columns], *body]


@dataclass(frozen=True)
class Headline:
    """The whole population's figures, suppressed as the tables are."""

    people: int | str
    annual_before: CellValue
    annual_after: CellValue
    annual_difference: CellValue
    percent_difference: CellValue
    gain: int | str
    lose: int | str
    same: int | str
    weekly_gained: CellValue
    weekly_lost: CellValue
    median_gain: CellValue
    median_loss: CellValue

    def items(self) -> list[tuple[str, CellValue, str]]:
        """(label, value, kind) in the order the page and the CSV give them."""
        return [
            ("People in the current population", self.people, "count"),
            ("Yearly cost with the live RAS", self.annual_before, "money"),
            ("Yearly cost with the draft", self.annual_after, "money"),
            ("Difference a year", self.annual_difference, "change"),
            ("Difference a year, as a percentage", self.percent_difference, "text"),
            ("People whose budget would go up", self.gain, "count"),
            ("Total of the rises, a week", self.weekly_gained, "money"),
            ("Median rise, a week", self.median_gain, "money"),
            ("People whose budget would go down", self.lose, "count"),
            ("Total of the falls, a week", self.weekly_lost, "money"),
            ("Median fall, a week", self.median_loss, "money"),
            ("People whose budget would stay the same", self.same, "count"),
        ]

    def rows(self, *, plain: bool = False) -> list[tuple[str, str]]:
        return [(label, format_cell(v, kind, plain=plain)) for label, v, kind in self.items()]

    def csv_rows(self) -> list[list[str]]:
        return [["Figure", "Value"], *[list(row) for row in self.rows(plain=True)]]


def headline(everyone: Change) -> Headline:
    n = everyone.people
    percent: CellValue = None
    if everyone.annual_before:
        share = Decimal(everyone.annual_difference * 100) / Decimal(everyone.annual_before)
        percent = f"{share.quantize(Decimal('0.1'), rounding=ROUND_HALF_UP):+}%"
    return Headline(
        people=count(n),
        annual_before=derived(_pounds(everyone.annual_before), n),
        annual_after=derived(_pounds(everyone.annual_after), n),
        annual_difference=derived(_pounds(everyone.annual_difference), n),
        percent_difference=derived(percent, n),  # type: ignore[arg-type]
        gain=count(everyone.gain),
        lose=count(everyone.lose),
        same=count(everyone.same),
        weekly_gained=derived(_pounds(everyone.weekly_gained), everyone.gain),
        weekly_lost=derived(_pounds(everyone.weekly_lost), everyone.lose),
        median_gain=derived(_pounds(everyone.median_gain), everyone.gain),
        median_loss=derived(_pounds(everyone.median_loss), everyone.lose),
    )


GROUP_COLUMNS: Final = (
    ("People", "count"),
    ("Yearly cost, live RAS", "money"),
    ("Yearly cost, draft", "money"),
    ("Difference a year", "change"),
    ("Go up", "count"),
    ("Go down", "count"),
    ("Stay the same", "count"),
    ("Median change a week", "change"),
)


def _group_row(group: Change) -> tuple[CellValue, ...]:
    n = group.people
    return (
        group.label,
        count(n),
        derived(_pounds(group.annual_before), n),
        derived(_pounds(group.annual_after), n),
        derived(_pounds(group.annual_difference), n),
        count(group.gain),
        count(group.lose),
        count(group.same),
        derived(_pounds(group.median_change), n),
    )


def _group_figure(key: str, title: str, first: str, groups: list[Change]) -> Figure:
    """A breakdown as a table only: with up to 80 teams a chart would be unreadable, and a
    chart costs a quarter of a second to draw, which the page cannot spare at 100,000."""
    table = ChangeTable(
        caption=f"{title}: people, yearly cost and changes",
        columns=columns(first, *GROUP_COLUMNS),
        rows=tuple(_group_row(group) for group in groups),
    )
    spec = ChartSpec(labels=(), series=(), axis_label="", kind="money")
    return Figure(
        key=key,
        title=title,
        table=table,
        chart=spec,
        definition=(
            "People: the current population in each group. Yearly cost: the total of their "
            "yearly indicative budgets, with the live RAS and with the draft. Go up, go down, "
            "stay the same: how many people's weekly budget would change that way. Median "
            "change: the middle weekly change in the group, counting those whose budget stays "
            "the same.",
        ),
    )


@dataclass(frozen=True)
class Report:
    headline: Headline
    figures: tuple[Figure, ...]

    def figure(self, key: str) -> Figure | None:
        return next((f for f in self.figures if f.key == key), None)


def report(
    repricing: Repricing, *, live_label: str, draft_label: str, team_names: dict[int, str]
) -> Report:
    """The what-if page's figures: the headline, the budget bands before and after, and the
    changes by primary support reason and by team."""
    before, after = repricing.before, repricing.after
    population = repricing.population
    everyone = change("Everyone", before, after, np.ones(population.size, dtype=bool))

    band_list = bands(before.weekly, after.weekly)
    band_table = Table(
        caption="How many people have a weekly indicative budget in each band",
        columns=columns(
            "Weekly budget", (f"People, {live_label}", "count"), (f"People, {draft_label}", "count")
        ),
        rows=tuple((band.label, count(band.before), count(band.after)) for band in band_list),
    )
    histogram = Figure(
        key="bands",
        title="Weekly budgets, with the live RAS and with the draft",
        table=band_table,
        chart=ChartSpec(
            labels=tuple(band.label for band in band_list),
            series=(
                Series(live_label, tuple(chart_value(row[1]) for row in band_table.rows)),
                Series(draft_label, tuple(chart_value(row[2]) for row in band_table.rows)),
            ),
            axis_label="People",
            kind="count",
        ),
        definition=(
            "Each person's weekly indicative budget worked out from their latest eligible "
            "assessment, with the live RAS and with the draft. The bands have one width, "
            "chosen so that about 95 in 100 budgets fall below the last band, which has no "
            "top. £0 is a band of its own: people whose needs are all met by others, and "
            "carers who are eligible with no unmet need.",
        ),
    )

    psr_labels = [(i, label) for i, (_, label) in enumerate(PRIMARY_SUPPORT_REASON)]
    by_psr = changes_by(repricing, population.psr, [*psr_labels, (-1, "Not recorded")])
    teams = sorted(team_names.items(), key=lambda item: item[1])
    by_team = changes_by(repricing, population.team_ids, teams)
    return Report(
        headline=headline(everyone),
        figures=(
            histogram,
            _group_figure("psr", "By primary support reason", "Primary support reason", by_psr),
            _group_figure("team", "By team", "Team", by_team),
        ),
    )
