"""Helpers for the legacy import tests: files as bytes, and the sample files' teams."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

import openpyxl
import pytest

from selfdirect.legacy.validate import Upload
from selfdirect.workforce.models import Discipline, Team

SAMPLES = Path(__file__).resolve().parents[2] / "docs" / "samples" / "legacy"
SAMPLE_TEAMS = {
    "Older people – North": Discipline.OLDER_PEOPLE,
    "Mental health – North": Discipline.MENTAL_HEALTH,
}


def csv_bytes(rows: Sequence[Sequence[object]], *, bom: bool = False) -> bytes:
    out = io.StringIO(newline="")
    csv.writer(out).writerows(rows)
    return ("\ufeff" if bom else "").encode() + out.getvalue().encode("utf-8")


def xlsx_bytes(rows: Sequence[Sequence[object]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def sample(kind: str) -> Upload:
    path = SAMPLES / f"{kind}.csv"
    return Upload(kind=kind, name=path.name, data=path.read_bytes())


def samples() -> list[Upload]:
    return [sample(kind) for kind in ("workers", "people", "allocations", "circles", "services")]


@pytest.fixture
def sample_teams(db: None) -> dict[str, Team]:
    """The teams the sample files name (a seeded demo council has them too)."""
    return {
        name: Team.objects.get_or_create(name=name, defaults={"discipline": discipline})[0]
        for name, discipline in SAMPLE_TEAMS.items()
    }
