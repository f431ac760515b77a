"""Benchmark of the interactions API over HTTP: gunicorn on 127.0.0.1, PostgreSQL.

In a throwaway database it makes 20 touchpoints (half of them surveyed, so invitations
are written too) and an integration token, starts gunicorn with production settings
(config/gunicorn.py, access log off), then prints:
- interactions/s posting batches of 500 from C concurrent clients (keep-alive
  connections), every interaction with its own customer and external_id, and a check
  that the database holds exactly what was accepted;
- p50/p99 of a single-interaction POST from one client, one after another.

    DATABASE_URL=postgres://... make bench-api
    make bench-api BENCH_ARGS="--batches 40 --clients 4 --workers 5"
"""

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
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Production settings for this process too: it makes the token the server checks.
os.environ["DEBUG"] = "0"
os.environ.setdefault("SECRET_KEY", "benchmark-only-" + "k" * 40)

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from surveys.models import Survey  # noqa: E402
from tests.factories import UserFactory  # noqa: E402
from touchpoints.api_tokens import make_token  # noqa: E402
from touchpoints.models import Channel, Department, Interaction, TokenScope, Touchpoint  # noqa: E402
from touchpoints.roles import CX_MANAGERS_GROUP  # noqa: E402

BATCH = 500


def world() -> tuple[list[int], str]:
    from django.contrib.auth.models import Group

    survey = Survey.objects.create(name="Bench survey")
    department = Department.objects.create(name="Bench")
    touchpoints = [
        Touchpoint.objects.create(
            name=f"Desk {number}",
            department=department,
            channel=Channel.PHONE,
            surveyed=number % 2 == 0,
            survey=survey if number % 2 == 0 else None,
            target_wait_seconds=300,
        ).pk
        for number in range(20)
    ]
    manager = UserFactory(username="bench-cx")
    manager.groups.add(Group.objects.get_or_create(name=CX_MANAGERS_GROUP)[0])
    return touchpoints, make_token(manager, "bench", TokenScope.INTEGRATION)[1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(port: int, workers: int, app: str = "config.wsgi") -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "ALLOWED_HOSTS": "127.0.0.1",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": str(workers),
        "GUNICORN_TIMEOUT": "120",
        "SECURE_SSL_REDIRECT": "0",
        "TOKEN_WRITE_RATE": "1000000/min",  # the limit is not what is measured
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py", "--access-logfile",
         "/dev/null", "--error-logfile", "-", "--log-level", "warning", app],
        cwd=ROOT, env=env, start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    sys.exit("gunicorn did not start")


def _database_url() -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def interaction(touchpoints: list[int], number: int) -> dict:
    tag = uuid.uuid4().hex
    return {
        "external_id": f"bench-{tag}",
        "touchpoint": touchpoints[number % len(touchpoints)],
        "customer": {"email": f"{tag}@example.com", "external_ref": f"ref-{tag}"},
        "occurred_at": timezone.now().isoformat(),
        "outcome": "resolved",
        "wait_seconds": (number * 37) % 900,
    }


def post(conn, key: str, body) -> tuple[int, float]:
    data = json.dumps(body)
    started = time.perf_counter()
    conn.request(
        "POST",
        "/api/v1/interactions/",
        body=data,
        headers={"Authorization": f"Token {key}", "Content-Type": "application/json"},
    )
    answer = conn.getresponse()
    answer.read()
    return answer.status, time.perf_counter() - started


def batches(port, key, touchpoints, count: int, clients: int) -> tuple[float, int, list[int]]:
    bodies = [[interaction(touchpoints, b * BATCH + i) for i in range(BATCH)] for b in range(count)]
    statuses, lock = [], threading.Lock()

    def client(mine):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        for body in mine:
            status, _ = post(conn, key, body)
            with lock:
                statuses.append(status)
        conn.close()

    threads = [threading.Thread(target=client, args=(bodies[i::clients],)) for i in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, sum(s == 201 for s in statuses) * BATCH, statuses


def singles(port, key, touchpoints, count: int) -> list[float]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    samples = []
    for number in range(count):
        status, seconds = post(conn, key, interaction(touchpoints, number))
        assert status == 201, status
        samples.append(seconds * 1000)
    conn.close()
    return samples


def run(args) -> None:
    touchpoints, key = world()
    port = free_port()
    server = start_gunicorn(port, args.workers)
    try:
        singles(port, key, touchpoints, 20)  # warm the workers
        before = Interaction.objects.count()
        seconds, accepted, statuses = batches(port, key, touchpoints, args.batches, args.clients)
        stored = Interaction.objects.count() - before
        print(
            f"batches of {BATCH}: {accepted:,} interactions in {seconds:.1f} s = "
            f"{accepted / seconds:,.0f}/s ({args.clients} clients, {args.workers} gunicorn "
            f"workers); statuses {sorted(set(statuses))}; stored {stored:,} "
            f"({'equal' if stored == accepted else 'NOT EQUAL'})"
        )
        samples = singles(port, key, touchpoints, args.singles)
        p99 = statistics.quantiles(samples, n=100)[98]
        print(
            f"single POST, one client, {len(samples)} requests: p50 "
            f"{statistics.median(samples):.1f} ms, p99 {p99:.1f} ms"
        )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batches", type=int, default=100)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--singles", type=int, default=1000)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("This benchmark needs DATABASE_URL (PostgreSQL).")
    connection.settings_dict["TEST"]["NAME"] = "touchstone_bench_api"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        run(args)
    finally:
        connection.close()
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
