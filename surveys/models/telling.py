"""Telling others: standard alerts, webhooks and the heads' weekly digest."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from surveys.models.counting import ScoreQuerySet
from touchpoints.models import Touchpoint


class StandardAlert(models.Model):
    """A touchpoint's service standards fell below the alert threshold in one window: at
    most one per (touchpoint, window), its email claimed by notified_at before sending."""

    touchpoint = models.ForeignKey(Touchpoint, on_delete=models.CASCADE, related_name="+")
    window_start = models.DateField()
    window_end = models.DateField()
    measured = models.PositiveIntegerField()
    met = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    notified_at = models.DateTimeField(null=True, blank=True)

    objects = ScoreQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["touchpoint", "window_start"], name="standard_alert_once_per_window"
            ),
        ]

    def __str__(self):
        return f"{self.touchpoint}: standards met {self.percent:.0f}% from {self.window_start}"

    @property
    def percent(self) -> float:
        return 100 * self.met / self.measured if self.measured else 0.0


class WebhookEvent(models.TextChoices):
    RESPONSE_RECEIVED = "response.received", "Response received"
    DETRACTOR = "response.detractor", "Detractor (NPS 0-6)"
    FOLLOW_UP_OPENED = "follow_up.opened", "Follow-up opened"
    FOLLOW_UP_OVERDUE = (
        "follow_up.overdue",
        "Follow-up overdue (nobody contacted the customer in time)",
    )
    STANDARD_BREACHED = "standard.breached", "Service standard breached"
    COMPLAINT_RECEIVED = "complaint.received", "Complaint received"


class WebhookFormat(models.TextChoices):
    """What a delivery's body is: Touchstone's signed JSON for programs, or a readable
    message for a chat channel's incoming webhook."""

    JSON = "json", "Signed JSON, for your own systems"
    SLACK = "slack", "Slack incoming webhook"
    TEAMS = "teams", "Microsoft Teams workflow webhook"


class Webhook(models.Model):
    """A URL told of events as they happen (surveys/telling/webhooks.py), each delivery signed with
    the hook's secret."""

    url = models.URLField(max_length=500)
    events = models.JSONField(default=list)
    format = models.CharField(
        max_length=8, choices=WebhookFormat.choices, default=WebhookFormat.JSON
    )
    description = models.CharField(max_length=160, blank=True)
    secret = models.CharField(max_length=64, editable=False)
    is_active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["url", "pk"]

    def __str__(self):
        return self.url


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SENDING = "sending", "Sending"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed"


class WebhookDelivery(models.Model):
    """One event for one hook: written in the same transaction as the event (an outbox:
    nothing is lost), sent by the worker, retried with backoff, kept as the log."""

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=40)
    delivery_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    payload = models.JSONField()
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status__in=["pending", "sending"]),
                name="webhook_delivery_due",
            )
        ]

    def __str__(self):
        return f"{self.event} to {self.webhook_id} ({self.status})"


class DigestSent(models.Model):
    """One head's weekly digest for one week: claimed before the email is sent, so a job run
    twice (or by two workers) sends it once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    week_start = models.DateField()  # the Monday of the week it covers
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "week_start"], name="digest_once_a_week"),
        ]

    def __str__(self):
        return f"Digest for user {self.user_id}, week of {self.week_start}"


class DigestOptOut(models.Model):
    """A head who asked for no weekly digest (from the link in one)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_opt_out"
    )
    at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"No digest for user {self.user_id}"
