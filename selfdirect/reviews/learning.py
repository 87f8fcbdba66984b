"""Learning from reviews for commissioners: anonymised counts with small numbers suppressed.
Pure, no Django.

A count is the number of *people* whose review raised a theme, not the number of points, so
one person cannot be counted twice. Counts of 1 to 4 are shown as "fewer than 5" (the usual
rule for social care statistics), and quotes are shown only for themes whose count is not
suppressed, and only from people who agreed to their words being shared.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

THRESHOLD = 5
SUPPRESSED = "fewer than 5"


def shown(count: int) -> int | None:
    """The count to show, or None when it must be suppressed (1 to 4)."""
    return None if 0 < count < THRESHOLD else count


def display(count: int) -> str:
    value = shown(count)
    return SUPPRESSED if value is None else str(value)


@dataclass(frozen=True)
class Cell:
    theme: str
    split: str
    working: int
    not_working: int

    @property
    def working_shown(self) -> str:
        return display(self.working)

    @property
    def not_working_shown(self) -> str:
        return display(self.not_working)

    @property
    def quotable(self) -> bool:
        """Quotes only where nothing in the row is suppressed, so a quote cannot point to
        one of a handful of people."""
        counts = (self.working, self.not_working)
        return any(counts) and all(shown(c) is not None for c in counts)


def cells(rows: Iterable[tuple[str, str, str, int]]) -> list[Cell]:
    """From (theme, split, kind, people) rows to one cell per theme and split, in order."""
    table: dict[tuple[str, str], dict[str, int]] = {}
    for theme, split, kind, people in rows:
        table.setdefault((theme, split), {"working": 0, "not_working": 0})[kind] += people
    return [
        Cell(theme, split, counts["working"], counts["not_working"])
        for (theme, split), counts in sorted(table.items())
    ]


def quarter_label(day: datetime.date) -> str:
    """Financial-year quarters, as councils report them: April to June is Q1."""
    q = (day.month - 4) % 12 // 3 + 1
    year = day.year if day.month >= 4 else day.year - 1
    return f"{year}/{str(year + 1)[2:]} Q{q}"
