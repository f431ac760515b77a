"""Work handed to the Celery workers once the transaction that made it commits.

Services ask here and name tasks by their registered names, so nothing imports the tasks
module (surveys/tasks.py): it only adapts services to Celery, and importing it from a
service would close an import circle. The tasks are registered when the app is ready
(surveys/apps.py).

A burst of answers wakes one drain, not one task per answer: a wake-up is sent only when
none was sent in the last WAKE_WINDOW seconds, and the drain starts after that window, so
every dirty row committed inside the window is claimed by it (the beat drain catches the
rest whatever happens to Redis). Invitations and webhook deliveries that are due at once
wake their sender the same way.

A drain that found work schedules the next itself (`schedule`). While it runs it marks
the key as running (`mark_running`), so the answers meanwhile wake no other: they rely
on its next run. Otherwise each wake-up during a run would start a second chain of runs,
one more with every such wake-up, and a busy hour would end with several drains a second
where one a window does the same work.
"""

import logging
import math
import time

from celery import current_app
from django.core.cache import cache
from django.db import transaction

log = logging.getLogger(__name__)

DRAIN_ROLLUPS = "surveys.tasks.drain_rollups"
DELIVER_INVITATIONS = "surveys.tasks.deliver_invitations"
DELIVER_WEBHOOKS = "surveys.tasks.deliver_webhooks"
NOTIFY_FOLLOW_UP = "surveys.tasks.notify_follow_up"
NOTIFY_ASSIGNEE = "surveys.tasks.notify_assignee"
NOTIFY_STANDARD_ALERT = "surveys.tasks.notify_standard_alert"
SCORE_RESPONSE_SENTIMENT = "surveys.tasks.score_response_sentiment"
SCORE_COMPLAINT_SENTIMENT = "surveys.tasks.score_complaint_sentiment"

WAKE_WINDOW = 1
# A run that died leaves its running mark this long at most; the beat's drain meanwhile.
RUNNING_MARK_SECONDS = 60
# Clocks of the web and worker machines may differ by up to this much (seconds).
CLOCK_MARGIN = 0.25
WAKE_KEYS = {
    DRAIN_ROLLUPS: "rollups:drain-scheduled",
    DELIVER_INVITATIONS: "invitations:delivery-scheduled",
    DELIVER_WEBHOOKS: "webhooks:delivery-scheduled",
}


def task(name: str):
    return current_app.tasks[name]


def on_commit(name: str, *args) -> None:
    """Run the task with these arguments after the commit; best effort: each caller's work
    is durable without it, and a nightly or beat job catches up on what a lost task left."""
    transaction.on_commit(lambda: _send(name, args))


def _send(name: str, args: tuple) -> None:
    try:
        task(name).apply_async(args)
    except Exception:  # the broker is down; see on_commit
        log.warning("Could not queue %s%s", name, args, exc_info=True)


def wake_on_commit(name: str) -> None:
    """Wake the sender or drain `name` after the commit, once a window (see above)."""
    transaction.on_commit(lambda: wake(name))


# This process's knowledge of each key: until when (Unix time) a scheduled run is known to
# start later than what is committed now, so a wake-up would add nothing. A busy web
# process asks Redis about once a window instead of once an answer.
_covered_until: dict[str, float] = {}


def wake(name: str) -> None:
    """Best effort: the work is already durable in the database, so with Redis down the
    request still succeeds and the beat run picks the work up.

    The key holds when the scheduled run starts: whoever finds it knows the run will see
    what they committed before then."""
    woken = task(name)
    if woken.app.conf.task_always_eager:
        # The embedded default runs the task here and now, seeing all that is committed:
        # there is no later run to wait for, and no beat to catch what a window skipped.
        woken.apply_async()
        return
    key, now = WAKE_KEYS[name], time.time()
    if now < _covered_until.get(key, 0.0):
        return
    try:
        starts = now + WAKE_WINDOW
        if cache.add(key, starts, timeout=WAKE_WINDOW):
            woken.apply_async(countdown=WAKE_WINDOW)
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
        log.warning("Could not wake %s; the next beat run will do it", name, exc_info=True)


def _scheduled_later(key: str, now: float) -> bool:
    """Whether the key holds a run that has yet to start."""
    starts = cache.get(key)
    return starts is not None and float(starts) > now


def mark_running(name: str) -> None:
    """A run of `name` has started: the wake-ups from now on find it and send none (they
    find its start past, and rely on its next run). A run already scheduled later keeps
    the key."""
    key, now = WAKE_KEYS[name], time.time()
    try:
        if not _scheduled_later(key, now):
            cache.set(key, now, timeout=RUNNING_MARK_SECONDS)
    except Exception:  # as in wake: the wake-ups then send runs of their own
        log.warning("Could not mark %s running", name, exc_info=True)


def schedule(name: str, seconds: float) -> None:
    """Run `name` in `seconds`, the wake-ups meanwhile finding it scheduled; not if a run is
    scheduled already (woken before this one marked itself running): it sees the same
    work."""
    scheduled = task(name)
    if scheduled.app.conf.task_always_eager:
        scheduled.apply_async()  # here and now, as wake runs it
        return
    key, now = WAKE_KEYS[name], time.time()
    try:
        if _scheduled_later(key, now):
            return
        if seconds >= WAKE_WINDOW:
            cache.set(key, now + seconds, timeout=math.ceil(seconds))
        scheduled.apply_async(countdown=seconds)
    except Exception:  # as in wake: the beat run drains what is left
        log.warning("Could not schedule %s; the next beat run will do it", name, exc_info=True)


def done(name: str) -> None:
    """A run that found nothing: the next commit wakes a run again. A run scheduled later
    keeps the key."""
    key = WAKE_KEYS[name]
    try:
        if not _scheduled_later(key, time.time()):
            cache.delete(key)
    except Exception:  # the mark expires by itself
        log.warning("Could not clear %s's running mark", name, exc_info=True)


def forget_wake_ups() -> None:
    """For tests, whose every case starts with an empty cache."""
    _covered_until.clear()
