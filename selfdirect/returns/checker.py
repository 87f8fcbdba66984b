"""Data quality of a Client Level Data file, field by field, as the national checks classify it.

Pure Python, no Django. Every field of every row gets one status, as DHSC's data-quality
tool gives it: Passed: Valid, Passed: Blank (Not Mandatory), Failed: Blank (Mandatory),
Failed: Invalid, or Failed: Release 1 (a value spelt as the old release spelt it). Whether a
field is mandatory or applicable in a row comes from the spec's own conditions
(`mandatory_when`, `applicable_when`), evaluated here; value lists, patterns, number rules
and the cross-field date rules come from the spec too. Nothing in this module knows a
field by name except through the spec, so a new spec is a new file, not new code.
"""

from __future__ import annotations

import csv
import datetime
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any, TextIO

from selfdirect.people import nhs_number
from selfdirect.returns.spec import Field, Spec, header_key, load

VALID = "Passed: Valid"
BLANK_OK = "Passed: Blank (Not Mandatory)"
BLANK_MANDATORY = "Failed: Blank (Mandatory)"
INVALID = "Failed: Invalid"
RELEASE_1 = "Failed: Release 1"
STATUSES = (VALID, BLANK_OK, BLANK_MANDATORY, INVALID, RELEASE_1)
FAILED = frozenset({BLANK_MANDATORY, INVALID, RELEASE_1})

PERSON_ID = "LA_Person_Unique_Identifier"


@dataclass(frozen=True)
class Finding:
    """One field of one row that failed. ROW counts data rows from 1 (the header is line 1)."""

    row: int
    field: str
    status: str
    value: str
    message: str
    person_id: str
    event_type: str

    @property
    def line(self) -> int:
        return self.row + 1


@dataclass
class Report:
    rows: int = 0
    counts: dict[str, Counter[str]] = field(default_factory=dict)
    failures: list[Finding] = field(default_factory=list)
    failure_count: int = 0
    header_problems: list[str] = field(default_factory=list)
    # Rows outside the rolling period: reported as warnings only, as DHSC does.
    period_warnings: int = 0

    @property
    def passed(self) -> bool:
        return self.failure_count == 0 and not self.header_problems

    def failed_by_field(self) -> list[tuple[str, int]]:
        return [
            (name, sum(n for status, n in counter.items() if status in FAILED))
            for name, counter in self.counts.items()
            if any(counter[s] for s in FAILED)
        ]


# --- Conditions ---------------------------------------------------------------------------


def _same(value: str) -> str:
    return value.strip().lower()


def _parse_date(value: str, formats: tuple[str, ...]) -> datetime.date | None:
    return _parse_date_cached(value.strip(), formats)


@lru_cache(maxsize=65_536)
def _parse_date_cached(value: str, formats: tuple[str, ...]) -> datetime.date | None:
    """Dates repeat (period ends, birthdays), and strptime is slow: cached, ISO first."""
    if "%Y-%m-%d" in formats and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            pass
    for fmt in formats:
        try:
            return datetime.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


def _whole_years(born: datetime.date, on: datetime.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def holds(condition: Any, row: Mapping[str, str], spec: Spec) -> bool:
    """Evaluate one of the spec's conditions (see its `condition_language`) against ROW."""
    if condition is None:
        return False
    if condition is True:
        return True
    if "ref" in condition:
        return holds(spec.conditions[condition["ref"]], row, spec)
    if "all" in condition:
        return all(holds(c, row, spec) for c in condition["all"])
    if "any" in condition:
        return any(holds(c, row, spec) for c in condition["any"])
    if "not" in condition:
        return not holds(condition["not"], row, spec)
    if "age_between" in condition:
        born = _parse_date(row.get(condition["birth"], ""), spec.date_formats)
        on = _parse_date(row.get(condition["at"], ""), spec.date_formats)
        if born is None or on is None:
            return False
        low, high = condition["age_between"]
        return bool(low <= _whole_years(born, on) <= high)
    value = _same(row.get(condition["field"], ""))
    if "in" in condition:
        return value in {_same(v) for v in condition["in"]}
    if "prefix" in condition:
        return any(value.startswith(_same(p)) for p in condition["prefix"])
    if "blank" in condition:
        return (value == "") is bool(condition["blank"])
    raise ValueError(f"Unknown condition in the spec: {condition!r}")


# --- One value ----------------------------------------------------------------------------


def _number_problem(value: str, rules: Mapping[str, Any]) -> str | None:
    try:
        number = Decimal(value.strip())
    except InvalidOperation:
        return "Not a number"
    if not number.is_finite():
        return "Not a number"
    if rules.get("integer") and number != number.to_integral_value():
        return "Must be a whole number"
    if "min" in rules and number < Decimal(str(rules["min"])):
        return f"Must be {rules['min']} or more"
    exponent = number.as_tuple().exponent
    if "max_dp" in rules and isinstance(exponent, int) and -exponent > rules["max_dp"]:
        return f"At most {rules['max_dp']} decimal places"
    return None


def value_problem(spec_field: Field, value: str, spec: Spec) -> tuple[str, str] | None:
    """(status, message) when VALUE is not a valid value of the field, else None."""
    text = value.strip()
    if spec_field.type == "date":
        if _parse_date(text, spec.date_formats) is None:
            return INVALID, "Not a date in the form YYYY-MM-DD"
        return None
    if spec_field.type == "number" and spec_field.number is not None:
        problem = _number_problem(text, spec_field.number)
        return (INVALID, problem) if problem else None
    if spec_field.allowed is not None and value not in spec_field.allowed:
        if value in spec_field.release1_values:
            return RELEASE_1, "Spelt as Release 1 spelt it; Release 2 spells it differently"
        return INVALID, "Not one of the values the return allows (they are case-sensitive)"
    if spec_field.check == "nhs_mod11":
        if not nhs_number.is_valid(text):
            return INVALID, "Not a valid NHS number (10 digits with a correct check digit)"
        return None
    if spec_field.pattern is not None and not spec_field.pattern.match(text):
        return INVALID, "Not in the expected format"
    return None


# --- Rows ---------------------------------------------------------------------------------


def classify_row(row: Mapping[str, str], spec: Spec) -> Iterator[tuple[str, str, str]]:
    """(field, status, message) for every field of ROW, in column order."""
    dates: dict[str, datetime.date | None] = {}
    for spec_field in spec.fields:
        if spec_field.type == "date":
            dates[spec_field.name] = _parse_date(row.get(spec_field.name, ""), spec.date_formats)
    later_than = spec.later_than
    for spec_field in spec.fields:
        value = row.get(spec_field.name, "") or ""
        if value.strip() == "":
            if holds(spec_field.mandatory_when, row, spec):
                yield spec_field.name, BLANK_MANDATORY, "Must be given in this row"
            else:
                yield spec_field.name, BLANK_OK, ""
            continue
        problem = value_problem(spec_field, value, spec)
        if problem is None and spec_field.name in later_than:
            earlier = later_than[spec_field.name]
            this, before = dates.get(spec_field.name), dates.get(earlier)
            if this is not None and before is not None and this < before:
                problem = INVALID, f"Earlier than {earlier}"
        if problem is None:
            yield spec_field.name, VALID, ""
        else:
            yield spec_field.name, problem[0], problem[1]


def _outside_period(row: Mapping[str, str], spec: Spec) -> bool:
    start = _parse_date(row.get("Reporting_Period_Start_Date", ""), spec.date_formats)
    end = _parse_date(row.get("Reporting_Period_End_Date", ""), spec.date_formats)
    began = _parse_date(row.get("Event_Start_Date", ""), spec.date_formats)
    ended = _parse_date(row.get("Event_End_Date", ""), spec.date_formats)
    if start is None or end is None or row.get("Event_Type", "") == "":
        return False
    if row.get("Event_Type") == "Service":
        return (began is not None and began > end) or (ended is not None and ended < start)
    return ended is None or not start <= ended <= end


def check_rows(
    rows: Iterable[Mapping[str, str]], spec: Spec | None = None, *, keep_failures: int = 10_000
) -> Report:
    """Classify every field of every row. Keeps the first KEEP_FAILURES failures in detail
    (the counts are always complete), so a very bad file cannot exhaust memory."""
    spec = spec or load()
    report = Report(counts={name: Counter() for name in spec.columns})
    for number, row in enumerate(rows, start=1):
        report.rows = number
        if _outside_period(row, spec):
            report.period_warnings += 1
        for name, status, message in classify_row(row, spec):
            report.counts[name][status] += 1
            if status in FAILED:
                report.failure_count += 1
                if len(report.failures) < keep_failures:
                    report.failures.append(
                        Finding(
                            row=number,
                            field=name,
                            status=status,
                            value=row.get(name, "") or "",
                            message=message,
                            person_id=row.get(PERSON_ID, "") or "",
                            event_type=row.get("Event_Type", "") or "",
                        )
                    )
    return report


def header_mapping(header: list[str], spec: Spec) -> tuple[dict[int, str], list[str]]:
    """Which spec field each column is (matching names and known aliases loosely), and the
    problems: columns the spec does not know, fields missing from the file."""
    keys: dict[str, str] = {}
    for spec_field in spec.fields:
        keys[header_key(spec_field.name)] = spec_field.name
        for alias in spec_field.header_aliases:
            keys[header_key(alias)] = spec_field.name
    mapping: dict[int, str] = {}
    problems: list[str] = []
    for index, label in enumerate(header):
        name = keys.get(header_key(label))
        if name is None:
            problems.append(f"Column {index + 1}, “{label}”, is not a field of the return")
        elif name in mapping.values():
            problems.append(f"Column {index + 1}, “{label}”, repeats {name}")
        else:
            mapping[index] = name
    for name in spec.columns:
        if name not in mapping.values():
            problems.append(f"The file has no {name} column")
    return mapping, problems


def check_csv(stream: TextIO, spec: Spec | None = None, *, keep_failures: int = 10_000) -> Report:
    """Check a CSV file read from STREAM (one header row, one row per event)."""
    spec = spec or load()
    reader = csv.reader(stream)
    try:
        header = next(reader)
    except StopIteration:
        return Report(header_problems=["The file is empty"])
    if header and header[0].startswith("\ufeff"):
        header[0] = header[0][1:]
    mapping, problems = header_mapping(header, spec)

    def rows() -> Iterator[dict[str, str]]:
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            yield {name: cells[i] if i < len(cells) else "" for i, name in mapping.items()}

    report = check_rows(rows(), spec, keep_failures=keep_failures)
    report.header_problems = problems
    return report
