"""Benchmark: reading touchpoint scores from the rollups vs raw responses.

Creates a throwaway database (the test database of the configured DATABASE_URL), fills it
with N synthetic responses over T touchpoints and D days, then prints:
- the rollup rebuild rate (responses folded per second);
- p50/p99 of "all touchpoint scores for the last 90 days" from the rollups and by a plain
  GROUP BY over the raw responses (with a (touchpoint, submitted_at) index), and the ratio.

    make bench BENCH_ARGS="--responses 200000"
"""

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count, Q, Sum  # noqa: E402
from django.utils import timezone  # noqa: E402
from tqdm import tqdm  # noqa: E402

from surveys.aggregation import rollups_rebuild_all  # noqa: E402
from surveys.models import Response  # noqa: E402
from surveys.selectors import scores_by_touchpoint  # noqa: E402
from touchpoints.models import Department, Touchpoint  # noqa: E402


def fill(responses: int, touchpoints: int, days: int, seed: int = 7) -> list[int]:
    rng = random.Random(seed)
    department = Department.objects.create(name="Benchmark")
    ids = [
        Touchpoint.objects.create(name=f"Touchpoint {i}", channel="phone", department=department).pk
        for i in range(touchpoints)
    ]
    now = timezone.now()
    batch = 10_000
    for start in tqdm(range(0, responses, batch), desc="responses", unit_scale=batch):
        Response.objects.bulk_create(
            Response(
                touchpoint_id=rng.choice(ids),
                submitted_at=now - dt.timedelta(seconds=rng.randrange(days * 86400)),
                expectation=rng.randint(1, 7),
                experience=rng.randint(1, 7),
                csat=rng.randint(1, 5),
                nps=rng.randint(0, 10),
                effort=rng.randint(1, 7),
            )
            for _ in range(min(batch, responses - start))
        )
    return ids


def timed(function, repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def raw_scores(since):
    both = Q(expectation__isnull=False, experience__isnull=False)
    return list(
        Response.objects.filter(submitted_at__gte=since)
        .values("touchpoint_id")
        .annotate(
            n=Count("id", filter=both),
            sum_expectation=Sum("expectation", filter=both),
            sum_experience=Sum("experience", filter=both),
            promoters=Count("id", filter=Q(nps__gte=9)),
            detractors=Count("id", filter=Q(nps__lte=6)),
            top2=Count("id", filter=Q(csat__gte=4)),
            sum_effort=Sum("effort"),
        )
        .order_by()
    )


def report(label, samples):
    p99 = statistics.quantiles(samples, n=100)[98] if len(samples) > 1 else samples[0]
    print(f"{label:<42} p50 {statistics.median(samples):8.2f} ms   p99 {p99:8.2f} ms")
    return statistics.median(samples)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=100_000)
    parser.add_argument("--touchpoints", type=int, default=200)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()

    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        print(f"database: {connection.vendor}, {args.responses:,} responses, "
              f"{args.touchpoints} touchpoints, {args.days} days")  # fmt: skip
        ids = fill(args.responses, args.touchpoints, args.days)
        started = time.perf_counter()
        rows = rollups_rebuild_all()
        elapsed = time.perf_counter() - started
        print(f"rollup rebuild: {rows:,} rows in {elapsed:.2f} s "
              f"= {args.responses / elapsed:,.0f} responses/s")  # fmt: skip
        until = timezone.localdate()
        since = until - dt.timedelta(days=89)
        since_moment = timezone.now() - dt.timedelta(days=90)
        from_rollups = report(
            "90-day scores, all touchpoints (rollups)",
            timed(lambda: scores_by_touchpoint(ids, since, until), args.repeat),
        )
        from_raw = report(
            "90-day scores, all touchpoints (raw SQL)",
            timed(lambda: raw_scores(since_moment), args.repeat),
        )
        print(f"ratio raw / rollups (p50): {from_raw / from_rollups:.1f}x")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
