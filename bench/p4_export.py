"""P4: the CLD export against a raw SQL dump of the same rows, in one process per council.

Run by bench/run.py with the database in the environment (SELFDIRECT_VAR_DIR or DATABASE_URL):

    python -m bench.p4_export OUT_DIR

Prints one JSON object: rows, export_s, peak_rss_mb (this process's peak, measured right after
the export, so it is the export's), raw_rows, raw_s and raw_method. The raw dump runs the
export's four queries (`returns.export.requests_in`, ...) with their parameters filled in,
through the database's own command-line client into CSV (psql `\\copy ... TO STDOUT CSV`), or
through the driver's own DB-API cursor writing CSV with `fetchmany` when there is no such client
or it cannot run the SQL: Django's SQLite queries call functions Django registers on its
connection (`django_datetime_cast_date`, ...), which the sqlite3 command-line tool lacks.
"""

from __future__ import annotations

import csv
import datetime
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import django

PERIOD_END = datetime.date(2026, 9, 30)  # the 12 months the seeded councils cover


def _sql_statements() -> list[str]:
    """The export's four queries as plain SQL with their parameters inlined."""
    from django.db import connection

    from selfdirect.returns import export
    from selfdirect.returns.cld_map import Period

    period = Period.ending(PERIOD_END)
    statements = []
    for queryset in (
        export.requests_in(period),
        export.assessments_in(period),
        export.services_in(period),
        export.reviews_in(period),
    ):
        sql, params = queryset.query.sql_with_params()
        if connection.vendor == "postgresql":
            import psycopg

            connection.ensure_connection()
            text = psycopg.ClientCursor(connection.connection).mogrify(sql, params)
        else:
            text = connection.ops.last_executed_query(None, sql, params)
        statements.append(text)
    return statements


def _raw_cli(statements: list[str], out: Path) -> tuple[int, str] | None:
    from django.db import connection

    settings = connection.settings_dict
    sqlite3, psql = shutil.which("sqlite3"), shutil.which("psql")
    if connection.vendor == "sqlite" and sqlite3:
        with out.open("w") as stream:
            for sql in statements:
                done = subprocess.run(
                    [sqlite3, "-readonly", "-csv", str(settings["NAME"]), sql + ";"],
                    stdout=stream,
                    stderr=subprocess.DEVNULL,
                    check=False,
                )
                if done.returncode:
                    return None  # e.g. a function only Django's connection has
        method = "sqlite3 -csv"
    elif connection.vendor == "postgresql" and psql:
        url = os.environ["DATABASE_URL"]
        with out.open("w") as stream:
            for sql in statements:
                flat = sql.replace("\n", " ")  # \copy takes the rest of one line
                subprocess.run(
                    [
                        psql,
                        "-X",
                        "-q",
                        "-v",
                        "ON_ERROR_STOP=1",
                        url,
                        "-c",
                        f"\\copy ({flat}) TO STDOUT WITH CSV",
                    ],
                    stdout=stream,
                    check=True,
                )
        method = "psql \\copy TO STDOUT CSV"
    else:
        return None
    with out.open(newline="") as stream:
        rows = sum(1 for _ in csv.reader(stream))
    return rows, method


def _raw_cursor(statements: list[str], out: Path) -> tuple[int, str]:
    from django.db import connection

    connection.ensure_connection()
    rows = 0
    # The driver's own cursor, under Django's wrapper: no parameters, no row conversion.
    cursor = connection.connection.cursor()
    with out.open("w", newline="") as stream:
        writer = csv.writer(stream)
        for sql in statements:
            cursor.execute(sql)
            while chunk := cursor.fetchmany(2000):
                writer.writerows(chunk)
                rows += len(chunk)
    cursor.close()
    return rows, f"{connection.vendor} DB-API cursor, fetchmany(2000), csv"


def measure(out_dir: Path) -> dict[str, Any]:
    from selfdirect.returns import export
    from selfdirect.returns.cld_map import Period

    started = time.perf_counter()
    with (out_dir / "export.csv").open("w", encoding="utf-8", newline="") as stream:
        rows = export.write(stream, Period.ending(PERIOD_END))
    export_s = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    statements = _sql_statements()
    started = time.perf_counter()
    raw = _raw_cli(statements, out_dir / "raw.csv") or _raw_cursor(statements, out_dir / "raw.csv")
    raw_s = time.perf_counter() - started
    return {
        "rows": rows,
        "export_s": round(export_s, 2),
        "peak_rss_mb": round(peak_kb / 1024, 1),
        "raw_rows": raw[0],
        "raw_s": round(raw_s, 2),
        "raw_method": raw[1],
    }


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "selfdirect.settings")
    django.setup()
    out_dir = Path(sys.argv[1])
    out_dir.mkdir(parents=True, exist_ok=True)
    print(json.dumps(measure(out_dir)))


if __name__ == "__main__":
    main()
