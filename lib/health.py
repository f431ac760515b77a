"""/healthz: can this instance serve, and is the background machinery alive?

- database: a query answers;
- redis: the cache answers (when REDIS_URL is set);
- workers: the heartbeat task that beat schedules every minute was last run by a worker
  less than HEARTBEAT_STALE ago. A stale heartbeat means the beat or every worker is down.
In the embedded mode (no Redis, tasks run in the web process) there is nothing to check
beyond the database. The answer is 200 when everything is up, else 503; it names only the
checks, nothing about the data.
"""

import datetime as dt

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_redis import get_redis_connection

HEARTBEAT_KEY = "touchstone:heartbeat"
HEARTBEAT_STALE = dt.timedelta(minutes=3)


def beat() -> str:
    """Record that a worker ran the beat's heartbeat just now."""
    now = timezone.now().isoformat()
    cache.set(HEARTBEAT_KEY, now, timeout=None)
    return now


def _database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return "ok"


def _redis() -> str:
    if not settings.REDIS_URL:
        return "not used"
    # The cache forgives an outage; the check must not.
    get_redis_connection("default").ping()
    return "ok"


def _workers() -> str:
    if not settings.REDIS_URL:
        return "not used"
    last = cache.get(HEARTBEAT_KEY)
    if last is None:
        return "no heartbeat yet"
    age = timezone.now() - dt.datetime.fromisoformat(last)
    return "ok" if age < HEARTBEAT_STALE else f"last heartbeat {int(age.total_seconds())} s ago"


CHECKS = {"database": _database, "redis": _redis, "workers": _workers}


@never_cache
@require_GET
def healthz(request):
    results = {}
    for name, check in CHECKS.items():
        try:
            results[name] = check()
        except Exception as error:  # any failure of the service is the answer here
            results[name] = f"failing: {type(error).__name__}"
    healthy = all(value in ("ok", "not used") for value in results.values())
    return JsonResponse(
        {"status": "ok" if healthy else "failing", **results}, status=200 if healthy else 503
    )
