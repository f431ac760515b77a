"""The paths customers really take, from their interactions, counted for the Sankey chart.

A customer's path is their interactions in time order; a gap longer than PATH_GAP starts a
new path. Each step either leads to the next touchpoint, or ends the path: the customer
walked away (an abandoned or lost outcome) or simply had no further interaction. Steps past
MAX_STEPS are not counted: the chart shows how paths start and where they break off.

Rebuilt whole by a nightly beat job, one read of the interactions in customer order; the
dashboards read the counted rows only.
"""

import datetime as dt
from collections import Counter

from django.db import transaction
from django.utils import timezone

from surveys.models import PathEnd, PathTransition
from touchpoints.models import WALKED_AWAY_OUTCOMES, Audience, Interaction

PATH_GAP = dt.timedelta(days=30)
MAX_STEPS = 6


def count_transitions(rows) -> Counter:
    """rows: (customer, touchpoint, outcome, occurred_at) ordered by customer and time.
    Returns Counter of (month, step, source, target, ended)."""
    counts: Counter = Counter()
    previous = None  # (customer, touchpoint, outcome, occurred_at, step)
    for customer, touchpoint, outcome, occurred_at in rows:
        step = 1
        if previous is not None:
            p_customer, p_touchpoint, p_outcome, p_at, p_step = previous
            same_path = (
                p_customer == customer
                and occurred_at - p_at <= PATH_GAP
                and p_outcome not in WALKED_AWAY_OUTCOMES
            )
            if same_path:
                step = p_step + 1
                _count(counts, p_at, p_step, p_touchpoint, touchpoint, PathEnd.CONTINUED)
            else:
                _end(counts, previous)
        previous = (customer, touchpoint, outcome, occurred_at, step)
    if previous is not None:
        _end(counts, previous)
    return counts


def _end(counts, previous):
    _customer, touchpoint, outcome, occurred_at, step = previous
    ended = PathEnd.DROPPED if outcome in WALKED_AWAY_OUTCOMES else PathEnd.STOPPED
    _count(counts, occurred_at, step, touchpoint, None, ended)


def _count(counts, occurred_at, step, source, target, ended):
    if step <= MAX_STEPS:
        month = timezone.localtime(occurred_at).date().replace(day=1)
        counts[(month, step, source, target, str(ended))] += 1


def rebuild_paths() -> int:
    """Recount every path from the interactions; returns the rows written."""
    rows = (
        # Customers' paths: the staff pulse's internal touchpoints are not part of them.
        Interaction.objects.filter(touchpoint__audience=Audience.CUSTOMER)
        .order_by("customer_id", "occurred_at", "pk")
        .values_list("customer_id", "touchpoint_id", "outcome", "occurred_at")
        .iterator(chunk_size=10_000)
    )
    counts = count_transitions(rows)
    with transaction.atomic():
        PathTransition.objects.all().delete()
        PathTransition.objects.bulk_create(
            (
                PathTransition(
                    month=month, step=step, source_id=source, target_id=target,
                    ended=ended, count=count,
                )
                for (month, step, source, target, ended), count in counts.items()
            ),
            batch_size=5_000,
        )  # fmt: skip
    return len(counts)
