"""Outbox rows claimed by one sender at a time, and retried with backoff.

A sender claims a batch in a short transaction: SELECT ... FOR UPDATE SKIP LOCKED picks
due rows that no other sender is claiming at that moment, and one UPDATE marks them the
sender's (typically: SENDING until a lease ends, one more attempt). A sender that dies
leaves rows whose lease runs out, and the query of due rows finds them again. Failures
are retried after pauses that double, up to a longest one.
"""

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.db.models import QuerySet


def claim(due: QuerySet, order: Sequence[str], batch: int, **mark) -> list[int]:
    """Ids of up to `batch` rows of `due` (in `order`), now marked with `mark`."""
    with transaction.atomic():
        ids = list(
            due.select_for_update(skip_locked=True)
            .order_by(*order)
            .values_list("pk", flat=True)[:batch]
        )
        if ids:
            due.model.objects.filter(pk__in=ids).update(**mark)
    return ids


def backoff(
    attempts: int,
    first: dt.timedelta = dt.timedelta(minutes=1),
    longest: dt.timedelta = dt.timedelta(hours=6),
) -> dt.timedelta:
    """The pause after the attempts made so far: first, twice that, ... at most longest."""
    return min(first * 2 ** max(attempts - 1, 0), longest)
