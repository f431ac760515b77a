"""What one customer costs the web workers: the survey page and the answer, one client
at a time, over HTTP to gunicorn on 127.0.0.1 (PostgreSQL, Redis, a real Celery worker).

No queueing, so the latency is the request's own, and the CPU the gunicorn workers spent
(read from /proc) divided by the requests is what each one costs: the number that sets how
many a second two cores can take.

    DATABASE_URL=postgres://... REDIS_URL=redis://... make bench-answer
    make bench-answer BENCH_ARGS="--requests 5000"
    make bench-answer BENCH_ARGS="--own-questions 3"   # a survey with questions of its own
"""

import argparse
import os
import statistics
import time

from harness import (
    CpuMeter,
    celery_worker,
    collect_static,
    free_port,
    gunicorn,
    throwaway_database,
)
from load import anonymous_session, settle, world

from tests.worker import own_queue

WARM_UP = 50  # per kind: connections, prepared statements, templates


def measure(label: str, meter: CpuMeter, send, tokens, requests: int) -> None:
    for _ in range(WARM_UP):
        send(next(tokens))
    before, started, times = meter.read(), time.perf_counter(), []
    for _ in range(requests):
        status, seconds = send(next(tokens))
        assert status < 400, f"{label} answered {status}"
        times.append(seconds * 1000)
    cpu = (meter.read()["web"] - before["web"]) / requests * 1000
    wall = (time.perf_counter() - started) / requests * 1000
    cuts = statistics.quantiles(times, n=100)
    print(
        f"{label}: {requests:,} one at a time; p50 {cuts[49]:.2f} ms, p99 {cuts[98]:.2f} ms; "
        f"web workers' CPU {cpu:.2f} ms a request; {wall:.2f} ms each, client included"
    )


def run(args) -> None:
    links, _department, answer_fields = world(2 * (args.requests + WARM_UP), args.own_questions)
    tokens = iter(links)
    settle()
    port = free_port()
    collect_static()  # the manifest DEBUG-off pages use
    with own_queue() as queue:
        os.environ["CELERY_QUEUE"] = queue
        worker = celery_worker(queue)
        try:
            with gunicorn(port, args.workers) as server:
                meter, session = CpuMeter(web=server.pid), anonymous_session(port)

                def view(token):
                    return session.request("GET", f"/s/{token}")[:2]

                def answer(token):
                    return session.request("POST", f"/s/{token}", answer_fields)[:2]

                measure("survey page (GET)", meter, view, tokens, args.requests)
                measure("answer (POST)", meter, answer, tokens, args.requests)
        finally:
            worker.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument(
        "--own-questions", type=int, default=0, choices=range(4),
        help="questions of the survey's own besides the fixed ones (up to 3)",
    )  # fmt: skip
    args = parser.parse_args()
    with throwaway_database("touchstone_bench_answer"):
        run(args)


if __name__ == "__main__":
    main()
