"""Individual outreach: a customer asked for a referral, or called to keep them, and who
did it. The action lists leave out whoever was reached this way recently enough."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from touchpoints.models import Customer


class OutreachKind(models.TextChoices):
    REFERRAL = "referral", "Asked for a referral"
    RETENTION = "retention", "Reached out to keep them"


class Outreach(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="outreach")
    kind = models.CharField(max_length=10, choices=OutreachKind.choices)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    done_at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-done_at"]
        indexes = [
            models.Index(fields=["customer", "kind", "done_at"], name="outreach_customer_kind"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.customer}"
