"""Fold survey responses into per-(touchpoint, day) rollups.

Design: a rollup row is never incremented. Each run *recomputes* the rows of the
(touchpoint, day) keys it is given from the raw responses, inside one transaction, and
upserts them. That makes the rollups equal a full recomputation by construction:

- a task delivered twice recomputes the same value twice;
- a worker killed mid-task rolls its transaction back, and the redelivered task (acks
  late) starts again from the raw rows;
- two workers on the same key take the same transaction-scoped advisory lock on
  PostgreSQL, so the later one recomputes after the first has committed and sees every
  response committed before its own query ran. A response committed later enqueues its
  own recomputation on commit, and the periodic sweep catches any enqueue that was lost.
"""

import datetime as dt
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Count, ExpressionWrapper, F, IntegerField, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from .models import Invitation, Response, TouchpointDailyScore

# Keys per query: keeps the OR-filter of day ranges to a size every database plans well.
KEY_CHUNK = 200

_GAP = ExpressionWrapper(F("expectation") - F("experience"), output_field=IntegerField())
_BOTH_ANSWERED = Q(expectation__isnull=False, experience__isnull=False)

RESPONSE_SUMS = {
    "responses": Count("id"),
    "gap_answered": Count("id", filter=_BOTH_ANSWERED),
    "sum_expectation": Sum("expectation", filter=_BOTH_ANSWERED),
    "sum_experience": Sum("experience", filter=_BOTH_ANSWERED),
    "sum_gap": Sum(_GAP, filter=_BOTH_ANSWERED),
    "sum_gap_squared": Sum(_GAP * _GAP, filter=_BOTH_ANSWERED),
    "csat_answered": Count("csat"),
    "csat_top2": Count("id", filter=Q(csat__gte=4)),
    "nps_answered": Count("nps"),
    "promoters": Count("id", filter=Q(nps__gte=9)),
    "detractors": Count("id", filter=Q(nps__lte=6)),
    "effort_answered": Count("effort"),
    "sum_effort": Sum("effort"),
    "comments": Count("id", filter=~Q(comment="")),
}
ROLLUP_FIELDS = [*RESPONSE_SUMS, "invitations_sent"]


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The start and end of a day in the site's time zone, as aware datetimes."""
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(day, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return start, end


def day_of(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


def rollups_recompute(keys: Iterable[tuple[int, dt.date]]) -> int:
    """Recompute the rollup rows of the given (touchpoint_id, day) keys; returns how many."""
    keys = sorted(set(keys))
    for start in range(0, len(keys), KEY_CHUNK):
        _recompute_chunk(keys[start : start + KEY_CHUNK])
    return len(keys)


def rollups_rebuild_all() -> int:
    """Recompute every rollup from scratch (used after bulk loads and by the demo seed)."""
    with transaction.atomic():
        TouchpointDailyScore.objects.all().delete()
        sums = _sums_by_key(Q(), Q())
        _upsert(sums)
    return len(sums)


def _recompute_chunk(keys: list[tuple[int, dt.date]]) -> None:
    response_filter, invitation_filter = Q(), Q()
    for touchpoint_id, day in keys:
        start, end = day_bounds(day)
        response_filter |= Q(
            touchpoint_id=touchpoint_id, submitted_at__gte=start, submitted_at__lt=end
        )
        invitation_filter |= Q(
            interaction__touchpoint_id=touchpoint_id, sent_at__gte=start, sent_at__lt=end
        )
    with transaction.atomic():
        _lock_keys(keys)
        sums = _sums_by_key(response_filter, invitation_filter)
        empty = [key for key in keys if key not in sums]
        _delete_keys(empty)
        _upsert(sums)


def _lock_keys(keys: list[tuple[int, dt.date]]) -> None:
    """Serialize recomputations of one key across workers (PostgreSQL only).

    Keys arrive sorted, so two workers locking overlapping chunks cannot deadlock.
    SQLite allows a single writer anyway.
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for touchpoint_id, day in keys:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s, %s)", [touchpoint_id % 2**31, day.toordinal()]
            )


def _sums_by_key(response_filter: Q, invitation_filter: Q) -> dict[tuple[int, dt.date], dict]:
    tz = timezone.get_current_timezone()
    sums: dict[tuple[int, dt.date], dict] = {}
    rows = (
        Response.objects.filter(response_filter)
        .annotate(day=TruncDate("submitted_at", tzinfo=tz))
        .values("touchpoint_id", "day")
        .annotate(**RESPONSE_SUMS)
        .order_by()
    )
    for row in rows:
        key = (row.pop("touchpoint_id"), row.pop("day"))
        sums[key] = {name: value or 0 for name, value in row.items()}
    sent = (
        Invitation.objects.filter(invitation_filter, sent_at__isnull=False)
        .annotate(day=TruncDate("sent_at", tzinfo=tz))
        .values("interaction__touchpoint_id", "day")
        .annotate(sent=Count("id"))
        .order_by()
    )
    for row in sent:
        key = (row["interaction__touchpoint_id"], row["day"])
        sums.setdefault(key, dict.fromkeys(RESPONSE_SUMS, 0))["invitations_sent"] = row["sent"]
    for values in sums.values():
        values.setdefault("invitations_sent", 0)
    return sums


def _delete_keys(keys: list[tuple[int, dt.date]]) -> None:
    if not keys:
        return
    condition = Q()
    for touchpoint_id, day in keys:
        condition |= Q(touchpoint_id=touchpoint_id, day=day)
    TouchpointDailyScore.objects.filter(condition).delete()


def _upsert(sums: dict[tuple[int, dt.date], dict]) -> None:
    now = timezone.now()
    rows = [
        TouchpointDailyScore(touchpoint_id=touchpoint_id, day=day, updated_at=now, **values)
        for (touchpoint_id, day), values in sums.items()
    ]
    TouchpointDailyScore.objects.bulk_create(
        rows,
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["touchpoint", "day"],
        update_fields=[*ROLLUP_FIELDS, "updated_at"],
    )


def rollups_differences() -> list[tuple[tuple[int, dt.date], dict | None, dict | None]]:
    """Keys whose stored rollup differs from a recomputation: (key, stored, expected)."""
    expected = _sums_by_key(Q(), Q())
    stored = {
        (row.pop("touchpoint_id"), row.pop("day")): row
        for row in TouchpointDailyScore.objects.values("touchpoint_id", "day", *ROLLUP_FIELDS)
    }
    return [
        (key, stored.get(key), expected.get(key))
        for key in sorted(expected.keys() | stored.keys())
        if stored.get(key) != expected.get(key)
    ]
