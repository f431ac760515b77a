"""Celery tasks: thin and idempotent; the work and its guarantees are in aggregation.py."""

from celery import shared_task
from django.core.cache import cache

from .aggregation import rollups_drain_all

# A burst of answers wakes one drain, not one task per answer: a wake-up is sent only when
# none was sent in the last WAKE_WINDOW seconds, and the drain starts after that window, so
# every dirty row committed inside the window is claimed by it (the beat drain catches the
# rest whatever happens to Redis).
WAKE_WINDOW = 1
WAKE_KEY = "rollups:drain-scheduled"


def drain_rollups_soon() -> None:
    if cache.add(WAKE_KEY, 1, timeout=WAKE_WINDOW):
        drain_rollups.apply_async(countdown=WAKE_WINDOW)


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def drain_rollups() -> int:
    """Recompute dirty rollups until none are left; returns the keys recomputed."""
    return rollups_drain_all()
