"""Benchmark of comment themes at scale: the algorithm alone, then the nightly job on a
database.

1. find_themes on N constructed comments of three known topics (tests/surveys/
   comment_sets.py: several wordings per topic): seconds, comments/s, the themes found
   with their shares against the true ones, and the share of comments put in the theme
   of their own topic.
2. In a throwaway database (beside the one of DATABASE_URL, or on the embedded server):
   N answers with those comments on one touchpoint, then the theme job's full fit
   (read, fit, assign, roll up), placing 10% more comments between fits, and a refit.

    make bench-themes                      # 100,000 comments
    make bench-themes BENCH_ARGS="--comments 20000"
"""

import argparse
import datetime as dt
import os
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from surveys.models import Response, Theme  # noqa: E402
from surveys.said.themes import find_themes  # noqa: E402
from surveys.said.theming import refresh_themes  # noqa: E402
from tests.surveys.said.comment_sets import comment_set  # noqa: E402
from touchpoints.models import Channel, Department, Touchpoint, local_day  # noqa: E402

SHARES = {"on hold": 0.5, "call back": 0.3, "friendly installer": 0.2}


def algorithm(count: int) -> None:
    texts, topics = comment_set(SHARES, count, seed=1)
    started = time.perf_counter()
    themes = find_themes(texts)
    seconds = time.perf_counter() - started
    print(f"find_themes, {len(texts):,} comments: {seconds:.1f} s ({len(texts) / seconds:,.0f}/s)")
    right = 0
    for theme in themes:
        topic, count_right = Counter(topics[i] for i in theme.members).most_common(1)[0]
        right += count_right
        share = len(theme.members) / len(texts)
        print(f"  {theme.label:<45} {share:6.1%}  (true share of {topic!r}: {SHARES[topic]:.0%})")
    print(f"  comments in their own topic's theme: {right / len(texts):.1%}")


def job(count: int) -> None:
    department = Department.objects.create(name="Bench service")
    touchpoint = Touchpoint.objects.create(
        name="Bench hotline", department=department, channel=Channel.PHONE
    )

    def add(number: int, seed: int) -> None:
        texts, _ = comment_set(SHARES, number, seed)
        now = timezone.now() - dt.timedelta(hours=1)
        Response.objects.bulk_create(
            [
                Response(
                    touchpoint=touchpoint,
                    submitted_at=now,
                    day=local_day(now),
                    expectation=6,
                    experience=4,
                    comment=text,
                )
                for text in texts
            ],
            batch_size=5000,
        )

    add(count, seed=2)
    for label, step in (
        ("full fit", lambda: refresh_themes()),
        ("place 10% new", lambda: (add(count // 10, seed=3), refresh_themes())[1]),
        ("refit", lambda: refresh_themes(refit=True)),
    ):
        started = time.perf_counter()
        report = step()
        seconds = time.perf_counter() - started
        print(
            f"job {label:<14} {seconds:6.1f} s  (fits {report.fitted}, placed "
            f"{report.placed:,}, themes {report.themes})"
        )
    themed = Response.objects.filter(theme__isnull=False).count()
    print(f"  themed comments {themed:,} of {Response.objects.count():,}; themes:")
    for theme in Theme.objects.filter(touchpoint=touchpoint):
        print(f"    {theme.label}: {theme.responses.count():,}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=100_000)
    args = parser.parse_args()
    algorithm(args.comments)
    connection.settings_dict["TEST"]["NAME"] = "touchstone_bench_themes"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        job(args.comments)
    finally:
        connection.close()
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
