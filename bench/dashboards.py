"""Benchmark of the dashboard pages at scale: server time of each page (PostgreSQL).

In a throwaway database it makes N synthetic answers over 200 touchpoints of 6
departments and 365 days (the same generator as bench/rollups.py), builds the rollups,
maps a 25-touchpoint journey over 7 stages, then requests every dashboard page in-process
(Django's test client: the whole request through middleware, views, templates, no network)
and prints p50/p99 in ms and the number of SQL queries of each.

    DATABASE_URL=postgres://... make bench-dashboards BENCH_ARGS="--responses 1000000"
"""

import argparse
import cProfile
import datetime as dt
import os
import pstats
import tempfile
import time
from pathlib import Path

# Production settings: DEBUG off (cached templates, no query log), a throwaway key.
os.environ["DEBUG"] = "0"
os.environ.setdefault("SECRET_KEY", "benchmark-only-" + "k" * 40)
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

import rollups

make_file, timed = rollups.make_file, rollups.timed

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.core.signals import request_finished, request_started  # noqa: E402
from django.db import close_old_connections, connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from journeys.models import Journey, Stage, Step  # noqa: E402
from surveys.counting.importing import responses_import  # noqa: E402
from surveys.counting.rollup_sql import table  # noqa: E402
from surveys.models import Response, TouchpointDailyScore, TouchpointMonthlyScore  # noqa: E402
from touchpoints.models import (  # noqa: E402
    Department,
    ImprovementAction,
    ImprovementStatus,
    Touchpoint,
)
from touchpoints.roles import CX_MANAGERS_GROUP  # noqa: E402

DEPARTMENTS = ["Marketing", "Sales", "Customer Service", "Installation", "Billing", "Logistics"]
BUDGET_MS = 150


def build(args, path: Path):
    departments = [Department.objects.create(name=name) for name in DEPARTMENTS]
    touchpoints = [
        Touchpoint.objects.create(
            name=f"Touchpoint {i}",
            channel=["phone", "web", "store", "email"][i % 4],
            department=departments[i % len(departments)],
            effort_estimate=1 + i % 5,
        )
        for i in range(args.touchpoints)
    ]
    make_file(path, [tp.pk for tp in touchpoints], args.responses, args.days)
    started = time.perf_counter()
    with path.open() as source:
        responses_import(source)  # the rollups of every touched day are built before it returns
    with connection.cursor() as cursor:
        for model in (Response, TouchpointDailyScore, TouchpointMonthlyScore):
            cursor.execute(f"ANALYZE {table(model)}")
    print(f"  answers loaded and rolled up in {time.perf_counter() - started:.0f} s")

    journey = Journey.objects.create(name="Benchmark journey")
    for s in range(7):
        stage = Stage.objects.create(journey=journey, name=f"Stage {s}", position=s)
        for position, tp in enumerate(
            touchpoints[s * 4 : s * 4 + 4][: 25 - s * 4 if s == 6 else 4]
        ):
            Step.objects.create(stage=stage, touchpoint=tp, position=position)
    today = timezone.localdate()
    for tp in touchpoints[:10]:
        ImprovementAction.objects.create(
            touchpoint=tp, title=f"Fix {tp.name}", status=ImprovementStatus.DONE,
            changed_on=today - dt.timedelta(days=30),
        )  # fmt: skip
    users = get_user_model().objects
    manager = users.create_user("bench-cx", password="x")
    manager.groups.add(Group.objects.get_or_create(name=CX_MANAGERS_GROUP)[0])
    head = users.create_user("bench-head", password="x")
    departments[2].heads.add(head)
    return journey, departments[2], manager, head


def pages(journey, department):
    return [
        ("department scorecard (33 touchpoints, 90 days)", "head",
         f"/departments/{department.pk}/"),
        ("scorecard, comment search", "head", f"/departments/{department.pk}/?q=hold"),
        ("scorecard, 365 days", "head", f"/departments/{department.pk}/?since={_ago(364)}"),
        ("live journey map (25 touchpoints, 90 days)", "cx", f"/dashboards/journeys/{journey.pk}/"),
        ("live journey map, 365 days + employee lane", "cx",
         f"/dashboards/journeys/{journey.pk}/?since={_ago(364)}&backstage=on"),
        ("printable journey report", "cx", f"/dashboards/journeys/{journey.pk}/report/"),
        ("priorities (200 touchpoints, 90 days)", "cx", "/dashboards/priorities/"),
        ("trends (6 departments, 90 days)", "cx", "/dashboards/trends/"),
        ("trends, 365 days, compared with the year before", "cx",
         f"/dashboards/trends/?since={_ago(364)}&compare_since={_ago(729)}&compare_until={_ago(365)}"),
        ("improvements (10 checked actions)", "cx", "/dashboards/improvements/"),
    ]  # fmt: skip


def _ago(days):
    return (timezone.localdate() - dt.timedelta(days=days)).isoformat()


def queries_of(client, url) -> int:
    sent = []

    def record(execute, sql, params, many, context):
        sent.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        assert client.get(url, secure=True).status_code == 200, url
    return len(sent)


def run(args, path):
    print(
        f"{args.responses:,} answers, {args.touchpoints} touchpoints, {args.days} days, PostgreSQL"
    )
    journey, department, manager, head = build(args, path)
    # Like a server with persistent connections (CONN_MAX_AGE), not one connection a request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    clients = {"cx": Client(), "head": Client()}
    clients["cx"].force_login(manager)
    clients["head"].force_login(head)
    print(f"  {'page':52} {'p50 ms':>8} {'p99 ms':>8} {'queries':>8}")
    worst = 0.0
    for label, who, url in pages(journey, department):
        client = clients[who]
        queries = queries_of(client, url)
        p50, p99 = timed(lambda: client.get(url, secure=True), args.repeat)  # noqa: B023
        worst = max(worst, p99)
        print(f"  {label:52} {p50:8.1f} {p99:8.1f} {queries:8}")
        if args.profile and args.profile in label:
            profile = cProfile.Profile()
            profile.runcall(client.get, url, secure=True)
            pstats.Stats(profile).sort_stats("cumulative").print_stats(25)
    verdict = "within" if worst < BUDGET_MS else "OVER"
    print(f"  slowest p99 {worst:.1f} ms: {verdict} the {BUDGET_MS} ms budget")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=10_000_000)
    parser.add_argument("--touchpoints", type=int, default=200)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--keep", action="store_true", help="keep the database to look into")
    parser.add_argument("--profile", help="print a profile of the pages whose label has this")
    args = parser.parse_args()
    connection.settings_dict["TEST"]["NAME"] = "touchstone_bench_dashboards"
    call_command("collectstatic", "--noinput", verbosity=0)  # the manifest DEBUG-off pages use
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        with tempfile.TemporaryDirectory() as scratch:
            run(args, Path(scratch) / "responses.csv")
    finally:
        connection.close()
        if args.keep:
            print(f"  kept the database {connection.settings_dict['NAME']}")
        else:
            connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
