"""Surveys, the invitations that carry them, the answers, and the daily score rollups."""

from django.db import models
from django.db.models import Q

from touchpoints.models import Interaction, ScopedQuerySet, Staff, Touchpoint


class SurveyAudience(models.TextChoices):
    CUSTOMER = "customer", "Customers"
    PROSPECT = "prospect", "Prospects (walked away)"
    STAFF = "staff", "Staff (pulse)"


class Survey(models.Model):
    """Which measures a survey asks. Touchpoints point at the survey they use."""

    name = models.CharField(max_length=160, unique=True)
    audience = models.CharField(
        max_length=10, choices=SurveyAudience.choices, default=SurveyAudience.CUSTOMER
    )
    intro = models.TextField(blank=True, help_text="Shown above the questions.")
    asks_expectation_experience = models.BooleanField(default=True)
    asks_csat = models.BooleanField(default=True)
    asks_nps = models.BooleanField(default=True)
    asks_effort = models.BooleanField(default=True)
    asks_comment = models.BooleanField(default=True)
    languages = models.JSONField(default=list, blank=True, help_text='e.g. ["en", "de"]')
    reminder_after_days = models.PositiveSmallIntegerField(default=3)
    expires_after_days = models.PositiveSmallIntegerField(default=14)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(asks_expectation_experience=True)
                | Q(asks_csat=True)
                | Q(asks_nps=True)
                | Q(asks_effort=True)
                | Q(asks_comment=True),
                name="survey_asks_something",
            ),
        ]

    def __str__(self):
        return self.name


class InvitationStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    SENDING = "sending", "Being sent"
    SENT = "sent", "Sent"
    ANSWERED = "answered", "Answered"
    EXPIRED = "expired", "Expired"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


class InvitationQuerySet(ScopedQuerySet):
    department_path = "interaction__touchpoint__department"


class Invitation(models.Model):
    """The outbox row for one emailed survey, written with its interaction.

    Only a SHA-256 hash of the personal link's token is stored, so a leaked database does
    not hand out working survey links.
    """

    interaction = models.OneToOneField(
        Interaction, on_delete=models.CASCADE, related_name="invitation"
    )
    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="invitations")
    token_hash = models.CharField(max_length=64)
    status = models.CharField(
        max_length=10, choices=InvitationStatus.choices, default=InvitationStatus.PENDING
    )
    due_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["token_hash"], name="invitation_token_hash_unique"),
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("due_at")), name="invitation_expires_after_due"
            ),
            models.CheckConstraint(
                condition=~Q(status=InvitationStatus.ANSWERED) | Q(answered_at__isnull=False),
                name="invitation_answered_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_at"], name="invitation_status_due"),
        ]

    def __str__(self):
        return f"Invitation for {self.interaction}"


class ResponseQuerySet(ScopedQuerySet):
    department_path = "touchpoint__department"


class Response(models.Model):
    """One customer's answers to one invitation. Score ranges are enforced by the database."""

    # One response per invitation (the one-to-one is a unique index). Null for answers
    # imported from an earlier tool, which came without an invitation.
    invitation = models.OneToOneField(
        Invitation, null=True, blank=True, on_delete=models.SET_NULL, related_name="response"
    )
    touchpoint = models.ForeignKey(Touchpoint, on_delete=models.PROTECT, related_name="responses")
    submitted_at = models.DateTimeField()
    expectation = models.PositiveSmallIntegerField(null=True, blank=True)
    experience = models.PositiveSmallIntegerField(null=True, blank=True)
    csat = models.PositiveSmallIntegerField(null=True, blank=True)
    nps = models.PositiveSmallIntegerField(null=True, blank=True)
    effort = models.PositiveSmallIntegerField(null=True, blank=True)
    comment = models.TextField(blank=True)
    language = models.CharField(max_length=8, default="en")

    objects = ResponseQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expectation__isnull=True) | Q(expectation__range=(1, 7)),
                name="response_expectation_1_7",
            ),
            models.CheckConstraint(
                condition=Q(experience__isnull=True) | Q(experience__range=(1, 7)),
                name="response_experience_1_7",
            ),
            models.CheckConstraint(
                condition=Q(csat__isnull=True) | Q(csat__range=(1, 5)), name="response_csat_1_5"
            ),
            models.CheckConstraint(
                condition=Q(nps__isnull=True) | Q(nps__range=(0, 10)), name="response_nps_0_10"
            ),
            models.CheckConstraint(
                condition=Q(effort__isnull=True) | Q(effort__range=(1, 7)),
                name="response_effort_1_7",
            ),
        ]
        indexes = [
            models.Index(fields=["touchpoint", "submitted_at"], name="response_tp_time"),
        ]

    def __str__(self):
        return f"Response on {self.touchpoint} at {self.submitted_at:%Y-%m-%d %H:%M}"

    @property
    def gap(self):
        if self.expectation is None or self.experience is None:
            return None
        return self.expectation - self.experience


class TouchpointDailyScoreQuerySet(ScopedQuerySet):
    department_path = "touchpoint__department"


class TouchpointDailyScore(models.Model):
    """Counts and sums of one touchpoint's answers on one day.

    Only sums are stored, so any date range is answered by adding rows; means, gap, its
    confidence interval, CSAT %, NPS and CES are derived on read.
    """

    touchpoint = models.ForeignKey(
        Touchpoint, on_delete=models.CASCADE, related_name="daily_scores"
    )
    day = models.DateField()
    responses = models.PositiveIntegerField(default=0)
    invitations_sent = models.PositiveIntegerField(default=0)
    gap_answered = models.PositiveIntegerField(default=0)
    sum_expectation = models.PositiveIntegerField(default=0)
    sum_experience = models.PositiveIntegerField(default=0)
    sum_gap = models.IntegerField(default=0)
    sum_gap_squared = models.PositiveIntegerField(default=0)
    csat_answered = models.PositiveIntegerField(default=0)
    csat_top2 = models.PositiveIntegerField(default=0)
    nps_answered = models.PositiveIntegerField(default=0)
    promoters = models.PositiveIntegerField(default=0)
    detractors = models.PositiveIntegerField(default=0)
    effort_answered = models.PositiveIntegerField(default=0)
    sum_effort = models.PositiveIntegerField(default=0)
    comments = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TouchpointDailyScoreQuerySet.as_manager()

    class Meta:
        ordering = ["touchpoint", "day"]
        constraints = [
            models.UniqueConstraint(fields=["touchpoint", "day"], name="daily_score_unique_day"),
            models.CheckConstraint(
                condition=Q(csat_top2__lte=models.F("csat_answered")),
                name="daily_score_top2_within_answered",
            ),
            models.CheckConstraint(
                condition=Q(
                    promoters__lte=models.F("nps_answered") - models.F("detractors"),
                ),
                name="daily_score_nps_groups_within_answered",
            ),
        ]

    def __str__(self):
        return f"{self.touchpoint} on {self.day}"


class FollowUpReason(models.TextChoices):
    DETRACTOR = "detractor", "Detractor"
    LARGE_GAP = "large_gap", "Large gap"


class FollowUpStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"


class FollowUpQuerySet(ScopedQuerySet):
    department_path = "response__touchpoint__department"


class FollowUp(models.Model):
    """A customer to call back, assigned to the person they already know."""

    response = models.OneToOneField(Response, on_delete=models.CASCADE, related_name="follow_up")
    reason = models.CharField(max_length=10, choices=FollowUpReason.choices)
    assigned_to = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.SET_NULL, related_name="follow_ups"
    )
    status = models.CharField(
        max_length=12, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN
    )
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(status=FollowUpStatus.DONE) & Q(closed_at__isnull=False))
                | (~Q(status=FollowUpStatus.DONE) & Q(closed_at__isnull=True)),
                name="follow_up_closed_at_iff_done",
            ),
        ]

    def __str__(self):
        return f"Follow-up ({self.get_reason_display()}) on {self.response.touchpoint}"
