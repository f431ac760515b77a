"""Closing the loop: the follow-ups an answer opens, and what people did about them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from surveys.models.asking import Response
from touchpoints.models import ScopedQuerySet, Staff, Touchpoint
from touchpoints.roles import Role, role_of


class FollowUpReason(models.TextChoices):
    DETRACTOR = "detractor", "Detractor"
    LARGE_GAP = "large_gap", "Large gap"


class FollowUpStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"


class FollowUpQuerySet(ScopedQuerySet):
    department_path = "response__touchpoint__department"

    def for_user(self, user):
        # Front-line staff work the customers assigned to them, and see no one else's.
        if role_of(user) == Role.STAFF:
            return self.filter(assigned_to__user=user)
        return super().for_user(user)

    def not_done(self):
        return self.exclude(status=FollowUpStatus.DONE)

    def overdue(self, now=None):
        """Not contacted, and past the time the customer should have been contacted by."""
        return self.not_done().filter(
            first_contact_at__isnull=True, due_at__lt=now or timezone.now()
        )


class FollowUp(models.Model):
    """A customer to call back, assigned to the person they already know."""

    response = models.OneToOneField(Response, on_delete=models.CASCADE, related_name="follow_up")
    # The answer's touchpoint and day, kept here so that a day's loop figures are counted
    # from this table alone (TouchpointDailyLoop); filled from the answer on save.
    touchpoint = models.ForeignKey(Touchpoint, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    reason = models.CharField(max_length=10, choices=FollowUpReason.choices)
    assigned_to = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.SET_NULL, related_name="follow_ups"
    )
    status = models.CharField(
        max_length=12, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN
    )
    notes = models.TextField(blank=True, help_text="How it was resolved.")
    created_at = models.DateTimeField(default=timezone.now)
    # First contact is due by then (the touchpoint's follow_up_within after opening).
    due_at = models.DateTimeField(null=True, blank=True)
    first_contact_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # When the department's heads were emailed; claimed before sending, so a task run
    # twice sends one email.
    notified_at = models.DateTimeField(null=True, blank=True)
    # When the heads were told it is overdue: once, claimed the same way.
    escalated_at = models.DateTimeField(null=True, blank=True)

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["touchpoint", "day"], name="follow_up_tp_day"),
            # The escalation sweep: open, not yet contacted, by due time.
            models.Index(
                fields=["due_at"],
                condition=Q(first_contact_at__isnull=True, escalated_at__isnull=True)
                & ~Q(status="done"),
                name="follow_up_awaiting_contact",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(status=FollowUpStatus.DONE) & Q(closed_at__isnull=False))
                | (~Q(status=FollowUpStatus.DONE) & Q(closed_at__isnull=True)),
                name="follow_up_closed_at_iff_done",
            ),
        ]

    def __str__(self):
        return f"Follow-up ({self.get_reason_display()}) on {self.response.touchpoint}"

    def save(self, *args, **kwargs):
        if self.day is None:
            self.touchpoint_id, self.day = self.response.touchpoint_id, self.response.day
        super().save(*args, **kwargs)

    def is_overdue(self, now=None) -> bool:
        return (
            self.status != FollowUpStatus.DONE
            and self.first_contact_at is None
            and self.due_at is not None
            and self.due_at < (now or timezone.now())
        )

    def contacted_in_time(self) -> bool | None:
        """Whether the first contact came by the due time; None while there is none and time
        remains, or when no due time was set."""
        if self.due_at is None:
            return None
        if self.first_contact_at is None:
            return False if self.is_overdue() else None
        return self.first_contact_at <= self.due_at


class FollowUpAction(models.TextChoices):
    CONTACT = "contact", "Contact attempt"
    ASSIGNED = "assigned", "Assigned"
    RESOLVED = "resolved", "Resolved"
    REOPENED = "reopened", "Reopened"
    ESCALATED = "escalated", "Escalated as overdue"


class ContactChannel(models.TextChoices):
    PHONE = "phone", "Phone"
    EMAIL = "email", "Email"
    IN_PERSON = "in_person", "In person"
    TEXT = "text", "Text message"
    OTHER = "other", "Other"


class ContactOutcome(models.TextChoices):
    REACHED = "reached", "Reached"
    NO_ANSWER = "no_answer", "No answer"
    LEFT_MESSAGE = "left_message", "Left a message"


class FollowUpEvent(models.Model):
    """One step in a follow-up's history: who did what, when."""

    follow_up = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=10, choices=FollowUpAction.choices)
    at = models.DateTimeField(default=timezone.now)
    # Null for what Touchstone did itself (an escalation), or a removed user.
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    channel = models.CharField(max_length=10, choices=ContactChannel.choices, blank=True)
    outcome = models.CharField(max_length=12, choices=ContactOutcome.choices, blank=True)
    assigned_to = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(action=FollowUpAction.CONTACT) | (~Q(channel="") & ~Q(outcome="")),
                name="follow_up_contact_has_channel_and_outcome",
            ),
        ]

    def __str__(self):
        return f"{self.get_action_display()} at {self.at:%Y-%m-%d %H:%M}"
