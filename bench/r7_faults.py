"""R7: many clients reading and writing through gunicorn; on PostgreSQL, a restart mid-run.

Run by bench/run.py (`make bench`) on a seeded council:

    python -m bench.r7_faults postgresql [--clients 50] [--seconds 60]
        # DATABASE_URL set; WITH_POSTGRES_DATA / WITH_POSTGRES_BIN from scripts/with-postgres
    python -m bench.r7_faults sqlite --copy-from var/bench/sqlite-M-<key> [--writers 8]

PostgreSQL (targets R7): the server is first made durable (fsync, synchronous_commit and
full_page_writes on: the throwaway test server runs with them off), then gunicorn serves the
council on 127.0.0.1 and 50 client threads, each signed in as a different social worker, go
round a realistic mix for 60 s: their caseload, a person's record (which writes an audit
event), and every few rounds a form opened and sent: someone added to a person's circle of
support, or a crisis recorded. Every response is checked (200 for a page, a redirect to the
person's record for a form); anything else is an error. Then the same again, with the
server stopped at once (`pg_ctl restart -m immediate`, as in a crash) in the middle. The
application must carry on by itself once the server is back (health-checked connections),
and every write a client saw acknowledged (the redirect) must be in the database afterwards:
each carries a unique marker, and the markers are looked up and compared at the end.

SQLite: 8 writer threads send the two forms as fast as they are answered for 30 s against a
copy of the council (the kept council is never written to). No error at all, and no
"database is locked" in gunicorn's log; acknowledged writes are compared in the same way.

gunicorn is stopped at the end, whatever happens. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import django

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.p3_load import _free_port, _stop, _wait_until_up, worker_sessions  # noqa: E402

CSRF = secrets.token_hex(16)  # 32 characters: Django accepts the unmasked secret
RUN = secrets.token_hex(3)  # this run's markers, so an earlier run's rows never count


@dataclass
class Client:
    """One signed-in social worker and the people on their caseload."""

    number: int
    cookie: str
    people: list[int]


@dataclass
class Outcome:
    started: float
    ended: float
    kind: str  # "read" or "write"
    ok: bool
    status: str


@dataclass
class Tally:
    phase: str  # part of every marker: each phase's writes are checked on their own
    outcomes: list[Outcome] = field(default_factory=list)
    acknowledged: set[str] = field(default_factory=set)
    attempted: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)


# --- Setting up ------------------------------------------------------------------------------


def _clients(count: int) -> list[Client]:
    """A session each for `count` different social workers, with the CSRF cookie."""
    from django.conf import settings

    return [
        Client(number, f"{cookie}; {settings.CSRF_COOKIE_NAME}={CSRF}", people)
        for number, (cookie, people) in enumerate(worker_sessions(count))
    ]


def _make_durable(database_url: str) -> dict[str, str]:
    """The throwaway server runs without fsync; a crash test needs the real guarantees."""
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as conn:
        for name in ("fsync", "synchronous_commit", "full_page_writes"):
            conn.execute(f"ALTER SYSTEM SET {name} = on")
        conn.execute("SELECT pg_reload_conf()")
        time.sleep(0.5)
        return {
            name: str(conn.execute(f"SHOW {name}").fetchone()[0])  # type: ignore[index]
            for name in ("fsync", "synchronous_commit", "full_page_writes")
        }


def _pg_ctl(*args: str) -> list[str]:
    data = os.environ.get("WITH_POSTGRES_DATA")
    pg_bin = os.environ.get("WITH_POSTGRES_BIN")
    if not data or not pg_bin:
        raise SystemExit("restarting needs WITH_POSTGRES_DATA and _BIN (scripts/with-postgres)")
    command = [str(Path(pg_bin) / "pg_ctl"), *args, "-D", data]
    if os.geteuid() == 0:  # the server belongs to the postgres user (scripts/with-postgres)
        command = ["runuser", "-u", "postgres", "--", *command]
    return command


def _restart_postgres() -> float:
    """Stop the server at once, without a checkpoint (as in a crash), and start it again.
    Returns when it accepts connections; the seconds it took."""
    data = Path(os.environ["WITH_POSTGRES_DATA"])
    log = data.parent / "postgres.log"
    started = time.monotonic()
    subprocess.run(
        _pg_ctl("restart", "-m", "immediate", "-w", "-t", "60", "-s", "-l", str(log)),
        cwd=data.parent,
        check=True,
        stdout=subprocess.DEVNULL,
        timeout=90,
    )
    return time.monotonic() - started


# --- Talking to the server -------------------------------------------------------------------


def _request(
    port: int, method: str, url: str, cookie: str, body: dict[str, str] | None = None
) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        headers = {"Cookie": cookie, "Host": "127.0.0.1"}
        data = None
        if body is not None:
            data = urlencode({"csrfmiddlewaretoken": CSRF, **body})
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, url, body=data, headers=headers)
        response = conn.getresponse()
        response.read()
        return response.status, response.getheader("Location") or ""
    finally:
        conn.close()


def _read(port: int, client: Client, url: str, tally: Tally) -> None:
    started = time.monotonic()
    try:
        status, _ = _request(port, "GET", url, client.cookie)
        key = str(status)
    except OSError as error:
        status, key = 0, type(error).__name__
    outcome = Outcome(started, time.monotonic(), "read", status == 200, key)
    with tally.lock:
        tally.outcomes.append(outcome)


def _write(
    port: int, client: Client, url: str, body: dict[str, str], marker: str, tally: Tally
) -> None:
    with tally.lock:
        tally.attempted.add(marker)
    started = time.monotonic()
    try:
        status, location = _request(port, "POST", url, client.cookie, body)
        key = str(status)
    except OSError as error:
        status, location, key = 0, "", type(error).__name__
    ok = status == 302 and "/people/" in location
    outcome = Outcome(started, time.monotonic(), "write", ok, key)
    with tally.lock:
        tally.outcomes.append(outcome)
        if ok:
            tally.acknowledged.add(marker)


def _circle_write(port: int, client: Client, person: int, n: int, tally: Tally, read: bool) -> None:
    url = f"/people/{person}/circle/add/"
    if read:
        _read(port, client, url, tally)
    marker = f"R7 {RUN} {tally.phase} c{client.number:02d} circle {n:05d}"
    body = {"name": marker, "relationship_type": "friend", "phone": "", "email": "", "address": ""}
    _write(port, client, url, body, marker, tally)


def _crisis_write(port: int, client: Client, person: int, n: int, tally: Tally, read: bool) -> None:
    url = f"/people/{person}/crises/add/"
    if read:
        _read(port, client, url, tally)
    marker = f"R7 {RUN} {tally.phase} c{client.number:02d} crisis {n:05d}"
    body = {
        "kind": "unplanned_hospital",
        "occurred_on_0": "2",
        "occurred_on_1": "11",
        "occurred_on_2": "2026",
        "note": marker,
    }
    _write(port, client, url, body, marker, tally)


def _mix(port: int, client: Client, deadline: float, tally: Tally) -> None:
    """A worker's morning: caseload, a record, and now and then something written down."""
    n = 0
    while time.monotonic() < deadline:
        person = client.people[n % len(client.people)]
        _read(port, client, "/", tally)
        _read(port, client, f"/people/{person}/", tally)
        if n % 3 == 0:
            _circle_write(port, client, person, n, tally, read=True)
        if n % 5 == 2:
            _crisis_write(port, client, person, n, tally, read=True)
        n += 1


def _writes_only(port: int, client: Client, deadline: float, tally: Tally) -> None:
    n = 0
    while time.monotonic() < deadline:
        person = client.people[n % len(client.people)]
        if n % 2:
            _crisis_write(port, client, person, n, tally, read=False)
        else:
            _circle_write(port, client, person, n, tally, read=False)
        n += 1


def _run_clients(
    port: int, clients: list[Client], seconds: float, work: Any, tally: Tally
) -> float:
    deadline = time.monotonic() + seconds
    threads = [
        threading.Thread(target=work, args=(port, client, deadline, tally), daemon=True)
        for client in clients
    ]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 90)
    return time.monotonic() - started


# --- Checking --------------------------------------------------------------------------------


def _present(phase: str) -> set[str]:
    """Markers of this phase's writes that are in the database."""
    from django.db import connection

    from selfdirect.people.models import CrisisEvent, Relationship

    connection.close()  # the server may have restarted since this process last asked
    prefix = f"R7 {RUN} {phase} "
    names = Relationship.objects.filter(name__startswith=prefix).values_list("name", flat=True)
    notes = CrisisEvent.objects.filter(note__startswith=prefix).values_list("note", flat=True)
    return set(names) | set(notes)


def _summary(outcomes: list[Outcome], seconds: float) -> dict[str, Any]:
    good = [o.ended - o.started for o in outcomes if o.ok]
    errors: dict[str, int] = {}
    for outcome in outcomes:
        if not outcome.ok:
            errors[f"{outcome.kind} {outcome.status}"] = (
                errors.get(f"{outcome.kind} {outcome.status}", 0) + 1
            )
    ordered = sorted(good) or [0.0]
    return {
        "requests": len(outcomes),
        "writes": sum(1 for o in outcomes if o.kind == "write"),
        "errors": len(outcomes) - len(good),
        "errors_by_kind": errors,
        "seconds": round(seconds, 1),
        "requests_per_s": round(len(good) / max(seconds, 0.001), 1),
        "median_ms": round(statistics.median(ordered) * 1000, 1),
        "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))] * 1000, 1),
    }


def _writes_check(tally: Tally) -> dict[str, int]:
    present = _present(tally.phase)
    return {
        "acknowledged": len(tally.acknowledged),
        "acknowledged_present": len(tally.acknowledged & present),
        "lost": len(tally.acknowledged - present),
        # A write can commit and its answer still be lost with the connection: not an error.
        "present_not_acknowledged": len((present & tally.attempted) - tally.acknowledged),
    }


# --- The runs --------------------------------------------------------------------------------


def _gunicorn(port: int, workers: int, log: Path) -> subprocess.Popen[bytes]:
    gunicorn = Path(sys.executable).parent / "gunicorn"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "ALLOWED_HOSTS": "127.0.0.1"}
    with log.open("ab") as err:
        return subprocess.Popen(
            [
                str(gunicorn),
                "selfdirect.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--timeout",
                "60",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=err,
        )


def postgresql(args: argparse.Namespace, log: Path) -> dict[str, Any]:
    durability = _make_durable(os.environ["DATABASE_URL"])
    clients = _clients(args.clients)
    from django.db import connection

    connection.close()
    port = _free_port()
    process = _gunicorn(port, args.workers, log)
    result: dict[str, Any] = {"durability": durability, "clients": args.clients}
    try:
        _wait_until_up(port, process)
        # Warm up: every worker imports and compiles what the pages need.
        _run_clients(port, clients[:10], 10, _mix, Tally("warm"))

        steady = Tally("steady")
        seconds = _run_clients(port, clients, args.seconds, _mix, steady)
        result["steady"] = {**_summary(steady.outcomes, seconds), **_writes_check(steady)}

        restart = Tally("restart")
        restarted: dict[str, float] = {}

        def crash() -> None:
            time.sleep(args.seconds / 2)
            restarted["at"] = time.monotonic()
            restarted["took_s"] = _restart_postgres()
            restarted["back"] = time.monotonic()

        crasher = threading.Thread(target=crash, daemon=True)
        crasher.start()
        seconds = _run_clients(port, clients, args.seconds, _mix, restart)
        crasher.join(timeout=120)
        if "back" not in restarted:
            raise SystemExit("the PostgreSQL restart did not finish")
        back = restarted["back"]
        after = [o for o in restart.outcomes if o.started >= back]
        first_ok = min((o.ended for o in after if o.ok), default=None)
        result["restart"] = {
            **_summary(restart.outcomes, seconds),
            **_writes_check(restart),
            "restart_took_s": round(restarted["took_s"], 1),
            "errors_while_down": sum(
                1
                for o in restart.outcomes
                if not o.ok and o.started < back and o.ended >= restarted["at"]
            ),
            "requests_after_back": len(after),
            "errors_after_back": sum(1 for o in after if not o.ok),
            "first_success_after_back_s": None if first_ok is None else round(first_ok - back, 2),
        }
    finally:
        _stop(process)
    result["workers"] = args.workers
    result["database_is_locked"] = log.read_text(errors="replace").count("database is locked")
    return result


def sqlite(args: argparse.Namespace, log: Path) -> dict[str, Any]:
    clients = _clients(args.writers)
    from django.db import connection

    connection.close()
    port = _free_port()
    # A gunicorn worker per writer, so that 8 requests really write at the same time.
    args.workers = max(args.workers, args.writers)
    process = _gunicorn(port, args.workers, log)
    result: dict[str, Any] = {"writers": args.writers}
    try:
        _wait_until_up(port, process)
        _run_clients(port, clients, 5, _writes_only, Tally("warm"))  # warm up
        tally = Tally("writers")
        seconds = _run_clients(port, clients, args.seconds, _writes_only, tally)
        result.update(**_summary(tally.outcomes, seconds), **_writes_check(tally))
    finally:
        _stop(process)
    result["workers"] = args.workers
    result["database_is_locked"] = log.read_text(errors="replace").count("database is locked")
    return result


def _copy_council(source: Path, into: Path) -> None:
    """A consistent copy of a kept SQLite council (the backup API, not a file copy)."""
    src = sqlite3.connect(f"file:{source / 'selfdirect.sqlite3'}?mode=ro", uri=True)
    dst = sqlite3.connect(into / "selfdirect.sqlite3")
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database", choices=["postgresql", "sqlite"])
    parser.add_argument("--clients", type=int, default=50, help="PostgreSQL")
    parser.add_argument("--writers", type=int, default=8, help="SQLite")
    parser.add_argument("--seconds", type=float, default=None, help="60 (PostgreSQL), 30 (SQLite)")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--copy-from", type=Path, help="SQLite: the kept council to copy")
    args = parser.parse_args()
    if args.seconds is None:
        args.seconds = 60.0 if args.database == "postgresql" else 30.0

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "selfdirect.settings")
    with tempfile.TemporaryDirectory(prefix="bench-r7-") as tmp:
        folder = Path(tmp)
        if args.database == "sqlite":
            os.environ.pop("DATABASE_URL", None)
            if args.copy_from is None:
                raise SystemExit("sqlite needs --copy-from: the kept council is never written to")
            _copy_council(args.copy_from, folder)
            os.environ["SELFDIRECT_VAR_DIR"] = str(folder)
        elif not os.environ.get("DATABASE_URL"):
            raise SystemExit("postgresql needs DATABASE_URL")
        django.setup()
        log = folder / "gunicorn.log"
        log.touch()
        result = postgresql(args, log) if args.database == "postgresql" else sqlite(args, log)
        errors = log.read_text(errors="replace")
        if errors.strip():
            keep = ROOT / "var" / "bench" / f"r7-{args.database}-gunicorn.log"
            keep.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(log, keep)
            result["gunicorn_log"] = str(keep.relative_to(ROOT))
    print(json.dumps({"database": args.database, **result}))


if __name__ == "__main__":
    main()
