"""legacy/validate.py: files in, typed rows and plain-English problems out. Pure: no database."""

from __future__ import annotations

import datetime
import io
import zipfile
from collections.abc import Sequence
from decimal import Decimal

import pytest

from selfdirect.legacy import validate
from selfdirect.legacy.validate import Checked, Known, KnownPerson, KnownWorker, Upload
from tests.factories import valid_nhs_number
from tests.legacy.conftest import csv_bytes, xlsx_bytes

TODAY = datetime.date(2026, 11, 23)
TEAM = "Older people – North"
KNOWN = Known(
    today=TODAY,
    teams=[TEAM, "Mental health – South"],
    usernames=["admin", "Taken.Name"],
    nhs_numbers=["9434765919"],
    workers={"W-OLD": KnownWorker(role="social_worker", team=TEAM)},
    people={"P-OLD": KnownPerson(current_started=datetime.date(2025, 1, 1), date_of_death=None)},
    imported={"circles": {"C-OLD"}, "services": {"S-OLD"}, "allocations": {"A-OLD"}},
    staff_roles=(
        ("social_worker", "Social worker"),
        ("team_manager", "Team manager"),
        ("panel_member", "Panel member"),
        ("commissioner", "Commissioner"),
        ("administrator", "Administrator"),
    ),
    case_roles=frozenset({"social_worker", "team_manager"}),
    relationship_types=(
        ("family", "Family member"),
        ("attorney_hw", "Attorney for health and welfare"),
    ),
)

WORKER_HEAD = ["legacy_id", "username", "first_name", "last_name", "role", "team"]
PEOPLE_HEAD = [
    "legacy_id",
    "first_name",
    "last_name",
    "date_of_birth",
    "nhs_number",
    "gender",
    "ethnicity",
    "primary_support_reason",
    "postcode",
    "accommodation_status",
    "employment_status",
    "team",
]
ALLOC_HEAD = ["legacy_id", "person_legacy_id", "worker_legacy_id", "started_on", "ended_on"]
CIRCLE_HEAD = [
    "legacy_id",
    "person_legacy_id",
    "name",
    "relationship_type",
    "email",
    "is_representative",
]
SERVICE_HEAD = [
    "legacy_id",
    "person_legacy_id",
    "description",
    "delivery_mechanism",
    "service_type",
    "service_component",
    "unit_cost",
    "cost_frequency",
    "planned_units_per_week",
    "start_date",
    "end_date",
]


def person(legacy_id: str = "P1", **changes: str) -> list[str]:
    values = {
        "legacy_id": legacy_id,
        "first_name": "Ada",
        "last_name": "Lovelace",
        "date_of_birth": "1950-05-17",
        "nhs_number": "",
        "gender": "female",
        "ethnicity": "white_irish",
        "primary_support_reason": "mental_health_support",
        "postcode": "SD1 4AB",
        "accommodation_status": "unknown",
        "employment_status": "unknown",
        "team": TEAM,
    }
    values.update(changes)
    return [values[column] for column in PEOPLE_HEAD]


def service(legacy_id: str = "S1", **changes: str) -> list[str]:
    values = {
        "legacy_id": legacy_id,
        "person_legacy_id": "P-OLD",
        "description": "Home care",
        "delivery_mechanism": "Direct payment",
        "service_type": "Long term support: Community",
        "service_component": "Direct payment",
        "unit_cost": "20.00",
        "cost_frequency": "Hourly",
        "planned_units_per_week": "7",
        "start_date": "2025-01-01",
        "end_date": "",
    }
    values.update(changes)
    return [values[column] for column in SERVICE_HEAD]


def run(known: Known = KNOWN, **files: Sequence[Sequence[object]]) -> Checked:
    uploads = [Upload(kind, f"{kind}.csv", csv_bytes(rows)) for kind, rows in files.items()]
    return validate.check(uploads, known)


def messages(checked: Checked) -> list[tuple[int | None, str, str]]:
    return [(p.row, p.column, p.message) for p in checked.problems]


def only(checked: Checked) -> validate.Problem:
    assert len(checked.problems) == 1, messages(checked)
    return checked.problems[0]


# --- Reading files ---------------------------------------------------------------------------


@pytest.mark.parametrize("bom", [False, True])
def test_csv_with_or_without_byte_order_mark(bom: bool) -> None:
    table = validate.read_table("p.csv", csv_bytes([["legacy_id", "Name"], ["1", "Zoë"]], bom=bom))
    assert table.header == ("legacy_id", "Name")
    assert table.rows == ((2, ("1", "Zoë")),)


def test_xlsx_cells_read_as_csv_text() -> None:
    data = xlsx_bytes(
        [
            ["legacy_id", "date_of_birth", "nhs_number", "unit_cost", "flag"],
            ["P1", datetime.datetime(1950, 5, 17), 9434765919, 12.5, True],
            [None, None, None, None, None],  # blank rows are skipped
            ["P2", datetime.date(1960, 1, 2), "943 476 5919", 20.0, None],
        ]
    )
    table = validate.read_table("p.xlsx", data)
    assert table.rows == (
        (2, ("P1", "1950-05-17", "9434765919", "12.5", "yes")),
        (4, ("P2", "1960-01-02", "943 476 5919", "20", "")),
    )


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("people.txt", b"legacy_id\n1\n", "must be a CSV file (.csv) or an Excel workbook"),
        ("people.xls", b"\xd0\xcf\x11\xe0rest", "must be a CSV file (.csv) or an Excel workbook"),
        ("people.csv", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "old Excel file (.xls)"),
        ("people.xlsx", b"legacy_id\n1\n", "is not an Excel workbook"),
        ("people.csv", xlsx_bytes([["legacy_id"]]), "is an Excel workbook"),
        ("people.xlsx", b"PK\x03\x04 damaged", "damaged"),
        ("people.csv", "legacy_id\nZoë\n".encode("latin-1"), "not in UTF-8"),
        ("people.csv", b"legacy_id\x00\n", "not a CSV file"),
        ("people.csv", b"", "empty"),
        ("people.csv", b"\n\n,,\n", "first row must hold the column names"),
    ],
)
def test_files_that_cannot_be_read_are_refused(name: str, data: bytes, message: str) -> None:
    with pytest.raises(validate.FileRefused) as refused:
        validate.read_table(name, data)
    assert message in refused.value.message


def test_a_file_over_the_size_limit_is_refused() -> None:
    data = b"legacy_id\n" + b"1\n" * 20
    assert validate.read_table("p.csv", data, max_bytes=len(data)).rows
    with pytest.raises(validate.FileRefused, match="larger than 1 KB"):
        validate.read_table("p.csv", data, max_bytes=len(data) - 1)
    assert validate.size_label(10 * 1024 * 1024) == "10 MB"


def _zip(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_file_type_is_judged_by_content() -> None:
    workbook = xlsx_bytes([["legacy_id"], ["P1"]])
    assert validate.file_type("people.xlsx", workbook) == "xlsx"
    assert validate.file_type("People.CSV", "\ufefflegacy_id\nZoë\n".encode()) == "csv"
    # A workbook's parts, one missing at a time.
    with zipfile.ZipFile(io.BytesIO(workbook)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    for missing in ("[Content_Types].xml", "xl/workbook.xml"):
        damaged = _zip({k: v for k, v in parts.items() if k != missing})
        with pytest.raises(validate.FileRefused, match="not an Excel workbook"):
            validate.file_type("people.xlsx", damaged)
    macro_types = parts["[Content_Types].xml"].replace(
        b"spreadsheetml.sheet.main+xml", b"sheet.macroEnabled.main+xml"
    )
    for macros in (
        _zip({**parts, "xl/vbaProject.bin": b"vba"}),
        _zip({**parts, "[Content_Types].xml": macro_types}),
    ):
        with pytest.raises(validate.FileRefused, match="contains macros"):
            validate.file_type("people.xlsx", macros)


def test_a_refused_file_is_a_problem_for_the_whole_file() -> None:
    checked = validate.check([Upload("people", "people.xls", b"\xd0\xcf\x11\xe0")], KNOWN)
    problem = only(checked)
    assert (problem.file, problem.row, problem.column) == ("people.xls", None, "")
    assert str(problem).startswith("people.xls: ")


# --- Columns ---------------------------------------------------------------------------------


def test_unknown_repeated_and_missing_columns() -> None:
    head = ["Legacy ID", "first_name", "First Name", "Shoe size"]
    checked = run(people=[head, ["P1", "Ada", "Ada", "5"]])
    found = messages(checked)
    assert (
        1,
        "Shoe size",
        "“Shoe size” is not a column of the people file: rename or delete it",
    ) in found
    assert (1, "First Name", "There are two “First Name” columns") in found
    assert (1, "date_of_birth", "The “date_of_birth” column is missing") in found
    # Rows are not read when the columns are wrong: one problem per column, not per row.
    assert all(row == 1 for row, _, _ in found)


def test_column_names_ignore_case_spaces_and_hyphens() -> None:
    head = [h.upper().replace("_", " ") for h in PEOPLE_HEAD]
    head[0] = "Legacy-ID"
    assert run(people=[head, person()]).problems == []


def test_a_row_longer_than_the_header() -> None:
    problem = only(run(people=[PEOPLE_HEAD, [*person(), "stray"]]))
    assert (problem.row, problem.message) == (
        2,
        "This row has more values than there are named columns",
    )


# --- People ----------------------------------------------------------------------------------


def test_good_person_becomes_typed_fields() -> None:
    checked = run(
        people=[
            PEOPLE_HEAD,
            person(date_of_birth="17/05/1950", nhs_number="943 476 5919"),
        ],
        known=Known(today=TODAY, teams=[TEAM]),
    )
    assert checked.problems == []
    row = checked.people[0]
    assert row.fields["date_of_birth"] == datetime.date(1950, 5, 17)
    assert row.fields["nhs_number"] == "9434765919"
    assert row.fields["client_type"] == "service_user"  # defaults for optional codes
    assert row.fields["autism"] == "not_known"
    assert row.team == TEAM
    assert checked.counts() == {"people": 1}


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "943 476 5918",
            "NHS number 943 476 5918 is not a valid NHS number "
            "(its check digit is wrong): check it",
        ),
        ("12345", "NHS number 12345 must be 10 digits, like 943 476 5919"),
        ("943 476 5919", "Another person already has NHS number 943 476 5919"),
    ],
)
def test_bad_nhs_numbers(value: str, message: str) -> None:
    problem = only(run(people=[PEOPLE_HEAD, person(nhs_number=value)]))
    assert (problem.row, problem.column, problem.message) == (2, "nhs_number", message)


def test_the_same_nhs_number_twice_in_a_file() -> None:
    number = valid_nhs_number(5)
    spaced = f"{number[:3]} {number[3:6]} {number[6:]}"
    rows = [PEOPLE_HEAD, person("P1", nhs_number=spaced), person("P2", nhs_number=number)]
    problem = only(run(people=rows))
    assert (problem.row, problem.message) == (3, f"NHS number {number} is also on row 2")


def test_codes_accept_our_code_or_the_exact_label_in_any_case() -> None:
    rows = [
        PEOPLE_HEAD,
        person("P1", ethnicity="White: Irish", gender="FEMALE"),
        person("P2", ethnicity=" white_irish ", primary_support_reason="Mental health support"),
    ]
    checked = run(people=rows)
    assert checked.problems == []
    assert {row.fields["ethnicity"] for row in checked.people} == {"white_irish"}


def test_unknown_codes_say_what_is_allowed() -> None:
    checked = run(people=[PEOPLE_HEAD, person(gender="Femail", ethnicity="Irish")])
    found = {column: message for _, column, message in messages(checked)}
    assert found["gender"] == (
        "“Femail” is not an allowed value for gender. Use one of: female (Female); male (Male); "
        "another (In another way); not_known (Not known or prefers not to say)"
    )
    assert "“Irish” is not an allowed value for ethnicity" in found["ethnicity"]
    assert "import guide" in found["ethnicity"]  # 21 values: not spelt out on every row


@pytest.mark.parametrize(
    ("changes", "column", "message"),
    [
        (
            {"date_of_birth": "17th May 1950"},
            "date_of_birth",
            f"Date of birth must be a real date, written {validate.DATE_HINT}",
        ),
        ({"date_of_birth": "1950-02-30"}, "date_of_birth", "Date of birth must be a real date"),
        (
            {"date_of_birth": "2027-01-01"},
            "date_of_birth",
            "Date of birth must be today or in the past",
        ),
        (
            {"date_of_birth": "1850-01-01"},
            "date_of_birth",
            "Date of birth must be after 1 January 1900",
        ),
        ({"date_of_birth": ""}, "date_of_birth", "Date of birth is missing"),
        ({"first_name": ""}, "first_name", "First name is missing"),
        ({"first_name": "A" * 101}, "first_name", "First name must be 100 characters or fewer"),
        ({"postcode": "NOT A CODE"}, "postcode", "NOT A CODE is not a UK postcode, like SD1 4AB"),
        (
            {"team": "Nowhere team"},
            "team",
            "There is no team called “Nowhere team”. Add the team on the Teams page first",
        ),
        (
            {"team": ""},
            "team",
            "Give the team whose queue they wait in, or a current named worker for them",
        ),
    ],
)
def test_person_problems(changes: dict[str, str], column: str, message: str) -> None:
    problem = only(run(people=[PEOPLE_HEAD, person(**changes)]))
    assert (problem.kind, problem.row, problem.column) == ("people", 2, column)
    assert problem.message.startswith(message)


def test_date_of_death_before_birth() -> None:
    head = [*PEOPLE_HEAD, "date_of_death"]
    problem = only(run(people=[head, [*person(), "1949-01-01"]]))
    assert (problem.column, problem.message) == (
        "date_of_death",
        "Date of death must be on or after the date of birth",
    )


def test_duplicate_legacy_id() -> None:
    problem = only(run(people=[PEOPLE_HEAD, person("P1"), person("P1")]))
    assert (problem.row, problem.column, problem.message) == (
        3,
        "legacy_id",
        "Legacy ID P1 is also on row 2: each row needs its own",
    )


def test_a_row_without_its_own_legacy_id_is_still_checked() -> None:
    checked = run(
        people=[PEOPLE_HEAD, person("P1"), person("P1", gender="?"), person("", gender="")]
    )
    assert [(row, column) for row, column, _ in messages(checked)] == [
        (3, "legacy_id"),
        (3, "gender"),
        (4, "legacy_id"),
        (4, "gender"),
    ]
    assert [row.legacy_id for row in checked.people] == ["P1"]


def test_rows_imported_before_are_left_alone() -> None:
    checked = run(people=[PEOPLE_HEAD, person("P-OLD", first_name=""), person("P2")])
    assert checked.problems == []  # P-OLD is not checked again: it will not be written
    assert [row.legacy_id for row in checked.people] == ["P2"]
    assert checked.already == {"people": 1}


# --- Workers ---------------------------------------------------------------------------------


def worker(legacy_id: str = "W1", **changes: str) -> list[str]:
    values = {
        "legacy_id": legacy_id,
        "username": f"user.{legacy_id.lower()}",
        "first_name": "Jo",
        "last_name": "Bloggs",
        "role": "Social worker",
        "team": TEAM,
    }
    values.update(changes)
    return [values[column] for column in WORKER_HEAD]


@pytest.mark.parametrize(
    ("changes", "column", "message"),
    [
        (
            {"username": "taken.name"},
            "username",
            "There is already a user called taken.name: choose another username",
        ),
        (
            {"username": "has space"},
            "username",
            "Username can only have letters, digits and the characters @ . + - _",
        ),
        (
            {"role": "Wizard"},
            "role",
            "“Wizard” is not an allowed value for role. Use one of: social_worker (Social worker)",
        ),
        ({"team": ""}, "team", "Social workers and team managers must be in a team: give its name"),
        ({"team": "Unknown"}, "team", "There is no team called “Unknown”"),
        ({"last_name": ""}, "last_name", "Last name is missing"),
    ],
)
def test_worker_problems(changes: dict[str, str], column: str, message: str) -> None:
    problem = only(run(workers=[WORKER_HEAD, worker(**changes)]))
    assert (problem.kind, problem.row, problem.column) == ("workers", 2, column)
    assert problem.message.startswith(message)


def test_worker_optional_columns() -> None:
    head = [*WORKER_HEAD, "email", "sign_off_limit", "phone"]
    rows = [
        head,
        [
            *worker("W1", role="panel_member", team=""),
            "jo@example.org",
            "£25,000.50",
            "01632 960001",
        ],
        [*worker("W2"), "not-an-email", "lots", "call me"],
    ]
    checked = run(workers=rows)
    assert checked.workers[0].sign_off_limit == Decimal("25000.50")
    assert checked.workers[0].team == ""
    assert [(row, column) for row, column, _ in messages(checked)] == [
        (3, "email"),
        (3, "sign_off_limit"),
        (3, "phone"),
    ]


def test_the_same_username_twice() -> None:
    problem = only(
        run(workers=[WORKER_HEAD, worker("W1", username="jo"), worker("W2", username="JO")])
    )
    assert (problem.row, problem.message) == (3, "Username JO is also on row 2")


# --- Allocations -----------------------------------------------------------------------------


def test_allocations_refer_to_this_import_or_earlier_ones() -> None:
    checked = run(
        workers=[WORKER_HEAD, worker("W1")],
        people=[PEOPLE_HEAD, person("P1", team="")],
        allocations=[
            ALLOC_HEAD,
            ["A1", "P1", "W1", "2024-01-01", ""],
            ["A2", "P1", "W-OLD", "2020-01-01", "2023-12-31"],
            ["A3", "P-OLD", "W1", "2025-06-01", ""],  # a new named worker for an earlier person
            ["A4", "P-NONE", "W-NONE", "2024-01-01", ""],
            ["A-OLD", "P1", "W1", "2019-01-01", "2019-02-01"],  # imported before: left alone
        ],
    )
    assert messages(checked) == [
        (
            5,
            "person_legacy_id",
            "There is no person with legacy ID P-NONE in the people file or in an earlier import",
        ),
        (
            5,
            "worker_legacy_id",
            "There is no worker with legacy ID W-NONE in the workers file or in an earlier import",
        ),
    ]
    assert [row.legacy_id for row in checked.allocations] == ["A1", "A2", "A3"]
    assert checked.already == {"allocations": 1}


def test_allocation_dates_and_history() -> None:
    checked = run(
        people=[PEOPLE_HEAD, person("P1", team=""), person("P2", team="")],
        allocations=[
            ALLOC_HEAD,
            ["A1", "P1", "W-OLD", "2024-01-01", ""],
            ["A2", "P1", "W-OLD", "2024-03-01", ""],
            ["A3", "P2", "W-OLD", "2024-01-01", "2023-01-01"],
            ["A4", "P2", "W-OLD", "2030-01-01", ""],
            ["A5", "P2", "W-OLD", "2020-01-01", "2022-01-01"],
            ["A6", "P2", "W-OLD", "2021-06-01", "2021-07-01"],
            ["A7", "P2", "W-OLD", "01-01-2021", ""],
        ],
    )
    found = messages(checked)
    assert (
        3,
        "ended_on",
        "Person P1 has another current named worker on row 2: "
        "give the earlier allocation an end date",
    ) in found
    assert (4, "ended_on", "End date must be on or after the start date") in found
    assert (5, "started_on", "Start date must be today or in the past") in found
    assert (
        7,
        "started_on",
        "This allocation overlaps the one on row 6: one named worker at a time",
    ) in found
    assert (
        8,
        "started_on",
        f"Start date must be a real date, written {validate.DATE_HINT}",
    ) in found
    # P2's current allocations all have problems: they are not also told to give a team.
    assert not any(p.kind == "people" for p in checked.problems)


def test_only_case_holders_in_a_team_can_be_current_named_workers() -> None:
    checked = run(
        workers=[WORKER_HEAD, worker("W1", role="commissioner", team="")],
        allocations=[
            ALLOC_HEAD,
            ["A1", "P-OLD", "W1", "2025-06-01", ""],
            ["A2", "P-OLD", "W1", "2020-01-01", "2021-01-01"],
        ],
    )
    problem = only(checked)
    assert (problem.row, problem.column) == (2, "worker_legacy_id")
    assert problem.message.startswith("Worker W1 cannot be a current named worker")


def test_allocations_fit_around_an_earlier_persons_current_worker() -> None:
    """P-OLD's current named worker (from an earlier import) began on 1 January 2025."""
    since = "Person P-OLD has had their current named worker since 01/01/2025"
    early = run(allocations=[ALLOC_HEAD, ["A1", "P-OLD", "W-OLD", "2024-06-01", ""]])
    assert messages(early) == [
        (2, "started_on", f"{since}: a new one must start on or after that date"),
    ]
    late = run(allocations=[ALLOC_HEAD, ["A2", "P-OLD", "W-OLD", "2023-01-01", "2025-02-01"]])
    assert messages(late) == [(2, "ended_on", f"{since}: an earlier allocation must end by then")]
    fine = run(
        allocations=[
            ALLOC_HEAD,
            ["A1", "P-OLD", "W-OLD", "2025-06-01", ""],
            ["A2", "P-OLD", "W-OLD", "2023-01-01", "2025-01-01"],
        ]
    )
    assert fine.problems == []


def test_a_person_team_must_match_their_named_worker() -> None:
    checked = run(
        people=[PEOPLE_HEAD, person("P1", team="Mental health – South")],
        allocations=[ALLOC_HEAD, ["A1", "P1", "W-OLD", "2024-01-01", ""]],
    )
    problem = only(checked)
    assert (problem.kind, problem.column) == ("people", "team")
    assert "is in Older people – North" in problem.message
    assert checked.people == []


# --- Circles and services --------------------------------------------------------------------


def test_circle_problems() -> None:
    checked = run(
        circles=[
            CIRCLE_HEAD,
            ["C1", "P-OLD", "Rita", "Attorney for health and welfare", "rita@example.org", "Yes"],
            ["C2", "P-OLD", "", "cousin", "rita@", "perhaps"],
            ["C-OLD", "P-OLD", "", "", "", ""],
        ]
    )
    assert [(row, column) for row, column, _ in messages(checked)] == [
        (3, "name"),
        (3, "relationship_type"),
        (3, "email"),
        (3, "is_representative"),
    ]
    assert checked.circles[0].fields["relationship_type"] == "attorney_hw"
    assert checked.circles[0].fields["is_representative"] is True


def test_service_values_and_weekly_cost() -> None:
    checked = run(
        services=[
            SERVICE_HEAD,
            service(delivery_mechanism="direct payment", planned_units_per_week="7.5"),
        ]
    )
    assert checked.problems == []
    fields = checked.services[0].fields
    assert fields["delivery_mechanism"] == "Direct payment"  # the CLD wording is what is stored
    assert fields["weekly_cost"] == Decimal("150.00")


@pytest.mark.parametrize(
    ("changes", "column", "message"),
    [
        (
            {"service_type": "Home care"},
            "service_type",
            "“Home care” is not an allowed value for service type",
        ),
        (
            {"cost_frequency": "Every so often"},
            "cost_frequency",
            "“Every so often” is not an allowed value",
        ),
        (
            {"unit_cost": "12.345"},
            "unit_cost",
            "Unit cost must be a number, 0 or more, with no more than 2 decimal places",
        ),
        ({"unit_cost": "-3"}, "unit_cost", "Unit cost must be a number"),
        ({"end_date": "2024-12-31"}, "end_date", "End date must be on or after the start date"),
        (
            {"person_legacy_id": "P-NONE"},
            "person_legacy_id",
            "There is no person with legacy ID P-NONE",
        ),
    ],
)
def test_service_problems(changes: dict[str, str], column: str, message: str) -> None:
    problem = only(run(services=[SERVICE_HEAD, service(**changes)]))
    assert (problem.kind, problem.row, problem.column) == ("services", 2, column)
    assert problem.message.startswith(message)


def test_services_of_someone_who_has_died_must_have_ended() -> None:
    head = [*PEOPLE_HEAD, "date_of_death"]
    checked = run(
        people=[head, [*person("P1"), "2025-06-01"]],
        services=[
            SERVICE_HEAD,
            service("S1", person_legacy_id="P1"),
            service("S2", person_legacy_id="P1", end_date="2025-06-01"),
        ],
    )
    problem = only(checked)
    assert (problem.row, problem.column) == (2, "end_date")
    assert problem.message == "The person has died, so the service must have an end date"


# --- Reporting -------------------------------------------------------------------------------


def test_problems_are_in_file_order_then_row_order() -> None:
    checked = run(
        services=[SERVICE_HEAD, service("S1", unit_cost="x")],
        people=[PEOPLE_HEAD, person("P1"), person("P2", gender="?"), person("P3", gender="")],
    )
    assert [(p.kind, p.row) for p in checked.problems] == [
        ("people", 3),
        ("people", 4),
        ("services", 2),
    ]
    report = checked.as_report()
    assert report["files"] == {"services": "services.csv", "people": "people.csv"}
    assert report["counts"] == {"people": 1, "services": 0}
    assert report["problems"][0] == {
        "kind": "people",
        "file": "people.csv",
        "row": 3,
        "column": "gender",
        "message": report["problems"][0]["message"],
    }


def test_counted_in_words() -> None:
    assert (
        validate.counted({"people": 3, "workers": 1, "services": 2})
        == "1 worker, 3 people and 2 services"
    )
    assert validate.counted({"people": 1}) == "1 person"
    assert validate.counted({}) == "nothing"


def test_guide_lists_every_column_and_the_allowed_values() -> None:
    guide = validate.guide(
        staff_roles=KNOWN.staff_roles, relationship_types=KNOWN.relationship_types
    )
    assert [c.name for c in guide["people"]] == [c.name for c in validate.COLUMNS["people"]]
    columns = {c.name: c for c in guide["people"]}
    assert columns["date_of_birth"].required
    assert "YYYY-MM-DD" in columns["date_of_birth"].about
    assert ("white_irish", "White: Irish") in columns["ethnicity"].allowed
    services = {c.name: c for c in guide["services"]}
    assert ("Hourly", "Hourly") in services["cost_frequency"].allowed
