"""Celery tasks: thin, idempotent, taking keys and re-reading the database."""

import datetime as dt

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from .aggregation import day_of, rollups_recompute
from .models import Response


@shared_task(acks_late=True, max_retries=5, autoretry_for=(OSError,), retry_backoff=True)
def recompute_rollups(keys: list[list]) -> int:
    """Recompute rollups for [touchpoint_id, "YYYY-MM-DD"] keys (JSON-serializable)."""
    return rollups_recompute((int(tp), dt.date.fromisoformat(day)) for tp, day in keys)


def enqueue_rollups_on_commit(keys) -> None:
    """Ask a worker to recompute these keys once the current transaction commits."""
    payload = sorted({(int(tp), day.isoformat()) for tp, day in keys})
    if payload:
        transaction.on_commit(lambda: recompute_rollups.delay([list(key) for key in payload]))


@shared_task(acks_late=True)
def sweep_rollups(hours: int = 48) -> int:
    """Recompute the keys of recent answers: catches any enqueue lost with a broker outage."""
    since = timezone.now() - dt.timedelta(hours=hours)
    keys = {
        (touchpoint_id, day_of(submitted_at))
        for touchpoint_id, submitted_at in Response.objects.filter(
            submitted_at__gte=since
        ).values_list("touchpoint_id", "submitted_at")
    }
    return rollups_recompute(keys)
