"""Checking a previous system's files before anything is written. Pure, no Django.

Councils moving to selfdirect bring their caseload as CSV or Excel files: workers (staff),
people, named-worker allocations, circles of support and current services. This module
turns those files into typed rows and a list of problems (file, row, column, plain-English
message), so that an administrator sees every problem at once and the import can refuse to
write anything until there are none. What already exists (teams, usernames, NHS numbers,
records imported earlier) comes in as plain data (`Known`), built by legacy/services.py.

Rows refer to each other by the previous system's IDs (`legacy_id`): an allocation names a
person and a worker, a circle member or service names a person. The row named may be in
another file of the same import or in one imported earlier. A row whose legacy ID was
imported before is left as it is, so running the same files twice adds nothing.
"""

from __future__ import annotations

import csv
import datetime
import io
import itertools
import re
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import openpyxl

from selfdirect.people import codes, nhs_number, postcodes
from selfdirect.support import codes as service_codes

Choices = tuple[tuple[str, str], ...]

# The kinds of file, in the order they are written: each may refer to the ones before it.
WORKERS = "workers"
PEOPLE = "people"
ALLOCATIONS = "allocations"
CIRCLES = "circles"
SERVICES = "services"
KINDS: tuple[str, ...] = (WORKERS, PEOPLE, ALLOCATIONS, CIRCLES, SERVICES)
KIND_LABELS: dict[str, str] = {
    WORKERS: "Workers (staff)",
    PEOPLE: "People",
    ALLOCATIONS: "Named-worker allocations",
    CIRCLES: "Circles of support",
    SERVICES: "Current services",
}
# How a count of each kind reads in a sentence ("3 people, 2 workers").
KIND_NOUNS: dict[str, tuple[str, str]] = {
    WORKERS: ("worker", "workers"),
    PEOPLE: ("person", "people"),
    ALLOCATIONS: ("named-worker allocation", "named-worker allocations"),
    CIRCLES: ("circle of support member", "circle of support members"),
    SERVICES: ("service", "services"),
}

# A caseload of tens of thousands of people fits well within these; anything bigger is more
# likely a wrong file, and splitting it is safe because files may refer to earlier imports.
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_FILE_LABEL = "10 MB"
MAX_ROWS = 100_000
# An .xlsx is a zip: refuse one that would unpack to far more than any real caseload.
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024

DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")
DATE_HINT = "as YYYY-MM-DD or DD/MM/YYYY, like 1950-05-17 or 17/05/1950"
EARLIEST_BIRTH = datetime.date(1900, 1, 1)
# Lists this long are not spelt out in every message: the import guide has them.
LIST_IN_MESSAGE = 8

YES = frozenset({"yes", "y", "true", "1"})
NO = frozenset({"no", "n", "false", "0"})
_USERNAME = re.compile(r"^[\w.@+-]+\Z")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+\Z")
_PHONE = re.compile(r"^[0-9 +()-]+\Z")
_MONEY = re.compile(r"^\d+(\.\d{1,2})?\Z")
PENNY = Decimal("0.01")


# --- What a file must hold ------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    name: str
    label: str  # how messages name it
    required: bool = False
    # What goes in it, for the import guide (the allowed values are listed there too).
    about: str = ""


def _c(name: str, label: str, about: str, *, required: bool = False) -> Column:
    return Column(name=name, label=label, required=required, about=about)


LEGACY_ID = "legacy_id"
PERSON_ID = "person_legacy_id"

COLUMNS: dict[str, tuple[Column, ...]] = {
    WORKERS: (
        _c(LEGACY_ID, "Legacy ID", "The worker's ID in the previous system", required=True),
        _c(
            "username",
            "Username",
            "What they sign in with: letters, digits and @.+-_",
            required=True,
        ),
        _c("first_name", "First name", "", required=True),
        _c("last_name", "Last name", "", required=True),
        _c("email", "Email address", "Their work email address"),
        _c("role", "Role", "One of the staff roles", required=True),
        _c(
            "team",
            "Team",
            "The team's name as set up in selfdirect; needed for social workers and team managers",
        ),
        _c(
            "sign_off_limit",
            "Sign-off limit",
            "The largest annual plan cost, in pounds, they may sign off; blank means 0",
        ),
        _c("phone", "Work phone number", "Shown to the people they are named worker for"),
    ),
    PEOPLE: (
        _c(LEGACY_ID, "Legacy ID", "The person's ID in the previous system", required=True),
        _c("first_name", "First name", "", required=True),
        _c("last_name", "Last name", "", required=True),
        _c("preferred_name", "Preferred name", "What they like to be called"),
        _c("date_of_birth", "Date of birth", "", required=True),
        _c("nhs_number", "NHS number", "10 digits; spaces are fine"),
        _c("gender", "Gender", "", required=True),
        _c("ethnicity", "Ethnicity", "", required=True),
        _c("client_type", "Client type", "Blank means service user"),
        _c("primary_support_reason", "Primary support reason", "", required=True),
        _c("postcode", "Postcode", "", required=True),
        _c("accommodation_status", "Accommodation status", "", required=True),
        _c("employment_status", "Employment status", "", required=True),
        _c("has_unpaid_carer", "Has an unpaid carer", "Blank means unknown"),
        _c("autism", "Autism diagnosis", "Blank means not known"),
        _c("funding_status", "Who pays", "Blank means unknown"),
        _c("date_of_death", "Date of death", "Only if they have died"),
        _c(
            "team",
            "Team",
            "The team whose queue they wait in when they have no current named "
            "worker in the allocations file; otherwise leave it blank (their team is their named "
            "worker's)",
        ),
    ),
    ALLOCATIONS: (
        _c(LEGACY_ID, "Legacy ID", "The allocation's ID in the previous system", required=True),
        _c(PERSON_ID, "Person's legacy ID", "", required=True),
        _c("worker_legacy_id", "Worker's legacy ID", "", required=True),
        _c("started_on", "Start date", "When they became the named worker", required=True),
        _c("ended_on", "End date", "Blank for the current named worker"),
        _c("handover_note", "Handover note", "What the named worker needed to know first"),
    ),
    CIRCLES: (
        _c(LEGACY_ID, "Legacy ID", "The contact's ID in the previous system", required=True),
        _c(PERSON_ID, "Person's legacy ID", "", required=True),
        _c("name", "Name", "", required=True),
        _c("relationship_type", "Relationship", "", required=True),
        _c("phone", "Phone number", ""),
        _c("email", "Email address", ""),
        _c("address", "Address", ""),
        _c(
            "is_representative",
            "Representative",
            "Yes if they act with or for the person; blank means no",
        ),
    ),
    SERVICES: (
        _c(LEGACY_ID, "Legacy ID", "The service's ID in the previous system", required=True),
        _c(PERSON_ID, "Person's legacy ID", "", required=True),
        _c("description", "Description", "What the support is, in a few words", required=True),
        _c("provider_name", "Provider", "Who provides it"),
        _c("delivery_mechanism", "Delivery mechanism", "", required=True),
        _c("service_type", "Service type", "", required=True),
        _c("service_component", "Service component", "", required=True),
        _c("unit_cost", "Unit cost", "Pounds per unit, like 21.50", required=True),
        _c("cost_frequency", "Cost frequency", "What the unit cost is for", required=True),
        _c("planned_units_per_week", "Planned units per week", "", required=True),
        _c(
            "weekly_cost",
            "Weekly cost",
            "Pounds a week; blank means unit cost × planned units per week",
        ),
        _c("start_date", "Start date", "", required=True),
        _c("end_date", "End date", "Blank while it goes on; needed if the person has died"),
    ),
}


def _labels(values: Iterable[str]) -> Choices:
    return tuple((value, value) for value in values)


# The CLD-coded columns of the person and service files, and the values they allow.
PERSON_CODES: dict[str, Choices] = {
    "gender": codes.GENDER,
    "ethnicity": codes.ETHNICITY,
    "client_type": codes.CLIENT_TYPE,
    "primary_support_reason": codes.PRIMARY_SUPPORT_REASON,
    "accommodation_status": codes.ACCOMMODATION_STATUS,
    "employment_status": codes.EMPLOYMENT_STATUS,
    "has_unpaid_carer": codes.HAS_UNPAID_CARER,
    "autism": codes.AUTISM,
    "funding_status": codes.CLIENT_FUNDING_STATUS,
}
PERSON_DEFAULTS: dict[str, str] = {
    "client_type": "service_user",
    "has_unpaid_carer": "unknown",
    "autism": "not_known",
    "funding_status": "unknown",
}
SERVICE_CODES: dict[str, Choices] = {
    "delivery_mechanism": _labels(service_codes.DELIVERY_MECHANISM),
    "service_type": _labels(service_codes.SERVICE_TYPE),
    "service_component": _labels(service_codes.SERVICE_COMPONENT),
    "cost_frequency": _labels(service_codes.COST_FREQUENCY),
}


DATE_COLUMNS = frozenset(
    {"date_of_birth", "date_of_death", "started_on", "ended_on", "start_date", "end_date"}
)


@dataclass(frozen=True)
class GuideColumn:
    """One column as the import guide describes it."""

    name: str
    required: bool
    about: str
    allowed: Choices  # (code, CLD label) pairs; empty when any text will do


def guide(*, staff_roles: Choices, relationship_types: Choices) -> dict[str, list[GuideColumn]]:
    """Every file's columns, whether each is required, what goes in it and its allowed values:
    the page and the written guide both come from COLUMNS, so they cannot drift apart."""
    allowed: dict[str, Choices] = {
        **PERSON_CODES,
        **SERVICE_CODES,
        "role": staff_roles,
        "relationship_type": relationship_types,
    }
    return {
        kind: [
            GuideColumn(
                name=column.name,
                required=column.required,
                about=" ".join(
                    part
                    for part in (
                        column.about + "." if column.about else "",
                        f"A date, written {DATE_HINT}." if column.name in DATE_COLUMNS else "",
                    )
                    if part
                ),
                allowed=allowed.get(column.name, ()),
            )
            for column in COLUMNS[kind]
        ]
        for kind in KINDS
    }


# --- What comes out --------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One thing to put right. `row` is the spreadsheet row (the column names are row 1);
    None for the file as a whole. `column` is "" when no one column is to blame."""

    kind: str
    file: str
    row: int | None
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "file": self.file,
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", column {self.column}"
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class WorkerRow:
    row: int
    legacy_id: str
    username: str
    first_name: str
    last_name: str
    email: str
    role: str
    team: str  # the exact name of an existing team, or ""
    sign_off_limit: Decimal
    phone: str


@dataclass(frozen=True)
class PersonRow:
    row: int
    legacy_id: str
    team: str  # the exact name of an existing team, or ""
    fields: Mapping[str, Any]  # people.services.PERSON_FIELDS, ready for person_create


@dataclass(frozen=True)
class AllocationRow:
    row: int
    legacy_id: str
    person_legacy_id: str
    worker_legacy_id: str
    started_on: datetime.date
    ended_on: datetime.date | None
    handover_note: str

    @property
    def current(self) -> bool:
        return self.ended_on is None


@dataclass(frozen=True)
class CircleRow:
    row: int
    legacy_id: str
    person_legacy_id: str
    fields: Mapping[str, Any]  # people.services.RELATIONSHIP_FIELDS


@dataclass(frozen=True)
class ServiceRow:
    row: int
    legacy_id: str
    person_legacy_id: str
    fields: Mapping[str, Any]  # support.Service fields


@dataclass(frozen=True)
class KnownWorker:
    """A worker imported earlier, as far as checking needs to know."""

    role: str
    team: str  # their team's name, or ""


@dataclass(frozen=True)
class KnownPerson:
    """A person imported earlier: when their current named-worker spell began, and whether
    they have died (their services must then have ended)."""

    current_started: datetime.date | None
    date_of_death: datetime.date | None


@dataclass(frozen=True)
class Known:
    """What the database already holds, as plain data."""

    today: datetime.date
    teams: Iterable[str] = ()
    usernames: Iterable[str] = ()
    nhs_numbers: Iterable[str] = ()
    workers: Mapping[str, KnownWorker] = field(default_factory=dict)
    people: Mapping[str, KnownPerson] = field(default_factory=dict)
    # Every legacy ID imported earlier, by kind, whether or not its record still exists.
    imported: Mapping[str, Iterable[str]] = field(default_factory=dict)
    # Role and relationship choices live on Django models; services.py passes them in.
    staff_roles: Choices = ()
    case_roles: Iterable[str] = ()
    relationship_types: Choices = ()
    # The database's own email check, so the dry run finds every address the write would
    # refuse; without it, a simple shape check.
    email_ok: Callable[[str], bool] | None = None


@dataclass(frozen=True)
class Upload:
    kind: str
    name: str
    data: bytes


@dataclass
class Checked:
    """The outcome of a check: the problems, and the rows that would be written."""

    files: dict[str, str] = field(default_factory=dict)  # kind -> file name
    problems: list[Problem] = field(default_factory=list)
    workers: list[WorkerRow] = field(default_factory=list)
    people: list[PersonRow] = field(default_factory=list)
    allocations: list[AllocationRow] = field(default_factory=list)
    circles: list[CircleRow] = field(default_factory=list)
    services: list[ServiceRow] = field(default_factory=list)
    # Rows left alone because their legacy ID was imported before.
    already: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems

    def counts(self) -> dict[str, int]:
        """New rows per kind, for the kinds in this import."""
        rows: dict[str, Sequence[object]] = {
            WORKERS: self.workers,
            PEOPLE: self.people,
            ALLOCATIONS: self.allocations,
            CIRCLES: self.circles,
            SERVICES: self.services,
        }
        return {kind: len(rows[kind]) for kind in KINDS if kind in self.files}

    def as_report(self) -> dict[str, Any]:
        """JSON-safe form, kept with an uploaded batch."""
        return {
            "files": dict(self.files),
            "problems": [problem.as_dict() for problem in self.problems],
            "counts": self.counts(),
            "already": {kind: self.already.get(kind, 0) for kind in self.files},
        }


def counted(counts: Mapping[str, int]) -> str:
    """ "3 people, 2 workers and 1 service": counts in words, in the order they are written."""
    parts = []
    for kind in KINDS:
        if kind in counts:
            one, many = KIND_NOUNS[kind]
            parts.append(f"{counts[kind]:,} {one if counts[kind] == 1 else many}")
    if len(parts) > 1:
        return ", ".join(parts[:-1]) + " and " + parts[-1]
    return parts[0] if parts else "nothing"


# --- Reading a file --------------------------------------------------------------------------


class FileRefused(Exception):
    """A file that cannot be read at all: the message says why, in plain English."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[int, tuple[str, ...]], ...]  # (spreadsheet row number, cells)


def _looks_like_xlsx(data: bytes) -> bool:
    return data[:4] == b"PK\x03\x04"


def size_label(max_bytes: int) -> str:
    """A size limit in words: "10 MB", "512 KB"."""
    mega = 1024 * 1024
    if max_bytes >= mega:
        return f"{max_bytes // mega} MB" if max_bytes % mega == 0 else f"{max_bytes / mega:.1f} MB"
    return f"{max(1, max_bytes // 1024)} KB"


def file_type(name: str, data: bytes, *, max_bytes: int = MAX_FILE_BYTES) -> str:
    """ "csv" or "xlsx": what the file is, judged by its bytes as well as its name.

    Raises FileRefused, with a message saying what to do, for a file that is too large or
    empty, has another extension, is an old .xls, a renamed file (a picture called .csv, a
    zip called .xlsx), a workbook with macros, or a CSV file that is not UTF-8 text. The
    upload form calls this, so these are errors on the form; reading the rows can still
    find problems (quotes, a damaged sheet), which the dry run's report lists.
    """
    extension = name.lower().rsplit(".", 1)[-1] if "." in name else ""
    if extension == "xlsm":
        raise FileRefused(_MACROS)
    if extension not in {"csv", "xlsx"}:
        raise FileRefused("The file must be a CSV file (.csv) or an Excel workbook (.xlsx)")
    if len(data) > max_bytes:
        raise FileRefused(
            f"The file is larger than {size_label(max_bytes)}. Split it into smaller files and "
            "import them one after another"
        )
    if not data.strip():
        raise FileRefused("The file is empty")
    if data[:4] == b"\xd0\xcf\x11\xe0":
        raise FileRefused(
            "This is an old Excel file (.xls). Save it as an Excel workbook (.xlsx) or as "
            "CSV UTF-8, then upload it again"
        )
    if extension == "xlsx":
        if not _looks_like_xlsx(data):
            raise FileRefused("The file name ends in .xlsx but the file is not an Excel workbook")
        _check_xlsx_parts(data)
        return "xlsx"
    if _looks_like_xlsx(data):
        raise FileRefused(
            "The file name ends in .csv but the file is an Excel workbook or another zip file. "
            "Name it .xlsx, or save it as CSV UTF-8"
        )
    _csv_text(data)
    return "csv"


_MACROS = (
    "The workbook contains macros. Save it in Excel as an Excel workbook (.xlsx), which has "
    "none, or as CSV UTF-8"
)


def _check_xlsx_parts(data: bytes) -> None:
    """An .xlsx is a zip holding [Content_Types].xml and xl/workbook.xml, and no macros."""
    damaged = FileRefused("The Excel workbook is damaged. Save it again and upload it")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            names = {info.filename for info in infos}
            if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
                raise FileRefused("The file is a zip file but not an Excel workbook (.xlsx)")
            # Sizes as the zip states them (openpyxl reads the rest); the list of content
            # types is small in any real workbook, so no more than 1 MB of it is unpacked.
            if sum(info.file_size for info in infos) > MAX_UNZIPPED_BYTES:
                raise FileRefused("The workbook is too large. Split it into smaller files")
            with archive.open("[Content_Types].xml") as part:
                content_types = part.read(1024 * 1024)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise damaged from None
    if any(name.lower().endswith("vbaproject.bin") for name in names) or (
        b"macroEnabled" in content_types
    ):
        raise FileRefused(_MACROS)


def _csv_text(data: bytes) -> str:
    if b"\x00" in data:
        raise FileRefused("The file is not a CSV file. Save it from your spreadsheet as CSV UTF-8")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileRefused(
            "The file is not in UTF-8. In Excel, save it as “CSV UTF-8 (Comma delimited)”"
        ) from None


def read_table(name: str, data: bytes, *, max_bytes: int = MAX_FILE_BYTES) -> Table:
    """The rows of a CSV (UTF-8, with or without a byte order mark) or .xlsx file.

    The type is judged by the bytes as well as the name (file_type), so a renamed file, an
    old .xls or a spreadsheet saved in another encoding is refused with a message saying
    what to do.
    """
    if file_type(name, data, max_bytes=max_bytes) == "xlsx":
        return _read_xlsx(data)
    return _read_csv(data)


def _read_csv(data: bytes) -> Table:
    text = _csv_text(data)
    rows: list[tuple[int, tuple[str, ...]]] = []
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        for number, cells in enumerate(reader, start=1):
            if number > MAX_ROWS + 1:
                raise FileRefused(f"The file has more than {MAX_ROWS:,} rows. Split it up")
            rows.append((number, tuple(cell.strip() for cell in cells)))
    except csv.Error:
        raise FileRefused(
            f"The file could not be read as CSV near row {reader.line_num}: check its quotes"
        ) from None
    return _table(rows)


def _read_xlsx(data: bytes) -> Table:
    """The first sheet's rows; file_type has already checked the zip's parts."""
    rows: list[tuple[int, tuple[str, ...]]] = []
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheet = book.worksheets[0]
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                if number > MAX_ROWS + 1:
                    raise FileRefused(f"The workbook has more than {MAX_ROWS:,} rows. Split it up")
                rows.append((number, tuple(_cell_text(value) for value in values)))
        finally:
            book.close()
    except FileRefused:
        raise
    except Exception:  # openpyxl raises many kinds of error for a damaged workbook
        raise FileRefused(
            "The Excel workbook could not be read. Save it again in Excel as .xlsx, or as CSV "
            "UTF-8, and upload it again"
        ) from None
    return _table(rows)


def _cell_text(value: object) -> str:
    """A spreadsheet cell as the text a CSV file would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _table(rows: list[tuple[int, tuple[str, ...]]]) -> Table:
    if not rows or not any(rows[0][1]):
        raise FileRefused("The first row must hold the column names")
    header = list(rows[0][1])
    while header and not header[-1]:
        header.pop()
    body = tuple((number, cells) for number, cells in rows[1:] if any(cells))
    return Table(header=tuple(header), rows=body)


def _column_key(heading: str) -> str:
    """Column names are matched without regard to case, spaces or hyphens."""
    return re.sub(r"[\s-]+", "_", heading.strip().lower())


# --- Checking values -------------------------------------------------------------------------


class _Row:
    """One row's values, collecting problems as each column is read."""

    def __init__(
        self,
        kind: str,
        file: str,
        number: int,
        values: Mapping[str, str],
        out: list[Problem],
        email_ok: Callable[[str], bool] | None = None,
    ) -> None:
        self.email_ok = email_ok or (lambda value: bool(_EMAIL.match(value)))
        self.kind = kind
        self.file = file
        self.number = number
        self.values = values
        self.out = out
        self.labels = {column.name: column.label for column in COLUMNS[kind]}

    def problem(self, column: str, message: str) -> None:
        self.out.append(Problem(self.kind, self.file, self.number, column, message))

    def text(self, column: str, *, required: bool = False, max_length: int = 200) -> str:
        value = self.values.get(column, "").strip()
        if required and not value:
            self.problem(column, f"{self.labels[column]} is missing")
        elif len(value) > max_length:
            self.problem(column, f"{self.labels[column]} must be {max_length} characters or fewer")
        return value

    def date(self, column: str, *, required: bool = False) -> datetime.date | None:
        value = self.values.get(column, "").strip()
        if not value:
            if required:
                self.problem(column, f"{self.labels[column]} is missing")
            return None
        parsed = parse_date(value)
        if parsed is None:
            self.problem(column, f"{self.labels[column]} must be a real date, written {DATE_HINT}")
        return parsed

    def past_date(
        self, column: str, today: datetime.date, *, required: bool = False
    ) -> datetime.date | None:
        value = self.date(column, required=required)
        if value is not None and value > today:
            self.problem(column, f"{self.labels[column]} must be today or in the past")
        return value

    def code(self, column: str, choices: Choices, *, default: str = "") -> str:
        value = self.values.get(column, "").strip()
        if not value:
            if not default:
                self.problem(column, f"{self.labels[column]} is missing")
            return default
        found = match_code(value, choices)
        if found is None:
            self.problem(column, unknown_value_message(self.labels[column], value, choices))
            return default
        return found

    def money(self, column: str, *, required: bool = False, below: int = 100_000_000) -> Decimal:
        value = self.values.get(column, "").strip().replace(",", "").removeprefix("£").strip()
        if not value:
            if required:
                self.problem(column, f"{self.labels[column]} is missing")
            return Decimal("0.00")
        if not _MONEY.match(value):
            self.problem(
                column,
                f"{self.labels[column]} must be a number, 0 or more, with no more than 2 "
                "decimal places, like 21.50",
            )
            return Decimal("0.00")
        amount = Decimal(value)
        if amount >= below:
            self.problem(column, f"{self.labels[column]} must be less than {below:,}")
        return amount

    def yes_no(self, column: str) -> bool:
        value = self.values.get(column, "").strip().lower()
        if value in YES:
            return True
        if value and value not in NO:
            self.problem(column, f"{self.labels[column]} must be yes or no")
        return False

    def phone(self, column: str) -> str:
        value = self.text(column, max_length=30)
        if value and not _PHONE.match(value):
            self.problem(
                column, f"{self.labels[column]} must be a phone number, like 01632 960 001"
            )
        return value

    def email(self, column: str) -> str:
        value = self.text(column, max_length=254)
        if value and not self.email_ok(value):
            self.problem(
                column,
                f"{self.labels[column]} must be an email address, like name@example.com",
            )
        return value


def parse_date(value: str) -> datetime.date | None:
    """A date written as YYYY-MM-DD or DD/MM/YYYY (the CLD return's formats), else None."""
    for pattern in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(value.strip(), pattern).date()
        except ValueError:
            continue
    return None


def match_code(value: str, choices: Choices) -> str | None:
    """The stored code for VALUE, given as our code or the exact CLD label.

    Case and surrounding spaces are forgiven, since old systems export "Direct Payment" and
    "FEMALE"; any other difference is a problem to put right, never a guess.
    """
    wanted = value.strip().casefold()
    for code, label in choices:
        if wanted in (code.casefold(), label.casefold()):
            return code
    return None


def unknown_value_message(label: str, value: str, choices: Choices) -> str:
    if len(choices) <= LIST_IN_MESSAGE:
        allowed = "; ".join(
            label_ if code == label_ else f"{code} ({label_})" for code, label_ in choices
        )
        return f"“{value}” is not an allowed value for {label.lower()}. Use one of: {allowed}"
    return (
        f"“{value}” is not an allowed value for {label.lower()}. Use our code or the exact Client "
        "Level Data wording, as listed in the import guide"
    )


# --- Checking files --------------------------------------------------------------------------


def check(uploads: Sequence[Upload], known: Known, *, max_bytes: int = MAX_FILE_BYTES) -> Checked:
    """Every problem in UPLOADS (each file at most MAX_BYTES), and the rows to write if
    there are none."""
    result = Checked()
    tables: dict[str, tuple[str, Table]] = {}
    for upload in uploads:
        if upload.kind not in KINDS:
            raise ValueError(f"Unknown kind of file: {upload.kind}")
        if upload.kind in result.files:
            raise ValueError(f"Two {upload.kind} files in one import")
        result.files[upload.kind] = upload.name
        try:
            table = read_table(upload.name, upload.data, max_bytes=max_bytes)
        except FileRefused as refused:
            result.problems.append(Problem(upload.kind, upload.name, None, "", refused.message))
            continue
        if _check_columns(upload.kind, upload.name, table, result.problems):
            tables[upload.kind] = (upload.name, table)
    # Files are checked in writing order, so each can see the rows of those it refers to.
    context = _Context(known=known, result=result)
    for kind in KINDS:
        if kind in tables:
            name, table = tables[kind]
            _CHECKERS[kind](context, name, table)
    _check_people_teams(context)
    _check_allocation_history(context)
    result.problems.sort(key=lambda p: (KINDS.index(p.kind), p.row or 0))
    return result


def _check_columns(kind: str, file: str, table: Table, out: list[Problem]) -> bool:
    """Unknown, repeated or missing columns; False when the rows cannot be read."""
    allowed = {column.name for column in COLUMNS[kind]}
    seen: set[str] = set()
    fine = True
    for heading in table.header:
        key = _column_key(heading)
        if not key:
            out.append(Problem(kind, file, 1, "", "A column has no name: name it or delete it"))
            fine = False
        elif key not in allowed:
            out.append(
                Problem(
                    kind,
                    file,
                    1,
                    heading,
                    f"“{heading}” is not a column of the {KIND_LABELS[kind].lower()} file: "
                    "rename or delete it",
                )
            )
            fine = False
        elif key in seen:
            out.append(Problem(kind, file, 1, heading, f"There are two “{heading}” columns"))
            fine = False
        seen.add(key)
    for column in COLUMNS[kind]:
        if column.required and column.name not in seen:
            out.append(
                Problem(kind, file, 1, column.name, f"The “{column.name}” column is missing")
            )
            fine = False
    return fine


def _rows(context: _Context, kind: str, file: str, table: Table) -> Iterable[_Row]:
    keys = [_column_key(heading) for heading in table.header]
    for number, cells in table.rows:
        values = dict(zip(keys, cells, strict=False))
        row = _Row(kind, file, number, values, context.result.problems, context.known.email_ok)
        if any(cells[len(keys) :]):
            row.problem("", "This row has more values than there are named columns")
        yield row


@dataclass
class _Context:
    known: Known
    result: Checked
    # Rows of this import by legacy ID, as read (even with problems, so references to them
    # do not add a second, misleading problem).
    worker_rows: dict[str, WorkerRow | None] = field(default_factory=dict)
    person_rows: dict[str, PersonRow | None] = field(default_factory=dict)
    # People given a current named worker in the allocations file, even on a row with
    # problems (so they are not also told to give a team).
    named_in_allocations: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.team_names = {name.casefold(): name for name in self.known.teams}
        self.imported = {kind: set(ids) for kind, ids in self.known.imported.items()}

    def team(self, row: _Row, column: str = "team") -> str:
        value = row.text(column, max_length=120)
        if not value:
            return ""
        found = self.team_names.get(value.casefold())
        if found is None:
            row.problem(
                column,
                f"There is no team called “{value}”. Add the team on the Teams page first, or "
                "correct the name",
            )
            return ""
        return found

    def legacy_id(self, row: _Row, seen: dict[str, int]) -> str | None:
        """The row's legacy ID; None when it was imported before, so the row is left alone.

        A missing or repeated ID is a problem, but the rest of the row is still checked, so
        that one dry run shows everything to put right.
        """
        value = row.text(LEGACY_ID, required=True, max_length=100)
        if not value:
            return ""
        if value in seen:
            row.problem(
                LEGACY_ID, f"Legacy ID {value} is also on row {seen[value]}: each row needs its own"
            )
            return value
        seen[value] = row.number
        if self._imported_before(row.kind, value):
            self.result.already[row.kind] = self.result.already.get(row.kind, 0) + 1
            return None
        return value

    def _imported_before(self, kind: str, legacy_id: str) -> bool:
        # Even if the record has since been removed: importing it again would undo that.
        if kind == WORKERS and legacy_id in self.known.workers:
            return True
        if kind == PEOPLE and legacy_id in self.known.people:
            return True
        return legacy_id in self.imported.get(kind, set())

    def person_known(self, row: _Row) -> str:
        """The person a row is about: in this import's people file or imported before."""
        value = row.text(PERSON_ID, required=True, max_length=100)
        if value and value not in self.person_rows and value not in self.known.people:
            row.problem(
                PERSON_ID,
                f"There is no person with legacy ID {value} in the people file or in an "
                "earlier import",
            )
        return value


def _check_workers(context: _Context, file: str, table: Table) -> None:
    known = context.known
    taken = {name.casefold() for name in known.usernames}
    seen_ids: dict[str, int] = {}
    seen_usernames: dict[str, int] = {}
    case_roles = set(known.case_roles)
    for row in _rows(context, WORKERS, file, table):
        number = row.number
        before = len(context.result.problems)
        legacy_id = context.legacy_id(row, seen_ids)
        if legacy_id is None:
            continue
        username = row.text("username", required=True, max_length=150)
        if username:
            if not _USERNAME.match(username):
                row.problem(
                    "username",
                    "Username can only have letters, digits and the characters @ . + - _",
                )
            elif username.casefold() in seen_usernames:
                row.problem(
                    "username",
                    f"Username {username} is also on row {seen_usernames[username.casefold()]}",
                )
            elif username.casefold() in taken:
                row.problem(
                    "username",
                    f"There is already a user called {username}: choose another username",
                )
            seen_usernames.setdefault(username.casefold(), number)
        first_name = row.text("first_name", required=True, max_length=150)
        last_name = row.text("last_name", required=True, max_length=150)
        email = row.email("email")
        role = row.code("role", known.staff_roles)
        team = context.team(row)
        if role in case_roles and not team and not row.values.get("team", "").strip():
            row.problem("team", "Social workers and team managers must be in a team: give its name")
        limit = row.money("sign_off_limit", below=10_000_000)
        phone = row.phone("phone")
        worker = WorkerRow(
            row=number,
            legacy_id=legacy_id,
            username=username,
            first_name=first_name,
            last_name=last_name,
            email=email,
            role=role,
            team=team,
            sign_off_limit=limit,
            phone=phone,
        )
        fine = len(context.result.problems) == before
        if legacy_id:
            context.worker_rows.setdefault(legacy_id, worker if fine else None)
        if fine:
            context.result.workers.append(worker)


def _check_people(context: _Context, file: str, table: Table) -> None:
    known = context.known
    today = known.today
    existing_nhs = set(known.nhs_numbers)
    seen_ids: dict[str, int] = {}
    seen_nhs: dict[str, int] = {}
    for row in _rows(context, PEOPLE, file, table):
        number = row.number
        before = len(context.result.problems)
        legacy_id = context.legacy_id(row, seen_ids)
        if legacy_id is None:
            continue
        fields: dict[str, Any] = {
            "first_name": row.text("first_name", required=True, max_length=100),
            "last_name": row.text("last_name", required=True, max_length=100),
            "preferred_name": row.text("preferred_name", max_length=100),
        }
        born = row.past_date("date_of_birth", today, required=True)
        if born is not None and born < EARLIEST_BIRTH:
            row.problem("date_of_birth", "Date of birth must be after 1 January 1900")
        fields["date_of_birth"] = born
        fields["nhs_number"] = _nhs(row, existing_nhs, seen_nhs)
        for column, choices in PERSON_CODES.items():
            fields[column] = row.code(column, choices, default=PERSON_DEFAULTS.get(column, ""))
        postcode = row.text("postcode", required=True, max_length=10)
        if postcode:
            normal = postcodes.normalise(postcode)
            if normal is None:
                row.problem("postcode", f"{postcode} is not a UK postcode, like SD1 4AB")
            postcode = normal or postcode
        fields["postcode"] = postcode
        died = row.past_date("date_of_death", today)
        if died is not None and born is not None and died < born:
            row.problem("date_of_death", "Date of death must be on or after the date of birth")
        fields["date_of_death"] = died
        team = context.team(row)
        person = PersonRow(row=number, legacy_id=legacy_id, team=team, fields=fields)
        fine = len(context.result.problems) == before
        if legacy_id:
            context.person_rows.setdefault(legacy_id, person if fine else None)
        if fine:
            context.result.people.append(person)


def _nhs(row: _Row, existing: set[str], seen: dict[str, int]) -> str:
    value = row.text("nhs_number", max_length=20)
    if not value:
        return ""
    digits = nhs_number.normalise(value)
    if not (len(digits) == 10 and digits.isascii() and digits.isdigit()):
        row.problem("nhs_number", f"NHS number {value} must be 10 digits, like 943 476 5919")
    elif not nhs_number.is_valid(digits):
        row.problem(
            "nhs_number",
            f"NHS number {value} is not a valid NHS number (its check digit is wrong): check it",
        )
    elif digits in seen:
        row.problem("nhs_number", f"NHS number {value} is also on row {seen[digits]}")
    elif digits in existing:
        row.problem("nhs_number", f"Another person already has NHS number {value}")
    else:
        seen[digits] = row.number
    return digits


def _check_allocations(context: _Context, file: str, table: Table) -> None:
    known = context.known
    seen_ids: dict[str, int] = {}
    for row in _rows(context, ALLOCATIONS, file, table):
        number = row.number
        before = len(context.result.problems)
        legacy_id = context.legacy_id(row, seen_ids)
        if legacy_id is None:
            continue
        person = context.person_known(row)
        if not row.values.get("ended_on", "").strip():
            context.named_in_allocations.add(person)
        worker = row.text("worker_legacy_id", required=True, max_length=100)
        if worker and worker not in context.worker_rows and worker not in known.workers:
            row.problem(
                "worker_legacy_id",
                f"There is no worker with legacy ID {worker} in the workers file or in an "
                "earlier import",
            )
        started = row.past_date("started_on", known.today, required=True)
        ended = row.past_date("ended_on", known.today)
        if started is not None and ended is not None and ended < started:
            row.problem("ended_on", "End date must be on or after the start date")
        if ended is None and worker:
            _check_current_worker(context, row, worker)
        if len(context.result.problems) == before and started is not None:
            context.result.allocations.append(
                AllocationRow(
                    row=number,
                    legacy_id=legacy_id,
                    person_legacy_id=person,
                    worker_legacy_id=worker,
                    started_on=started,
                    ended_on=ended,
                    handover_note=row.text("handover_note", max_length=5000),
                )
            )


def _worker_role_and_team(context: _Context, legacy_id: str) -> tuple[str, str] | None:
    if legacy_id in context.worker_rows:
        worker = context.worker_rows[legacy_id]
        return None if worker is None else (worker.role, worker.team)
    known = context.known.workers.get(legacy_id)
    return None if known is None else (known.role, known.team)


def _check_current_worker(context: _Context, row: _Row, worker: str) -> None:
    found = _worker_role_and_team(context, worker)
    if found is None:
        return  # unknown, or their own row has problems: already reported
    role, team = found
    if role not in set(context.known.case_roles) or not team:
        row.problem(
            "worker_legacy_id",
            f"Worker {worker} cannot be a current named worker: only social workers and team "
            "managers in a team can. Give this allocation an end date, or change their role",
        )


def _check_circles(context: _Context, file: str, table: Table) -> None:
    seen_ids: dict[str, int] = {}
    for row in _rows(context, CIRCLES, file, table):
        number = row.number
        before = len(context.result.problems)
        legacy_id = context.legacy_id(row, seen_ids)
        if legacy_id is None:
            continue
        person = context.person_known(row)
        fields = {
            "name": row.text("name", required=True, max_length=200),
            "relationship_type": row.code("relationship_type", context.known.relationship_types),
            "phone": row.phone("phone"),
            "email": row.email("email"),
            "address": row.text("address", max_length=1000),
            "is_representative": row.yes_no("is_representative"),
        }
        if len(context.result.problems) == before:
            context.result.circles.append(
                CircleRow(row=number, legacy_id=legacy_id, person_legacy_id=person, fields=fields)
            )


def _check_services(context: _Context, file: str, table: Table) -> None:
    seen_ids: dict[str, int] = {}
    for row in _rows(context, SERVICES, file, table):
        number = row.number
        before = len(context.result.problems)
        legacy_id = context.legacy_id(row, seen_ids)
        if legacy_id is None:
            continue
        person = context.person_known(row)
        fields: dict[str, Any] = {
            "description": row.text("description", required=True, max_length=200),
            "provider_name": row.text("provider_name", max_length=200),
        }
        for column, choices in SERVICE_CODES.items():
            fields[column] = row.code(column, choices)
        fields["unit_cost"] = row.money("unit_cost", required=True)
        fields["planned_units_per_week"] = row.money(
            "planned_units_per_week", required=True, below=1_000_000
        )
        if row.values.get("weekly_cost", "").strip():
            fields["weekly_cost"] = row.money("weekly_cost")
        else:
            weekly = fields["unit_cost"] * fields["planned_units_per_week"]
            fields["weekly_cost"] = weekly.quantize(PENNY, rounding=ROUND_HALF_UP)
            if weekly >= 100_000_000:
                row.problem("weekly_cost", "The weekly cost works out at £100,000,000 or more")
        start = row.date("start_date", required=True)
        end = row.date("end_date")
        if start is not None and end is not None and end < start:
            row.problem("end_date", "End date must be on or after the start date")
        died = _date_of_death(context, person)
        if died is not None and end is None:
            row.problem(
                "end_date",
                "The person has died, so the service must have an end date",
            )
        fields["start_date"] = start
        fields["end_date"] = end
        if len(context.result.problems) == before:
            context.result.services.append(
                ServiceRow(row=number, legacy_id=legacy_id, person_legacy_id=person, fields=fields)
            )


def _date_of_death(context: _Context, legacy_id: str) -> datetime.date | None:
    if legacy_id in context.person_rows:
        person = context.person_rows[legacy_id]
        return None if person is None else person.fields.get("date_of_death")
    known = context.known.people.get(legacy_id)
    return None if known is None else known.date_of_death


_CHECKERS: dict[str, Callable[[_Context, str, Table], None]] = {
    WORKERS: _check_workers,
    PEOPLE: _check_people,
    ALLOCATIONS: _check_allocations,
    CIRCLES: _check_circles,
    SERVICES: _check_services,
}


# --- Checks across files ---------------------------------------------------------------------


def current_allocations(rows: Iterable[AllocationRow]) -> dict[str, AllocationRow]:
    """Each person's current named worker (the allocation with no end date), by legacy ID."""
    return {row.person_legacy_id: row for row in rows if row.current}


def _check_people_teams(context: _Context) -> None:
    """A new person waits in a team's queue or has a current named worker; with both, they
    must agree, because the team responsible is always the named worker's."""
    result = context.result
    file = result.files.get(PEOPLE, "")
    current = current_allocations(result.allocations)
    fine: list[PersonRow] = []
    for person in result.people:
        allocation = current.get(person.legacy_id)
        problem = ""
        if allocation is None and not person.team:
            if person.legacy_id in context.named_in_allocations:
                continue  # that allocation's own problems are reported
            problem = (
                "Give the team whose queue they wait in, or a current named worker for them "
                "in the allocations file"
            )
        elif allocation is not None and person.team:
            found = _worker_role_and_team(context, allocation.worker_legacy_id)
            worker_team = found[1] if found else ""
            if worker_team and worker_team != person.team:
                problem = (
                    f"The team is {person.team} but their current named worker, "
                    f"{allocation.worker_legacy_id}, is in {worker_team}. A person's team is "
                    "always their named worker's: leave the team blank or correct it"
                )
        if problem:
            result.problems.append(Problem(PEOPLE, file, person.row, "team", problem))
        else:
            fine.append(person)
    result.people = fine


def _check_allocation_history(context: _Context) -> None:
    """One current named worker per person, spells that do not overlap, and spells that fit
    around the named worker a person imported earlier already has."""
    result = context.result
    file = result.files.get(ALLOCATIONS, "")
    by_person: dict[str, list[AllocationRow]] = defaultdict(list)
    for allocation in result.allocations:
        by_person[allocation.person_legacy_id].append(allocation)
    bad: set[int] = set()

    def problem(allocation: AllocationRow, column: str, message: str) -> None:
        bad.add(allocation.row)
        result.problems.append(Problem(ALLOCATIONS, file, allocation.row, column, message))

    for person, spells in by_person.items():
        spells.sort(key=lambda spell: (spell.started_on, spell.ended_on or datetime.date.max))
        current = [spell for spell in spells if spell.current]
        for extra in current[1:]:
            problem(
                extra,
                "ended_on",
                f"Person {person} has another current named worker on row {current[0].row}: "
                "give the earlier allocation an end date",
            )
        for earlier, later in itertools.pairwise(spells):
            overlaps = earlier.ended_on is None or earlier.ended_on > later.started_on
            if overlaps and not (earlier.current and later.current):
                problem(
                    later,
                    "started_on",
                    f"This allocation overlaps the one on row {earlier.row}: one named "
                    "worker at a time",
                )
        existing = context.known.people.get(person)
        if existing is not None and existing.current_started is not None:
            since = existing.current_started
            for spell in spells:
                if spell.current and spell.started_on < since:
                    problem(
                        spell,
                        "started_on",
                        f"Person {person} has had their current named worker since "
                        f"{since:%d/%m/%Y}: a new one must start on or after that date",
                    )
                elif not spell.current and spell.ended_on is not None and spell.ended_on > since:
                    problem(
                        spell,
                        "ended_on",
                        f"Person {person} has had their current named worker since "
                        f"{since:%d/%m/%Y}: an earlier allocation must end by then",
                    )
    if bad:
        result.allocations = [a for a in result.allocations if a.row not in bad]
