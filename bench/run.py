"""`make bench`: the performance targets P1–P5 and P7 and the load and fault runs R7
(shared/design/targets.md), in one run.

    .venv/bin/python bench/run.py                 # sizes S, M and L; SQLite and PostgreSQL
    .venv/bin/python bench/run.py --sizes S       # or BENCH_SIZES=S,M
    .venv/bin/python bench/run.py --databases sqlite

Seeds each council size once (`selfdirect seed --people N --seed 1 --as-of 2026-11-01`):
into SQLite files under var/bench/, kept and reused while the seed code and the migrations are
unchanged (their hash names the folder; `--reseed` forces a new one), and into a throwaway
PostgreSQL server on 127.0.0.1 (scripts/with-postgres, one database per size, made from one
migrated template). Then, for each database and size, each in its own process:

- P1 and P2: every staff and portal page (bench/pages.py): SQL queries, server time;
- P4: the CLD export against a raw SQL dump of the same rows (bench/p4_export.py);
- P5: re-pricing under a draft RAS (bench/p5_whatif.py, if it exists);
- P7: the seeding times measured above;

and P3 once, on PostgreSQL at the largest size (bench/p3_load.py: gunicorn, 16 clients); then
R7 (bench/r7_faults.py) at M: 8 writers on a copy of the SQLite council, and 50 clients on
PostgreSQL, restarted mid-run.
Writes bench/results/<date>.json and the table between the bench markers in
docs/PERFORMANCE.md. Servers are stopped at the end, whatever happens.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import report  # noqa: E402

SIZES = {"S": 1_000, "M": 10_000, "L": 100_000}
SEED_ARGS = ["--seed", "1", "--as-of", "2026-11-01"]
BENCH_DIR = ROOT / "var" / "bench"
RESULTS_DIR = ROOT / "bench" / "results"
DOC = ROOT / "docs" / "PERFORMANCE.md"
UNDER_PG = "BENCH_UNDER_POSTGRES"
# Generous ceilings, so that a stuck step ends the run instead of the machine's patience.
STEP_TIMEOUT = 3 * 3600


def log(message: str) -> None:
    print(f"bench: {message}", flush=True)


def seed_key() -> str:
    """Changes whenever what the seed writes may change: its code, the schema, its arguments."""
    digest = hashlib.sha256(" ".join(SEED_ARGS).encode())
    files = [ROOT / "selfdirect" / "core" / "synthetic.py"]
    files += sorted((ROOT / "selfdirect").glob("*/migrations/*.py"))
    for path in files:
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def child_env(*, sqlite_dir: Path | None = None, database_url: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        PYTHONPATH=str(ROOT),
        DJANGO_SETTINGS_MODULE="selfdirect.settings",
        ALLOWED_HOSTS="testserver,127.0.0.1,localhost",
        DEBUG="0",
    )
    if database_url:
        env["DATABASE_URL"] = database_url
        # Uploaded and exported files go here, never into the developer's var/.
        env["SELFDIRECT_VAR_DIR"] = str(BENCH_DIR / "postgresql-files")
    else:
        assert sqlite_dir is not None
        env["SELFDIRECT_VAR_DIR"] = str(sqlite_dir)
    return env


def manage(args: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
        timeout=STEP_TIMEOUT,
    )
    return time.perf_counter() - started


def run_json(args: list[str], env: dict[str, str], timeout: float = STEP_TIMEOUT) -> dict[str, Any]:
    """Run a measuring script in its own process; its last line of output is a JSON object."""
    done = subprocess.run(
        [sys.executable, *args],
        env=env,
        cwd=ROOT,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
        timeout=timeout,
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


# --- Seeding -----------------------------------------------------------------------------------


def seed_sqlite(size: str, *, reseed: bool) -> tuple[Path, dict[str, Any]]:
    key = seed_key()
    folder = BENCH_DIR / f"sqlite-{size}-{key}"
    meta_path = folder / "seed.json"
    if meta_path.exists() and not reseed:
        meta = json.loads(meta_path.read_text())
        log(f"SQLite {size}: reusing {folder.relative_to(ROOT)} (seeded {meta['seeded_on']})")
        return folder, {**meta, "reused": True}
    for old in BENCH_DIR.glob(f"sqlite-{size}-*"):
        shutil.rmtree(old)
    folder.mkdir(parents=True)
    env = child_env(sqlite_dir=folder)
    log(f"SQLite {size}: migrating and seeding {SIZES[size]:,} people")
    migrate_s = manage(["migrate", "-v", "0"], env)
    seconds = manage(["seed", "--people", str(SIZES[size]), *SEED_ARGS], env)
    meta = {
        "people": SIZES[size],
        "seconds": round(seconds, 1),
        "migrate_s": round(migrate_s, 1),
        "seeded_on": datetime.date.today().isoformat(),
        "seed_key": key,
    }
    meta_path.write_text(json.dumps(meta, indent=2) + "\n")
    log(f"SQLite {size}: seeded in {seconds:.1f} s")
    return folder, {**meta, "reused": False}


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def seed_postgresql(server_url: str, sizes: list[str]) -> tuple[dict[str, str], dict[str, Any]]:
    import psycopg

    urls, seeded = {}, {}
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute("CREATE DATABASE bench_template")
        template = _with_database(server_url, "bench_template")
        log("PostgreSQL: migrating the template database")
        migrate_s = manage(["migrate", "-v", "0"], child_env(database_url=template))
        for size in sizes:
            name = f"bench_{size.lower()}"
            conn.execute(f"CREATE DATABASE {name} TEMPLATE bench_template")
            urls[size] = _with_database(server_url, name)
            log(f"PostgreSQL {size}: seeding {SIZES[size]:,} people")
            seconds = manage(
                ["seed", "--people", str(SIZES[size]), *SEED_ARGS],
                child_env(database_url=urls[size]),
            )
            seeded[size] = {
                "people": SIZES[size],
                "seconds": round(seconds, 1),
                "migrate_s": round(migrate_s, 1),
                "seeded_on": datetime.date.today().isoformat(),
                "reused": False,
            }
            log(f"PostgreSQL {size}: seeded in {seconds:.1f} s")
    return urls, seeded


# --- Measuring ---------------------------------------------------------------------------------


def measure(
    db: str, size: str, env: dict[str, str], args: argparse.Namespace, results: dict[str, Any]
) -> None:
    log(f"{db} {size}: P1, P2 (every page, 1 + {args.repeat} requests)")
    pages = run_json(["-m", "bench.pages", str(args.repeat)], env)
    results["p1"].setdefault(db, {})[size] = pages["p1"]
    results["p2"].setdefault(db, {})[size] = pages["p2"]

    log(f"{db} {size}: P4 (CLD export against a raw dump)")
    with tempfile.TemporaryDirectory(prefix="bench-p4-") as out:
        results["p4"].setdefault(db, {})[size] = run_json(["-m", "bench.p4_export", out], env)

    script = ROOT / "bench" / "p5_whatif.py"
    p5 = results["p5"].setdefault(db, {})
    if not script.exists():
        p5[size] = {"reason": "bench/p5_whatif.py not written yet"}
        return
    log(f"{db} {size}: P5 (re-pricing under a draft RAS)")
    try:
        p5[size] = run_json([str(script)], env)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, ValueError) as error:
        p5[size] = {"reason": f"failed: {type(error).__name__}"}
        log(f"{db} {size}: P5 failed: {error}")


def p3(url: str, size: str, args: argparse.Namespace) -> dict[str, Any]:
    if not (Path(sys.executable).parent / "gunicorn").exists():
        return {"reason": "gunicorn is not installed (requirements.txt)"}
    log(f"postgresql {size}: P3 ({args.p3_seconds:.0f} s, 16 clients, gunicorn)")
    result = run_json(
        ["-m", "bench.p3_load", "--seconds", str(args.p3_seconds)],
        child_env(database_url=url),
        timeout=args.p3_seconds + 600,
    )
    return {**result, "size": size}


def r7_size(sizes: list[str]) -> str:
    """R7 is set at M; without M in the run, the largest size there is."""
    return "M" if "M" in sizes else sizes[-1]


def r7(db: str, size: str, env: dict[str, str], extra: list[str]) -> dict[str, Any]:
    if not (Path(sys.executable).parent / "gunicorn").exists():
        return {"reason": "gunicorn is not installed (requirements.txt)"}
    log(f"{db} {size}: R7 (load and faults through gunicorn)")
    try:
        result = run_json(["-m", "bench.r7_faults", db, *extra], env, timeout=900)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, ValueError) as error:
        log(f"{db} {size}: R7 failed: {error}")
        return {"reason": f"failed: {type(error).__name__}"}
    return {**result, "size": size}


# --- The run -----------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    meminfo = Path("/proc/meminfo")
    ram = 0.0
    if meminfo.exists():
        kb = int(meminfo.read_text().split("MemTotal:")[1].split()[0])
        ram = round(kb / 1024 / 1024, 1)
    os_name = platform.platform()
    with contextlib.suppress(OSError):
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                os_name = line.split("=", 1)[1].strip('"')
    return {
        "cores": os.cpu_count(),
        "ram_gib": ram,
        "python": platform.python_version(),
        "os": os_name,
        "cpu": platform.processor() or platform.machine(),
    }


def git() -> dict[str, Any]:
    def out(*args: str) -> str:
        program = shutil.which("git")
        if program is None:
            return ""
        done = subprocess.run([program, *args], cwd=ROOT, capture_output=True, text=True)
        return done.stdout.strip()

    return {"commit": out("rev-parse", "HEAD"), "dirty": bool(out("status", "--porcelain"))}


@contextlib.contextmanager
def timed(results: dict[str, Any]) -> Iterator[None]:
    started = time.monotonic()
    try:
        yield
    finally:
        results["duration_s"] = round(time.monotonic() - started)


def run(args: argparse.Namespace) -> dict[str, Any]:
    sizes = [s for s in ("S", "M", "L") if s in args.sizes]
    databases = args.databases
    results: dict[str, Any] = {
        "date": datetime.date.today().isoformat(),
        "command": "make bench (bench/run.py --sizes {} --databases {})".format(
            ",".join(sizes), ",".join(databases)
        ),
        "machine": machine(),
        "git": git(),
        "sizes": {size: SIZES[size] for size in sizes},
        "seed": {},
        "p1": {},
        "p2": {},
        "p3": {},
        "p4": {},
        "p5": {},
        "r7": {},
    }
    with timed(results):
        if "sqlite" in databases:
            folders = {}
            for size in sizes:
                folder, seeded = seed_sqlite(size, reseed=args.reseed)
                folders[size] = folder
                results["seed"].setdefault("sqlite", {})[size] = seeded
                measure("sqlite", size, child_env(sqlite_dir=folder), args, results)
            if not args.no_r7:
                # On a copy: the kept council is never written to.
                size = r7_size(sizes)
                extra = ["--copy-from", str(folders[size])]
                env = child_env(sqlite_dir=folders[size])
                results["r7"]["sqlite"] = r7("sqlite", size, env, extra)
        if "postgresql" in databases:
            urls, seeded = seed_postgresql(os.environ["DATABASE_URL"], sizes)
            results["seed"]["postgresql"] = seeded
            for size in sizes:
                measure("postgresql", size, child_env(database_url=urls[size]), args, results)
            if args.p3_seconds > 0:
                results["p3"] = p3(urls[sizes[-1]], sizes[-1], args)
            if not args.no_r7:
                # Last: it writes to the council, makes the server durable and restarts it.
                size = r7_size(sizes)
                env = child_env(database_url=urls[size])
                results["r7"]["postgresql"] = r7("postgresql", size, env, [])
        else:
            results["p3"] = {"reason": "PostgreSQL not in this run"}
            results["r7"]["postgresql"] = {"reason": "PostgreSQL not in this run"}
    results["targets"] = [row.__dict__ for row in report.evaluate(results)]
    return results


def write(results: dict[str, Any], *, docs: bool) -> None:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    out = RESULTS_DIR / f"{results['date']}.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    log(f"wrote {out.relative_to(ROOT)}")
    for row in report.evaluate(results):
        log(f"{row.id} {row.status}: {row.measured}")
    if docs:
        DOC.write_text(report.replace_block(DOC.read_text(), report.markdown(results)))
        log(f"updated {DOC.relative_to(ROOT)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=os.environ.get("BENCH_SIZES", "S,M,L"))
    parser.add_argument(
        "--databases", default=os.environ.get("BENCH_DATABASES", "sqlite,postgresql")
    )
    parser.add_argument("--repeat", type=int, default=10, help="P2 requests per page after one")
    parser.add_argument("--p3-seconds", type=float, default=30, help="0 leaves P3 out")
    parser.add_argument("--no-r7", action="store_true", help="leave out the load and fault runs")
    parser.add_argument("--reseed", action="store_true", help="seed SQLite again even if kept")
    parser.add_argument("--no-docs", action="store_true", help="leave docs/PERFORMANCE.md alone")
    args = parser.parse_args()
    args.sizes = [s.strip().upper() for s in args.sizes.split(",") if s.strip()]
    args.databases = [d.strip().lower() for d in args.databases.split(",") if d.strip()]
    unknown = set(args.sizes) - set(SIZES) | set(args.databases) - {"sqlite", "postgresql"}
    if unknown:
        parser.error(f"unknown sizes or databases: {', '.join(sorted(unknown))}")

    if "postgresql" in args.databases and not os.environ.get(UNDER_PG):
        # Start over inside a throwaway PostgreSQL server on 127.0.0.1, which
        # scripts/with-postgres stops and deletes when this process ends, however it ends.
        os.environ.pop("DATABASE_URL", None)
        os.environ[UNDER_PG] = "1"
        script = str(Path(__file__).resolve())
        command = [str(ROOT / "scripts" / "with-postgres"), sys.executable, script, *sys.argv[1:]]
        os.execv(command[0], command)  # noqa: S606 - our own script, no shell
    if not os.environ.get(UNDER_PG):
        os.environ.pop("DATABASE_URL", None)

    results = run(args)
    write(results, docs=not args.no_docs)


if __name__ == "__main__":
    main()
