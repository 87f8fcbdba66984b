"""P3: the caseload and person pages under 16 concurrent clients, through gunicorn.

Run by bench/run.py with DATABASE_URL set to a seeded council on the loopback PostgreSQL:

    python -m bench.p3_load [--clients 16] [--seconds 30] [--warm-up 15] [--workers N]

Signs 16 different social workers in the way the tests do (a session each, made in the
database by `Client.force_login`), starts gunicorn on 127.0.0.1 on a free port, and lets each
client thread fetch its worker's home page (their caseload with next actions) and the records
of the people they are named worker for, in turn, for a fixed time after a warm-up. Every
response other than 200 is an error. gunicorn is stopped at the end, whatever happens. Prints one
JSON object.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import django

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def worker_sessions(count: int) -> list[tuple[str, list[int]]]:
    """Signed-in sessions for `count` different social workers who each have people to see
    (cycling if the council has fewer): each one's Cookie header and up to ten of their
    people. Staff online at once are different people, each with their own session."""
    from django.conf import settings
    from django.db.models import Count
    from django.test import Client

    from selfdirect.accounts.models import Role, User
    from selfdirect.people.models import Person

    workers = list(
        User.objects.filter(role=Role.SOCIAL_WORKER, is_active=True)
        .annotate(caseload=Count("named_people"))
        .filter(caseload__gte=3)
        .order_by("pk")[:count]
    )
    if not workers:
        raise SystemExit("no social workers with a caseload: is the council seeded?")
    sessions = []
    for number in range(count):
        worker = workers[number % len(workers)]
        client = Client()
        client.force_login(worker)
        cookie = (
            f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        )
        people = Person.objects.filter(named_worker=worker).order_by("pk")
        sessions.append((cookie, list(people.values_list("pk", flat=True)[:10])))
    return sessions


def _get(port: int, url: str, cookie: str) -> tuple[int, float]:
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", url, headers={"Cookie": cookie, "Host": "127.0.0.1"})
        response = conn.getresponse()
        response.read()
        return response.status, time.perf_counter() - started
    finally:
        conn.close()


def _wait_until_up(port: int, process: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with status {process.returncode}")
        try:
            if _get(port, "/accessibility/", "")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer within a minute")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)  # graceful: workers finish their request
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def _urls(people: list[int]) -> list[str]:
    """The caseload (home page) and each person's record, in turn."""
    urls = ["/"]
    for pk in people:
        urls += [f"/people/{pk}/", "/"]
    return urls


def _load(port: int, sessions: list[tuple[str, list[int]]], *, seconds: float) -> dict[str, Any]:
    deadline = time.monotonic() + seconds
    lock = threading.Lock()
    latencies: list[float] = []
    errors: dict[str, int] = {}

    def client(number: int) -> None:
        cookie, people = sessions[number]
        urls = _urls(people)
        index = number
        mine: list[float] = []
        while time.monotonic() < deadline:
            url = urls[index % len(urls)]
            index += 1
            try:
                status, took = _get(port, url, cookie)
            except OSError as error:
                status, took = 0, 0.0
                key = type(error).__name__
            else:
                key = str(status)
            if status == 200:
                mine.append(took)
            else:
                with lock:
                    errors[key] = errors.get(key, 0) + 1
        with lock:
            latencies.extend(mine)

    started = time.monotonic()
    threads = [
        threading.Thread(target=client, args=(n,), daemon=True) for n in range(len(sessions))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 60)
    elapsed = time.monotonic() - started
    done = len(latencies) + sum(errors.values())
    ordered = sorted(latencies) or [0.0]
    return {
        "requests": done,
        "errors": sum(errors.values()),
        "errors_by_status": errors,
        "seconds": round(elapsed, 1),
        "requests_per_s": round(len(latencies) / elapsed, 1),
        "median_ms": round(statistics.median(ordered) * 1000, 1),
        "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))] * 1000, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=30)
    # Long enough for every gunicorn worker to have served both pages once (its first request
    # imports and compiles what the pages need); its errors are reported, not counted.
    parser.add_argument("--warm-up", type=float, default=15)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "selfdirect.settings")
    django.setup()
    sessions = worker_sessions(args.clients)
    from django.db import connection

    connection.close()

    port = _free_port()
    gunicorn = Path(sys.executable).parent / "gunicorn"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "ALLOWED_HOSTS": "127.0.0.1"}
    process = subprocess.Popen(
        [
            str(gunicorn),
            "selfdirect.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    try:
        _wait_until_up(port, process)
        warm = _load(port, sessions, seconds=args.warm_up)
        result = _load(port, sessions, seconds=args.seconds)
    finally:
        _stop(process)
    result.update(
        clients=args.clients,
        workers=args.workers,
        people=len({pk for _, people in sessions for pk in people}),
        warm_up={key: warm[key] for key in ("seconds", "requests", "errors")},
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
