"""Reads over the rollups. Pages, API and exports ask here; nothing scores raw responses.

A date range is answered from monthly rows for the months it covers and daily rows for the
rest. A partial month is read from its days, or, when that is shorter, as the month row
minus the days outside the range (sums subtract exactly). So any range costs at most about
15 daily rows per edge and one row per month, per touchpoint, in one query.
"""

import datetime as dt
from collections.abc import Iterable

from django.db import connection
from django.db.models import Sum
from django.utils import timezone

from surveys.counting.rollup_sql import DAILY, MONTHLY, id_filter, next_month, table
from surveys.counting.scores import Compliance, Scores, compliance_from_sums, scores_from_sums
from surveys.models import STANDARD_FIELDS, SUM_FIELDS, Theme, TouchpointDailyStandards

EPOCH = dt.date(2000, 1, 1)
ONE_DAY = dt.timedelta(days=1)


def plan_range(since: dt.date, until: dt.date):
    """How to read [since, until]: (months to add, day ranges to add, day ranges to subtract).

    Months are given by their first day; day ranges are (first, last) inclusive.
    """
    months, add, subtract = [], [], []
    month = since.replace(day=1)
    while month <= until:
        stop = next_month(month) - ONE_DAY
        first, last = max(since, month), min(until, stop)
        inside = (last - first).days + 1
        outside = (stop - month).days + 1 - inside
        if outside == 0:
            months.append(month)
        elif inside <= outside:
            add.append((first, last))
        else:
            months.append(month)
            subtract += [
                (a, b) for a, b in ((month, first - ONE_DAY), (last + ONE_DAY, stop)) if a <= b
            ]
        month = next_month(month)
    return months, add, subtract


def sums_by_touchpoint(
    touchpoint_ids: Iterable[int], since: dt.date | None = None, until: dt.date | None = None
) -> dict[int, dict[str, int]]:
    """Summed rollup fields per touchpoint over [since, until], inclusive days."""
    ids = list(touchpoint_ids)
    if not ids:
        return {}
    months, add, subtract = plan_range(since or EPOCH, until or timezone.localdate())
    parts, params = [], []
    for sign, ranges in ((1, add), (-1, subtract)):
        if ranges:
            sql, values = _daily_part(ids, ranges, sign)
            parts.append(sql)
            params += values
    if months:
        where, values = id_filter("touchpoint_id", ids)
        columns = ", ".join(SUM_FIELDS)
        parts.append(
            f"SELECT touchpoint_id, {columns} FROM {table(MONTHLY)} "
            f"WHERE {where} AND month >= %s AND month <= %s"
        )
        params += [*values, months[0], months[-1]]
    if not parts:
        return {}
    totals = ", ".join(f"SUM({name})" for name in SUM_FIELDS)
    union = " UNION ALL ".join(parts)
    query = f"SELECT touchpoint_id, {totals} FROM ({union}) p GROUP BY touchpoint_id"
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        rows = cursor.fetchall()
    return {tp: dict(zip(SUM_FIELDS, map(int, sums), strict=True)) for tp, *sums in rows}


def _daily_part(ids, ranges, sign):
    where, values = id_filter("touchpoint_id", ids)
    days = " OR ".join(["(day >= %s AND day <= %s)"] * len(ranges))
    columns = ", ".join(f"{'-' if sign < 0 else ''}{name} AS {name}" for name in SUM_FIELDS)
    sql = f"SELECT touchpoint_id, {columns} FROM {table(DAILY)} WHERE {where} AND ({days})"
    return sql, [*values, *(day for pair in ranges for day in pair)]


def scores_by_touchpoint(
    touchpoint_ids: Iterable[int], since: dt.date | None = None, until: dt.date | None = None
) -> dict[int, Scores]:
    """Scores of each touchpoint over [since, until] (inclusive days); absent if no data."""
    return {
        tp: scores_from_sums(sums)
        for tp, sums in sums_by_touchpoint(touchpoint_ids, since, until).items()
    }


def scores_by_group(
    groups: dict, since: dt.date | None = None, until: dt.date | None = None
) -> dict[object, Scores]:
    """Scores of groups of touchpoints (a stage, a department, a journey): {key: [ids]}.

    A group's figures come from the sums of its touchpoints' rows, not from averaging their
    scores, so a busy touchpoint weighs as much as its answers. One query for all groups.
    """
    per_touchpoint = sums_by_touchpoint({tp for ids in groups.values() for tp in ids}, since, until)
    scores = {}
    for key, ids in groups.items():
        totals = dict.fromkeys(SUM_FIELDS, 0)
        for tp in set(ids):
            for name, value in per_touchpoint.get(tp, {}).items():
                totals[name] += value
        scores[key] = scores_from_sums(totals)
    return scores


def compliance_by_touchpoint(
    touchpoint_ids: Iterable[int], since: dt.date, until: dt.date
) -> dict[int, Compliance]:
    """Service-standard counts of each touchpoint over [since, until], from the daily rows."""
    rows = (
        TouchpointDailyStandards.objects.filter(
            touchpoint_id__in=list(touchpoint_ids), day__gte=since, day__lte=until
        )
        .values("touchpoint_id")
        .annotate(**{name: Sum(name) for name in STANDARD_FIELDS})
        .order_by()
    )
    return {row.pop("touchpoint_id"): compliance_from_sums(row) for row in rows}


def readable_theme(user, raw_pk, source: str) -> Theme | None:
    """The theme a request names (?theme=), if it is one of this source the user may
    read; None for anything else, so a forged id shows the unfiltered, scoped list."""
    try:
        pk = int(raw_pk or "")
    except ValueError:
        return None
    return Theme.objects.for_user(user).filter(pk=pk, source=source).first()
