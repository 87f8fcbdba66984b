"""`selfdirect export-cld --period-end YYYY-MM-DD --out FILE.csv`: the CLD return for 12 months."""

from __future__ import annotations

import datetime
from argparse import ArgumentParser, ArgumentTypeError
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from selfdirect.returns import services
from selfdirect.returns.cld_map import Period


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise ArgumentTypeError(f"{value!r} is not a date in the form YYYY-MM-DD") from error


class Command(BaseCommand):
    help = (
        "Write the Client Level Data (Release 2) return for the 12 months ending on "
        "--period-end, then check it as the national data-quality rules do."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--period-end", type=_date, required=True, help="YYYY-MM-DD")
        parser.add_argument("--out", type=Path, required=True, help="The CSV file to write")

    def handle(self, *args: Any, period_end: datetime.date, out: Path, **options: Any) -> None:
        period = Period.ending(period_end)
        if out.parent and not out.parent.exists():
            raise CommandError(f"The folder {out.parent} does not exist")
        rows = services.export_to_path(period, out, actor=None)
        self.stdout.write(
            f"Wrote {rows:,} rows for {period.start:%d %B %Y} to {period.end:%d %B %Y} to {out}"
        )
        self.stdout.write(f"Check it with: selfdirect check-cld {out}")
