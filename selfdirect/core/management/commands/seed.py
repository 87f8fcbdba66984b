"""`selfdirect seed --people N --seed S`: create the synthetic demo council."""

from __future__ import annotations

import datetime
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from selfdirect.core.synthetic import DEMO_PASSWORD, council_has_people, seed_council

# The history tables worth a mention when the seed finishes, as (model label, what they are).
HISTORY_SHOWN = {
    "assessments.Contact": "requests",
    "assessments.Assessment": "assessments",
    "budgets.IndicativeBudget": "budgets",
    "plans.Plan": "plans",
    "support.Service": "services",
    "reviews.Review": "reviews",
    "people.CrisisEvent": "crises",
}


class Command(BaseCommand):
    help = (
        "Create a deterministic synthetic council (teams, staff, people and three years of "
        "their journeys) for demos, tests and benchmarks."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--people", type=int, default=1000, help="How many people (default 1000)"
        )
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1)")
        parser.add_argument(
            "--as-of",
            type=datetime.date.fromisoformat,
            default=None,
            help="The date the council's history runs up to, YYYY-MM-DD (default today)",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing (and succeed) if the database already has people",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        people: int = options["people"]
        if people < 2:
            raise CommandError("--people must be at least 2")
        if council_has_people():
            if options["if_empty"]:
                self.stdout.write("The database already has people: not seeding.")
                self._print_logins()
                return
            raise CommandError(
                "The database already has people. Seed an empty database "
                "(for example: rm var/selfdirect.sqlite3 && make run)."
            )
        as_of = options["as_of"] or datetime.date.today()
        started = time.perf_counter()
        result = seed_council(people=people, seed=options["seed"], as_of=as_of)
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"Seeded {result.people:,} people, {result.staff:,} staff in {result.teams} teams, "
            f"{result.relationships:,} circle members, {result.allocations:,} named-worker spells "
            f"in {elapsed:.1f} s."
        )
        counts = [
            f"{result.history.get(label, 0):,} {words}" for label, words in HISTORY_SHOWN.items()
        ]
        self.stdout.write(
            f"Population history up to {as_of:%-d %B %Y}: {', '.join(counts)} "
            f"({sum(result.history.values()):,} rows in all); "
            f"{result.unallocated:,} people waiting for a named worker."
        )
        self._print_logins()

    def _print_logins(self) -> None:
        self.stdout.write("")
        self.stdout.write(f"Demo sign-ins (password for all: {DEMO_PASSWORD}):")
        for username, role, what in (
            ("worker", "Social worker", "named worker for 30 people"),
            ("manager", "Team manager", "changes named workers, sees who viewed a record"),
            ("panel", "Panel member", "decides only plans over budget"),
            ("commissioner", "Commissioner", "anonymised figures"),
            ("admin", "Administrator", "teams, staff and sign-off limits"),
            ("person", "Person (portal)", "their own record"),
            ("rep", "Representative (portal)", "acts for one person"),
            ("helper", "Plan helper (portal)", "plans they are invited to"),
        ):
            self.stdout.write(f"  {username:<13} {role:<25} {what}")
        self.stdout.write(
            "Staff accounts use two-factor authentication. After the password, enter the code "
            "that `.venv/bin/selfdirect two-factor code USERNAME` prints (a new one every 30 "
            "seconds); portal accounts need only the password."
        )
