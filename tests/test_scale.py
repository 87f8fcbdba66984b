"""Targets P1 for every staff and portal page: the same number of SQL queries at the
benchmark council sizes S (1,000 people) and L (100,000), so no page loops per person.

Both councils are seeded in one test, each inside a savepoint that is rolled back, and every
page in bench/pages.py (shared with `make bench`) is fetched as the demo user who would use it.
Marked `scale`: `make test` runs it once, on SQLite (`make test-scale`); seeding L takes a couple
of minutes. SELFDIRECT_SCALE_L=5000 compares S with a smaller council, for a quick check.
"""

from __future__ import annotations

import datetime
import os

import pytest
from django.db import transaction

from bench.pages import query_counts
from selfdirect.core.synthetic import seed_council

pytestmark = [pytest.mark.scale, pytest.mark.django_db]

AS_OF = datetime.date(2026, 11, 1)
SIZES = {"S": 1_000, "L": int(os.environ.get("SELFDIRECT_SCALE_L", "100000"))}


def test_pages_take_the_same_number_of_queries_at_s_and_l(settings) -> None:  # type: ignore[no-untyped-def]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    measured = {}
    for size, people in SIZES.items():
        savepoint = transaction.savepoint()
        seed_council(people=people, seed=1, as_of=AS_OF)
        measured[size] = query_counts()
        transaction.savepoint_rollback(savepoint)
    differ = {page: (measured["S"][page], measured["L"][page]) for page in measured["S"]}
    differ = {page: counts for page, counts in differ.items() if counts[0] != counts[1]}
    assert not differ, f"query counts (S, L) differ: {differ}"


def test_the_seeded_councils_cld_return_passes_its_own_check(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Issue 7: the demo council's return, at sizes S and M, has no data-quality failures."""
    from selfdirect.returns import checker, export
    from selfdirect.returns.cld_map import Period

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    period = Period.ending(datetime.date(2026, 9, 30))
    for size, people in {"S": 1_000, "M": 10_000}.items():
        savepoint = transaction.savepoint()
        seed_council(people=people, seed=1, as_of=AS_OF)
        path = tmp_path / f"cld-{size}.csv"
        with path.open("w", encoding="utf-8", newline="") as out:
            rows = export.write(out, period)
        with path.open(encoding="utf-8", newline="") as stream:
            report = checker.check_csv(stream)
        transaction.savepoint_rollback(savepoint)
        assert rows > people // 2, (size, rows)
        assert report.rows == rows and report.passed, (size, report.failures[:5])
