"""Benchmark of the interactions API over HTTP: gunicorn on 127.0.0.1, PostgreSQL.

In a throwaway database it makes 20 touchpoints (half of them surveyed, so invitations
are written too), an integration token and a history (HISTORY interactions recorded
before, their statistics analysed: a live database, not an empty one), starts gunicorn
with production settings (config/gunicorn.py, access log off), then prints:
- interactions/s posting batches of 500 from C concurrent clients (keep-alive
  connections), every interaction with its own customer and external_id, and a check
  that the database holds exactly what was accepted: once with "Prefer: return=minimal"
  (the ids back, as an integration keeps them) and once with the full records back;
- p50/p99 of a single-interaction POST from one client, one after another.

    DATABASE_URL=postgres://... REDIS_URL=redis://... make bench-api
    make bench-api BENCH_ARGS="--batches 40 --clients 8 --workers 4"
"""

import argparse
import http.client
import json
import statistics
import sys
import threading
import time
import uuid

from django.conf import settings
from django.utils import timezone
from harness import analyze, free_port, gunicorn, integration_token, throwaway_database

from surveys.asking.intake import CustomerDetails, record_interactions
from surveys.models import Survey
from touchpoints.models import Channel, Department, Interaction, Touchpoint

BATCH = 500


def world(history: int) -> tuple[list[int], str]:
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
    by_pk = Touchpoint.objects.in_bulk(touchpoints)
    for start in range(0, history, BATCH):
        items = [interaction(touchpoints, n) for n in range(start, min(history, start + BATCH))]
        record_interactions(
            [
                {
                    **item,
                    "touchpoint": by_pk[item["touchpoint"]],
                    "customer": CustomerDetails(**item["customer"]),
                    "occurred_at": timezone.now(),
                }
                for item in items
            ]
        )
    analyze()
    return touchpoints, integration_token("bench-cx")


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


def post(conn, key: str, body: bytes, minimal: bool = False) -> tuple[int, float]:
    headers = {"Authorization": f"Token {key}", "Content-Type": "application/json"}
    if minimal:
        headers["Prefer"] = "return=minimal"
    started = time.perf_counter()
    conn.request("POST", "/api/v1/interactions/", body=body, headers=headers)
    answer = conn.getresponse()
    answer.read()
    return answer.status, time.perf_counter() - started


def batches(port, key, touchpoints, count: int, clients: int, minimal: bool):
    # Encoded beforehand: the clients share the server's two cores and should cost little.
    bodies = [
        json.dumps([interaction(touchpoints, b * BATCH + i) for i in range(BATCH)]).encode()
        for b in range(count)
    ]
    statuses, lock = [], threading.Lock()

    def client(mine):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        for body in mine:
            status, _ = post(conn, key, body, minimal)
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
        status, seconds = post(conn, key, json.dumps(interaction(touchpoints, number)).encode())
        assert status == 201, status
        samples.append(seconds * 1000)
    conn.close()
    return samples


def run(args) -> None:
    touchpoints, key = world(args.history)
    port = free_port()
    with gunicorn(port, args.workers):
        singles(port, key, touchpoints, 20)  # warm the workers
        for minimal in (True, False):
            before = Interaction.objects.count()
            seconds, accepted, statuses = batches(
                port, key, touchpoints, args.batches, args.clients, minimal
            )
            stored = Interaction.objects.count() - before
            print(
                f"batches of {BATCH}, {'return=minimal' if minimal else 'full records back'}: "
                f"{accepted:,} interactions in {seconds:.1f} s = {accepted / seconds:,.0f}/s "
                f"({args.clients} clients, {args.workers} gunicorn workers); statuses "
                f"{sorted(set(statuses))}; stored {stored:,} "
                f"({'equal' if stored == accepted else 'NOT EQUAL'})"
            )
        samples = singles(port, key, touchpoints, args.singles)
        p99 = statistics.quantiles(samples, n=100)[98]
        print(
            f"single POST, one client, {len(samples)} requests: p50 "
            f"{statistics.median(samples):.1f} ms, p99 {p99:.1f} ms"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batches", type=int, default=100)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--singles", type=int, default=1000)
    parser.add_argument("--history", type=int, default=50_000)
    args = parser.parse_args()
    if not settings.REDIS_URL:
        # Without a broker, every invitation would be delivered inside its request.
        sys.exit("This benchmark needs REDIS_URL.")
    with throwaway_database("touchstone_bench_api"):
        run(args)


if __name__ == "__main__":
    main()
