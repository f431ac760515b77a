"""Celery tasks: thin, idempotent adapters of the services, which nothing imports (services
enqueue them by name through surveys/enqueue.py). The work and its guarantees are in the
services: aggregation.py (rollups), delivery.py (emails), webhooks.py, and so on."""

import time

from celery import shared_task
from django.conf import settings
from django.core.cache import cache

from lib.health import beat
from surveys import enqueue, privacy
from surveys.asking import pulse
from surveys.asking.delivery import deliver
from surveys.counting import paths
from surveys.counting.aggregation import rollups_drain
from surveys.digest import weekly
from surveys.follow_ups import services as follow_up_services
from surveys.said import sentiment, theming
from surveys.telling import alerts, notifications, webhooks

# A day's recount grows with the day (answers are added, but invitations sent and other
# changes recount it): with changes every second, drains back to back would take a core.
# A drain that took T seconds is followed by the next DRAIN_DUTY * T later, so draining
# takes at most 1 / (1 + DRAIN_DUTY) of the time.
DRAIN_DUTY = 4


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def drain_rollups() -> int:
    """Recompute a batch of dirty rollups; returns the keys recomputed. While there was
    work, another run follows: at once for a backlog, else after a pause in proportion
    to this run (see DRAIN_DUTY), which the answers meanwhile find scheduled."""
    enqueue.mark_running(enqueue.DRAIN_ROLLUPS)
    started = time.monotonic()
    drained = rollups_drain()
    if drained.keys:
        took = time.monotonic() - started
        pause = 0 if drained.backlog else max(enqueue.WAKE_WINDOW, DRAIN_DUTY * took)
        enqueue.schedule(enqueue.DRAIN_ROLLUPS, pause)
    else:
        enqueue.done(enqueue.DRAIN_ROLLUPS)
    return drained.keys


@shared_task(acks_late=True)
def deliver_invitations() -> dict:
    """Send due invitations and reminders, expire old links (beat, every minute)."""
    report = deliver()
    return {"sent": report.sent, "reminded": report.reminded, "retrying": report.retrying}


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=8)
def notify_follow_up(follow_up_id: int) -> bool:
    """Email the department's heads about a new follow-up (once)."""
    return notifications.notify_heads(follow_up_id)


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=8)
def notify_assignee(follow_up_id: int) -> bool:
    """Email the person a follow-up was assigned to."""
    return notifications.notify_assignee(follow_up_id)


@shared_task(acks_late=True)
def escalate_overdue_follow_ups() -> int:
    """Tell the heads of follow-ups nobody contacted in time (beat, every five minutes)."""
    return follow_up_services.escalate_overdue()


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
    return beat()


@shared_task(acks_late=True)
def purge_expired() -> dict:
    """Drop raw words and personal data past RETENTION_DAYS (beat, nightly)."""
    return vars(privacy.purge_expired(settings.TOUCHSTONE_RETENTION_DAYS))


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=8)
def send_weekly_digests() -> int:
    """Monday morning: each department head's last week (sent once per head and week)."""
    return weekly.send_weekly_digests()
