"""The administrators' import pages: upload, read the dry run's report, import, confirmation."""

from __future__ import annotations

import csv
import io
import zipfile
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from selfdirect.legacy.models import BatchStatus, ImportBatch
from selfdirect.people.models import Person
from tests.conftest import World
from tests.legacy.conftest import SAMPLES, xlsx_bytes

KINDS = ("workers", "people", "allocations", "circles", "services")


def sample_files(**instead: SimpleUploadedFile) -> dict[str, SimpleUploadedFile]:
    files = {
        kind: SimpleUploadedFile(f"{kind}.csv", (SAMPLES / f"{kind}.csv").read_bytes())
        for kind in KINDS
    }
    files.update(instead)
    return files


@pytest.fixture
def admin(world: World) -> Client:
    # The sample files name these teams: world has team A's name; add the other.
    world.team_b.name = "Mental health – North"
    world.team_b.save()
    return world.client_for(world.administrator)


def test_home_links_to_the_import(world: World, admin: Client) -> None:
    content = admin.get(reverse("core:home")).content.decode()
    assert reverse("legacy:upload") in content


def test_upload_page_explains_the_files(admin: Client) -> None:
    response = admin.get(reverse("legacy:upload"))
    content = response.content.decode()
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in content
    assert 'class="govuk-file-upload"' in content and 'accept=".csv,.xlsx"' in content
    assert "Import guide: what the files must hold" in content
    assert "<code>primary_support_reason</code>" in content
    assert "Long term support: Community" in content  # allowed values are listed


def test_no_files_chosen(admin: Client) -> None:
    content = admin.post(reverse("legacy:upload"), {}).content.decode()
    assert "There is a problem" in content
    assert "Choose at least one file to check" in content
    assert ImportBatch.objects.count() == 0


def test_a_file_too_large_is_refused_before_reading(admin: Client, settings: Any) -> None:
    settings.UPLOAD_MAX_BYTES = 1024  # people.csv is larger; the others are smaller
    content = admin.post(reverse("legacy:upload"), sample_files()).content.decode()
    assert "There is a problem" in content
    assert 'href="#id_people"' in content and 'href="#id_workers"' not in content
    assert "The selected file must be smaller than 1 KB" in content
    assert ImportBatch.objects.count() == 0


def _zip(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000")


def _with_macros(workbook: bytes) -> bytes:
    """An .xlsx with a VBA project added, as Excel saves an .xlsm."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(workbook)) as source, zipfile.ZipFile(out, "w") as archive:
        for info in source.infolist():
            archive.writestr(info, source.read(info))
        archive.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 macros")
    return out.getvalue()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        # A picture renamed: by name it is a CSV file or a workbook; by content it is neither.
        (("people.csv", PNG), "The file is not a CSV file"),
        (("people.xlsx", PNG), "The file name ends in .xlsx but the file is not an Excel"),
        # A zip that is not a workbook, and a workbook with macros.
        (("people.xlsx", _zip({"notes.txt": b"hello"})), "a zip file but not an Excel workbook"),
        (("people.xlsx", _with_macros(xlsx_bytes([["legacy_id"]]))), "contains macros"),
        (("people.xlsm", xlsx_bytes([["legacy_id"]])), "contains macros"),
        (("people.xlsx", b"PK\x03\x04 not really a workbook"), "The Excel workbook is damaged"),
        (("people.xls", b"\xd0\xcf\x11\xe0" + b"\0" * 64), "must be a CSV file (.csv) or an"),
        (("people.csv", "legacy_id\nZoë\n".encode("cp1252")), "The file is not in UTF-8"),
    ],
    ids=["png-as-csv", "png-as-xlsx", "zip", "vba", "xlsm", "damaged", "xls", "not-utf8"],
)
def test_a_file_of_the_wrong_type_is_a_form_error(
    admin: Client, upload: tuple[str, bytes], message: str
) -> None:
    name, data = upload
    files = sample_files(people=SimpleUploadedFile(name, data))
    response = admin.post(reverse("legacy:upload"), files)
    content = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in content
    assert 'href="#id_people"' in content  # the error summary links to the field
    assert message in content
    assert ImportBatch.objects.count() == 0  # nothing stored


def test_a_body_larger_than_five_files_is_refused_unread(admin: Client, settings: Any) -> None:
    settings.REQUEST_MAX_BYTES = 4096
    response = admin.post(
        reverse("legacy:upload"),
        {"people": SimpleUploadedFile("people.csv", b"legacy_id\n" + b"1\n" * 4096)},
    )
    assert response.status_code == 413
    assert "The file is too large" in response.content.decode()
    assert ImportBatch.objects.count() == 0


def test_report_names_each_bad_row_and_offers_no_import(world: World, admin: Client) -> None:
    bad_people = (SAMPLES / "people.csv").read_text(encoding="utf-8")
    bad_people = bad_people.replace("999 900 1017", "999 900 1018").replace(",Female,", ",Fem,")
    files = sample_files(people=SimpleUploadedFile("people.csv", bad_people.encode()))
    response = admin.post(reverse("legacy:upload"), files)
    batch = ImportBatch.objects.get()
    assert response["Location"] == reverse("legacy:batch", args=[batch.pk])
    content = admin.get(response["Location"]).content.decode()
    assert "Nothing has been imported. We found 2 problems in 1 file." in content
    assert "People: people.csv" in content
    assert "“Fem” is not an allowed value for gender" in content
    assert "NHS number 999 900 1018 is not a valid NHS number" in content
    assert "No problems found in this file." in content  # the other files
    assert reverse("legacy:run", args=[batch.pk]) not in content
    # Pressing Import anyway (another tab, say) imports nothing.
    admin.post(reverse("legacy:run", args=[batch.pk]))
    assert not Person.objects.filter(last_name="Ellis").exists()
    batch.refresh_from_db()
    assert batch.status == BatchStatus.CHECKED


def test_upload_check_import_confirm(world: World, admin: Client) -> None:
    # The people as an Excel workbook, the rest as CSV.
    with (SAMPLES / "people.csv").open(encoding="utf-8", newline="") as people:
        workbook = xlsx_bytes(list(csv.reader(people)))
    files = sample_files(people=SimpleUploadedFile("people.xlsx", workbook))
    response = admin.post(reverse("legacy:upload"), files)
    report_url = response["Location"]
    content = admin.get(report_url).content.decode()
    assert (
        "No problems found: 4 workers, 4 people, 5 named-worker allocations, "
        "4 circle of support members and 4 services to import."
    ) in content
    batch = ImportBatch.objects.get()
    run_url = reverse("legacy:run", args=[batch.pk])
    assert f'action="{run_url}"' in content
    assert Person.objects.filter(last_name="Osei").count() == 0  # a dry run writes nothing

    assert admin.get(run_url)["Location"] == report_url  # Import is POST only
    response = admin.post(run_url)
    assert response["Location"] == report_url
    content = admin.get(report_url).content.decode()
    assert "Import complete" in content
    assert "Added 4 workers, 4 people, 5 named-worker allocations" in content
    assert Person.objects.filter(last_name__in=["Ellis", "Osei", "Walsh", "Haddad"]).count() == 4
    batch.refresh_from_db()
    assert batch.status == BatchStatus.IMPORTED

    # A second press imports nothing more.
    response = admin.post(run_url, follow=True)
    assert "These files have already been imported" in response.content.decode()
    assert Person.objects.filter(last_name="Osei").count() == 1
    # The earlier batch is listed on the upload page.
    assert report_url in admin.get(reverse("legacy:upload")).content.decode()


def test_other_roles_may_not_import(world: World) -> None:
    for user in (world.team_manager, world.commissioner, world.allocated_worker, world.the_person):
        client = world.client_for(user)
        assert client.get(reverse("legacy:upload")).status_code == 403
        assert client.post(reverse("legacy:upload"), sample_files()).status_code == 403
    assert ImportBatch.objects.count() == 0


def test_unknown_batch_is_not_found(admin: Client) -> None:
    assert admin.get(reverse("legacy:batch", args=[999999])).status_code == 404
    assert admin.post(reverse("legacy:run", args=[999999])).status_code == 404
