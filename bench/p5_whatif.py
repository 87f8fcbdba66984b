"""P5: re-pricing the whole current population under a draft RAS, vectorised, against the
per-record ORM loop, in one process, on the database in the settings (SELFDIRECT_VAR_DIR or
DATABASE_URL) of a council seeded by `selfdirect seed`.

    .venv/bin/python bench/p5_whatif.py [--repeat 5]

The draft raises both prices per point and changes a share, so most budgets change. The
vectorised re-pricing (`budgets.whatif.reprice`: its one query, numpy, ras.py's 32 amounts)
is timed REPEAT times after one warm-up run, and the median is reported; the per-record loop
(`budgets.whatif.reprice_per_record`: a query and two ras.indicative_budget calls per person)
is timed once. Both give every person's weekly and yearly budget before and after, in pennies;
they must be identical, person by person.

Prints one JSON object: people, vectorised_s, per_record_s, speedup, identical (and the
separate runs). Exits with status 1 if the results differ.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "selfdirect.settings")
    django.setup()

    from selfdirect.budgets import whatif
    from selfdirect.budgets.selectors import ras_current

    _, live = ras_current()
    draft = replace(
        live,
        version=f"{live.version}-p5",
        adult=replace(live.adult, price_per_point=live.adult.price_per_point + Decimal("0.37")),
        carer=replace(
            live.carer,
            price_per_point=live.carer.price_per_point + Decimal("0.25"),
            unmet_share={**live.carer.unmet_share, "some": Decimal("0.55")},
        ),
    )

    whatif.reprice(live, draft)  # warm-up: connection, imports, the database's own cache
    runs = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        vectorised = whatif.reprice(live, draft)
        runs.append(time.perf_counter() - started)

    started = time.perf_counter()
    per_record = whatif.reprice_per_record(live, draft)
    per_record_s = time.perf_counter() - started

    identical = vectorised.by_assessment() == per_record
    vectorised_s = statistics.median(runs)
    print(
        json.dumps(
            {
                "people": vectorised.population.size,
                "vectorised_s": round(vectorised_s, 3),
                "per_record_s": round(per_record_s, 2),
                "speedup": round(per_record_s / vectorised_s, 1),
                "identical": identical,
                "vectorised_runs_s": [round(run, 3) for run in runs],
                "changed": int((vectorised.before.weekly != vectorised.after.weekly).sum()),
            }
        )
    )
    if not identical:
        sys.exit(1)


if __name__ == "__main__":
    main()
