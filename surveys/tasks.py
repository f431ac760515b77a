"""Celery tasks: thin and idempotent; the work and its guarantees are in aggregation.py
(rollups) and delivery.py (emails)."""

import logging
import math
import time

from celery import shared_task
from django.core.cache import cache

from surveys import privacy
from surveys.asking import pulse
from surveys.asking.delivery import deliver
from surveys.counting import paths
from surveys.counting.aggregation import rollups_drain
from surveys.said import sentiment, theming
from surveys.telling import alerts, webhooks
from surveys.telling.notifications import notify_heads

# A burst of answers wakes one drain, not one task per answer: a wake-up is sent only when
# none was sent in the last WAKE_WINDOW seconds, and the drain starts after that window, so
# every dirty row committed inside the window is claimed by it (the beat drain catches the
# rest whatever happens to Redis). Invitations that are due at once wake delivery the same way.
log = logging.getLogger(__name__)

WAKE_WINDOW = 1
# A day's recount grows with the day (answers are added, but invitations sent and other
# changes recount it): with changes every second, drains back to back would take a core.
# A drain that took T seconds is followed by the next DRAIN_DUTY * T later, so draining
# takes at most 1 / (1 + DRAIN_DUTY) of the time.
DRAIN_DUTY = 4
# Clocks of the web and worker machines may differ by up to this much (seconds).
CLOCK_MARGIN = 0.25
WAKE_KEY = "rollups:drain-scheduled"
DELIVERY_WAKE_KEY = "invitations:delivery-scheduled"
WEBHOOK_WAKE_KEY = "webhooks:delivery-scheduled"


def drain_rollups_soon() -> None:
    _wake(WAKE_KEY, drain_rollups)


def deliver_invitations_soon() -> None:
    _wake(DELIVERY_WAKE_KEY, deliver_invitations)


def deliver_webhooks_soon() -> None:
    _wake(WEBHOOK_WAKE_KEY, deliver_webhooks)


# This process's knowledge of each key: until when (Unix time) a scheduled run is known to
# start later than what is committed now, so a wake-up would add nothing. A busy web
# process asks Redis about once a window instead of once an answer.
_covered_until: dict[str, float] = {}


def _wake(key: str, task) -> None:
    """Best effort, after commit: the work is already durable in the database, so with
    Redis down the request still succeeds and the beat run picks the work up.

    The key holds when the scheduled run starts: whoever finds it knows the run will see
    what they committed before then."""
    if task.app.conf.task_always_eager:
        # The embedded default runs the task here and now, seeing all that is committed:
        # there is no later run to wait for, and no beat to catch what a window skipped.
        task.apply_async()
        return
    now = time.time()
    if now < _covered_until.get(key, 0.0):
        return
    try:
        starts = now + WAKE_WINDOW
        if cache.add(key, starts, timeout=WAKE_WINDOW):
            task.apply_async(countdown=WAKE_WINDOW)
        else:
            starts = cache.get(key) or 0.0
        covered = float(starts) - CLOCK_MARGIN
        if covered <= now:
            # The run found is about to start and may miss this commit, but its key stays
            # at least until then: asking sooner would only find it again, on every answer.
            # Ask a margin later; the run meanwhile reschedules itself if it finds work.
            covered = now + CLOCK_MARGIN
        _covered_until[key] = covered
    except Exception:  # any broker or cache failure; the outbox rows wait for the beat
        log.warning("Could not wake %s; the next beat run will do it", task.name, exc_info=True)


def forget_wake_ups() -> None:
    """For tests, whose every case starts with an empty cache."""
    _covered_until.clear()


def _schedule(key: str, task, seconds: float) -> None:
    """Run `task` in `seconds`, the wake-ups meanwhile finding it scheduled."""
    try:
        if seconds >= WAKE_WINDOW:
            cache.set(key, time.time() + seconds, timeout=math.ceil(seconds))
        task.apply_async(countdown=seconds)
    except Exception:  # as in _wake: the beat run drains what is left
        log.warning("Could not schedule %s; the next beat run will do it", task.name, exc_info=True)


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def drain_rollups() -> int:
    """Recompute a batch of dirty rollups; returns the keys recomputed. While there was
    work, another run follows: at once for a backlog, else after a pause in proportion
    to this run (see DRAIN_DUTY), which the answers meanwhile find scheduled."""
    started = time.monotonic()
    drained = rollups_drain()
    if drained.keys:
        took = time.monotonic() - started
        pause = 0 if drained.backlog else max(WAKE_WINDOW, DRAIN_DUTY * took)
        _schedule(WAKE_KEY, drain_rollups, pause)
    return drained.keys


@shared_task(acks_late=True)
def deliver_invitations() -> dict:
    """Send due invitations and reminders, expire old links (beat, every minute)."""
    report = deliver()
    return {"sent": report.sent, "reminded": report.reminded, "retrying": report.retrying}


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=8)
def notify_follow_up(follow_up_id: int) -> bool:
    """Email the department's heads about a new follow-up (once)."""
    return notify_heads(follow_up_id)


@shared_task(acks_late=True)
def rebuild_paths() -> int:
    """Recount the paths customers really take (beat, nightly)."""
    return paths.rebuild_paths()


@shared_task(acks_late=True)
def check_standards() -> int:
    """Open alerts for touchpoints below their standards (beat, hourly); email each once."""
    opened = alerts.check_standards()
    for alert in opened:
        notify_standard_alert.delay(alert.pk)
    return len(opened)


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=8)
def notify_standard_alert(alert_id: int) -> bool:
    return alerts.notify_alert(alert_id)


@shared_task(acks_late=True)
def send_pulse() -> int:
    """Ask staff about their internal touchpoints (beat, monthly); returns people asked."""
    return pulse.send_pulse().asked


@shared_task(acks_late=True)
def score_response_sentiment(response_id: int) -> float | None:
    return sentiment.score_response(response_id)


@shared_task(acks_late=True)
def score_complaint_sentiment(complaint_id: int) -> float | None:
    return sentiment.score_complaint(complaint_id)


@shared_task(acks_late=True)
def score_unscored_comments() -> int:
    """Catch up on comments whose sentiment task was lost (beat, nightly)."""
    return sentiment.score_unscored()


@shared_task(acks_late=True)
def deliver_webhooks() -> dict:
    """Send due webhook deliveries and retries (woken by events; beat, every minute)."""
    return vars(webhooks.deliver_due())


@shared_task(acks_late=True)
def refresh_themes() -> dict:
    """Fit or extend each touchpoint's themes (beat, nightly). One run at a time: a second
    would only redo the same work."""
    if not cache.add("themes:refreshing", 1, timeout=6 * 3600):
        return {"skipped": True}
    try:
        report = theming.refresh_themes()
    finally:
        cache.delete("themes:refreshing")
    return {"fitted": report.fitted, "placed": report.placed, "themes": report.themes}


@shared_task
def heartbeat() -> str:
    """Beat schedules it every minute; a worker running it shows on /healthz."""
    from lib.health import beat

    return beat()


@shared_task(acks_late=True)
def purge_expired() -> dict:
    """Drop raw words and personal data past RETENTION_DAYS (beat, nightly)."""
    from django.conf import settings

    return vars(privacy.purge_expired(settings.TOUCHSTONE_RETENTION_DAYS))
