"""`selfdirect check-cld FILE.csv`: every field of every row, classified as the national checks do.

Exits with status 1 when any field fails, so a script can stop before submitting.
"""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from selfdirect.returns import checker


class Command(BaseCommand):
    help = "Check a Client Level Data file field by field, as the national data-quality rules do."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--show", type=int, default=50, help="How many failures to list (default 50)"
        )

    def handle(self, *args: Any, file: Path, show: int, **options: Any) -> None:
        if not file.is_file():
            raise CommandError(f"There is no file {file}")
        try:
            with file.open(encoding="utf-8-sig", newline="") as stream:
                report = checker.check_csv(stream)
        except UnicodeDecodeError as error:
            raise CommandError(f"{file} is not UTF-8 text: {error}") from error
        self.stdout.write(f"{file}: {report.rows:,} rows")
        for problem in report.header_problems:
            self.stdout.write(f"  Header: {problem}")
        width = max(len(name) for name in report.counts)
        self.stdout.write("")
        self.stdout.write(
            f"{'Field':<{width}}  " + "  ".join(f"{s:>{len(s)}}" for s in checker.STATUSES)
        )
        for name, counter in report.counts.items():
            cells = "  ".join(f"{counter[s]:>{len(s)},}" for s in checker.STATUSES)
            self.stdout.write(f"{name:<{width}}  {cells}")
        self.stdout.write("")
        for finding in report.failures[:show]:
            self.stdout.write(
                f"  Line {finding.line}, person {finding.person_id or '?'}, "
                f"{finding.event_type or 'no event'}: {finding.field} {finding.status}: "
                f"{finding.message} ({finding.value!r})"
            )
        if report.failure_count > show:
            self.stdout.write(f"  … and {report.failure_count - show:,} more")
        if report.period_warnings:
            self.stdout.write(
                f"Warning: {report.period_warnings:,} rows fall outside the reporting period"
            )
        if report.passed:
            self.stdout.write(self.style.SUCCESS("No failures: every field passed."))
        else:
            self.stdout.write(
                self.style.ERROR(f"{report.failure_count:,} failures; fix them at the source.")
            )
            raise SystemExit(1)
