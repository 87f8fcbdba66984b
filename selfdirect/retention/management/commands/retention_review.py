"""`selfdirect retention-review [--format csv] [--as-of YYYY-MM-DD]`: the scheduled job.

Works out which records are due for review or for deletion under the retention rules
(settings RETENTION_*), keeps the list for the administrators' page (/council/retention/)
and prints the counts; `--format csv` prints the list itself instead (record, kind of record,
last activity, due date, status) for the information governance team. It deletes nothing:
an administrator deletes each record on the page, with a reason.

Run it daily from cron or a systemd timer, for example:
    15 2 * * *  cd /srv/selfdirect && .venv/bin/selfdirect retention-review
"""

from __future__ import annotations

import csv
import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from selfdirect.retention.services import retention_review_run


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--as-of must be a date like 2026-03-31, not {value!r}") from error


class Command(BaseCommand):
    help = (
        "List the records due for review or deletion under the retention rules, for the "
        "administrators' page. Deletes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--format", choices=("text", "csv"), default="text", help="csv: print the list"
        )
        parser.add_argument(
            "--as-of", help="Work the due dates out for this day (default: today), YYYY-MM-DD"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = _date(options["as_of"]) if options["as_of"] else None
        result = retention_review_run(actor=None, today=today)
        run = result.run
        if options["format"] == "csv":
            writer = csv.writer(self.stdout, lineterminator="\n")
            writer.writerow(["record", "kind_of_record", "last_activity", "due_on", "status"])
            for record in result.records:
                writer.writerow(
                    [
                        record.reference,
                        record.facts.category.value,
                        record.facts.last_activity.isoformat(),
                        record.due_on.isoformat(),
                        record.status.value,
                    ]
                )
            return
        took = (run.finished_at - run.started_at).total_seconds()
        self.stdout.write(
            f"Retention review as of {run.as_of:%-d %B %Y} (case records {run.case_years} years, "
            f"contact only {run.contact_only_years} years, review {run.review_days} days ahead):"
        )
        self.stdout.write(f"  due for deletion: {run.due_for_deletion:,}")
        self.stdout.write(f"  due for review:   {run.due_for_review:,}")
        self.stdout.write(self.style.SUCCESS(f"Worked out in {took:.1f} s (run {run.pk})."))
