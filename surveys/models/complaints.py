"""Complaints from every source, against the touchpoint they concern."""

from django.db import models
from django.db.models import Q

from touchpoints.models import Customer, ScopedQuerySet, Staff, Touchpoint


class ComplaintSource(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    PHONE = "phone", "Phone"
    MAIL = "mail", "Mail"
    EMAIL = "email", "Email"
    WEB = "web", "Web form"


class ComplaintStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    RESOLVED = "resolved", "Resolved"


class ComplaintQuerySet(ScopedQuerySet):
    department_path = "touchpoint__department"


class Complaint(models.Model):
    customer = models.ForeignKey(
        Customer, null=True, blank=True, on_delete=models.SET_NULL, related_name="complaints"
    )
    touchpoint = models.ForeignKey(Touchpoint, on_delete=models.PROTECT, related_name="complaints")
    source = models.CharField(max_length=12, choices=ComplaintSource.choices)
    received_at = models.DateTimeField()
    text = models.TextField()
    status = models.CharField(
        max_length=12, choices=ComplaintStatus.choices, default=ComplaintStatus.OPEN
    )
    owner = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.SET_NULL, related_name="complaints"
    )
    resolution_notes = models.TextField(blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    # The text's sentiment, -1 to 1, as for survey comments; None until scored.
    sentiment = models.FloatField(null=True, blank=True)
    external_id = models.CharField(max_length=120, null=True, blank=True)

    objects = ComplaintQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(fields=["external_id"], name="complaint_external_id_unique"),
            models.CheckConstraint(
                condition=(Q(status=ComplaintStatus.RESOLVED) & Q(resolved_at__isnull=False))
                | (~Q(status=ComplaintStatus.RESOLVED) & Q(resolved_at__isnull=True)),
                name="complaint_resolved_at_iff_resolved",
            ),
        ]
        indexes = [
            models.Index(fields=["touchpoint", "received_at"], name="complaint_tp_time"),
        ]

    def __str__(self):
        return f"Complaint about {self.touchpoint} ({self.get_status_display()})"
