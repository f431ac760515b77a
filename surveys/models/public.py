"""Public answers that tripped an abuse guard: kept aside, never counted, for CX managers
to see (and the scores to say how many)."""

from django.db import models

from surveys.models.asking import AnswerSource
from touchpoints.models import Touchpoint


class SetAsideReason(models.TextChoices):
    ADDRESS = "address", "Too many from one address"
    TOUCHPOINT = "touchpoint", "Too many at once at the touchpoint"
    DUPLICATE = "duplicate", "Sent again from the same browser"
    HONEYPOT = "honeypot", "Filled a field people do not see"
    DAILY_CAP = "daily_cap", "Over the touchpoint's daily cap"


class SetAsideAnswer(models.Model):
    touchpoint = models.ForeignKey(Touchpoint, on_delete=models.CASCADE, related_name="+")
    source = models.CharField(max_length=8, choices=AnswerSource.choices)
    reason = models.CharField(max_length=10, choices=SetAsideReason.choices)
    received_at = models.DateTimeField(auto_now_add=True)
    day = models.DateField()
    # What was answered, as posted (scores and comment; no address is kept).
    answers = models.JSONField(default=dict)

    class Meta:
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["touchpoint", "day"], name="set_aside_tp_day")]

    def __str__(self):
        return f"{self.get_reason_display()} at {self.touchpoint} on {self.day}"
