"""Reads over the rollups. Pages and the API ask here; nothing reads raw responses to score."""

import datetime as dt
from collections.abc import Iterable

from django.db.models import Sum

from .models import TouchpointDailyScore
from .scores import SUM_FIELDS, Scores, scores_from_sums


def scores_by_touchpoint(
    touchpoint_ids: Iterable[int], since: dt.date | None = None, until: dt.date | None = None
) -> dict[int, Scores]:
    """Scores of each touchpoint over [since, until] (inclusive days), in one query."""
    rows = TouchpointDailyScore.objects.filter(touchpoint_id__in=list(touchpoint_ids))
    if since is not None:
        rows = rows.filter(day__gte=since)
    if until is not None:
        rows = rows.filter(day__lte=until)
    totals = (
        rows.values("touchpoint_id").annotate(**{name: Sum(name) for name in SUM_FIELDS}).order_by()
    )
    return {row.pop("touchpoint_id"): scores_from_sums(row) for row in totals}
