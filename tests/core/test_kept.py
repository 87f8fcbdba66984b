"""Council-wide answers are kept in the database cache, shared by every web process."""

from __future__ import annotations

import pytest
from django.db import connection

from selfdirect.core.kept import kept


@pytest.mark.django_db
def test_kept_answers_are_stored_in_the_shared_database_cache(settings) -> None:
    settings.FIGURES_CACHE_SECONDS = 600
    calls: list[int] = []

    def work() -> int:
        calls.append(1)
        return 42

    first, when = kept("test-kept", work, fresh=False)
    # In a table every gunicorn worker reads, not in this process's memory.
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM selfdirect_cache")
        assert cursor.fetchone()[0] == 1
    again, again_when = kept("test-kept", work, fresh=False)
    assert (first, again, calls, again_when) == (42, 42, [1], when)
    kept("test-kept", work, fresh=True)
    assert calls == [1, 1]
