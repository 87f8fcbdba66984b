"""P7: how long `selfdirect seed` takes for the benchmark council sizes (S, M, L).

Each size is seeded into a fresh SQLite database in a temporary directory, in a
separate process, timed from the command's start to its end (migrations excluded).
Results go to bench/results/<date>-seed.json; copy the figures to docs/PERFORMANCE.md.

    .venv/bin/python bench/seed_time.py            # S, M and L
    .venv/bin/python bench/seed_time.py --sizes S  # just S
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SIZES = {"S": 1_000, "M": 10_000, "L": 100_000}
ROOT = Path(__file__).resolve().parent.parent
SELFDIRECT = Path(sys.executable).parent / "selfdirect"


def seed_seconds(people: int, database_url: str | None = None) -> float:
    with tempfile.TemporaryDirectory() as var:
        env = {**os.environ, "SELFDIRECT_VAR_DIR": var}
        if database_url:
            env["DATABASE_URL"] = database_url
        subprocess.run([SELFDIRECT, "migrate", "-v", "0"], env=env, check=True)
        started = time.perf_counter()
        subprocess.run(
            [SELFDIRECT, "seed", "--people", str(people), "--seed", "1", "--as-of", "2026-11-01"],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="S,M,L")
    args = parser.parse_args()
    results = {}
    for size in args.sizes.split(","):
        people = SIZES[size]
        seconds = seed_seconds(people)
        results[size] = {"people": people, "seconds": round(seconds, 1)}
        print(f"P7 seed {size} ({people:,} people, SQLite): {seconds:.1f} s (target L < 180 s)")
    record = {
        "date": datetime.date.today().isoformat(),
        "machine": (
            f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
        ),
        "command": "make bench (bench/seed_time.py)",
        "seed_sqlite": results,
    }
    out = ROOT / "bench" / "results" / f"{record['date']}-seed.json"
    out.write_text(json.dumps(record, indent=2) + "\n")
    print(f"Wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
