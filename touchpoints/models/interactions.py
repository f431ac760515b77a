"""Interactions: a customer met a touchpoint, when, with whom, how fast, with what outcome."""

from django.db import models
from django.utils import timezone

from touchpoints.models.customers import Customer
from touchpoints.models.organisation import Staff, Touchpoint
from touchpoints.models.scoping import ScopedQuerySet


def local_day(moment, zone=None):
    """The day a moment falls on in the site's time zone: how facts and answers are bucketed.
    A caller bucketing many passes the zone, read once."""
    return timezone.localtime(moment, zone).date()


class Outcome(models.TextChoices):
    RESOLVED = "resolved", "Resolved"
    UNRESOLVED = "unresolved", "Unresolved"
    ESCALATED = "escalated", "Escalated"
    ABANDONED = "abandoned", "Abandoned"
    PURCHASED = "purchased", "Purchased"
    LOST = "lost", "Lost"


# Outcomes after which the customer walked away: they get the prospect survey.
WALKED_AWAY_OUTCOMES = (Outcome.ABANDONED, Outcome.LOST)


class InteractionQuerySet(ScopedQuerySet):
    department_path = "touchpoint__department"


class Interaction(models.Model):
    """A customer met a touchpoint: when, with whom, how fast and with what outcome."""

    # Both are found through the composite indexes below, which they lead: an index of
    # their own would only slow every insert.
    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="interactions", db_index=False
    )
    touchpoint = models.ForeignKey(
        Touchpoint, on_delete=models.PROTECT, related_name="interactions", db_index=False
    )
    occurred_at = models.DateTimeField()
    # The local day of occurred_at: the key of the service-standard rollups (set on save).
    day = models.DateField(editable=False)
    handled_by = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.SET_NULL, related_name="interactions"
    )
    outcome = models.CharField(max_length=12, choices=Outcome.choices)
    wait_seconds = models.PositiveIntegerField(null=True, blank=True)
    response_seconds = models.PositiveIntegerField(null=True, blank=True)
    resolution_seconds = models.PositiveIntegerField(null=True, blank=True)
    first_contact_resolution = models.BooleanField(null=True, blank=True)
    external_id = models.CharField(max_length=120, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = InteractionQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at"]
        constraints = [
            # Re-imports and API retries are idempotent through this key.
            models.UniqueConstraint(fields=["external_id"], name="interaction_external_id_unique"),
        ]
        indexes = [
            models.Index(fields=["touchpoint", "occurred_at"], name="interaction_tp_time"),
            models.Index(fields=["customer", "occurred_at"], name="interaction_customer_time"),
            models.Index(fields=["touchpoint", "day"], name="interaction_tp_day"),
        ]

    def __str__(self):
        return f"{self.customer} at {self.touchpoint} on {self.occurred_at:%Y-%m-%d}"

    def save(self, *args, **kwargs):
        self.day = local_day(self.occurred_at)
        super().save(*args, **kwargs)

    @property
    def customer_walked_away(self):
        return self.outcome in WALKED_AWAY_OUTCOMES
