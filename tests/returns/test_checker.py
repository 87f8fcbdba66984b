"""The data-quality check, status by status, on rows and files built by hand."""

from __future__ import annotations

import io
import json
from pathlib import Path

from selfdirect.returns import checker
from selfdirect.returns.spec import SPEC_PATH, load

SPEC = load()


def test_the_packaged_spec_is_the_reference_spec(cld_spec: dict) -> None:
    assert json.loads(SPEC_PATH.read_text(encoding="utf-8")) == cld_spec
    assert Path(SPEC_PATH).name == "cld-r2-spec.json"


def good_service_row(**changes: str) -> dict[str, str]:
    row = {
        "LA_Code": "999",
        "Reporting_Period_Start_Date": "2025-10-01",
        "Reporting_Period_End_Date": "2026-09-30",
        "NHS_Number": "9434765919",
        "LA_Person_Unique_Identifier": "SD0000012",
        "Gender": "Female",
        "Ethnicity": "White: Irish",
        "Date_of_Birth": "1950-05-01",
        "Client_Type": "Service user",
        "Primary_Support_Reason": "Physical support: Personal care support",
        "Postcode": "NB1 2AA",
        "Accommodation_Status": "Tenant: Private landlord",
        "Employment_Status": "Unknown",
        "Has_Unpaid_Carer": "Yes",
        "Client_Funding_Status": "Fully social care funded",
        "Event_Type": "Service",
        "Event_Start_Date": "2026-01-01",
        "Event_End_Date": "",
        "Event_Outcome": "Continuation of support or services",
        "Service_Type": "Long term support: Community",
        "Service_Component": "Direct payment",
        "Delivery_Mechanism": "Direct payment",
        "Unit_Cost": "15.00",
        "Cost_Frequency_Unit_Type": "Hourly",
        "Planned_units_per_week": "10.00",
    }
    row.update(changes)
    return row


def statuses(row: dict[str, str]) -> dict[str, str]:
    return {name: status for name, status, _ in checker.classify_row(row, SPEC)}


def test_a_good_row_passes_every_field() -> None:
    result = statuses(good_service_row())
    assert set(result) == set(SPEC.columns)
    assert not [name for name, status in result.items() if status in checker.FAILED]
    assert result["Event_End_Date"] == checker.BLANK_OK  # only services may be open
    assert result["GP_Practice_Code"] == checker.BLANK_OK


def test_each_failure_status() -> None:
    result = statuses(
        good_service_row(
            NHS_Number="9434765918",  # wrong check digit
            Ethnicity="No data - Refused",  # the Release 1 spelling
            Service_Type="long term support: community",  # case matters
            Unit_Cost="",  # mandatory for a direct payment in long-term support
            Planned_units_per_week="1.234",
            Postcode="NOT A POSTCODE",
        )
    )
    assert result["NHS_Number"] == checker.INVALID
    assert result["Ethnicity"] == checker.RELEASE_1
    assert result["Service_Type"] == checker.INVALID
    assert result["Unit_Cost"] == checker.BLANK_MANDATORY
    assert result["Planned_units_per_week"] == checker.INVALID
    assert result["Postcode"] == checker.INVALID


def test_costs_are_not_required_for_commissioned_support() -> None:
    row = good_service_row(Delivery_Mechanism="CASSR commissioned support", Unit_Cost="")
    assert statuses(row)["Unit_Cost"] == checker.BLANK_OK


def test_conditional_mandation() -> None:
    # Employment status: service users aged 18-64 with a learning disability.
    young = good_service_row(
        Primary_Support_Reason="Learning disability support",
        Date_of_Birth="1990-01-01",
        Employment_Status="",
    )
    assert statuses(young)["Employment_Status"] == checker.BLANK_MANDATORY
    old = dict(young, Date_of_Birth="1950-01-01")
    assert statuses(old)["Employment_Status"] == checker.BLANK_OK
    # A request needs its route of access and an end date; its primary support reason may wait.
    request = good_service_row(
        Event_Type="Request",
        Primary_Support_Reason="",
        Event_End_Date="",
        Service_Type="",
        Service_Component="",
        Unit_Cost="",
        Cost_Frequency_Unit_Type="",
        Planned_units_per_week="",
    )
    result = statuses(request)
    assert result["Primary_Support_Reason"] == checker.BLANK_OK
    assert result["Event_End_Date"] == checker.BLANK_MANDATORY
    assert result["Request_Route_of_Access"] == checker.BLANK_MANDATORY
    assert result["Unit_Cost"] == checker.BLANK_OK
    # A planned review needs its outcomes; an unplanned one need not.
    review = dict(request, Event_Type="Review", Event_End_Date="2026-02-01")
    planned = statuses(dict(review, Review_Reason="Planned: Cyclical"))
    assert planned["Review_Outcomes_Achieved"] == checker.BLANK_MANDATORY
    unplanned = statuses(dict(review, Review_Reason="Unplanned: Hospital"))
    assert unplanned["Review_Outcomes_Achieved"] == checker.BLANK_OK
    # A service for someone who has died must have ended.
    died = statuses(good_service_row(Date_of_Death="2026-03-01"))
    assert died["Event_End_Date"] == checker.BLANK_MANDATORY


def test_dates_and_the_cross_field_rules() -> None:
    result = statuses(good_service_row(Event_Start_Date="2026-02-01", Event_End_Date="2026-01-01"))
    assert result["Event_End_Date"] == checker.INVALID
    assert statuses(good_service_row(Date_of_Birth="31/12/1950"))["Date_of_Birth"] == (
        checker.VALID
    )
    assert statuses(good_service_row(Date_of_Birth="1950-13-01"))["Date_of_Birth"] == (
        checker.INVALID
    )


def _csv(header: list[str], *rows: list[str]) -> io.StringIO:
    lines = [",".join(header), *(",".join(r) for r in rows)]
    return io.StringIO("\r\n".join(lines) + "\r\n")


def test_a_file_is_checked_with_headers_matched_loosely() -> None:
    row = good_service_row()
    names = list(SPEC.columns)
    # Spaced labels as some councils' extracts have them, in another order, with a BOM.
    header = ["\ufeffLA Code", *[n.replace("_", " ") for n in reversed(names[1:])]]
    values = [row.get("LA_Code", ""), *[row.get(n, "") for n in reversed(names[1:])]]
    report = checker.check_csv(_csv(header, values))
    assert report.header_problems == []
    assert report.rows == 1
    assert report.passed, report.failures


def test_a_file_with_missing_and_unknown_columns_says_so() -> None:
    report = checker.check_csv(_csv(["LA_Code", "Favourite colour"], ["999", "blue"]))
    assert "Column 2, “Favourite colour”, is not a field of the return" in report.header_problems
    assert "The file has no NHS_Number column" in report.header_problems
    assert not report.passed
    assert checker.check_csv(io.StringIO("")).header_problems == ["The file is empty"]


def test_failures_name_the_row_field_and_person() -> None:
    rows = [good_service_row(), good_service_row(Postcode="", LA_Person_Unique_Identifier="SD9")]
    report = checker.check_rows(rows)
    assert report.failure_count == 1
    (finding,) = report.failures
    assert (finding.row, finding.line, finding.field, finding.person_id) == (
        2,
        3,
        "Postcode",
        "SD9",
    )
    assert finding.status == checker.BLANK_MANDATORY
    assert report.counts["Postcode"][checker.VALID] == 1
    assert report.failed_by_field() == [("Postcode", 1)]


def test_rows_outside_the_period_are_warnings_only() -> None:
    late = good_service_row(Event_Start_Date="2026-10-02")
    report = checker.check_rows([late])
    assert report.period_warnings == 1
    assert report.passed
