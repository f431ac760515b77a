"""Scores over time: series by week or month, and each group's change between periods."""

import datetime as dt

from django.db.models import DateField, F, Q, Sum
from django.db.models.functions import TruncMonth, TruncWeek

from dashboards.selectors import (
    EVERYONE,
    Who,
    add_sums,
    sums_in,
)
from surveys.counting.figure_cache import cached_figures
from surveys.counting.periods import Period
from surveys.counting.scores import (
    Scores,
    compare_gaps,
    control_false_discoveries,
    scores_from_sums,
)
from surveys.counting.selectors import plan_range
from surveys.models import SUM_FIELDS, TouchpointMonthlyScore
from touchpoints.models import Audience

# Up to half a year a series is drawn by week; longer ones by month.
WEEKLY_UP_TO_DAYS = 183


def _bucket(period: Period):
    unit = TruncWeek if period.days <= WEEKLY_UP_TO_DAYS else TruncMonth
    # A date, not a timestamp: no time zone conversion of every row on the way out.
    return unit("day", output_field=DateField())


def _summed_by_bucket(touchpoint_ids, period: Period, *by: str, who: Who = EVERYONE):
    """Rows summed per week (from Monday) or month in the database: one row per bucket (and
    per `by` column), whatever the number of days. By month, the range is read as
    sums_by_touchpoint reads it (plan_range): monthly rows, plus or minus the daily rows
    of partial months, each summed into its month."""
    ids = list(touchpoint_ids)
    if period.days <= WEEKLY_UP_TO_DAYS or who.filtered:
        # Weekly buckets, or segments (which have no monthly rollups): the daily rows.
        rows = _by_bucket(who.rows(), ids, [(period.since, period.until)], by, _bucket(period))
    else:
        months, add, subtract = plan_range(period.since, period.until)
        month = TruncMonth("day", output_field=DateField())
        whole = TouchpointMonthlyScore.objects.filter(month__in=months) if months else None
        rows = [
            *(_by_bucket(whole, ids, None, by, F("month")) if months else []),
            *_by_bucket(who.rows(), ids, add, by, month),
            *(_negated(row) for row in _by_bucket(who.rows(), ids, subtract, by, month)),
        ]
    summed: dict[tuple, dict] = {}
    for row in rows:
        key = tuple(row[name] for name in (*by, "bucket"))
        into = summed.setdefault(key, dict(zip((*by, "bucket"), key, strict=True)))
        for name in SUM_FIELDS:
            into[name] = into.get(name, 0) + row[name]
    # A month whose days in the range had nothing nets to zeros: no bucket, as without rows.
    return [summed[key] for key in sorted(summed) if any(summed[key][n] for n in SUM_FIELDS)]


def _by_bucket(rows, ids, ranges, by, bucket) -> list[dict]:
    """rows of `ids` (within `ranges` of days, if given) summed per `by` and bucket."""
    if ranges is not None:
        if not ranges:
            return []
        days = Q()
        for since, until in ranges:
            days |= Q(day__gte=since, day__lte=until)
        rows = rows.filter(days)
    return list(
        rows.filter(touchpoint_id__in=ids)
        .annotate(bucket=bucket)
        .values(*by, "bucket")
        .annotate(**{name: Sum(name) for name in SUM_FIELDS})
        .order_by()
    )


def _negated(row: dict) -> dict:
    return {**row, **{name: -row[name] for name in SUM_FIELDS}}


def weekly_scores(touchpoint_ids, period: Period) -> dict[int, list[tuple[dt.date, Scores]]]:
    """Each touchpoint's scores per week (per month over long periods)."""
    ids = list(touchpoint_ids)
    rows = cached_figures(
        "weekly-scores",
        (ids, period.since, period.until),
        lambda: _summed_by_bucket(ids, period, "touchpoint_id"),
    )
    series: dict[int, list[tuple[dt.date, Scores]]] = {}
    for row in rows:
        series.setdefault(row["touchpoint_id"], []).append((row["bucket"], scores_from_sums(row)))
    return series


def grouped_weekly(groups: dict[str, list[int]], period: Period, who: Who = EVERYONE):
    """Each group's scores per week (per month over long periods) from the sums of its
    touchpoints, so busy ones weigh more; summed in the database, a query per group."""
    return {
        name: [
            (row["bucket"], scores_from_sums(row))
            for row in _summed_by_bucket(ids, period, who=who)
        ]
        for name, ids in groups.items()
    }


def trend_groups(readable, choice: dict) -> dict[str, list[int]]:
    """What the trend lines are drawn for, always within the readable touchpoints: the
    chosen touchpoints, else the chosen stages, else one line per department."""
    if choice.get("channel"):
        readable = readable.filter(channel=choice["channel"])
    allowed = {tp.pk: tp for tp in readable}
    if choice.get("touchpoints"):
        return {tp.name: [tp.pk] for tp in choice["touchpoints"] if tp.pk in allowed}
    if choice.get("stages"):
        groups = {}
        for stage in choice["stages"]:
            ids = [
                pk for pk in stage.steps.values_list("touchpoint_id", flat=True) if pk in allowed
            ]
            if ids:
                groups[f"{stage.name} ({stage.journey.name})"] = ids
        return groups
    groups: dict[str, list[int]] = {}
    for tp in allowed.values():
        if tp.audience == Audience.CUSTOMER:
            groups.setdefault(tp.department.name, []).append(tp.pk)
    return dict(sorted(groups.items()))


def grouped_changes(groups, earlier: Period, later: Period, who: Who = EVERYONE):
    """Each group's gap in `later` against `earlier`: [(name, GapComparison)], two queries."""
    ids = {pk for members in groups.values() for pk in members}
    then, now = sums_in(ids, earlier, who), sums_in(ids, later, who)

    def total(sums, members):
        return add_sums([sums.get(pk, {}) for pk in set(members)])

    changes = control_false_discoveries(
        [compare_gaps(total(then, members), total(now, members)) for members in groups.values()]
    )
    return list(zip(groups, changes, strict=True))
