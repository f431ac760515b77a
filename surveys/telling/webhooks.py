"""Outbound webhooks: events told to the URLs CX managers register.

An event writes one WebhookDelivery per subscribed hook in the transaction that made the
event, so an event that happened is never lost and one that rolled back is never told.
After commit a worker is woken; beat sends whatever is left every minute. Each delivery is
a POST of JSON (Touchstone's own, or a chat message for a Slack or Teams hook: chat.py)
with:

    X-Touchstone-Event:      response.received
    X-Touchstone-Delivery:   a UUID, the same on every retry (receivers dedupe by it)
    X-Touchstone-Timestamp:  Unix seconds of this attempt
    X-Touchstone-Signature:  sha256=HMAC-SHA256(secret, "<timestamp>.<body>") in hex

A 2xx answer delivers it. Anything else, a timeout or a refused connection is retried
with backoff (1, 2, 4 ... minutes, at most 6 hours apart) up to MAX_ATTEMPTS, then the
delivery is marked failed. Delivery is at least once: a worker killed between the POST
and recording its answer sends it again.
"""

import datetime as dt
import hashlib
import hmac
import json
import logging
import secrets
import time
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.db.models import F, Q
from django.utils import timezone

from lib import outbox
from lib.prepared import ModelColumns, PreparedStatement
from surveys import enqueue
from surveys.models import (
    DeliveryStatus,
    Webhook,
    WebhookDelivery,
    WebhookEvent,
    WebhookFormat,
)
from surveys.telling import chat
from surveys.telling.webhook_targets import TIMEOUT_SECONDS, checked_target, post_to

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 10
BATCH = 50
# A claimed delivery is someone's for this long: a whole batch timing out, with room.
LEASE = dt.timedelta(seconds=2 * BATCH * TIMEOUT_SECONDS)
ERROR_CHARS = 500
HOOK_COLUMNS = ModelColumns((Webhook, "w", ("id", "events")))
ACTIVE_HOOKS = PreparedStatement(
    "touchstone_active_hooks",
    lambda: (
        f"SELECT {HOOK_COLUMNS.select_list()} "
        f"FROM {connection.ops.quote_name(Webhook._meta.db_table)} w WHERE w.is_active"
    ),
)


def new_secret() -> str:
    return secrets.token_hex(32)


def sign(secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"sha256={digest.hexdigest()}"


def emit(*events: tuple[str, dict], hooks: list[Webhook] | None = None) -> int:
    """Queue each (event, data) for every active hook (or each of `hooks`) that wants it,
    in the current transaction, reading the hooks once; wake the sender after commit.
    Returns the deliveries queued."""
    hooks = active_hooks() if hooks is None else hooks
    return _queue([(h, e, d) for e, d in events for h in hooks if e in h.events])


def active_hooks() -> list[Webhook]:
    """Their ids and events: read for every answer, so a statement planned once."""
    with connection.cursor() as cursor:
        ACTIVE_HOOKS.execute(cursor, {})
        return [HOOK_COLUMNS.instances(row)[0] for row in cursor.fetchall()]


def send_test(hook: Webhook) -> None:
    """A "ping" to one hook, whatever its events, to check the receiving end."""
    _queue([(hook, "ping", {"webhook": hook.pk, "events": hook.events})])


def _queue(wanted: list[tuple[Webhook, str, dict]]) -> int:
    if not wanted:
        return 0
    now = timezone.now()
    WebhookDelivery.objects.bulk_create(
        [
            WebhookDelivery(
                webhook=hook, event=event, payload=_payload(event, data, now), next_attempt_at=now
            )
            for hook, event, data in wanted
        ]
    )
    enqueue.wake_on_commit(enqueue.DELIVER_WEBHOOKS)
    return len(wanted)


def _payload(event: str, data: dict, now: dt.datetime) -> dict:
    """The body as it will be sent: plain JSON values (dates as ISO strings)."""
    return json.loads(
        json.dumps({"event": event, "occurred_at": now, "data": data}, cls=DjangoJSONEncoder)
    )


@dataclass
class SendReport:
    delivered: int = 0
    retrying: int = 0
    failed: int = 0


def deliver_due(now: dt.datetime | None = None, max_batches: int = 20) -> SendReport:
    """Send every due delivery, batch by batch."""
    report = SendReport()
    now = now or timezone.now()
    for _ in range(max_batches):
        claimed = _claim(now)
        if not claimed:
            break
        for delivery in claimed:
            _send(delivery, now, report)
    return report


def _claim(now: dt.datetime) -> list[WebhookDelivery]:
    due = WebhookDelivery.objects.filter(
        status__in=[DeliveryStatus.PENDING, DeliveryStatus.SENDING], next_attempt_at__lte=now
    )
    ids = outbox.claim(
        due,
        ["next_attempt_at", "pk"],
        BATCH,
        status=DeliveryStatus.SENDING,
        next_attempt_at=now + LEASE,  # the lease: due again if the sender dies
        attempts=F("attempts") + 1,
    )
    return list(WebhookDelivery.objects.filter(pk__in=ids).select_related("webhook").order_by("pk"))


def post(delivery: WebhookDelivery) -> int:
    """POST the signed payload to the hook's checked address (webhook_targets.py); returns
    the HTTP status, raises on no answer or a refused address."""
    target = checked_target(delivery.webhook.url)
    hook_format, payload = delivery.webhook.format, delivery.payload
    if hook_format != WebhookFormat.JSON:
        payload = chat.body(hook_format, delivery.event, payload)
    body = json.dumps(payload, separators=(",", ":")).encode()
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Touchstone-Webhooks/1",
        "X-Touchstone-Event": delivery.event,
        "X-Touchstone-Delivery": str(delivery.delivery_id),
        "X-Touchstone-Timestamp": str(timestamp),
        "X-Touchstone-Signature": sign(delivery.webhook.secret, timestamp, body),
    }
    return post_to(target, body, headers)


def _send(delivery: WebhookDelivery, now: dt.datetime, report: SendReport) -> None:
    try:
        code, error = post(delivery), ""
    except Exception as unreachable:  # refused, timed out, no HTTP at the port, a bad URL
        # Whatever went wrong went wrong for this delivery alone: it is retried with
        # backoff, then given up, and the batch goes on.
        code, error = None, f"{type(unreachable).__name__}: {unreachable}"
    done = Q(pk=delivery.pk, status=DeliveryStatus.SENDING)
    if code is not None and 200 <= code < 300:
        WebhookDelivery.objects.filter(done).update(
            status=DeliveryStatus.DELIVERED, response_status=code, last_error="", delivered_at=now
        )
        report.delivered += 1
        return
    error = error or f"HTTP {code}"
    last = delivery.attempts >= MAX_ATTEMPTS
    WebhookDelivery.objects.filter(done).update(
        status=DeliveryStatus.FAILED if last else DeliveryStatus.PENDING,
        response_status=code,
        last_error=error[:ERROR_CHARS],
        next_attempt_at=now + outbox.backoff(delivery.attempts),
    )
    log.warning("Webhook %s to %s: %s", delivery.event, delivery.webhook.url, error)
    if last:
        report.failed += 1
    else:
        report.retrying += 1


# --- The events ----------------------------------------------------------------------------


def answer_event_names(response, opens_follow_up: bool) -> list[str]:
    """What an answer tells: it was received, a detractor's, and the follow-up it opened."""
    names = [WebhookEvent.RESPONSE_RECEIVED]
    if response.is_detractor:
        names.append(WebhookEvent.DETRACTOR)
    if opens_follow_up:
        names.append(WebhookEvent.FOLLOW_UP_OPENED)
    return names


def hooks_told_of_answer(
    response, opens_follow_up: bool, active: list[Webhook] | None = None
) -> list[Webhook]:
    """Of the `active` hooks (read now if not given), those the answer tells: read before
    the answer is written, since one that tells no hook needs no transaction."""
    names = answer_event_names(response, opens_follow_up)
    active = active_hooks() if active is None else active
    return [hook for hook in active if any(name in hook.events for name in names)]


def answer_events(response, follow_up=None, hooks: list[Webhook] | None = None) -> None:
    """Queue the answer's events (answer_event_names) for the active hooks, or `hooks`."""
    data = {
        "response": response.pk,
        "touchpoint": response.touchpoint_id,
        "submitted_at": response.submitted_at,
        "expectation": response.expectation,
        "experience": response.experience,
        "gap": response.gap,
        "csat": response.csat,
        "nps": response.nps,
        "effort": response.effort,
        "comment": response.comment,
    }
    opened = follow_up and {
        "follow_up": follow_up.pk,
        "response": response.pk,
        "touchpoint": response.touchpoint_id,
        "reason": follow_up.reason,
        "assigned_to": follow_up.assigned_to_id,
    }
    names = answer_event_names(response, opens_follow_up=follow_up is not None)
    events = [(n, opened if n == WebhookEvent.FOLLOW_UP_OPENED else data) for n in names]
    emit(*events, hooks=hooks)


def follow_up_overdue(follow_up) -> None:
    emit(
        (
            WebhookEvent.FOLLOW_UP_OVERDUE,
            {
                "follow_up": follow_up.pk,
                "response": follow_up.response_id,
                "touchpoint": follow_up.response.touchpoint_id,
                "reason": follow_up.reason,
                "assigned_to": follow_up.assigned_to_id,
                "due_at": follow_up.due_at,
            },
        )
    )


def standard_breached(alert) -> None:
    emit(
        (
            WebhookEvent.STANDARD_BREACHED,
            {
                "alert": alert.pk,
                "touchpoint": alert.touchpoint_id,
                "window_start": alert.window_start,
                "window_end": alert.window_end,
                "measured": alert.measured,
                "met": alert.met,
            },
        )
    )


def complaint_received(complaint) -> None:
    emit(
        (
            WebhookEvent.COMPLAINT_RECEIVED,
            {
                "complaint": complaint.pk,
                "touchpoint": complaint.touchpoint_id,
                "source": complaint.source,
                "received_at": complaint.received_at,
                "text": complaint.text,
            },
        )
    )
