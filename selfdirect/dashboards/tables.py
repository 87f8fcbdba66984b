"""A figure as data: its table (shown on the page and downloaded as CSV) and what its chart
draws. Pure, no Django.

Suppression happens before a value reaches a table: a suppressed count is already the text
"fewer than 5", a figure worked out from one is already "not shown". So the page, the chart
and the CSV can only ever show what is safe to show.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from selfdirect.dashboards.figures import NOT_SHOWN, shown
from selfdirect.reviews.learning import SUPPRESSED

CellValue = int | float | Decimal | str | None

# How a column's numbers are written: "text", "count", "days", "rate", "percent", "money".
KINDS = ("text", "count", "days", "rate", "percent", "money")


@dataclass(frozen=True)
class Column:
    label: str
    kind: str = "text"

    @property
    def numeric(self) -> bool:
        return self.kind != "text"


@dataclass(frozen=True)
class Table:
    """Rows of values under COLUMNS; the first column of each row names the row."""

    caption: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[CellValue, ...], ...]

    def html_rows(self) -> list[list[dict[str, object]]]:
        return [
            [
                {"text": format_value(value, column.kind), "numeric": column.numeric}
                for value, column in zip(row, self.columns, strict=True)
            ]
            for row in self.rows
        ]

    def csv_rows(self) -> list[list[str]]:
        header = [column.label for column in self.columns]
        body = [
            [
                format_value(value, column.kind, plain=True)
                for value, column in zip(row, self.columns, strict=True)
            ]
            for row in self.rows
        ]
        return [header, *body]


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float | None, ...]


@dataclass(frozen=True)
class ChartSpec:
    """What a horizontal bar chart draws: one bar per label for each series (None: not drawn,
    because the value is suppressed or there is none)."""

    labels: tuple[str, ...]
    series: tuple[Series, ...]
    axis_label: str
    # How the numbers at the end of the bars are written (a column kind, as in the table).
    kind: str = "count"

    @property
    def empty(self) -> bool:
        """Nothing worth drawing: no bars, or every one is 0 or suppressed."""
        return not any(v for s in self.series for v in s.values)

    @property
    def drawn(self) -> ChartSpec:
        """Only the labels with something to draw: a group whose every value is suppressed or
        missing is left out of the chart (it is still in the table)."""
        keep = [
            i for i in range(len(self.labels)) if any(s.values[i] is not None for s in self.series)
        ]
        return ChartSpec(
            labels=tuple(self.labels[i] for i in keep),
            series=tuple(Series(s.name, tuple(s.values[i] for i in keep)) for s in self.series),
            axis_label=self.axis_label,
            kind=self.kind,
        )

    @property
    def has_gaps(self) -> bool:
        return len(self.drawn.labels) < len(self.labels)


@dataclass(frozen=True)
class Figure:
    key: str
    title: str
    table: Table
    chart: ChartSpec
    # How the figure is worked out, in plain English: one paragraph per item.
    definition: tuple[str, ...]


def count(value: int) -> int | str:
    """A count as it may be shown: 1 to 4 becomes "fewer than 5"."""
    return SUPPRESSED if shown(value) is None else value


def derived(value: float | Decimal | None, *counts: int) -> float | Decimal | str | None:
    """A figure worked out from COUNTS: "not shown" when any of them is suppressed."""
    if any(shown(c) is None for c in counts):
        return NOT_SHOWN
    return value


def chart_value(value: CellValue) -> float | None:
    """What a chart may draw for a table value: numbers only, never a suppressed cell."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None
    return float(value)


def format_value(value: CellValue, kind: str, *, plain: bool = False) -> str:
    """VALUE as the page shows it (or, PLAIN, as the CSV holds it: no commas or pound signs)."""
    if value is None:
        return "" if plain else "no data"
    if isinstance(value, str):
        return value
    if kind == "count":
        return str(int(value)) if plain else f"{int(value):,}"
    if kind == "days":
        return _trimmed(float(value), 1, plain)
    if kind == "rate":
        return _trimmed(float(value), 2, plain, trim=False)
    if kind == "percent":
        return f"{float(value):.0f}" if plain else f"{float(value):.0f}%"
    if kind == "money":
        return f"{float(value):.2f}" if plain else f"£{float(value):,.2f}"
    return str(value)


def _trimmed(value: float, places: int, plain: bool, *, trim: bool = True) -> str:
    text = f"{value:.{places}f}" if plain else f"{value:,.{places}f}"
    if trim and "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def columns(*specs: tuple[str, str] | str) -> tuple[Column, ...]:
    """Columns from labels, or (label, kind) pairs."""
    return tuple(Column(s) if isinstance(s, str) else Column(*s) for s in specs)


def rows(data: Sequence[Sequence[CellValue]]) -> tuple[tuple[CellValue, ...], ...]:
    return tuple(tuple(row) for row in data)
