"""Reads over the rollups. Pages, API and exports ask here; nothing scores raw responses.

A date range is answered from monthly rows for the whole months inside it and daily rows
for the days at its edges, so a year costs about twelve rows per touchpoint, not 365.
"""

import datetime as dt
from collections.abc import Iterable

from django.db.models import Q, Sum
from django.utils import timezone

from .models import SUM_FIELDS, TouchpointDailyScore, TouchpointMonthlyScore
from .rollup_sql import next_month
from .scores import Scores, scores_from_sums

EPOCH = dt.date(2000, 1, 1)


def split_range(since: dt.date, until: dt.date):
    """([(first day, last day), ...] read daily, (first month, last month) or None)."""
    first_full = since if since.day == 1 else next_month(since)
    end_full = (
        next_month(until)
        if next_month(until) - dt.timedelta(days=1) == until
        else until.replace(day=1)
    )
    if first_full >= end_full:
        return [(since, until)], None
    edges = []
    if since < first_full:
        edges.append((since, first_full - dt.timedelta(days=1)))
    if end_full <= until:
        edges.append((end_full, until))
    return edges, (first_full, (end_full - dt.timedelta(days=1)).replace(day=1))


def sums_by_touchpoint(
    touchpoint_ids: Iterable[int], since: dt.date | None = None, until: dt.date | None = None
) -> dict[int, dict[str, int]]:
    """Summed rollup fields per touchpoint over [since, until], inclusive days."""
    ids = list(touchpoint_ids)
    days, months = split_range(since or EPOCH, until or timezone.localdate())
    totals: dict[int, dict[str, int]] = {}
    parts = []
    if days:
        day_filter = Q()
        for first, last in days:
            day_filter |= Q(day__gte=first, day__lte=last)
        parts.append(TouchpointDailyScore.objects.filter(day_filter, touchpoint_id__in=ids))
    if months:
        parts.append(
            TouchpointMonthlyScore.objects.filter(
                touchpoint_id__in=ids, month__gte=months[0], month__lte=months[1]
            )
        )
    for rows in parts:
        grouped = rows.values("touchpoint_id").annotate(**{f: Sum(f) for f in SUM_FIELDS})
        for row in grouped.order_by():
            into = totals.setdefault(row.pop("touchpoint_id"), dict.fromkeys(SUM_FIELDS, 0))
            for name, value in row.items():
                into[name] += value or 0
    return totals


def scores_by_touchpoint(
    touchpoint_ids: Iterable[int], since: dt.date | None = None, until: dt.date | None = None
) -> dict[int, Scores]:
    """Scores of each touchpoint over [since, until] (inclusive days); absent if no data."""
    return {
        tp: scores_from_sums(sums)
        for tp, sums in sums_by_touchpoint(touchpoint_ids, since, until).items()
    }
